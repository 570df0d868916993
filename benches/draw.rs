//! What a frame costs on a meeting far larger than any real one, and how soon
//! one officer's action reaches another's screen.
//!
//! `cargo bench --bench draw` (criterion's options after `--`). The follow
//! measurement takes `GAVEL_BENCH_FOLLOW=N` samples (300 by default, 0 skips it).
//!
//! The big meeting is built through the real domain, every event decided on
//! the state before it: the seed meeting with 500 more delegations inscribed,
//! 2,000 observer seats all taken but the few just released to the 40 who
//! wait, and 10,000 notes.

/// The allocator the gavel binary uses (see `src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::Criterion;
use gavel::domain::{
    Command, Level, Meeting, Participant, Role, SeatId, SeatOrDelegation, SpeechKind, State,
    execute,
};
use gavel::journal::Mode;
use gavel::live::Live;
use gavel::text::Clean;
use gavel::tui::app::App;
use gavel::tui::draw;
use gavel::tui::message::Update;
use gavel::tui::theme::Theme;
use gavel::tui::view::{Pane, Ui};
use gavel::tui::worker::{FOLLOW_EVERY, Worker};
use jiff::{SignedDuration, Timestamp};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SPEAKERS: usize = 500;
/// Every seat that is not blocked taken, then a waitlist, then a few released
/// and so offered to those waiting.
const SEATED: usize = 1998;
const WAITING: usize = 40;
const RELEASED: u16 = 5;
const OBSERVERS: usize = SEATED + WAITING;
const NOTES: usize = 10_000;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

fn seed() -> Meeting {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config/mali-ministerial-2017.toml");
    gavel::config::load(&path)
        .expect("the seed meeting loads")
        .meeting
}

fn participant(id: String, delegation: String, representative: String, role: Role) -> Participant {
    Participant {
        id: Clean::new(&id),
        delegation: Clean::new(&delegation),
        representative: Clean::new(&representative),
        title: Clean::new("Permanent Representative to the United Nations"),
        level: Level::HeadOfDelegation,
        role,
        category: gavel::domain::Category::of_role(role),
        language: None,
        aliases: Vec::new(),
    }
}

/// The seed meeting, enlarged in its roster and its seating.
fn big_meeting() -> Meeting {
    let mut m = seed();
    for i in 0..SPEAKERS {
        m.roster.push(participant(
            format!("speaker-{i:03}"),
            format!("Delegation of Speakerland {i:03}"),
            format!("H.E. Ms. Representative Number {i:03}"),
            Role::Participant,
        ));
    }
    for i in 0..OBSERVERS {
        m.roster.push(participant(
            format!("observer-{i:04}"),
            format!("Observer Mission {i:04}"),
            String::new(),
            Role::Observer,
        ));
    }
    m.seating.rows = 20;
    m.seating.seats_per_row = 100;
    m.seating.blocked = vec![SeatId { row: 19, seat: 98 }, SeatId { row: 19, seat: 99 }];
    m
}

struct Played {
    state: State,
    now: Timestamp,
}

impl Played {
    /// Decides and applies one command, as `Live::execute` does without the disk.
    fn run(&mut self, command: Command) {
        let by = Clean::new("ana");
        execute(&mut self.state, command.clone(), self.now, &by)
            .unwrap_or_else(|r| panic!("{command:?} refused: {r}"));
    }

    fn later(&mut self, secs: i64) {
        self.now += SignedDuration::from_secs(secs);
    }
}

fn note_text(i: usize) -> String {
    const WORDS: [&str; 12] = [
        "the",
        "delegation",
        "welcomes",
        "progress",
        "on",
        "cantonment",
        "and",
        "urges",
        "the",
        "parties",
        "to",
        "implement",
    ];
    let words = 6 + i * 7 % 30;
    let mut text: Vec<&str> = (0..words).map(|w| WORDS[(i + w) % WORDS.len()]).collect();
    text.push(["#summary", "#action", "#followup"][i % 3]);
    text.join(" ")
}

fn big_state() -> State {
    let started = Instant::now();
    let meeting = Arc::new(big_meeting());
    let mut p = Played {
        state: State::new(meeting),
        now: "2017-09-20T19:30:00Z".parse().expect("an instant"),
    };
    p.run(Command::Open { at: None });
    p.run(Command::Next { at: None });
    for i in 0..SPEAKERS {
        p.run(Command::add(
            Clean::new(&format!("speaker-{i:03}")),
            SpeechKind::Statement,
            None,
        ));
    }
    for i in 0..OBSERVERS {
        let delegation = Clean::new(&format!("observer-{i:04}"));
        if i < SEATED {
            p.run(Command::Seat {
                delegation,
                seat: None,
            });
        } else {
            p.run(Command::Wait { delegation });
        }
    }
    for seat in 0..RELEASED {
        p.run(Command::Release(SeatOrDelegation::Seat(SeatId {
            row: 7,
            seat: seat * 11,
        })));
    }
    for i in 0..NOTES {
        if i % 50 == 0 {
            p.later(1);
        }
        p.run(Command::Note {
            text: Clean::new(&note_text(i)),
        });
    }
    p.later(95);
    let s = &p.state;
    assert!(s.segment().queue.len() >= SPEAKERS, "the list is long");
    assert_eq!(s.seats.occupied.len(), SEATED - usize::from(RELEASED));
    assert_eq!(s.notes.len(), NOTES);
    eprintln!(
        "built: {} listed, {} seats ({} taken, {} waiting), {} notes, seq {}, in {:.1} s",
        s.segment().queue.len(),
        s.meeting.seating.capacity(),
        s.seats.occupied.len(),
        s.seats.waitlist.len(),
        s.notes.len(),
        s.seq,
        started.elapsed().as_secs_f64()
    );
    p.state
}

fn draw_benches(c: &mut Criterion) {
    let state = big_state();
    let now = state
        .last_action
        .as_ref()
        .map_or_else(Timestamp::now, |a| a.at)
        + SignedDuration::from_secs(95);
    let app = App::new(state, Ui::new(Clean::new("ana"), false), Theme::DEFAULT);
    let mut group = c.benchmark_group(format!("draw {WIDTH}x{HEIGHT}"));

    // The common frame: the wall clock and the timer a second on, the rest as it was.
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test backend");
    let mut at = now;
    group.bench_function("a second later (tick)", |b| {
        b.iter(|| {
            at += SignedDuration::from_secs(1);
            terminal
                .draw(|f| draw::screen(f, black_box(&app), at))
                .map(drop)
                .expect("drawn");
        })
    });

    // The worst frame: every cell differs from the last one drawn.
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test backend");
    group.bench_function("whole screen repainted", |b| {
        b.iter(|| {
            terminal.clear().expect("cleared");
            terminal
                .draw(|f| draw::screen(f, black_box(&app), now))
                .map(drop)
                .expect("drawn");
        })
    });

    // The cursors in the middle of the long lists, and the notes pane focused.
    let mut ui = Ui::new(Clean::new("ana"), false);
    ui.focus = Pane::Notes;
    ui.queue_cursor = SPEAKERS / 2;
    ui.seat_cursor = SeatId { row: 10, seat: 50 };
    ui.note_cursor = Some((NOTES / 2) as u32);
    let app = App::new(app.state.clone(), ui, Theme::DEFAULT);
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test backend");
    let mut at = now;
    group.bench_function("cursors mid-list, a second later", |b| {
        b.iter(|| {
            at += SignedDuration::from_secs(1);
            terminal
                .draw(|f| draw::screen(f, black_box(&app), at))
                .map(drop)
                .expect("drawn");
        })
    });
    group.finish();
}

/// The seed meeting as the pty bench runs it, for comparison with what that
/// bench sees through a terminal.
fn seed_benches(c: &mut Criterion) {
    let mut p = Played {
        state: State::new(Arc::new(seed())),
        now: "2017-09-20T19:31:00Z".parse().expect("an instant"),
    };
    p.run(Command::Open { at: None });
    p.run(Command::Next { at: None });
    let app = App::new(p.state, Ui::new(Clean::new("ana"), false), Theme::DEFAULT);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test backend");
    let mut at = p.now;
    c.bench_function("draw 120x40 seed/a second later (tick)", |b| {
        b.iter(|| {
            at += SignedDuration::from_secs(1);
            terminal
                .draw(|f| draw::screen(f, black_box(&app), at))
                .map(drop)
                .expect("drawn");
        })
    });
}

/// One officer appends through `Live::execute`; another's journal thread, the
/// TUI's own, follows. Timed from the append being on disk to the follower
/// handing the event to its screen.
fn follow_latency(samples: usize) {
    if samples == 0 {
        return;
    }
    let meeting = Arc::new(seed());
    let tmp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temp dir");
    let dir = tmp.path().join(meeting.id.as_str());
    let mut writer = Live::open(meeting.clone(), &dir, Mode::ReadWrite).expect("the writer opens");
    let follower = Live::open(meeting, &dir, Mode::ReadWrite).expect("the follower opens");
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker::start(follower, Clean::new("ben"), tx);
    let by = Clean::new("ana");
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let (mut on_disk, mut from_start) = (Vec::new(), Vec::new());
    for i in 0..samples {
        // Gaps that do not divide the poll period, so every phase of it is sampled.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(20 + rng % 300));
        let start = Instant::now();
        let command = Command::Note {
            text: Clean::new(&format!("follow {i}")),
        };
        writer
            .execute(command, &by, Timestamp::now())
            .into_ours()
            .expect("appended");
        let written = Instant::now();
        loop {
            match rx.blocking_recv().expect("the follower is running") {
                Update::Others(seen) if !seen.is_empty() => break,
                Update::FollowFailed(why) => panic!("following failed: {why}"),
                _ => {}
            }
        }
        let seen = Instant::now();
        on_disk.push((seen - written).as_secs_f64() * 1000.0);
        from_start.push((seen - start).as_secs_f64() * 1000.0);
    }
    drop(worker);
    println!(
        "follow latency, another instance's journal thread (FOLLOW_EVERY = {FOLLOW_EVERY:?}):"
    );
    for (what, samples) in [
        ("on disk → seen", &mut on_disk),
        ("command → seen", &mut from_start),
    ] {
        samples.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            samples[((p * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1]
        };
        println!(
            "  {what:<16} p50 {:>7.2}  p99 {:>7.2}  min {:>7.2}  max {:>7.2} ms  (n={})",
            rank(0.50),
            rank(0.99),
            samples[0],
            samples[samples.len() - 1],
            samples.len()
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    draw_benches(&mut c);
    seed_benches(&mut c);
    c.final_summary();
    let samples = std::env::var("GAVEL_BENCH_FOLLOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    follow_latency(samples);
}

//! A long meeting played through the real domain, for the benches and the
//! performance smoke test: every line of the journal it yields was decided by
//! `decide` on the state before it, as a running gavel would have written it.
//!
//! The mix follows an afternoon on the seed meeting: inscriptions and the
//! floor going down the list, pauses, points of order, rights of reply, the
//! door officer seating observers, notes, a few corrections (`at -20s`) and
//! undos, by three officers of whom one does most of the work. It is
//! deterministic, so every run measures the same journal.

#![allow(dead_code)]

/// The allocator the gavel binary uses (see `src/main.rs`), so that what is
/// measured here is what ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::sync::Arc;

use gavel::domain::{
    At, Command, Entry, Meeting, Phase, Place, SeatId, SeatOrDelegation, SegmentTarget, SpeechKind,
    State, execute,
};
use gavel::text::Clean;
use jiff::{SignedDuration, Timestamp};

pub fn seed_meeting() -> Arc<Meeting> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/mali-ministerial-2017.toml");
    Arc::new(
        gavel::config::load(&path)
            .expect("the seed meeting loads")
            .meeting,
    )
}

/// xorshift64*: no dependency, and the same journal on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const NOTES: &[&str] = &[
    "The Secretary-General urges clear timelines for the reforms #summary",
    "Le Drian: France supports the G5 Sahel Joint Force #action",
    "Calls for the interim authorities to be installed in all five regions #decision",
    "Concern at attacks on MINUSMA peacekeepers; 11 killed since June #summary",
    "Algeria offers to host the next session of the Agreement Monitoring Committee #action",
    "La délégation rappelle l'importance du cantonnement et du DDR #summary",
    "Asks the Panel of Experts to report on spoilers of the Agreement",
    "Support for the Conférence d'entente nationale and the charter #summary #follow-up",
    "Women's participation in the follow-up mechanisms: 30 per cent target #action",
    "Humanitarian access in Ménaka and Kidal remains restricted",
];

/// Who the officers type: roster ids, delegations, representatives' names and
/// aliases, and Member States that are not on the roster.
const SPEAKERS: &[&str] = &[
    "France",
    "China",
    "egypt",
    "le drian",
    "ibk",
    "algeria",
    "un-peacekeeping",
    "european union",
    "african union",
    "ecowas",
    "Sweden",
    "Japan",
    "senegal",
    "Chad",
    "Niger",
    "Burkina Faso",
    "Germany",
    "Netherlands",
    "Bangladesh",
    "Togo",
    "Nigeria",
    "Morocco",
    "Canada",
    "cote d'ivoire",
    "Ghana",
    "Guinea",
    "Norway",
    "Italy",
    "Spain",
    "Brazil",
];

/// Observer delegations for the seats: States that are not participants.
pub const OBSERVERS: &[&str] = &[
    "Brazil",
    "Holy See",
    "Norway",
    "Mexico",
    "Indonesia",
    "Denmark",
    "Finland",
    "Portugal",
    "Austria",
    "Belgium",
    "Ireland",
    "Switzerland",
    "Argentina",
    "Chile",
    "Tunisia",
    "Mauritania",
    "Benin",
    "Cameroon",
    "Rwanda",
    "Kenya",
    "Ethiopia",
    "Turkey",
    "Qatar",
    "State of Palestine",
    "Australia",
    "New Zealand",
    "Republic of Korea",
    "India",
    "Pakistan",
    "Nepal",
    "Sri Lanka",
    "Cambodia",
    "Jordan",
    "Liberia",
    "Sierra Leone",
    "Gambia",
    "Cabo Verde",
    "Angola",
    "Zambia",
    "Uganda",
    "Peru",
    "Uruguay",
    "Poland",
    "Romania",
];

pub const OPERATORS: [&str; 3] = ["ana", "ben", "chloe"];

/// A meeting being played: the state, the clock, and who acts next.
pub struct Play {
    pub state: State,
    pub now: Timestamp,
    pub rng: Rng,
    operators: [Clean; 3],
    pub refused: usize,
}

impl Play {
    pub fn new(meeting: Arc<Meeting>) -> Play {
        Play {
            state: State::new(meeting),
            now: "2017-09-20T19:25:00Z".parse().expect("an instant"),
            rng: Rng::new(0x5eed_2017),
            operators: OPERATORS.map(Clean::new),
            refused: 0,
        }
    }

    /// Officers keep to their own job (the floor, the door, the notes), and
    /// now and then one covers for another.
    fn operator(&mut self, command: &Command) -> Clean {
        let own = match command {
            Command::Seat { .. }
            | Command::Release(_)
            | Command::Wait { .. }
            | Command::Unwait { .. }
            | Command::Block(_)
            | Command::Unblock(_) => 1,
            Command::Note { .. } | Command::Amend { .. } | Command::Retract { .. } => 2,
            Command::Undo => self.rng.below(3),
            _ => 0,
        };
        let i = if self.rng.percent(90) {
            own
        } else {
            self.rng.below(3)
        };
        self.operators[i].clone()
    }

    fn at(&mut self) -> Option<At> {
        self.rng
            .percent(8)
            .then(|| At::Ago(1 + self.rng.below(15) as u32))
    }

    fn seat(&mut self) -> SeatId {
        let seating = &self.state.meeting.seating;
        SeatId {
            row: self.rng.below(usize::from(seating.rows)) as u16,
            seat: self.rng.below(usize::from(seating.seats_per_row)) as u16,
        }
    }

    /// A command an officer could plausibly type now; some are refused, as
    /// some are at a real meeting.
    pub fn command(&mut self) -> Command {
        let state = &self.state;
        if state.phase == Phase::Scheduled {
            return Command::Open { at: None };
        }
        let segment = state.segment();
        let listed = segment.queue.len();
        let floor = segment.floor.as_ref();
        let paused = floor.is_some_and(|f| f.paused_since.is_some());
        let interrupted = !segment.interrupted.is_empty();
        let closed = segment.closed;
        let who = |rng: &mut Rng| Clean::new(rng.pick(SPEAKERS));
        let listed_who = |rng: &mut Rng| {
            if listed == 0 {
                who(rng)
            } else {
                let l = &segment.queue[rng.below(listed)];
                l.speech.delegate.key.clone()
            }
        };
        if paused && self.rng.percent(60) {
            return Command::Resume { at: self.at() };
        }
        if interrupted && self.rng.percent(50) {
            return Command::End { at: None };
        }
        if floor.is_none() && listed > 0 && self.rng.percent(70) {
            return Command::Next { at: self.at() };
        }
        if closed && self.rng.percent(30) {
            return Command::ReopenList;
        }
        let roll = self.rng.below(1000);
        match roll {
            // The list of speakers: kept between a handful and a few dozen.
            0..=179 if listed < 30 => Command::add(
                who(&mut self.rng),
                SpeechKind::Statement,
                self.rng.percent(10).then_some(120),
            ),
            0..=179 => Command::Next { at: self.at() },
            180..=209 => Command::add(who(&mut self.rng), SpeechKind::Reply, Some(60)),
            210..=224 if floor.is_some() => {
                Command::add(who(&mut self.rng), SpeechKind::Order, Some(60))
            }
            210..=349 if listed > 0 => Command::Next { at: self.at() },
            210..=349 => Command::add(who(&mut self.rng), SpeechKind::Statement, None),
            350..=399 => Command::Pause { at: self.at() },
            400..=439 => Command::End { at: self.at() },
            440..=459 => Command::Extend { by: 30 },
            460..=489 => {
                let to = match self.rng.below(5) {
                    0 => Place::Up,
                    1 => Place::Down,
                    2 => Place::Top,
                    3 => Place::Bottom,
                    _ => Place::Position(1 + self.rng.below(listed.max(1))),
                };
                Command::Move {
                    who: listed_who(&mut self.rng),
                    to,
                }
            }
            490..=504 => Command::Pass {
                who: listed_who(&mut self.rng),
            },
            505..=519 => Command::Remove {
                who: listed_who(&mut self.rng),
            },
            520..=524 => Command::CloseList,
            // The door officer.
            525..=574 => Command::Seat {
                delegation: Clean::new(self.rng.pick(OBSERVERS)),
                seat: None,
            },
            575..=604 => {
                if self.rng.percent(50) {
                    Command::Release(SeatOrDelegation::Seat(self.seat()))
                } else {
                    Command::Release(SeatOrDelegation::Delegation(Clean::new(
                        self.rng.pick(OBSERVERS),
                    )))
                }
            }
            605..=624 => Command::Wait {
                delegation: Clean::new(self.rng.pick(OBSERVERS)),
            },
            625..=634 => Command::Unwait {
                delegation: Clean::new(self.rng.pick(OBSERVERS)),
            },
            635..=639 => Command::Block(self.seat()),
            640..=644 => Command::Unblock(self.seat()),
            // The note taker.
            // Every note says something new: no two texts alike, as in a real meeting.
            645..=849 => Command::Note {
                text: Clean::new(&format!(
                    "{} ({} {})",
                    self.rng.pick(NOTES),
                    self.rng.pick(SPEAKERS),
                    state.next_note
                )),
            },
            850..=889 => {
                let notes = state.next_note.saturating_sub(1).max(1);
                let back = self.rng.below(notes.min(20) as usize) as u32;
                Command::Amend {
                    note: notes - back,
                    text: Clean::new(&format!("{} (corrected)", self.rng.pick(NOTES))),
                }
            }
            890..=904 => {
                let notes = state.next_note.saturating_sub(1).max(1);
                Command::Retract {
                    note: notes - self.rng.below(notes.min(10) as usize) as u32,
                }
            }
            905..=969 => Command::Undo,
            // Between segments, back and forth: the seed meeting has two.
            970..=984 if floor.is_some() => Command::End { at: None },
            970..=984 => Command::Segment(if state.current == 0 {
                SegmentTarget::Next
            } else {
                SegmentTarget::Id(Clean::new("opening"))
            }),
            _ => Command::Extend { by: 15 },
        }
    }

    /// Plays commands until one is carried out; returns its entries.
    pub fn step(&mut self) -> Vec<Entry> {
        loop {
            let gap = 1 + self.rng.below(20) as i64;
            self.now += SignedDuration::from_secs(gap);
            let command = self.command();
            let by = self.operator(&command);
            match execute(&mut self.state, command, self.now, &by) {
                Ok(new) => return new,
                Err(_) => self.refused += 1,
            }
        }
    }
}

/// The long meeting, played only as far as asked: a 1k journal is the start
/// of the 1M one, and asking for it does not play the rest.
pub struct Long {
    play: Play,
    entries: Vec<Entry>,
}

impl Long {
    pub fn new(meeting: &Arc<Meeting>) -> Long {
        Long {
            play: Play::new(meeting.clone()),
            entries: Vec::new(),
        }
    }

    pub fn first(&mut self, n: usize) -> &[Entry] {
        while self.entries.len() < n {
            let new = self.play.step();
            self.entries.extend(new);
        }
        &self.entries[..n]
    }

    /// The state after all that was played so far.
    pub fn state(&self) -> &State {
        &self.play.state
    }
}

/// The first `n` entries of the long meeting.
pub fn journal(meeting: &Arc<Meeting>, n: usize) -> Vec<Entry> {
    Long::new(meeting).first(n).to_vec()
}

/// The journal file's bytes, one line an entry, as the journal writes them.
pub fn jsonl(entries: &[Entry]) -> Vec<u8> {
    let mut buf = Vec::new();
    for entry in entries {
        serde_json::to_writer(&mut buf, entry).expect("an entry serialises");
        buf.push(b'\n');
    }
    buf
}

/// How many of each event type, for the report.
pub fn mix(entries: &[Entry]) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for e in entries {
        let name = e.event.name();
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, c)) => *c += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    counts
}

//! Several officers write to one meeting's journal at the same moment, and
//! afterwards every one of them, and a fresh replay, sees the same meeting.
//!
//! `four_officers_at_once_agree_on_every_line`: four processes (this test
//! binary run again) of 2,500 commands each. Two work as the TUI does: keys
//! into the controller (`App`), its commands sent to the journal thread
//! (`Worker`), answers and others' events folded into the screen's copy of
//! the state. Two go straight through `Live::execute`, as `gavel do` does.
//!
//! `gavel_do_processes_at_once`: four threads each running `gavel do` 50
//! times in a row, so the binary's own processes append concurrently.
//!
//! Both check: `seq` runs 1..N without gap or repeat, every line parses (none
//! torn or interleaved), every acknowledged command is there byte for byte,
//! every line was acknowledged by exactly the writer it names, the session
//! log has one line per event in order, and every writer's final state is the
//! fresh replay's.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use gavel::domain::{Described, Entry, Event};
use gavel::journal::Mode;
use gavel::live::{Live, LiveError};
use gavel::text::Clean;
use gavel::tui::app::{App, Effect};
use gavel::tui::keys::Key;
use gavel::tui::message::{Request, Update};
use gavel::tui::theme::Theme;
use gavel::tui::view::Ui;
use gavel::tui::worker::Worker;

use crate::support;
use crate::support::harness::{self, MeetingClock, Mix, Rng};
use crate::support::journal_common;

const TEST: &str = "four_officers_at_once_agree_on_every_line";
const ROLE: &str = "GAVEL_CONCURRENCY_ROLE";
const ID: &str = "GAVEL_CONCURRENCY_ID";
const DIR: &str = "GAVEL_CONCURRENCY_DIR";
const CHILD_SEED: &str = "GAVEL_CONCURRENCY_CHILD_SEED";

const EACH: usize = 2_500;
/// Children 0 and 1 are TUI-like, 2 and 3 go through `Live::execute`.
const ROLES: [&str; 4] = ["tui", "tui", "live", "live"];
/// Every so often a TUI child stops typing for longer than the worker's
/// follow interval, so others' events also arrive by following the journal,
/// not only by catching up before an append.
const IDLE_EVERY: usize = 500;
const IDLE: Duration = Duration::from_millis(250);
const MIX: Mix = Mix {
    long_notes: false,
    hostile_text: false,
};

#[test]
fn four_officers_at_once_agree_on_every_line() {
    if let Ok(role) = env::var(ROLE) {
        return child(&role);
    }
    let seed = Rng::seed_from_env("GAVEL_CONCURRENCY_SEED");
    eprintln!("concurrency: seed {seed} (GAVEL_CONCURRENCY_SEED={seed} makes the same choices)");
    let mut rng = Rng::new(seed);
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join(support::SEED_ID);
    let (_, real_start) = MeetingClock::starting_now();

    let (tx, messages) = mpsc::channel::<(usize, Option<String>)>();
    let mut children = Vec::new();
    for (id, role) in ROLES.iter().enumerate() {
        let mut child = support::rerun(module_path!(), TEST)
            .env(ROLE, role)
            .env(ID, id.to_string())
            .env(DIR, &dir)
            .env(CHILD_SEED, rng.next_u64().to_string())
            .env(harness::CLOCK_ENV, &real_start)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let _ = tx.send((id, Some(line.unwrap())));
            }
            let _ = tx.send((id, None));
        });
        children.push(child);
    }
    drop(tx);

    let mut acks: Vec<(usize, u64, String)> = Vec::new();
    let mut finished: HashMap<usize, (usize, usize, usize)> = HashMap::new();
    let mut hashes: HashMap<usize, (u64, u64)> = HashMap::new();
    let mut ready = 0;
    let mut started = None;
    let mut writing_took = Duration::ZERO;
    while hashes.len() < ROLES.len() {
        let (id, line) = messages
            .recv_timeout(Duration::from_secs(300))
            .expect("the children went quiet");
        let Some(line) = line else {
            assert!(hashes.contains_key(&id), "child {id} ended early");
            continue;
        };
        let mut words = line.splitn(3, ' ');
        match words.next().unwrap() {
            "READY" => {
                ready += 1;
                if ready == ROLES.len() {
                    started = Some(Instant::now());
                    fs::write(go_file(&dir), b"").unwrap();
                }
            }
            "ACK" => {
                let seq = words.next().unwrap().parse().unwrap();
                acks.push((id, seq, words.next().unwrap().to_string()));
            }
            "FINISHED" => {
                let n: Vec<usize> = line
                    .split(' ')
                    .skip(1)
                    .map(|w| w.parse().unwrap())
                    .collect();
                finished.insert(id, (n[0], n[1], n[2]));
                if finished.len() == ROLES.len() {
                    writing_took = started.unwrap().elapsed();
                    let last = Live::open(support::seed(), &dir, Mode::ReadOnly)
                        .unwrap()
                        .state
                        .seq;
                    // Written aside and renamed, so a child never reads it half written.
                    let aside = final_file(&dir).with_extension("final-new");
                    fs::write(&aside, last.to_string()).unwrap();
                    fs::rename(&aside, final_file(&dir)).unwrap();
                }
            }
            "HASH" => {
                let hash = words.next().unwrap().parse().unwrap();
                let seq = words.next().unwrap().parse().unwrap();
                hashes.insert(id, (hash, seq));
            }
            _ => {}
        }
    }
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a child failed");
    }

    let total = ROLES.len() * EACH;
    let (accepted, refused, skipped) = finished.values().fold((0, 0, 0), |a, f| {
        assert_eq!(f.0 + f.1 + f.2, EACH, "every command answered");
        (a.0 + f.0, a.1 + f.1, a.2 + f.2)
    });
    let operators: Vec<String> = (0..ROLES.len()).map(operator).collect();
    let lines = check_journal(&dir, &operators);
    let raw = fs::read_to_string(dir.join(harness::JOURNAL)).unwrap();
    check_acks(
        &lines,
        &raw.lines().collect::<Vec<_>>(),
        acks.iter()
            .map(|(id, seq, json)| (*id, *seq, json.as_str())),
        &operators,
    );
    harness::check_session_log(&dir, lines.len());

    let replayed = Live::open(support::seed(), &dir, Mode::ReadOnly)
        .unwrap()
        .state;
    let fresh = harness::state_json(&replayed);
    for (id, (hash, seq)) in &hashes {
        assert_eq!(*seq, replayed.seq, "child {id} caught up");
        if *hash != harness::hash(&fresh) {
            let theirs = fs::read_to_string(state_file(&dir, *id)).unwrap();
            let at = theirs
                .bytes()
                .zip(fresh.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(theirs.len().min(fresh.len()));
            let from = at.saturating_sub(200);
            panic!(
                "child {id} ({}) ends with another state than the replay, from byte {at}:\n theirs {}\n replay {}",
                ROLES[*id],
                &theirs[from..(at + 200).min(theirs.len())],
                &fresh[from..(at + 200).min(fresh.len())]
            );
        }
    }
    let turns = lines.windows(2).filter(|w| w[0].by != w[1].by).count();
    assert!(
        turns > 100,
        "the children hardly ran at once ({turns} turns)"
    );
    eprintln!(
        "concurrency: {total} commands by 4 processes (2 TUI-like, 2 through Live::execute) in {writing_took:.1?}, \
         {:.0} commands/s: {accepted} carried out as {} journal lines, {refused} refused by the journal, \
         {skipped} stopped by the screen before sending; {turns} changes of writer; \
         all 4 final states equal the fresh replay (hash {:016x})",
        total as f64 / writing_took.as_secs_f64(),
        lines.len(),
        harness::hash(&fresh),
    );
    report_time_order(&lines);
}

fn go_file(dir: &Path) -> PathBuf {
    dir.with_extension("go")
}

fn final_file(dir: &Path) -> PathBuf {
    dir.with_extension("final")
}

fn state_file(dir: &Path, id: usize) -> PathBuf {
    dir.with_extension(format!("state-{id}.json"))
}

fn operator(id: usize) -> String {
    format!("{}-{id}", ROLES[id])
}

fn child(role: &str) {
    let id: usize = env::var(ID).unwrap().parse().unwrap();
    let dir = PathBuf::from(env::var(DIR).unwrap());
    let mut rng = Rng::new(env::var(CHILD_SEED).unwrap().parse().unwrap());
    let clock = MeetingClock::from_env();
    let live = Live::open(support::seed(), &dir, Mode::ReadWrite).unwrap();
    let by = Clean::new(&operator(id));
    match role {
        "tui" => tui_child(id, &dir, live, by, &mut rng, &clock),
        _ => live_child(id, &dir, live, by, &mut rng, &clock),
    }
}

fn wait_for(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Ok(text) = fs::read_to_string(path) {
            return text;
        }
        assert!(Instant::now() < deadline, "no {}", path.display());
        thread::sleep(Duration::from_millis(1));
    }
}

/// Only this thread prints, one whole line at a time.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(format!("{line}\n").as_bytes()).unwrap();
    out.flush().unwrap();
}

fn ack(entries: &[Described]) {
    for Described { entry, .. } in entries {
        say(&format!(
            "ACK {} {}",
            entry.seq,
            serde_json::to_string(entry).unwrap()
        ));
    }
}

fn finish(id: usize, dir: &Path, state: &gavel::domain::State) {
    let json = harness::state_json(state);
    fs::write(state_file(dir, id), &json).unwrap();
    say(&format!("HASH {} {}", harness::hash(&json), state.seq));
}

/// As `gavel do`: decide, append, apply; nothing else between commands.
fn live_child(
    id: usize,
    dir: &Path,
    mut live: Live,
    by: Clean,
    rng: &mut Rng,
    clock: &MeetingClock,
) {
    let mix = Mix {
        hostile_text: true,
        ..MIX
    };
    say("READY");
    wait_for(&go_file(dir));
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..EACH {
        let text = harness::command(rng, &live.state, mix);
        let command = gavel::lang::parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let executed = live.execute(command, &by, clock.now());
        assert!(executed.warning.is_none(), "{:?}", executed.warning);
        match executed.ours {
            Ok(ours) => {
                ack(&ours);
                accepted += 1;
            }
            Err(LiveError::Refused(_)) => refused += 1,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }
    say(&format!("FINISHED {accepted} {refused} 0"));
    let last: u64 = wait_for(&final_file(dir)).parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while live.state.seq < last {
        live.poll().unwrap();
        assert!(Instant::now() < deadline, "never caught up");
        thread::sleep(Duration::from_millis(5));
    }
    finish(id, dir, &live.state);
}

/// As the TUI: keys into the controller, its commands to the journal thread
/// stamped when sent as the event loop stamps them, and the thread's answers
/// and others' events folded into the screen's copy of the state, which is the
/// state compared at the end.
fn tui_child(id: usize, dir: &Path, live: Live, by: Clean, rng: &mut Rng, clock: &MeetingClock) {
    let mut app = App::new(live.state.clone(), Ui::new(by.clone(), false), Theme::PLAIN);
    let (updates, mut answers) = tokio::sync::mpsc::unbounded_channel();
    let worker = Worker::start(live, by, updates);
    say("READY");
    wait_for(&go_file(dir));
    let (mut accepted, mut refused, mut skipped) = (0, 0, 0);
    for n in 0..EACH {
        if n > 0 && n % IDLE_EVERY == 0 {
            thread::sleep(IDLE);
            while let Ok(update) = answers.try_recv() {
                follow(&mut app, update);
            }
        }
        let mut sent = 0;
        for key in keys(rng, &app) {
            for effect in app.key(key) {
                if let Effect::Execute(command) = effect {
                    let now = clock.now();
                    assert!(worker.send(Request::Execute { command, now }));
                    sent += 1;
                }
            }
        }
        if sent == 0 {
            // Stopped by the screen itself ("nothing of yours to undo", "nobody is listed").
            skipped += 1;
        }
        while sent > 0 {
            let update = answers.blocking_recv().expect("the journal thread is gone");
            match &update {
                Update::Done(ours) => {
                    ack(ours);
                    accepted += 1;
                    sent -= 1;
                }
                Update::Refused(_) => {
                    refused += 1;
                    sent -= 1;
                }
                Update::Others(_) | Update::Waiting { .. } => {}
                other => panic!("{other:?}"),
            }
            follow(&mut app, update);
        }
        // A refused prompt comes back for correction; the officer gives up on it.
        if app.ui.overlay.is_some() {
            app.key(Key::Esc);
        }
        assert!(app.ui.overlay.is_none());
    }
    say(&format!("FINISHED {accepted} {refused} {skipped}"));
    let last: u64 = wait_for(&final_file(dir)).parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    // Nothing is sent now: the journal thread follows the others on its own.
    while app.state.seq < last {
        match answers.try_recv() {
            Ok(update) => follow(&mut app, update),
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
        assert!(Instant::now() < deadline, "the screen never caught up");
    }
    finish(id, dir, &app.state);
    drop(worker);
}

fn follow(app: &mut App, update: Update) {
    if let Update::Warning(w) | Update::Failed(w) | Update::FollowFailed(w) = &update {
        panic!("{w}");
    }
    app.update(update);
}

/// The keys for one action: mostly a typed `:` command, sometimes a pane key.
fn keys(rng: &mut Rng, app: &App) -> Vec<Key> {
    let typed = |text: &str| -> Vec<Key> {
        let mut keys = vec![Key::Char(':')];
        keys.extend(text.chars().map(Key::Char));
        keys.push(Key::Enter);
        keys
    };
    match rng.below(100) {
        0..=7 => vec![Key::Char('n')],
        8..=11 => vec![Key::Char(' ')],
        12..=15 => vec![Key::Char('e')],
        16..=17 => vec![Key::Char('u'), Key::Char('y')],
        18..=21 => {
            // A note from the notes pane, then back to the speakers.
            let mut keys = vec![Key::Char('4'), Key::Char('i')];
            keys.extend("the co-chairs take note #summary".chars().map(Key::Char));
            keys.extend([Key::Enter, Key::Char('1')]);
            keys
        }
        22..=25 => {
            // Type-to-search: the first letters of a delegation, Enter takes the first match.
            let who = rng.pick(&app.state.meeting.roster).delegation.to_string();
            let mut keys = vec![Key::Char('a')];
            keys.extend(who.chars().take(4).map(Key::Char));
            keys.push(Key::Enter);
            keys
        }
        _ => typed(&harness::command(rng, &app.state, MIX)),
    }
}

/// Every line read back: one per seq, in order, each a whole entry by one of
/// `operators`, and nothing cut or kept aside.
fn check_journal(dir: &Path, operators: &[String]) -> Vec<Entry> {
    let bytes = fs::read(dir.join(harness::JOURNAL)).unwrap();
    let raw = harness::journal_lines(&bytes);
    let mut lines = Vec::with_capacity(raw.len());
    for (i, line) in raw.iter().enumerate() {
        let entry: Entry = serde_json::from_slice(line).unwrap_or_else(|e| {
            panic!(
                "line {} is not an entry ({e}): {}",
                i + 1,
                String::from_utf8_lossy(line)
            )
        });
        assert_eq!(
            entry.seq,
            i as u64 + 1,
            "seq runs 1..N without gap or repeat"
        );
        assert!(
            operators.iter().any(|o| o == entry.by.as_str()),
            "{:?}",
            entry.by
        );
        lines.push(entry);
    }
    let report = gavel::journal::verify::<Entry>(&dir.join(harness::JOURNAL)).unwrap();
    assert!(report.is_sound(), "{report:?}");
    assert_eq!(report.last_seq, Some(lines.len() as u64));
    assert!(
        journal_common::torn_files(dir).is_empty(),
        "a torn tail without a crash"
    );
    lines
}

/// Every acknowledged line is in the journal as acknowledged, and every line
/// was acknowledged once, by the writer it names.
fn check_acks<'a>(
    lines: &[Entry],
    raw: &[&str],
    acks: impl Iterator<Item = (usize, u64, &'a str)>,
    operators: &[String],
) {
    let mut acked = vec![false; lines.len()];
    for (id, seq, json) in acks {
        let i = seq as usize - 1;
        let line = lines
            .get(i)
            .unwrap_or_else(|| panic!("acknowledged #{seq} is missing"));
        assert_eq!(raw[i], json, "#{seq} is in the journal as acknowledged");
        assert_eq!(
            line.by.as_str(),
            operators[id],
            "#{seq} acknowledged by another writer"
        );
        assert!(
            !std::mem::replace(&mut acked[i], true),
            "#{seq} acknowledged twice"
        );
    }
    let missing: Vec<usize> = (0..lines.len())
        .filter(|&i| !acked[i])
        .map(|i| i + 1)
        .collect();
    assert!(missing.is_empty(), "lines nobody acknowledged: {missing:?}");
}

/// Counted, not asserted: a command is stamped with the time it was asked
/// for, before its writer waits for the lock, and a timing command without
/// `at` is not held to "never before the previous event of that speech", so
/// under contention a line can be recorded, and a speech timed, earlier than
/// the line before it. Effective times are whole seconds, so the second kind
/// needs the wait to cross a second boundary and is rare.
fn report_time_order(lines: &[Entry]) {
    let earlier: Vec<jiff::SignedDuration> = lines
        .windows(2)
        .filter(|w| w[1].at < w[0].at)
        .map(|w| w[0].at.duration_since(w[1].at))
        .collect();
    let worst = earlier.iter().max().copied().unwrap_or_default();
    let mut last_timing: HashMap<u32, jiff::Timestamp> = HashMap::new();
    let mut backwards = 0;
    for line in lines {
        let (speech, effective) = match &line.event {
            Event::FloorGiven {
                speech, effective, ..
            }
            | Event::Paused { speech, effective }
            | Event::Resumed { speech, effective }
            | Event::Ended { speech, effective } => (*speech, *effective),
            _ => continue,
        };
        if let Some(before) = last_timing.insert(speech, effective)
            && effective < before
        {
            backwards += 1;
        }
    }
    eprintln!(
        "concurrency: {} lines recorded earlier than the line before them (by up to {worst:#}); \
         {backwards} timing events of a speech take effect before its previous one",
        earlier.len()
    );
}

#[test]
fn gavel_do_processes_at_once() {
    const PROCESSES: usize = 4;
    const RUNS: usize = 50;
    let base = tempfile::tempdir().unwrap();
    let log_dir = base.path().to_path_buf();
    let dir = log_dir.join(support::SEED_ID);
    let (clock, _) = MeetingClock::starting_now();
    let seed = Rng::seed_from_env("GAVEL_CONCURRENCY_SEED");
    let started = Instant::now();
    let threads: Vec<_> = (0..PROCESSES)
        .map(|k| {
            let (log_dir, dir) = (log_dir.clone(), dir.clone());
            let mut rng = Rng::new(seed.wrapping_add(k as u64));
            thread::spawn(move || {
                let operator = format!("do-{k}");
                let mut printed = Vec::new();
                let mut refused = 0;
                for _ in 0..RUNS {
                    let state = Live::open(support::seed(), &dir, Mode::ReadOnly)
                        .map(|l| l.state)
                        .unwrap_or_else(|_| gavel::domain::State::new(support::seed()));
                    let text = harness::command(&mut rng, &state, MIX);
                    let out = support::gavel(&log_dir, &clock.now().to_string())
                        .args(["do".as_ref(), support::seed_path().as_os_str()])
                        .args(["--operator", &operator])
                        .args(text.split(' '))
                        .output()
                        .unwrap();
                    match out.status.code() {
                        Some(0) => printed.extend(
                            String::from_utf8(out.stdout)
                                .unwrap()
                                .lines()
                                .map(str::to_string),
                        ),
                        Some(3) => refused += 1,
                        _ => panic!(
                            "gavel do {text:?}: {} {}",
                            out.status,
                            String::from_utf8_lossy(&out.stderr)
                        ),
                    }
                }
                (printed, refused)
            })
        })
        .collect();
    let results: Vec<(Vec<String>, usize)> =
        threads.into_iter().map(|t| t.join().unwrap()).collect();
    let took = started.elapsed();

    let operators: Vec<String> = (0..PROCESSES).map(|k| format!("do-{k}")).collect();
    let lines = check_journal(&dir, &operators);
    let log = harness::check_session_log(&dir, lines.len());
    let mut acked = vec![false; lines.len()];
    for (k, (printed, _)) in results.iter().enumerate() {
        for line in printed {
            let seq = harness::session_seq(line).unwrap_or_else(|| panic!("{line:?}"));
            let i = seq as usize - 1;
            assert_eq!(lines[i].by.as_str(), operators[k], "#{seq}");
            assert_eq!(&log[i], line, "the session log has what gavel do printed");
            assert!(
                !std::mem::replace(&mut acked[i], true),
                "#{seq} printed twice"
            );
        }
    }
    assert!(
        acked.iter().all(|&a| a),
        "every line was printed by its writer"
    );

    let replayed = Live::open(support::seed(), &dir, Mode::ReadOnly)
        .unwrap()
        .state;
    let fresh: serde_json::Value = serde_json::from_str(&harness::state_json(&replayed)).unwrap();
    for _ in 0..PROCESSES {
        let out = support::gavel(&log_dir, harness::FIXED_NOW)
            .args([
                "state".as_ref(),
                support::seed_path().as_os_str(),
                "--json".as_ref(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let theirs: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(theirs, fresh, "gavel state --json is the fresh replay");
    }
    let verify = support::gavel(&log_dir, harness::FIXED_NOW)
        .args(["verify".as_ref(), support::seed_path().as_os_str()])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let refused: usize = results.iter().map(|r| r.1).sum();
    eprintln!(
        "concurrency: {} `gavel do` processes, {PROCESSES} at a time, in {took:.1?} ({:.0}/s): \
         {} journal lines, {refused} refused",
        PROCESSES * RUNS,
        (PROCESSES * RUNS) as f64 / took.as_secs_f64(),
        lines.len()
    );
}

//! Writers are killed with SIGKILL at random moments, and what they
//! acknowledged must survive every kill byte for byte.
//!
//! A writer is either this test binary run again as a child, appending a
//! realistic mix of commands through `Live::execute` as fast as it can and
//! acknowledging each one on its stdout once `execute` returned it, or the
//! `gavel do` binary, whose acknowledgement is exit 0 and its printed
//! session-log line. After every kill the parent starts up as the next writer
//! does (`Live::open`, read-write) and checks: start-up succeeds, at most one
//! torn line is cut and it is kept aside, every acknowledged line is in the
//! journal unchanged, and the session log is whole again.
//!
//! 200 kills by default; `GAVEL_LONG=1` makes it 1,000. `GAVEL_KILL_SEED`
//! replays the choices of an earlier run (the timings still vary).

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use gavel::domain::{Described, Meeting, State};
use gavel::journal::Mode;
use gavel::live::{Live, LiveError};
use gavel::text::Clean;

use crate::support;
use crate::support::harness::{self, MeetingClock, Mix, Rng};
use crate::support::journal_common;

const TEST: &str = "killed_writers_lose_nothing_they_acknowledged";
const ROLE: &str = "GAVEL_KILL_CHILD";
const DIR: &str = "GAVEL_KILL_DIR";
const CHILD_SEED: &str = "GAVEL_KILL_CHILD_SEED";
const OPERATOR: &str = "GAVEL_KILL_OPERATOR";
const WIDE: &str = "GAVEL_KILL_WIDE";

const CI_KILLS: u64 = 200;
const LONG_KILLS: u64 = 1_000;
/// A fresh journal every this many kills: start-up replays the whole journal
/// twice a kill, and a journal of tens of thousands of lines would make the
/// long run spend its time replaying rather than being killed.
const KILLS_PER_JOURNAL: u64 = 100;
/// Percent of the rounds where the writer is a `gavel do` process.
const DO_SHARE: u64 = 25;
/// Percent of the other rounds where every other command is a note of
/// as many wide characters as a note may hold. A kill only cuts a line short when it lands inside
/// the one `write` of an append and that write spans pages; the usual lines
/// of a few hundred bytes almost never do.
const WIDE_SHARE: u64 = 25;
/// A writer that is somehow never killed stops here rather than run forever.
const MAX_COMMANDS: usize = 50_000;
const MIX: Mix = Mix {
    long_notes: true,
    hostile_text: true,
};

#[test]
fn killed_writers_lose_nothing_they_acknowledged() {
    if env::var_os(ROLE).is_some() {
        return writer();
    }
    let wanted = if env::var("GAVEL_LONG").is_ok_and(|v| v == "1") {
        LONG_KILLS
    } else {
        CI_KILLS
    };
    let seed = Rng::seed_from_env("GAVEL_KILL_SEED");
    eprintln!("kill: seed {seed} (GAVEL_KILL_SEED={seed} makes the same choices)");
    let mut rng = Rng::new(seed);
    let base = tempfile::tempdir().unwrap();
    let (clock, real_start) = MeetingClock::starting_now();
    let meeting = support::seed();
    let mut stats = Stats::default();
    let mut journal: Option<Tracked> = None;
    let mut do_estimate = Duration::from_millis(30);
    let started = Instant::now();
    let mut round = 0u64;
    while stats.kills < wanted {
        let number = stats.kills / KILLS_PER_JOURNAL;
        if journal.as_ref().is_none_or(|t| t.number != number) {
            journal = Some(Tracked::new(base.path(), number, &meeting));
        }
        let t = journal.as_mut().unwrap();
        round += 1;
        let outcome = if rng.chance(DO_SHARE) {
            gavel_do(&mut rng, t, round, &clock, &mut do_estimate)
        } else {
            live_writer(&mut rng, t, round, &real_start)
        };
        check_after(&meeting, t, &mut stats, outcome);
    }
    let elapsed = started.elapsed();
    let t = journal.unwrap();
    let report =
        gavel::journal::verify::<gavel::domain::Entry>(&t.dir.join(harness::JOURNAL)).unwrap();
    assert!(report.is_sound(), "{report:?}");
    eprintln!(
        "kill: {} kills in {elapsed:.1?} over {} journals ({} of `gavel do`, which also finished {} times on its own); \
         {} torn lines cut (largest {} bytes); {} acknowledged events checked, none lost \
         ({} by `gavel do`); {} lines were written but killed before their acknowledgement; \
         {} session-log lines left unfinished and rewritten; {} commands refused",
        stats.kills,
        number_of_journals(&stats),
        stats.do_kills,
        stats.do_finished,
        stats.torn,
        stats.largest_torn,
        stats.acked,
        stats.do_acked,
        stats.unacked,
        stats.log_unfinished,
        stats.refused,
    );
}

fn number_of_journals(stats: &Stats) -> u64 {
    stats.kills.div_ceil(KILLS_PER_JOURNAL).max(1)
}

#[derive(Default)]
struct Stats {
    kills: u64,
    do_kills: u64,
    do_finished: u64,
    torn: u64,
    largest_torn: u64,
    acked: u64,
    do_acked: u64,
    unacked: u64,
    refused: u64,
    log_unfinished: u64,
}

/// One journal and everything acknowledged into it so far.
struct Tracked {
    number: u64,
    log_dir: PathBuf,
    dir: PathBuf,
    /// (seq, the line's exact bytes) as the writer acknowledged them.
    acks: Vec<(u64, Vec<u8>)>,
    /// (seq, the session-log line `gavel do` printed).
    do_acks: Vec<(u64, String)>,
    torn: usize,
    lines: usize,
    /// As replayed at the last start-up, to choose `gavel do`'s command.
    state: State,
}

impl Tracked {
    fn new(base: &Path, number: u64, meeting: &Arc<Meeting>) -> Tracked {
        let log_dir = base.join(format!("log-{number}"));
        Tracked {
            number,
            dir: log_dir.join(support::SEED_ID),
            log_dir,
            acks: Vec::new(),
            do_acks: Vec::new(),
            torn: 0,
            lines: 0,
            state: State::new(meeting.clone()),
        }
    }
}

/// What one round left behind.
struct Outcome {
    operator: String,
    status: ExitStatus,
    acks: Vec<(u64, Vec<u8>)>,
    printed: Vec<String>,
    refused: u64,
    what: &'static str,
}

impl Outcome {
    fn killed(&self) -> bool {
        self.status.signal() == Some(libc::SIGKILL)
    }
}

/// A child appending through `Live::execute`, killed after a random delay.
fn live_writer(rng: &mut Rng, t: &Tracked, round: u64, real_start: &str) -> Outcome {
    let operator = format!("w{round}");
    let wide = rng.chance(WIDE_SHARE);
    let mut child = support::rerun(module_path!(), TEST)
        .env(ROLE, "writer")
        .env(WIDE, if wide { "1" } else { "0" })
        .env(DIR, &t.dir)
        .env(CHILD_SEED, rng.next_u64().to_string())
        .env(OPERATOR, &operator)
        .env(harness::CLOCK_ENV, real_start)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (first, first_ack) = mpsc::channel();
    let reader = thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut all = Vec::new();
        let mut line = Vec::new();
        let mut first = Some(first);
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            if line.starts_with(b"ACK ")
                && let Some(first) = first.take()
            {
                let _ = first.send(());
            }
            all.extend_from_slice(&line);
            line.clear();
        }
        all
    });
    // Mostly while it appends, at moments from a fraction of one append to
    // dozens of them; now and then while it starts up and replays.
    if rng.chance(10) {
        thread::sleep(Duration::from_micros(rng.below(20_000)));
    } else {
        if first_ack.recv_timeout(Duration::from_secs(60)).is_err() {
            let status = child.wait().unwrap();
            panic!("writer {operator} acknowledged nothing and ended: {status}");
        }
        let micros = match rng.below(10) {
            0..=2 => rng.below(300),
            3..=5 => rng.below(5_000),
            _ => rng.below(60_000),
        };
        thread::sleep(Duration::from_micros(micros));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let out = reader.join().unwrap();
    let mut acks = Vec::new();
    let mut refused = 0;
    // Only whole lines: an acknowledgement cut short by the kill was never shown.
    for line in out.split_inclusive(|&b| b == b'\n') {
        if line.last() != Some(&b'\n') {
            continue;
        }
        let line = &line[..line.len() - 1];
        if let Some(rest) = line.strip_prefix(b"ACK ") {
            let space = rest.iter().position(|&b| b == b' ').unwrap();
            let seq: u64 = std::str::from_utf8(&rest[..space])
                .unwrap()
                .parse()
                .unwrap();
            acks.push((seq, rest[space + 1..].to_vec()));
        } else if line == b"REFUSED" {
            refused += 1;
        }
    }
    Outcome {
        operator,
        status,
        acks,
        printed: Vec::new(),
        refused,
        what: "writer",
    }
}

/// The child's side: appends until killed, acknowledging each command once
/// `execute` has returned it as done, in one write so a kill cannot leave
/// half an acknowledgement that looks whole.
fn writer() {
    use std::io::Write;
    let dir = PathBuf::from(env::var(DIR).unwrap());
    let seed: u64 = env::var(CHILD_SEED).unwrap().parse().unwrap();
    let by = Clean::new(&env::var(OPERATOR).unwrap());
    let clock = MeetingClock::from_env();
    let mut rng = Rng::new(seed);
    let mut live = Live::open(support::seed(), &dir, Mode::ReadWrite)
        .unwrap_or_else(|e| panic!("start-up failed: {e}"));
    let mut out = std::io::stdout().lock();
    let wide = env::var(WIDE).is_ok_and(|w| w == "1");
    for n in 0..MAX_COMMANDS {
        let text = if wide && n % 2 == 1 {
            harness::huge_note(&mut rng)
        } else {
            harness::command(&mut rng, &live.state, MIX)
        };
        let command =
            gavel::lang::parse(&text).unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"));
        let executed = live.execute(command, &by, clock.now());
        if let Some(warning) = executed.warning {
            panic!("{text:?}: {warning}");
        }
        let ack = match executed.ours {
            Ok(ours) => {
                let mut ack = Vec::new();
                for Described { entry, .. } in &ours {
                    write!(ack, "ACK {} ", entry.seq).unwrap();
                    serde_json::to_writer(&mut ack, entry).unwrap();
                    ack.push(b'\n');
                }
                ack
            }
            Err(LiveError::Refused(_)) => b"REFUSED\n".to_vec(),
            Err(e) => panic!("{text:?}: {e}"),
        };
        out.write_all(&ack).unwrap();
        out.flush().unwrap();
    }
}

/// One `gavel do` process on one command, killed after a random part of the
/// time such a process usually takes, so kills land before, during and after
/// its append.
fn gavel_do(
    rng: &mut Rng,
    t: &Tracked,
    round: u64,
    clock: &MeetingClock,
    estimate: &mut Duration,
) -> Outcome {
    let operator = format!("do{round}");
    let text = harness::command(rng, &t.state, MIX);
    let mut command = Command::new(support::GAVEL);
    command
        .arg("do")
        .arg(support::seed_path())
        .args(["--operator", &operator])
        .args(text.split(' '))
        .env("GAVEL_LOG_DIR", &t.log_dir)
        .env("GAVEL_NOW", clock.now().to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let delay = Duration::from_micros(rng.below(estimate.as_micros() as u64 * 16 / 10 + 1));
    let began = Instant::now();
    let mut child = command.spawn().unwrap();
    thread::sleep(delay);
    child.kill().unwrap();
    let status = child.wait().unwrap();
    let took = began.elapsed();
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let mut refused = 0;
    let printed = match status.code() {
        Some(0) => stdout.lines().map(str::to_string).collect(),
        Some(3) => {
            refused = 1;
            Vec::new()
        }
        None => Vec::new(),
        Some(code) => panic!("gavel do {text:?} ended with {code}: {stderr}"),
    };
    if status.signal().is_none() {
        *estimate = (*estimate * 7 + took) / 8;
    }
    Outcome {
        operator,
        status,
        acks: Vec::new(),
        printed,
        refused,
        what: "gavel do",
    }
}

/// Starts up as the next writer would and checks that nothing acknowledged
/// was lost and that at most the one line being written was cut.
fn check_after(meeting: &Arc<Meeting>, t: &mut Tracked, stats: &mut Stats, o: Outcome) {
    let killed = o.killed();
    if !killed && o.what == "writer" {
        panic!(
            "writer {} was not killed but ended: {}",
            o.operator, o.status
        );
    }
    let log = fs::read(t.dir.join(harness::SESSION_LOG)).unwrap_or_default();
    if log.last().is_some_and(|&b| b != b'\n') {
        stats.log_unfinished += 1;
    }
    let live = Live::open(meeting.clone(), &t.dir, Mode::ReadWrite).unwrap_or_else(|e| {
        panic!(
            "start-up after {} {} ({}) failed: {e}",
            o.what, o.operator, o.status
        )
    });
    if let Some(torn) = &live.recovery.torn {
        assert!(killed, "a torn line without a kill: {torn}");
        let kept = fs::read(torn.kept_in.as_ref().expect("kept aside")).unwrap();
        assert!(
            !kept.contains(&b'\n'),
            "more than one line cut after {}: {torn}",
            o.operator
        );
        assert_eq!(torn.kind, gavel::journal::TornKind::Unfinished, "{torn}");
        let start = format!(r#"{{"v":1,"seq":{},"at":""#, torn.line);
        let n = kept.len().min(start.len());
        assert_eq!(
            &kept[..n],
            &start.as_bytes()[..n],
            "the cut bytes are not the start of the next line"
        );
        t.torn += 1;
        stats.torn += 1;
        stats.largest_torn = stats.largest_torn.max(torn.bytes);
    }
    assert_eq!(
        journal_common::torn_files(&t.dir).len(),
        t.torn,
        "every torn line kept aside is one kill's"
    );
    t.state = live.state.clone();
    drop(live);

    let bytes = fs::read(t.dir.join(harness::JOURNAL)).unwrap_or_default();
    let lines = harness::journal_lines(&bytes);
    assert_eq!(lines.len() as u64, t.state.seq);
    assert!(lines.len() >= t.lines, "the journal lost lines");
    // Between rounds only one writer runs, so every new line is its own.
    let by = format!(r#","by":"{}","#, o.operator);
    let mut new = 0;
    for line in &lines[t.lines..] {
        assert!(
            contains(line, by.as_bytes()),
            "a line not by {}: {}",
            o.operator,
            String::from_utf8_lossy(line)
        );
        new += 1;
    }
    t.lines = lines.len();

    let mut acked_now = o.acks.len() as u64;
    t.acks.extend(o.acks);
    for (seq, json) in &t.acks {
        let line = lines.get(*seq as usize - 1).unwrap_or_else(|| {
            panic!(
                "acknowledged #{seq} is not in the journal ({} lines)",
                lines.len()
            )
        });
        assert!(
            *line == json.as_slice(),
            "acknowledged #{seq} changed:\n acked   {}\n journal {}",
            String::from_utf8_lossy(json),
            String::from_utf8_lossy(line)
        );
    }

    let log = harness::check_session_log(&t.dir, lines.len());
    for printed in &o.printed {
        let seq =
            harness::session_seq(printed).unwrap_or_else(|| panic!("gavel do printed {printed:?}"));
        let line = lines[seq as usize - 1];
        assert!(
            contains(line, by.as_bytes()),
            "#{seq} is not {}'s",
            o.operator
        );
        t.do_acks.push((seq, printed.clone()));
        acked_now += 1;
        stats.do_acked += 1;
    }
    for (seq, printed) in &t.do_acks {
        assert_eq!(&log[*seq as usize - 1], printed, "gavel do's #{seq}");
    }

    stats.acked += acked_now;
    stats.unacked += new - acked_now;
    stats.refused += o.refused;
    if killed {
        stats.kills += 1;
        if o.what == "gavel do" {
            stats.do_kills += 1;
        }
    } else {
        stats.do_finished += 1;
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

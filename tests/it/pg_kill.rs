//! Writers on a PostgreSQL meeting are killed with SIGKILL at random
//! moments (mid-transaction, waiting for COMMIT, between commands), and
//! what they acknowledged must be in the store after every kill, equal.
//!
//! A writer is this test binary run again as a child, appending a realistic
//! mix of commands through `Live::execute` as fast as it can and
//! acknowledging each event on its stdout, as JSON, once `execute` returned
//! it. After every kill the parent reads the store and checks: every
//! acknowledged event is there as acknowledged, seq is contiguous, and the
//! meeting replays (the next writer starts on it).
//!
//! 40 kills in CI, some 20 s in the debug build (each round starts a child,
//! connects, replays, and the check replays again); `GAVEL_LONG=1` makes it 300.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{env, thread};

use gavel::domain::Entry;
use gavel::journal::Mode;
use gavel::live::{Live, LiveError};
use gavel::store::{Place, copy, migrate, postgres};
use gavel::text::Clean;

use crate::support::harness::{self, Mix, Rng};
use crate::support::{self, pg};

const TEST: &str = "killed_writers_lose_nothing_they_acknowledged_in_postgresql";
const URL: &str = "GAVEL_PG_KILL_URL";
const CHILD_SEED: &str = "GAVEL_PG_KILL_SEED";
const MIX: Mix = Mix {
    long_notes: true,
    hostile_text: true,
};

fn place(url: &str) -> Place {
    Place {
        url: url.to_string(),
        meeting: support::SEED_ID.to_string(),
    }
}

fn open(url: &str, dir: &std::path::Path) -> Live {
    let hash = postgres::file_hash(support::SEED_TEXT.as_bytes());
    Live::open_postgres(
        support::seed(),
        place(url),
        hash,
        dir,
        Mode::ReadWrite,
        false,
    )
    .unwrap()
}

#[test]
fn killed_writers_lose_nothing_they_acknowledged_in_postgresql() {
    if let Ok(url) = env::var(URL) {
        return writer(&url);
    }
    let kills = if env::var_os("GAVEL_LONG").is_some() {
        300
    } else {
        40
    };
    let url = pg::database();
    migrate::init(&mut postgres::connect(&url).unwrap()).unwrap();
    let base = tempfile::tempdir().unwrap();
    let mut rng = Rng::new(Rng::seed_from_env("GAVEL_PG_KILL_SEED_ALL"));
    let mut acked: Vec<Entry> = Vec::new();
    let started = Instant::now();
    for round in 0..kills {
        acked.extend(one_round(&url, &mut rng, round));
        // A COMMIT the killed writer had sent still completes on its server
        // process: the rows are read once that process has gone.
        backends_gone(&url);
        let stored = copy::read_all(&copy::End::Postgres(place(&url)), "").unwrap();
        for (i, e) in stored.iter().enumerate() {
            assert_eq!(e.seq, i as u64 + 1, "round {round}: seq contiguous");
        }
        for a in &acked {
            let there = stored.get(a.seq as usize - 1);
            assert_eq!(
                there,
                Some(a),
                "round {round}: acknowledged #{} lost or changed",
                a.seq
            );
        }
        // The next writer starts on it.
        let live = open(&url, &base.path().join(format!("check{round}")));
        assert_eq!(live.state.seq, stored.len() as u64);
    }
    eprintln!(
        "pg kill: {kills} kills, {} acknowledged events checked, 0 lost, in {:?}",
        acked.len(),
        started.elapsed()
    );
    assert!(
        acked.len() as u64 > kills,
        "the writers hardly wrote ({})",
        acked.len()
    );
}

/// One writer, killed after a random while; what it acknowledged.
fn one_round(url: &str, rng: &mut Rng, round: u64) -> Vec<Entry> {
    let mut child = support::rerun(module_path!(), TEST)
        .env(URL, url)
        .env(CHILD_SEED, rng.next_u64().to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, acks) = mpsc::channel::<String>();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // From before it has connected to deep into its appends.
    let wait = Duration::from_millis(20 + rng.below(400));
    let ready = Instant::now() + Duration::from_secs(20);
    let mut lines = Vec::new();
    while let Ok(line) = acks.recv_timeout(ready.saturating_duration_since(Instant::now())) {
        let go = line == "READY";
        lines.push(line);
        if go {
            break;
        }
    }
    thread::sleep(wait);
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(acks.try_iter());
    // The kill may cut the last line being written (a wide note's is over
    // what a pipe writes at once): it was never acknowledged whole.
    let last = lines.len().saturating_sub(1);
    let acked: Vec<Entry> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| l.strip_prefix("ACK ").map(|j| (i, j)))
        .filter_map(|(i, j)| match serde_json::from_str(j) {
            Ok(entry) => Some(entry),
            Err(_) if i == last => None,
            Err(e) => panic!("round {round}: {j}: {e}"),
        })
        .collect();
    acked
}

/// Waits until no server process but the caller's own serves the database.
fn backends_gone(url: &str) {
    let mut client = postgres::connect(url).unwrap();
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let others = pg::other_backends(&mut client);
        if others == 0 {
            return;
        }
        assert!(
            Instant::now() < until,
            "a killed writer's server process stays"
        );
        thread::sleep(Duration::from_millis(10));
    }
}

/// Appends as fast as it can, each event acknowledged once `execute` returned it.
fn writer(url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut live = open(url, dir.path());
    let mut rng = Rng::new(env::var(CHILD_SEED).unwrap().parse().unwrap());
    let by = Clean::new("ana");
    println!("READY");
    for i in 0..100_000 {
        let text = harness::command(&mut rng, &live.state, MIX);
        let command = gavel::lang::parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let now = support::at_secs(live.state.seq as i64 + i);
        match live.execute(command, &by, now).ours {
            Ok(ours) => {
                for d in ours {
                    println!("ACK {}", serde_json::to_string(&d.entry).unwrap());
                }
            }
            Err(LiveError::Refused(_)) => {}
            Err(e) => panic!("{text:?}: {e}"),
        }
    }
}

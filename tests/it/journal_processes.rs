//! Four OS processes append to one journal at once. The test binary runs
//! itself as each child.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use gavel::journal::{Journal, Mode, verify};

use crate::support;
use crate::support::journal_common::*;

const CHILDREN: u64 = 4;
const EACH: u64 = 2_500;
const CHILD: &str = "GAVEL_JOURNAL_TEST_CHILD";
const DIR: &str = "GAVEL_JOURNAL_TEST_DIR";
const TEST_NAME: &str = "four_processes_append_at_once";

#[test]
fn four_processes_append_at_once() {
    if let Ok(id) = env::var(CHILD) {
        return child(&id, Path::new(&env::var(DIR).unwrap()));
    }
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("mali-2017");
    let started = Instant::now();
    let children: Vec<_> = (0..CHILDREN).map(|id| spawn(id, &dir)).collect();
    fs::write(go_file(&dir), b"").unwrap();
    for mut c in children {
        assert!(c.wait().unwrap().success(), "a child failed");
    }
    eprintln!(
        "{} appends by {CHILDREN} processes took {:?}",
        CHILDREN * EACH,
        started.elapsed()
    );
    check(&dir);
}

fn go_file(dir: &Path) -> PathBuf {
    dir.with_extension("go")
}

fn spawn(id: u64, dir: &Path) -> std::process::Child {
    support::rerun(module_path!(), TEST_NAME)
        .stdout(Stdio::null())
        .env(CHILD, id.to_string())
        .env(DIR, dir)
        .spawn()
        .unwrap()
}

/// Waits for the go signal so all four start together, then appends its
/// lines one at a time, each numbered after whatever the others wrote.
fn child(id: &str, dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !go_file(dir).exists() {
        assert!(Instant::now() < deadline, "no go signal");
        thread::sleep(Duration::from_millis(1));
    }
    let mut journal = Journal::<Line>::open(dir, Mode::ReadWrite).unwrap().journal;
    for n in 0..EACH {
        let base = journal.last_seq();
        journal
            .append(|seen| {
                let seq = seen.last().map_or(base, |l| l.seq) + 1;
                let mut l = line(seq, id);
                l.event = serde_json::json!({ "n": n, "pad": "x".repeat((n % 97) as usize) });
                Ok::<_, Infallible>(vec![l])
            })
            .unwrap();
    }
}

fn check(dir: &Path) {
    let path = journal_path(dir);
    let bytes = fs::read(&path).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'));
    let raw_lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        raw_lines.len() as u64,
        CHILDREN * EACH,
        "one line per append"
    );

    let report = verify::<Line>(&path).unwrap();
    assert!(report.is_sound(), "{report:?}");
    assert_eq!(report.last_seq, Some(CHILDREN * EACH));

    let lines = Journal::<Line>::open(dir, Mode::ReadOnly).unwrap().lines;
    let mut next_n: HashMap<String, u64> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l.seq, i as u64 + 1, "no missing or repeated seq");
        let n = next_n.entry(l.by.clone()).or_default();
        assert_eq!(
            l.event["n"].as_u64(),
            Some(*n),
            "each child's lines in order, none lost"
        );
        *n += 1;
    }
    assert_eq!(next_n.len() as u64, CHILDREN);
    assert!(next_n.values().all(|&n| n == EACH));
    let turns = lines.windows(2).filter(|w| w[0].by != w[1].by).count();
    assert!(
        turns > 100,
        "the children hardly ran at once ({turns} turns)"
    );
}

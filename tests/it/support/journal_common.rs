//! A small line type and helpers shared by the journal tests.

use std::fs;
use std::path::{Path, PathBuf};

use gavel::journal::LineFormat;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub v: u64,
    pub seq: u64,
    pub at: String,
    pub by: String,
    pub event: serde_json::Value,
}

impl LineFormat for Line {
    const VERSION: u8 = 1;

    fn seq(&self) -> u64 {
        self.seq
    }
}

pub fn line(seq: u64, by: &str) -> Line {
    Line {
        v: 1,
        seq,
        at: "2017-09-20T19:42:10Z".into(),
        by: by.into(),
        event: serde_json::json!({ "note": format!("event {seq}") }),
    }
}

/// `n` good lines as the journal writes them.
pub fn good_bytes(from: u64, to: u64) -> Vec<u8> {
    let mut out = Vec::new();
    for seq in from..=to {
        out.extend(serde_json::to_vec(&line(seq, "ana")).unwrap());
        out.push(b'\n');
    }
    out
}

pub fn journal_path(dir: &Path) -> PathBuf {
    dir.join("journal.jsonl")
}

pub fn write_journal(dir: &Path, bytes: &[u8]) {
    fs::write(journal_path(dir), bytes).unwrap();
}

/// The torn tails kept aside in `dir`, none if there is no such folder.
pub fn torn_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("journal.torn-"))
        })
        .collect();
    found.sort();
    found
}

/// Every file in `dir` with its contents, to show that nothing changed.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    all.sort();
    all
}

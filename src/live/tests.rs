//! An instance that writes only from its first carried-out command, as
//! `gavel do` opens one.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use super::{Live, LiveError};
use crate::domain::{Command, Meeting};
use crate::journal::{LockWait, Mode};
use crate::text::Clean;

fn seed() -> Arc<Meeting> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/mali-ministerial-2017.toml");
    Arc::new(
        crate::config::load(&path)
            .expect("the seed meeting")
            .meeting,
    )
}

fn at(time: &str) -> Timestamp {
    format!("2017-09-20T{time}-04:00").parse().unwrap()
}

fn note(text: &str) -> Command {
    Command::Note {
        text: Clean::new(text),
    }
}

#[test]
fn nothing_is_created_until_a_command_is_carried_out() {
    let logs = tempfile::tempdir().unwrap();
    let dir = logs.path().join("mali");
    let mut live = Live::open_write_later(seed(), &dir, LockWait::default()).unwrap();
    let ana = Clean::new("ana");

    let refused = live.execute(Command::Next { at: None }, &ana, at("15:31:00"));
    assert!(
        matches!(refused.ours, Err(LiveError::Refused(_))),
        "{refused:?}"
    );
    assert!(!dir.exists(), "a refused command leaves no trace");

    let done = live.execute(note("first"), &ana, at("15:31:10"));
    let ours = done.ours.expect("carried out");
    assert_eq!(ours.len(), 1);
    let log = fs::read_to_string(dir.join("session.log")).unwrap();
    assert_eq!(log, format!("{}\n", ours[0].line));
    assert_eq!(
        fs::read_to_string(dir.join("journal.jsonl"))
            .unwrap()
            .lines()
            .count(),
        1
    );

    let next = live.execute(note("second"), &ana, at("15:31:20"));
    assert_eq!(next.ours.expect("carried out")[0].entry.seq, 2);
}

#[test]
fn a_torn_tail_is_cut_only_when_a_command_is_carried_out() {
    let logs = tempfile::tempdir().unwrap();
    let dir = logs.path().join("mali");
    let ana = Clean::new("ana");
    {
        let mut writer = Live::open(seed(), &dir, Mode::ReadWrite).unwrap();
        writer
            .execute(note("before"), &ana, at("15:31:00"))
            .ours
            .unwrap();
    }
    let journal = dir.join("journal.jsonl");
    let mut bytes = fs::read(&journal).unwrap();
    bytes.extend_from_slice(b"{\"v\":1,\"seq\":2,\"at\":");
    fs::write(&journal, &bytes).unwrap();

    let mut live = Live::open_write_later(seed(), &dir, LockWait::default()).unwrap();
    let torn = live.recovery.torn.clone().expect("the torn tail is seen");
    assert_eq!(torn.kept_in, None, "only reported");
    let refused = live.execute(Command::Next { at: None }, &ana, at("15:32:00"));
    assert!(matches!(refused.ours, Err(LiveError::Refused(_))));
    assert_eq!(fs::read(&journal).unwrap(), bytes, "left as it is");
    assert_eq!(live.recovery.torn, Some(torn));

    live.execute(note("after"), &ana, at("15:32:10"))
        .ours
        .unwrap();
    let kept = live.recovery.torn.as_ref().and_then(|t| t.kept_in.clone());
    assert!(kept.is_some_and(|k| k.exists()), "{:?}", live.recovery);
    let text = fs::read_to_string(&journal).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
}

/// What another officer appended after the journal was read is applied,
/// described and logged before the first command, in journal order.
#[test]
fn what_others_appended_since_the_reading_comes_first() {
    let logs = tempfile::tempdir().unwrap();
    let dir = logs.path().join("mali");
    let (ana, ben) = (Clean::new("ana"), Clean::new("ben"));
    let mut live = Live::open_write_later(seed(), &dir, LockWait::default()).unwrap();
    let mut other = Live::open(seed(), &dir, Mode::ReadWrite).unwrap();
    other
        .execute(note("by ben"), &ben, at("15:31:00"))
        .ours
        .unwrap();

    let done = live.execute(note("by ana"), &ana, at("15:31:10"));
    assert_eq!(done.others.len(), 1, "{done:?}");
    assert_eq!(done.others[0].entry.by, ben);
    let ours = done.ours.expect("carried out");
    assert_eq!(ours[0].entry.seq, 2);
    let log = fs::read_to_string(dir.join("session.log")).unwrap();
    let seqs: Vec<&str> = log.lines().map(|l| &l[9..14]).collect();
    assert_eq!(seqs, ["#0001", "#0002"], "{log}");
}

//! `gavel serve` on a PostgreSQL meeting, changed by `gavel do` from another
//! process as an officer on another host would: the page's event stream has
//! each change by the store's notice, well within the second a look without
//! one waits; a connection the server ended is made again without a word;
//! and while the store cannot be reached every page is told so in words,
//! and told again once it is back, by itself.

use std::path::Path;
use std::time::{Duration, Instant};

use gavel::store::postgres::FALLBACK;
use serde_json::Value;

use crate::support::web::{Events, Serving, Sse};
use crate::support::{SEED_FILE, gavel, local_time, pg};

const EVENTS: &str = "/m/mali-ministerial-2017/events";

/// The server's clock starts at 15:35:00 in New York, as the page's does.
fn now() -> String {
    local_time("15:35:00")
}

fn run(log: &Path, store: &str, args: &[&str]) {
    let out = gavel(log, &now())
        .env("GAVEL_STORE", store)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "gavel {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run_do(log: &Path, store: &str, words: &[&str]) {
    let mut args = vec!["do", SEED_FILE];
    args.extend_from_slice(words);
    run(log, store, &args);
}

/// The store made, the meeting opened and Mali on the floor (seq 2), and
/// the meeting served from it.
fn served(log: &Path, url: &str) -> Serving {
    run(log, url, &["store", "init", url]);
    run_do(log, url, &["open"]);
    run_do(log, url, &["next"]);
    Serving::start_in(Some(url), "127.0.0.1:0", log, &now(), &[SEED_FILE], &[])
}

fn data(msg: &Sse) -> Value {
    serde_json::from_str(&msg.data).unwrap_or_else(|e| panic!("{e}: {msg:?}"))
}

/// What the next `journal` message says: None while the journal is followed.
fn trouble(events: &mut Events, within: Duration) -> Option<String> {
    let msg = events
        .next_of("journal", within)
        .expect("a word on the journal");
    data(&msg)["trouble"].as_str().map(str::to_string)
}

/// The next board, and every `journal` message that came before it.
fn board_after(events: &mut Events, within: Duration) -> (Sse, Vec<Sse>) {
    let until = Instant::now() + within;
    let mut said = Vec::new();
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let msg = events
            .next(left)
            .unwrap_or_else(|| panic!("no board within {within:?}; said meanwhile {said:?}"));
        match msg.event.as_deref() {
            Some("board") => return (msg, said),
            Some("journal") => said.push(msg),
            _ => {}
        }
    }
}

/// The board as sent on connecting: Mali on the floor at seq 2, the journal followed.
fn connected(s: &Serving) -> Events {
    let mut events = s.events(EVENTS, "");
    assert_eq!(events.status, 200);
    let board = events
        .next_board(Duration::from_secs(5))
        .expect("the board");
    assert_eq!(board.id.as_deref(), Some("2"));
    assert_eq!(data(&board)["floor"]["heading"], "Mali");
    assert_eq!(trouble(&mut events, Duration::from_secs(1)), None);
    events
}

/// `words` done, and the time from the moment `gavel do` returned (its
/// `COMMIT` had) to the moment the page had the board at `seq`.
fn pushed(log: &Path, url: &str, events: &mut Events, words: &[&str], seq: u64) -> Duration {
    run_do(log, url, words);
    let saved = Instant::now();
    let (board, said) = board_after(events, Duration::from_secs(5));
    let took = saved.elapsed();
    assert_eq!(board.id, Some(seq.to_string()), "{words:?}");
    assert!(said.is_empty(), "{words:?}: {said:?}");
    took
}

#[test]
fn serve_follows_a_postgresql_meeting_by_its_notices_and_through_a_connection_ended() {
    let url = pg::database();
    let log = tempfile::tempdir().unwrap();
    let s = served(log.path(), &url);
    let mut events = connected(&s);

    // Most changes are made just after the page had the one before, so just
    // after the server last looked at the table: a look without a notice
    // would come FALLBACK (1 s) after that one, less what `gavel do` took
    // (some 50 ms). Pushed well within half of it, the change came by its
    // notice. Others come after the server sat idle for a while, as between
    // two speakers: a notice missed then would wait for a look anywhere in
    // the second, past half of it as often as not.
    let idle = Duration::from_millis(1500);
    let changes = [
        (Duration::ZERO, &["pause"][..]),
        (Duration::ZERO, &["resume"]),
        (idle, &["next"]),
        (Duration::ZERO, &["pause"]),
        (idle, &["resume"]),
        (Duration::ZERO, &["next"]),
        (idle, &["pause"]),
    ];
    let mut seq = 2;
    let mut took = Vec::new();
    for (wait, words) in changes {
        std::thread::sleep(wait);
        seq += 1;
        took.push(pushed(log.path(), &url, &mut events, words, seq));
    }
    eprintln!("each change on the page after gavel do returned: {took:?}");
    for (i, t) in took.iter().enumerate() {
        assert!(
            *t < FALLBACK / 2,
            "change {} reached the page {t:?} after it was saved: not by its notice ({took:?})",
            i + 1
        );
    }

    // The server ends serve's connection (as a failover or an administrator
    // does): the next look makes it again, and the page is told nothing.
    let db = url.rsplit('/').next().unwrap();
    let ended = pg::shared().sql(
        db,
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    );
    assert_eq!(ended, "1", "serve's one connection");
    seq += 1;
    pushed(log.path(), &url, &mut events, &["next"], seq);
    // Listening again on the new connection: by notice once more.
    seq += 1;
    let again = pushed(log.path(), &url, &mut events, &["pause"], seq);
    assert!(again < FALLBACK / 2, "{again:?}: not by its notice");
    let said = s.stop();
    assert!(!said.contains("following the journal"), "{said}");
}

#[test]
fn every_page_is_told_while_the_store_is_unreachable_and_again_once_it_is_back() {
    let mut cluster = pg::Cluster::start("");
    cluster.sql("postgres", "CREATE DATABASE gavel");
    let url = cluster.url("gavel");
    let log = tempfile::tempdir().unwrap();
    let s = served(log.path(), &url);
    let mut first = connected(&s);

    cluster.stop();
    let stopped = Instant::now();
    let said = trouble(&mut first, Duration::from_secs(5)).expect("said");
    eprintln!(
        "the page was told {:?} after the stop: {said}",
        stopped.elapsed()
    );
    // In the venue's time, as the page's clock: 15:35:0x in New York.
    let (since, rest) = said
        .strip_prefix("store unreachable since ")
        .and_then(|r| r.split_once(' '))
        .unwrap_or_else(|| panic!("{said}"));
    assert!(since.starts_with("15:3") && since.len() == 8, "{said}");
    assert_eq!(rest, "— the board may be behind");
    assert!(
        !said.contains("postgres://"),
        "no address on a room's screen"
    );

    // A page that connects meanwhile has the board as last seen, and the word.
    let mut late = s.events(EVENTS, "");
    let board = late.next_board(Duration::from_secs(5)).unwrap();
    assert_eq!(board.id.as_deref(), Some("2"));
    assert_eq!(
        trouble(&mut late, Duration::from_secs(1)),
        Some(said.clone())
    );
    let state = s.get("/m/mali-ministerial-2017/state.json");
    assert_eq!(state.status, 200);
    let state: Value = serde_json::from_str(&state.body).unwrap();
    assert_eq!(state["last_seq"], 2);

    // Back by itself: tried again every second.
    cluster.pg_ctl_start();
    let started = Instant::now();
    for page in [&mut first, &mut late] {
        assert_eq!(trouble(page, Duration::from_secs(5)), None, "back");
    }
    eprintln!(
        "the pages were told it is back {:?} after the start",
        started.elapsed()
    );
    run_do(log.path(), &url, &["next"]);
    for page in [&mut first, &mut late] {
        let (board, said) = board_after(page, Duration::from_secs(3));
        assert_eq!(board.id.as_deref(), Some("3"));
        assert_eq!(data(&board)["floor"]["heading"], "United Nations");
        assert!(said.is_empty(), "{said:?}");
    }
    let stderr = s.stop();
    assert!(
        stderr.contains("following the journal: store unreachable since"),
        "{stderr}"
    );
    assert!(stderr.contains("following the journal again"), "{stderr}");
}

//! The file journal beside PostgreSQL, on this machine, as the README's
//! performance section reports them:
//!
//! - command → acknowledged: `Live::execute` of a note, from the call to its
//!   return (decide, append, fsync or COMMIT, apply), p50 and p99 of 300;
//!   for PostgreSQL alone, with a synchronous standby under
//!   `synchronous_commit = on` and `remote_apply`, and with `off`;
//! - follow latency: from one instance's acknowledgement to another's
//!   `poll` returning the event, polling every millisecond (the TUI polls
//!   every 100 ms, which adds up to that), p50 and p99 of 200;
//! - replay of 100k events: `Live::open` read-only, best of 3.
//!
//! The clusters are the tests' own (tests/it/support/pg.rs): `cargo bench
//! --bench store` needs PostgreSQL installed, as the tests do.

#[path = "../tests/it/support/pg.rs"]
#[allow(dead_code)]
mod pg;

mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gavel::domain::Meeting;
use gavel::journal::Mode;
use gavel::live::Live;
use gavel::store::{Place, copy, migrate, postgres};
use gavel::text::Clean;
use jiff::{SignedDuration, Timestamp};

const COMMANDS: usize = 300;
const FOLLOWS: usize = 200;
const REPLAY: usize = 100_000;

/// Where a run's journal is.
#[derive(Clone)]
enum At {
    Files(std::path::PathBuf),
    Pg(String),
}

fn seed() -> Arc<Meeting> {
    common::seed_meeting()
}

fn hash() -> String {
    postgres::file_hash(b"bench")
}

fn open(at: &At, dir: &Path, mode: Mode) -> Live {
    match at {
        At::Files(files) => Live::open(seed(), files, mode).unwrap(),
        At::Pg(url) => {
            let place = Place {
                url: url.clone(),
                meeting: "mali-ministerial-2017".into(),
            };
            Live::open_postgres(seed(), place, hash(), dir, mode, false).unwrap()
        }
    }
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    (at(50), at(99))
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn start() -> Timestamp {
    "2017-09-20T19:30:00Z".parse().unwrap()
}

fn command(text: &str) -> gavel::domain::Command {
    gavel::lang::parse(text).unwrap()
}

/// Command → acknowledged, p50 and p99.
fn acknowledged(at: &At, dir: &Path) -> (Duration, Duration) {
    let mut live = open(at, dir, Mode::ReadWrite);
    let by = Clean::new("ana");
    live.execute(command("open"), &by, start()).ours.unwrap();
    let mut times = Vec::with_capacity(COMMANDS);
    for i in 0..COMMANDS {
        let now = start() + SignedDuration::from_secs(i as i64 + 1);
        let text = format!("note bench note {i}");
        let began = Instant::now();
        live.execute(command(&text), &by, now).ours.unwrap();
        times.push(began.elapsed());
    }
    percentiles(times)
}

/// Acknowledged by one instance → seen by another's poll.
fn follow(at: &At, dir: &Path) -> (Duration, Duration) {
    let mut writer = open(at, &dir.join("w"), Mode::ReadWrite);
    let mut reader = open(at, &dir.join("r"), Mode::ReadOnly);
    let by = Clean::new("ana");
    let mut times = Vec::with_capacity(FOLLOWS);
    let base = writer.state.seq;
    for i in 0..FOLLOWS {
        let now = start() + SignedDuration::from_secs(10_000 + i as i64);
        writer
            .execute(command(&format!("note follow {i}")), &by, now)
            .ours
            .unwrap();
        let acked = Instant::now();
        let want = base + i as u64 + 1;
        while reader.state.seq < want {
            reader.poll().unwrap();
            if reader.state.seq < want {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        times.push(acked.elapsed());
    }
    percentiles(times)
}

/// `Live::open` read-only of 100k events, best of 3.
fn replay(at: &At, dir: &Path) -> Duration {
    (0..3)
        .map(|_| {
            let began = Instant::now();
            let live = open(at, dir, Mode::ReadOnly);
            let took = began.elapsed();
            assert_eq!(live.state.seq, REPLAY as u64);
            took
        })
        .min()
        .unwrap()
}

fn database(cluster: &pg::Cluster, name: &str) -> String {
    cluster.sql("postgres", &format!("CREATE DATABASE {name}"));
    let url = cluster.url(name);
    migrate::init(&mut postgres::connect(&url).unwrap()).unwrap();
    url
}

fn row(what: &str, file: String, pg: String) {
    println!("| {what} | {file} | {pg} |");
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let files = At::Files(tmp.path().join("files"));
    let local = pg::Cluster::start("");
    let pg_at = At::Pg(database(&local, "ack"));

    println!("| figure | file journal | PostgreSQL (local, synchronous_commit = on) |");
    println!("| --- | --- | --- |");
    let (f50, f99) = acknowledged(&files, &tmp.path().join("a"));
    let (p50, p99) = acknowledged(&pg_at, &tmp.path().join("b"));
    row(
        "command → acknowledged, p50 / p99",
        format!("{} / {}", ms(f50), ms(f99)),
        format!("{} / {}", ms(p50), ms(p99)),
    );
    let follow_files = At::Files(tmp.path().join("follow-files"));
    let follow_pg = At::Pg(database(&local, "follow"));
    let (f50, f99) = follow(&follow_files, &tmp.path().join("ff"));
    let (p50, p99) = follow(&follow_pg, &tmp.path().join("fp"));
    row(
        "follow latency (poll every 1 ms), p50 / p99",
        format!("{} / {}", ms(f50), ms(f99)),
        format!("{} / {}", ms(p50), ms(p99)),
    );
    let entries = common::journal(&seed(), REPLAY);
    let replay_files = tmp.path().join("replay-files");
    copy::copy(
        &entries,
        &copy::End::Folder(replay_files.clone()),
        &hash(),
        None,
    )
    .unwrap();
    let replay_url = database(&local, "replay");
    let place = Place {
        url: replay_url.clone(),
        meeting: "mali-ministerial-2017".into(),
    };
    copy::copy(&entries, &copy::End::Postgres(place), &hash(), None).unwrap();
    let f = replay(&At::Files(replay_files), tmp.path());
    let p = replay(&At::Pg(replay_url), &tmp.path().join("rp"));
    row(
        "replay of 100k events (`Live::open` read-only)",
        ms(f),
        ms(p),
    );

    // A synchronous standby on loopback: what each setting costs a command.
    let mut primary = pg::Cluster::start("");
    let url = database(&primary, "standby");
    let mut standby = pg::Cluster::standby_of(&primary, "hot_standby = on\n");
    standby.pg_ctl_start();
    primary.sql(
        "postgres",
        "ALTER SYSTEM SET synchronous_standby_names = '*'",
    );
    primary.sql("postgres", "SELECT pg_reload_conf()");
    while primary.sql(
        "postgres",
        "SELECT coalesce(string_agg(sync_state, ','), '') FROM pg_stat_replication",
    ) != "sync"
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    println!();
    println!(
        "| synchronous_commit, with a synchronous standby on loopback | command → acknowledged, p50 / p99 |"
    );
    println!("| --- | --- |");
    for setting in ["off", "local", "on", "remote_apply"] {
        primary.sql(
            "postgres",
            &format!("ALTER DATABASE standby SET synchronous_commit = {setting}"),
        );
        primary.sql("standby", "DELETE FROM gavel_events");
        let (p50, p99) = acknowledged(&At::Pg(url.clone()), &tmp.path().join(setting));
        println!("| `{setting}` | {} / {} |", ms(p50), ms(p99));
    }
    standby.stop();
    primary.stop();
}

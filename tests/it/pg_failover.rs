//! A failover: a primary and a synchronous standby on loopback, an officer
//! appending, the primary killed (SIGKILL, every process of it) mid-stream,
//! the standby promoted. Every event gavel acknowledged is on the standby,
//! and gavel pointed at it carries on.

use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use gavel::domain::Entry;
use gavel::journal::Mode;
use gavel::live::{Live, LiveError};
use gavel::store::{Place, copy, postgres};
use gavel::text::Clean;

use crate::support::{self, pg};

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
fn a_failover_to_the_synchronous_standby_keeps_every_acknowledged_event() {
    let (mut primary, standby, url) = pg::synchronous_pair();

    let started = Instant::now();
    let phase = |what: &str| eprintln!("failover: {what} at {:?}", started.elapsed());
    phase("synchronous");
    let base = tempfile::tempdir().unwrap();
    let acked: Arc<Mutex<Vec<Entry>>> = Arc::default();
    let writer = {
        let (acked, url, dir) = (acked.clone(), url.clone(), base.path().join("a"));
        thread::spawn(move || {
            let mut live = open(&url, &dir);
            let by = Clean::new("ana");
            for i in 0.. {
                let text = if i == 0 {
                    "open".to_string()
                } else {
                    format!("note entry {i}")
                };
                let command = gavel::lang::parse(&text).unwrap();
                match live.execute(command, &by, support::at_secs(i)).ours {
                    Ok(ours) => acked
                        .lock()
                        .unwrap()
                        .extend(ours.into_iter().map(|d| d.entry)),
                    Err(LiveError::Refused(why)) => panic!("{text}: {why}"),
                    // The primary is gone: nothing more is acknowledged.
                    Err(_) => return i,
                }
            }
            unreachable!()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 100 {
        assert!(Instant::now() < deadline, "appends never got under way");
        thread::sleep(Duration::from_millis(10));
    }
    primary.kill();
    phase("primary killed");
    let tried = writer.join().unwrap();
    let acked = acked.lock().unwrap().clone();
    eprintln!(
        "failover: {} acknowledged of {tried} commands tried before the kill",
        acked.len()
    );

    phase("writer stopped");
    standby.promote();
    phase("standby promoted");
    let standby_url = standby.url("gavel");
    let on_standby = copy::read_all(&copy::End::Postgres(place(&standby_url)), "").unwrap();
    assert!(
        on_standby.len() >= acked.len(),
        "{} on the standby, {} acknowledged",
        on_standby.len(),
        acked.len()
    );
    copy::compare(&acked, &on_standby[..acked.len()]).unwrap();

    // gavel pointed at the promoted standby carries on after the last event.
    let mut live = open(&standby_url, &base.path().join("b"));
    assert_eq!(live.state.seq, on_standby.len() as u64);
    let command = gavel::lang::parse("note after the failover").unwrap();
    let ours = live
        .execute(command, &Clean::new("bea"), support::at_secs(10_000))
        .ours
        .unwrap();
    assert_eq!(ours[0].entry.seq, on_standby.len() as u64 + 1);
}

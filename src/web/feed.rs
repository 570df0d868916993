//! One served meeting: its journal followed read-only, as the TUI follows it
//! (a look every 100 ms), and each look that found events turned once into
//! the board's facts, framed once as an SSE message and handed to every
//! page through a bounded broadcast. Nothing here writes the journal.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use jiff::Timestamp;
use tokio::sync::broadcast;

use super::facts::{self, ClockFacts};
use crate::live::Live;
use crate::now::WallClock;

/// As often as the TUI looks for others' events (`tui::worker::FOLLOW_EVERY`):
/// an event reaches every page within this and the fan-out.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(100);

/// How often the projected end is figured again for the heartbeats.
const CLOCK_EVERY: Duration = Duration::from_secs(5);

/// Messages a page may fall behind by before it is dropped: it reconnects
/// by itself and is sent the board as it stands, so nothing is lost but
/// the messages it could not take in time.
pub const BEHIND_AT_MOST: usize = 16;

/// One SSE message, framed once for every page.
#[derive(Clone)]
pub struct Message {
    pub seq: u64,
    pub frame: Bytes,
}

pub struct Feed {
    pub id: String,
    pub title: String,
    pub venue: String,
    pub room: String,
    pub date: String,
    live: Mutex<Live>,
    clock: WallClock,
    current: RwLock<Message>,
    /// The clock's facts as last figured, for the heartbeats.
    timing: RwLock<ClockFacts>,
    sender: broadcast::Sender<Message>,
    stop: AtomicBool,
}

impl Feed {
    /// Starts following `live` on a thread of its own; it stops when the
    /// feed is [`Feed::stop`]ped.
    pub fn start(live: Live, clock: WallClock) -> Arc<Feed> {
        let now = clock.now();
        let m = &live.state.meeting;
        let (sender, _) = broadcast::channel(BEHIND_AT_MOST);
        let feed = Arc::new(Feed {
            id: m.id.to_string(),
            title: m.title.to_string(),
            venue: m.venue.to_string(),
            room: m.room.to_string(),
            date: m.date.to_string(),
            current: RwLock::new(message(&live, now)),
            timing: RwLock::new(facts::clock(&live.state, now)),
            live: Mutex::new(live),
            clock,
            sender,
            stop: AtomicBool::new(false),
        });
        let follower = Arc::clone(&feed);
        std::thread::Builder::new()
            .name(format!("follow {}", feed.id))
            .spawn(move || follower.follow())
            .expect("a thread can be started");
        feed
    }

    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The board as it stands, and what comes after it: subscribed first,
    /// so that nothing falls between the two.
    pub fn subscribe(&self) -> (Message, broadcast::Receiver<Message>) {
        let receiver = self.sender.subscribe();
        (read(&self.current).clone(), receiver)
    }

    pub fn timing(&self) -> ClockFacts {
        *read(&self.timing)
    }

    /// `state --json` (schema 1) at this instant.
    pub fn state_json(&self) -> Result<String, serde_json::Error> {
        let live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        serde_json::to_string_pretty(&crate::status::of(&live.state, self.clock.now()))
    }

    fn follow(&self) {
        let mut trouble = false;
        let mut figured = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            std::thread::sleep(FOLLOW_EVERY);
            let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
            match live.poll() {
                Ok(seen) if !seen.is_empty() => {
                    trouble = false;
                    let msg = message(&live, self.clock.now());
                    *write(&self.current) = msg.clone();
                    // No page open is not a failure.
                    let _ = self.sender.send(msg);
                }
                Ok(_) => {}
                // Said once, not ten times a second; the pages keep the
                // board as it last stood.
                Err(e) if !trouble => {
                    trouble = true;
                    let _ = writeln!(
                        std::io::stderr(),
                        "gavel: {}: following the journal: {e}",
                        self.id
                    );
                }
                Err(_) => {}
            }
            if figured.elapsed() >= CLOCK_EVERY {
                figured = Instant::now();
                *write(&self.timing) = facts::clock(&live.state, self.clock.now());
            }
        }
    }
}

/// The board's facts as one SSE message, id the last journal seq.
fn message(live: &Live, now: Timestamp) -> Message {
    let facts = facts::of(&live.state, now);
    // The facts hold only strings, numbers and booleans: they serialise.
    let json = serde_json::to_string(&facts).unwrap_or_else(|_| "{}".into());
    Message {
        seq: facts.seq,
        frame: Bytes::from(format!("id: {}\nevent: board\ndata: {json}\n\n", facts.seq)),
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

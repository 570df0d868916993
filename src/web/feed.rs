//! One served meeting: its journal followed read-only, as the TUI follows it
//! (a look every 100 ms), and each look that found events turned once into
//! the board's facts, framed once as an SSE message and handed to every
//! page through a bounded broadcast. When the journal cannot be followed
//! (a PostgreSQL store out of reach), every page is told so in words, and
//! told again once it can. Nothing here writes the journal.

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

/// Looks that fail in a row before the pages are told: a connection the
/// server ended is made again at the next look, and says nothing.
const FAILED_LOOKS: u32 = 2;

/// One SSE message, framed once for every page.
#[derive(Clone)]
pub struct Message {
    /// The journal's last seq, for the board; none for a word on the
    /// journal, which every page is sent whatever it has.
    pub seq: Option<u64>,
    pub frame: Bytes,
}

/// The journal could not be looked at, since when and how many times.
struct Failing {
    since: Timestamp,
    looks: u32,
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
    /// What the pages are told of the journal: nothing wrong, or why the
    /// board may be behind.
    journal: RwLock<Message>,
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
            journal: RwLock::new(journal_message(None)),
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

    /// The board as it stands, the word on its journal, and what comes
    /// after them: subscribed first, so that nothing falls between.
    pub fn subscribe(&self) -> (Message, Message, broadcast::Receiver<Message>) {
        let receiver = self.sender.subscribe();
        (
            read(&self.current).clone(),
            read(&self.journal).clone(),
            receiver,
        )
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
        let mut failing: Option<Failing> = None;
        let mut figured = Instant::now();
        while !self.stop.load(Ordering::Relaxed) {
            std::thread::sleep(FOLLOW_EVERY);
            let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
            match live.poll() {
                Ok(seen) => {
                    if failing.take().is_some_and(|f| f.looks >= FAILED_LOOKS) {
                        self.journal_back();
                    }
                    if !seen.is_empty() {
                        let msg = message(&live, self.clock.now());
                        *write(&self.current) = msg.clone();
                        // No page open is not a failure.
                        let _ = self.sender.send(msg);
                    }
                }
                Err(e) => {
                    let f = failing.get_or_insert_with(|| Failing {
                        since: self.clock.now(),
                        looks: 0,
                    });
                    f.looks += 1;
                    // Said once, not ten times a second; the pages keep the
                    // board as it last stood, and say since when.
                    if f.looks == FAILED_LOOKS {
                        let unreachable = live.store_down_since().is_some();
                        let words = facts::journal_trouble(&live.state, f.since, unreachable);
                        self.journal_lost(&words, &e.to_string());
                    }
                }
            }
            if figured.elapsed() >= CLOCK_EVERY {
                figured = Instant::now();
                *write(&self.timing) = facts::clock(&live.state, self.clock.now());
            }
        }
    }

    /// Every page is told in `words`; the server's own output has `why`.
    fn journal_lost(&self, words: &str, why: &str) {
        let _ = writeln!(
            std::io::stderr(),
            "gavel: {}: following the journal: {why}",
            self.id
        );
        self.tell(journal_message(Some(words)));
    }

    fn journal_back(&self) {
        let _ = writeln!(
            std::io::stderr(),
            "gavel: {}: following the journal again",
            self.id
        );
        self.tell(journal_message(None));
    }

    fn tell(&self, msg: Message) {
        *write(&self.journal) = msg.clone();
        let _ = self.sender.send(msg);
    }
}

/// The board's facts as one SSE message, id the last journal seq.
fn message(live: &Live, now: Timestamp) -> Message {
    let facts = facts::of(&live.state, now);
    // The facts hold only strings, numbers and booleans: they serialise.
    let json = serde_json::to_string(&facts).unwrap_or_else(|_| "{}".into());
    Message {
        seq: Some(facts.seq),
        frame: Bytes::from(format!("id: {}\nevent: board\ndata: {json}\n\n", facts.seq)),
    }
}

/// `event: journal`: `{"trouble": null}` while the journal is followed,
/// else the words the page shows. No id: the page's last seq stays its own.
fn journal_message(trouble: Option<&str>) -> Message {
    let json = serde_json::json!({ "trouble": trouble });
    Message {
        seq: None,
        frame: Bytes::from(format!("event: journal\ndata: {json}\n\n")),
    }
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}

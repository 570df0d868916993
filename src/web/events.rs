//! One page's event stream: the board as it stands (unless `Last-Event-ID`
//! says the page has it) and the word on its journal, then each message as
//! the journal moves or can no longer be followed, and a heartbeat every
//! 15 s that carries the server's time and the projected end. A page that falls [`BEHIND_AT_MOST`](super::feed::BEHIND_AT_MOST)
//! messages behind is dropped; its browser reconnects and is sent the board
//! afresh.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use futures_util::Stream;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{Instant, Interval, MissedTickBehavior};

use super::feed::{Feed, Message};

pub const HEARTBEAT: Duration = Duration::from_secs(15);

/// How long a browser waits before reconnecting, in milliseconds.
const RETRY_MS: u32 = 1000;

struct Client {
    feed: Arc<Feed>,
    receiver: broadcast::Receiver<Message>,
    /// The seq of the last board sent, or the page's `Last-Event-ID`.
    sent: Option<u64>,
    queued: VecDeque<Bytes>,
    beat: Interval,
}

/// The stream for a page that last saw `last` (its `Last-Event-ID`).
pub fn stream(
    feed: Arc<Feed>,
    last: Option<u64>,
) -> impl Stream<Item = Result<Bytes, Infallible>> + Send {
    let (current, journal, receiver) = feed.subscribe();
    let mut queued = VecDeque::from([Bytes::from(format!("retry: {RETRY_MS}\n\n")), beat(&feed)]);
    let sent = if last.is_some() && last == current.seq {
        last
    } else {
        queued.push_back(current.frame.clone());
        current.seq
    };
    // Always: a page back from a lost connection may still say the journal
    // was out of reach.
    queued.push_back(journal.frame);
    let mut beat = tokio::time::interval_at(Instant::now() + HEARTBEAT, HEARTBEAT);
    beat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let client = Client {
        feed,
        receiver,
        sent,
        queued,
        beat,
    };
    futures_util::stream::unfold(client, |mut client| async move {
        let frame = client.next().await?;
        Some((Ok(frame), client))
    })
}

impl Client {
    /// The next frame to send, or None to end the stream.
    async fn next(&mut self) -> Option<Bytes> {
        if let Some(frame) = self.queued.pop_front() {
            return Some(frame);
        }
        loop {
            tokio::select! {
                got = self.receiver.recv() => match got {
                    Ok(Message { seq: Some(seq), .. }) if self.sent.is_some_and(|s| seq <= s) => {
                        continue;
                    }
                    Ok(msg) => {
                        self.sent = msg.seq.or(self.sent);
                        return Some(msg.frame);
                    }
                    Err(RecvError::Lagged(_)) | Err(RecvError::Closed) => return None,
                },
                _ = self.beat.tick() => return Some(beat(&self.feed)),
            }
        }
    }
}

/// `event: beat`: the server's time, to set the page's clock by, and the
/// projected end as it stands.
fn beat(feed: &Feed) -> Bytes {
    let clock = feed.timing();
    let now_ms = feed.now().as_millisecond();
    let clock = serde_json::to_string(&clock).unwrap_or_else(|_| "null".into());
    Bytes::from(format!(
        "event: beat\ndata: {{\"now_ms\":{now_ms},\"clock\":{clock}}}\n\n"
    ))
}

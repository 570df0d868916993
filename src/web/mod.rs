//! `gavel serve`: the chair's board as a web page for the room's screens,
//! following the journal live over Server-Sent Events. Read-only: nothing
//! here writes a journal. `server` has the routes and the headers, `feed`
//! follows one meeting and fans its messages out, `events` is one page's
//! stream, `facts` what the board shows, `page` the HTML (the only HTML
//! gavel writes, escaped there), `token` the token, `conn` the connections.

mod conn;
mod events;
mod facts;
mod feed;
mod page;
mod server;
mod token;

use std::net::SocketAddr;
use std::sync::Arc;

pub use feed::Feed;
pub use token::Token;

use crate::live::Live;
use crate::now::WallClock;

/// A server bound and about to serve.
pub struct Server {
    listener: tokio::net::TcpListener,
    served: Arc<server::Served>,
}

impl Server {
    /// Binds `listen` and starts following each meeting's journal.
    /// Call inside a tokio runtime.
    pub async fn bind(
        listen: SocketAddr,
        meetings: Vec<Live>,
        token: Option<Token>,
        clock: WallClock,
    ) -> std::io::Result<Server> {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let feeds = meetings
            .into_iter()
            .map(|live| Feed::start(live, clock))
            .collect();
        Ok(Server {
            listener,
            served: Arc::new(server::Served { feeds, token }),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until the process ends, or until the connection loop fails.
    pub async fn run(self) -> std::io::Result<()> {
        let app = server::router(Arc::clone(&self.served));
        let result = axum::serve(conn::Guarded::new(self.listener), app).await;
        for feed in &self.served.feeds {
            feed.stop();
        }
        result
    }
}

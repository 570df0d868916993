//! `gavel serve`: the boards of one or more meetings as web pages.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use super::args::LogDir;
use super::context::{clock, open};
use super::{Code, Failure, say};
use crate::journal::Mode;
use crate::web::{Server, Token};

pub(super) fn serve(
    meetings: &[PathBuf],
    log_dir: &LogDir,
    listen: &str,
    token: Option<&str>,
) -> Result<(), Failure> {
    let addr = address(listen)?;
    let token = token
        .map(Token::new)
        .transpose()
        .map_err(|e| Failure::new(Code::Usage, e))?;
    if token.is_none() && !addr.ip().is_loopback() {
        return Err(Failure::new(
            Code::Usage,
            format!(
                "{addr} can be reached from other machines: give a token with --token or GAVEL_TOKEN \
                 (e.g. GAVEL_TOKEN=$(openssl rand -hex 16)), or listen on 127.0.0.1"
            ),
        ));
    }
    let clock = clock()?;
    let lives = opened(meetings, log_dir)?;
    raise_open_files();
    let ids: Vec<String> = lives
        .iter()
        .map(|l| l.state.meeting.id.to_string())
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(Code::Failure, format!("cannot start: {e}")))?;
    runtime.block_on(async move {
        let server = Server::bind(addr, lives, token, clock)
            .await
            .map_err(|e| Failure::new(Code::Failure, format!("cannot listen on {addr}: {e}")))?;
        let bound = server
            .local_addr()
            .map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
        announce(bound, &ids);
        tokio::select! {
            served = server.run() => served.map_err(|e| Failure::new(Code::Failure, e.to_string())),
            signal = stop_signal() => {
                say!("gavel: {signal}: stopped serving");
                Ok(())
            }
        }
    })
}

/// Each meeting's journal, read-only; two files of one meeting id are refused.
fn opened(meetings: &[PathBuf], log_dir: &LogDir) -> Result<Vec<crate::live::Live>, Failure> {
    let mut lives: Vec<crate::live::Live> = Vec::new();
    for path in meetings {
        let live = open(path, log_dir, Mode::ReadOnly)?;
        let id = live.state.meeting.id.as_str();
        if lives.iter().any(|l| l.state.meeting.id.as_str() == id) {
            return Err(Failure::new(
                Code::Usage,
                format!(
                    "{}: meeting id {id:?} is served already: each board needs its own id",
                    show(path)
                ),
            ));
        }
        lives.push(live);
    }
    Ok(lives)
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

/// `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:8080`, or `localhost:8080`.
fn address(listen: &str) -> Result<SocketAddr, Failure> {
    if let Some(port) = listen.strip_prefix("localhost:")
        && let Ok(port) = port.parse::<u16>()
    {
        return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
    }
    listen.parse().map_err(|_| {
        Failure::new(
            Code::Usage,
            format!(
                "--listen {listen:?} is not an address and port like 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8080"
            ),
        )
    })
}

/// The addresses, on standard output, for people and for scripts.
fn announce(bound: SocketAddr, ids: &[String]) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "gavel serve: http://{bound}/ (Ctrl-C stops)");
    for id in ids {
        let _ = writeln!(
            out,
            "  board: http://{bound}/m/{}  state: http://{bound}/m/{}/state.json",
            id, id
        );
    }
    let _ = out.flush();
}

/// Each page holds a connection: the soft limit on open files (often 1,024)
/// is raised to the hard one, so a thousand screens fit.
fn raise_open_files() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut int), Ok(mut term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return std::future::pending().await;
    };
    tokio::select! {
        _ = int.recv() => "interrupted",
        _ = term.recv() => "terminated",
    }
}

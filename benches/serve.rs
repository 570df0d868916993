//! `gavel serve`'s fan-out: 1,000 pages following one board over SSE on
//! loopback, and one more that never reads. Each event is appended through
//! the library (decide, append, fsync: what `gavel do` does, without the
//! process start), and timed from the moment it is saved to the moment
//! each page has its message; the figures are over every page and event.
//! Memory per idle page is the server's RSS after the pages connected and
//! went idle, less its RSS before, divided by the pages.
//!
//! `cargo bench --bench serve [-- --clients N --events N --bin PATH]`

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gavel::journal::Mode;
use gavel::live::Live;
use gavel::text::Clean;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

const GAVEL: &str = env!("CARGO_BIN_EXE_gavel");
const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/mali-ministerial-2017.toml"
);
const NOW: &str = "2017-09-20T15:31:00-04:00";
const PATH: &str = "/m/mali-ministerial-2017/events";

struct Options {
    gavel: String,
    clients: usize,
    events: usize,
}

impl Options {
    fn from_args() -> Options {
        let mut o = Options {
            gavel: GAVEL.into(),
            clients: 1000,
            events: 30,
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        for (i, arg) in args.iter().enumerate() {
            let value = || {
                args.get(i + 1)
                    .cloned()
                    .unwrap_or_else(|| panic!("{arg} takes a value"))
            };
            match arg.as_str() {
                "--clients" => o.clients = value().parse().expect("a number"),
                "--events" => o.events = value().parse().expect("a number"),
                "--bin" => o.gavel = value(),
                _ => {}
            }
        }
        o
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn raise_fd_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// One page: reads its stream and reports each message's id as it lands.
async fn page(addr: SocketAddr, seen: mpsc::UnboundedSender<(u64, Instant)>) {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {PATH} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("request");
    let mut buf = vec![0u8; 64 * 1024];
    let mut carry = Vec::new();
    loop {
        let n = match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let at = Instant::now();
        carry.extend_from_slice(&buf[..n]);
        // Whole lines only; a message's id line comes first in its frame.
        let end = carry.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        for line in carry[..end].split(|&b| b == b'\n') {
            let seq = line
                .strip_prefix(b"id: ")
                .and_then(|id| std::str::from_utf8(id).ok())
                .and_then(|s| s.trim().parse().ok());
            if let Some(seq) = seq {
                let _ = seen.send((seq, at));
            }
        }
        carry.drain(..end);
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn main() {
    let o = Options::from_args();
    raise_fd_limit();
    let base = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let log = tempfile::tempdir_in(&base).expect("a temporary folder");
    let gavel = |words: &[&str]| {
        let out = Command::new(&o.gavel)
            .env("GAVEL_LOG_DIR", log.path())
            .env("GAVEL_NOW", NOW)
            .arg("do")
            .arg(SEED)
            .args(words)
            .output()
            .expect("gavel do");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    gavel(&["open"]);
    gavel(&["next"]);

    let mut child = Command::new(&o.gavel)
        .env("GAVEL_LOG_DIR", log.path())
        .env("GAVEL_NOW", NOW)
        .args(["serve", SEED, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gavel serve");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let server = Server(child);
    let addr: SocketAddr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|a| a.parse().ok())
        .expect("the address");
    std::thread::sleep(Duration::from_millis(300));
    let before = rss_kib(server.0.id());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (tx, mut rx) = mpsc::unbounded_channel();
    let connected = Instant::now();
    runtime.block_on(async {
        for _ in 0..o.clients {
            tokio::spawn(page(addr, tx.clone()));
        }
        // A page that never reads: it must hold up no one.
        let mut stalled = TcpStream::connect(addr).await.unwrap();
        stalled
            .write_all(format!("GET {PATH} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .await
            .unwrap();
        std::mem::forget(stalled);
        let mut boards = 0;
        while boards < o.clients {
            let (_, _) = rx.recv().await.unwrap();
            boards += 1;
        }
    });
    let took = connected.elapsed();
    std::thread::sleep(Duration::from_secs(2));
    let after = rss_kib(server.0.id());

    let meeting = Arc::new(
        gavel::config::load(std::path::Path::new(SEED))
            .unwrap()
            .meeting,
    );
    let mut live = Live::open(
        meeting,
        &log.path().join("mali-ministerial-2017"),
        Mode::ReadWrite,
    )
    .unwrap();
    let by = Clean::new("bench");
    let clock = gavel::now::WallClock::starting_at(NOW.parse().unwrap());
    let mut all = Vec::new();
    let mut slowest = Vec::new();
    for i in 0..o.events {
        // Spaced unevenly, so the events land all over the server's 100 ms look.
        std::thread::sleep(Duration::from_millis(250 + (i as u64 * 137) % 400));
        let command = gavel::lang::parse(if i % 2 == 0 { "pause" } else { "resume" }).unwrap();
        let done = live.execute(command, &by, clock.now());
        let saved = Instant::now();
        let seq = done
            .ours
            .expect("the event is saved")
            .last()
            .expect("one event")
            .entry
            .seq;
        let mut got = 0;
        let mut worst: f64 = 0.0;
        runtime.block_on(async {
            while got < o.clients {
                let Ok(Some((s, at))) =
                    tokio::time::timeout(Duration::from_secs(10), rx.recv()).await
                else {
                    panic!(
                        "only {got} of {} pages had event {seq} within 10 s",
                        o.clients
                    );
                };
                if s == seq {
                    got += 1;
                    let ms = at.saturating_duration_since(saved).as_secs_f64() * 1000.0;
                    worst = worst.max(ms);
                    all.push(ms);
                }
            }
        });
        slowest.push(worst);
    }
    all.sort_by(f64::total_cmp);
    slowest.sort_by(f64::total_cmp);
    println!(
        "gavel serve fan-out: {} pages (+1 that never reads), {} events",
        o.clients, o.events
    );
    println!(
        "  connected and sent the board in {:.0} ms",
        took.as_secs_f64() * 1000.0
    );
    println!(
        "  event saved → a page has it: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (n = {})",
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        all.last().copied().unwrap_or(f64::NAN),
        all.len()
    );
    println!(
        "  event saved → every page has it: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        percentile(&slowest, 0.5),
        percentile(&slowest, 0.99),
        slowest.last().copied().unwrap_or(f64::NAN)
    );
    println!(
        "  server RSS {} KiB before, {} KiB with the pages idle: {:.1} KiB per idle page",
        before,
        after,
        (after.saturating_sub(before)) as f64 / o.clients as f64
    );
}

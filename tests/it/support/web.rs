//! `gavel serve` as a child on a loopback port, and a plain HTTP/1.1 client
//! over a socket, so the tests see exactly the bytes the server sends.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::gavel;

/// A `gavel serve` child; killed when dropped.
pub struct Serving {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Serving {
    /// Serves `meetings` on 127.0.0.1 at a port the system picks, with
    /// `args` after them, and waits for the address it announces.
    pub fn start(log_dir: &Path, now: &str, meetings: &[&str], args: &[&str]) -> Serving {
        Serving::start_at("127.0.0.1:0", log_dir, now, meetings, args)
    }

    /// As [`Serving::start`], listening on `listen`.
    pub fn start_at(
        listen: &str,
        log_dir: &Path,
        now: &str,
        meetings: &[&str],
        args: &[&str],
    ) -> Serving {
        Serving::start_in(None, listen, log_dir, now, meetings, args)
    }

    /// As [`Serving::start_at`], the journals kept in `store` (`GAVEL_STORE`)
    /// when one is given.
    pub fn start_in(
        store: Option<&str>,
        listen: &str,
        log_dir: &Path,
        now: &str,
        meetings: &[&str],
        args: &[&str],
    ) -> Serving {
        let mut cmd = gavel(log_dir, now);
        match store {
            Some(store) => cmd.env("GAVEL_STORE", store),
            None => cmd.env_remove("GAVEL_STORE"),
        };
        cmd.arg("serve")
            .args(meetings)
            .args(["--listen", listen])
            .args(args)
            .env_remove("GAVEL_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("gavel serve starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("gavel serve says where it listens");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        Serving { child, addr }
    }

    pub fn get(&self, path: &str) -> Reply {
        request(
            self.addr,
            &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        )
    }

    /// A GET with more header lines (each ending in `\r\n`).
    pub fn get_with(&self, path: &str, headers: &str) -> Reply {
        request(
            self.addr,
            &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{headers}\r\n"),
        )
    }

    pub fn events(&self, path: &str, headers: &str) -> Events {
        Events::open(self.addr, path, headers)
    }

    /// Stops the server and gives what it said on its standard error.
    pub fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut said = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            let _ = stderr.read_to_string(&mut said);
        }
        said
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Reply {
    pub status: u16,
    /// Lower-case names.
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// Sends `raw` as it is and reads the whole answer (the server closes).
pub fn request(addr: SocketAddr, raw: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("the server takes connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&String::from_utf8_lossy(&bytes))
}

fn parse(text: &str) -> Reply {
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {text:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

/// One SSE message as sent.
#[derive(Debug, Clone, Default)]
pub struct Sse {
    pub id: Option<String>,
    pub event: Option<String>,
    pub data: String,
    pub retry: Option<String>,
}

/// An event stream being read.
pub struct Events {
    reader: BufReader<TcpStream>,
    pub status: u16,
    pub headers: HashMap<String, String>,
}

impl Events {
    fn open(addr: SocketAddr, path: &str, headers: &str) -> Events {
        let mut stream = TcpStream::connect(addr).expect("the server takes connections");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n{headers}\r\n"
        )
        .unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).expect("an answer");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        let reply = parse(&head);
        Events {
            reader,
            status: reply.status,
            headers: reply.headers,
        }
    }

    /// The next message, or None once `within` has passed or the stream ended.
    /// The body is chunked: chunk-size lines are told from SSE lines by being
    /// bare hexadecimal, which no SSE line is.
    pub fn next(&mut self, within: Duration) -> Option<Sse> {
        let until = Instant::now() + within;
        let mut msg = Sse::default();
        let mut any = false;
        loop {
            let left = until.checked_duration_since(Instant::now())?;
            self.reader
                .get_ref()
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .ok()?;
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(_) => return None,
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if !line.is_empty() && line.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            if line.is_empty() {
                if any {
                    return Some(msg);
                }
                continue;
            }
            any = true;
            let (field, value) = line.split_once(": ").unwrap_or((line, ""));
            match field {
                "id" => msg.id = Some(value.into()),
                "event" => msg.event = Some(value.into()),
                "data" => msg.data.push_str(value),
                "retry" => msg.retry = Some(value.into()),
                _ => {}
            }
        }
    }

    /// The next `board` message, skipping heartbeats.
    pub fn next_board(&mut self, within: Duration) -> Option<Sse> {
        self.next_of("board", within)
    }

    /// The next message of `event`, skipping the others.
    pub fn next_of(&mut self, event: &str, within: Duration) -> Option<Sse> {
        let until = Instant::now() + within;
        loop {
            let left = until.checked_duration_since(Instant::now())?;
            let msg = self.next(left)?;
            if msg.event.as_deref() == Some(event) {
                return Some(msg);
            }
        }
    }
}

//! `gavel serve` over HTTP, the real server on a loopback port: the routes,
//! the headers, hostile names as text, tokens, request bodies and bad paths,
//! and the event stream's live messages and resumption. Nothing served
//! writes the journal.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::web::Serving;
use crate::support::{self, SEED_FILE, SEED_ID, gavel, local_time};

const BOARD: &str = "/m/mali-ministerial-2017";

fn now() -> String {
    local_time("15:35:00")
}

/// The seed meeting opened, Mali on the floor, Egypt inscribed for a group.
fn opened(log: &Path) {
    for words in [
        &["open"][..],
        &["next"],
        &["add", "Egypt", "for", "the Arab Group", "in", "ar"],
    ] {
        let out = gavel(log, &now())
            .arg("do")
            .arg(SEED_FILE)
            .args(words)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn do_next(log: &Path) {
    let out = gavel(log, &now())
        .args(["do", SEED_FILE, "next"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn journal(log: &Path) -> Vec<u8> {
    fs::read(log.join(SEED_ID).join("journal.jsonl")).unwrap()
}

#[test]
fn routes_answer_with_safe_headers_and_state_json_is_state_json() {
    let log = tempfile::tempdir().unwrap();
    opened(log.path());
    let before = journal(log.path());
    let s = Serving::start(log.path(), &now(), &[SEED_FILE], &[]);

    let index = s.get("/");
    assert_eq!(index.status, 200);
    assert!(
        index.body.contains(&format!("href=\"{BOARD}\"")),
        "{}",
        index.body
    );
    let board = s.get(BOARD);
    assert_eq!(board.status, 200);
    assert_eq!(
        board.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(board.body.contains("src=\"/assets/board.js\""));
    assert!(!board.body.contains("<script>"), "no inline script");
    assert!(
        !board.body.contains("<style") && !board.body.contains("style=\""),
        "no inline style"
    );
    for reply in [&index, &board] {
        let csp = reply.header("content-security-policy").expect("a CSP");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert!(reply.header("set-cookie").is_none());
    }

    let js = s.get("/assets/board.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(!js.body.contains("innerHTML"), "data never goes in as HTML");
    assert_eq!(
        s.get("/assets/board.css").header("content-type"),
        Some("text/css; charset=utf-8")
    );

    let served: Value = serde_json::from_str(&s.get(&format!("{BOARD}/state.json")).body).unwrap();
    let out = gavel(log.path(), &now())
        .args(["state", SEED_FILE, "--json"])
        .output()
        .unwrap();
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(served["schema"], 1);
    assert_eq!(served["floor"]["delegation"], "Mali");
    // The two were taken at different instants: what moves with time aside,
    // they are the same document.
    let still = |mut v: Value| {
        for key in ["now", "clock", "floor", "interrupted"] {
            v.as_object_mut().unwrap().remove(key);
        }
        v
    };
    assert_eq!(still(served), still(cli));

    for path in [
        "/nope",
        "/m/",
        "/m/unknown",
        "/m/unknown/state.json",
        &format!("{BOARD}/"),
        &format!("{BOARD}/nope"),
        "/m/%ZZ",
        "/m/..%2F..%2Fetc",
        "/assets/nope.js",
        &format!("/{}", "a".repeat(5000)),
    ] {
        let reply = s.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.header("content-security-policy").is_some(), "{path}");
    }
    assert_eq!(journal(log.path()), before, "serving wrote nothing");
    assert!(s.get("/").status == 200, "still up after the bad paths");
}

#[test]
fn request_bodies_and_other_methods_are_refused() {
    let log = tempfile::tempdir().unwrap();
    opened(log.path());
    let before = journal(log.path());
    let s = Serving::start(log.path(), &now(), &[SEED_FILE], &[]);
    let post = support::web::request(
        s.addr,
        &format!(
            "POST {BOARD} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 4\r\n\r\nnext"
        ),
    );
    assert_eq!(post.status, 413);
    let chunked = support::web::request(
        s.addr,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nnext\r\n0\r\n\r\n",
    );
    assert_eq!(chunked.status, 413);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let reply = support::web::request(
            s.addr,
            &format!(
                "{method} {BOARD}/state.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            ),
        );
        assert_eq!(reply.status, 405, "{method}");
    }
    let garbage = support::web::request(s.addr, "\x16\x03\x01 not http at all\r\n\r\n");
    assert_eq!(garbage.status, 400);
    assert_eq!(journal(log.path()), before);
    assert_eq!(s.get("/").status, 200);
}

/// A meeting whose names are markup.
const HOSTILE: &str = r#"[meeting]
id = "hostile-web"
title = "</title><script>alert('title')</script>"
venue = "<img src=x onerror=alert(1)>"
room = "\"><b>room</b>"
date = 2017-09-20
start = "15:30"
end = "18:00"
timezone = "America/New_York"

[[roster]]
id = "eastland"
delegation = "<script>window.pwned=1</script>"
representative = "<img src=x onerror=\"window.pwned=2\">"
title = "&amp; Minister"
level = "minister"
role = "participant"

[[roster]]
id = "westland"
delegation = "West & <i>land</i>"
level = "head_of_delegation"
role = "participant"

[[segment]]
id = "opening"
title = "<svg onload=alert(3)>"
speaking_limit = "3m"
speakers = ["eastland", "westland"]

[seating]
rows = 1
seats_per_row = 4
blocked = []
"#;

pub fn hostile_meeting(dir: &Path) -> String {
    let file = dir.join("hostile.toml");
    fs::write(&file, HOSTILE).unwrap();
    let log = dir.join("logs");
    for words in [&["open"][..], &["next"]] {
        let out = gavel(&log, &now())
            .arg("do")
            .arg(&file)
            .args(words)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    file.to_string_lossy().into_owned()
}

#[test]
fn hostile_names_are_escaped_everywhere_they_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let file = hostile_meeting(dir.path());
    let s = Serving::start(&dir.path().join("logs"), &now(), &[&file, SEED_FILE], &[]);
    let index = s.get("/").body;
    let board = s.get("/m/hostile-web").body;
    for page in [&index, &board] {
        for raw in [
            "<script>alert",
            "</title><script>",
            "<img",
            "<b>room",
            "\"><b>",
        ] {
            assert!(!page.contains(raw), "{raw} in {page}");
        }
    }
    assert!(
        index.contains("&lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "{index}"
    );
    assert!(
        index.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{index}"
    );
    assert!(
        board.contains("<title>&lt;/title&gt;&lt;script&gt;"),
        "{board}"
    );
    let state: Value = serde_json::from_str(&s.get("/m/hostile-web/state.json").body).unwrap();
    assert_eq!(
        state["floor"]["delegation"],
        "<script>window.pwned=1</script>"
    );
    assert_eq!(
        state["meeting"]["title"],
        "</title><script>alert('title')</script>"
    );
    let mut events = s.events("/m/hostile-web/events", "");
    let msg = events
        .next_board(Duration::from_secs(5))
        .expect("the board");
    let facts: Value = serde_json::from_str(&msg.data).unwrap();
    assert_eq!(facts["floor"]["heading"], "<script>window.pwned=1</script>");
    assert_eq!(facts["next"][0]["heading"], "West & <i>land</i>");
}

#[test]
fn events_push_each_journal_event_and_resume_from_last_event_id() {
    let log = tempfile::tempdir().unwrap();
    opened(log.path());
    let s = Serving::start(log.path(), &now(), &[SEED_FILE], &[]);
    let mut first = s.events(&format!("{BOARD}/events"), "");
    assert_eq!(first.status, 200);
    assert_eq!(
        first.headers.get("content-type").map(String::as_str),
        Some("text/event-stream")
    );
    let retry = first.next(Duration::from_secs(5)).unwrap();
    assert_eq!(retry.retry.as_deref(), Some("1000"));
    let beat = first.next(Duration::from_secs(5)).unwrap();
    assert_eq!(beat.event.as_deref(), Some("beat"));
    let beat: Value = serde_json::from_str(&beat.data).unwrap();
    assert!(beat["now_ms"].as_i64().unwrap() > 1_505_000_000_000);
    let board = first.next(Duration::from_secs(5)).unwrap();
    assert_eq!(board.event.as_deref(), Some("board"));
    assert_eq!(
        board.id.as_deref(),
        Some("3"),
        "the id is the journal's last seq"
    );
    let facts: Value = serde_json::from_str(&board.data).unwrap();
    assert_eq!(facts["floor"]["heading"], "Mali");
    assert_eq!(facts["floor"]["language"], "French");

    // A page that has seq 3 is sent nothing until the journal moves.
    let mut resumed = s.events(&format!("{BOARD}/events"), "Last-Event-ID: 3\r\n");
    assert!(resumed.next_board(Duration::from_millis(600)).is_none());

    let sent = Instant::now();
    do_next(log.path());
    for stream in [&mut first, &mut resumed] {
        let msg = stream
            .next_board(Duration::from_secs(3))
            .expect("the next speaker is pushed");
        assert_eq!(msg.id.as_deref(), Some("4"));
        let facts: Value = serde_json::from_str(&msg.data).unwrap();
        assert_eq!(facts["floor"]["heading"], "United Nations");
        assert_eq!(facts["seq"], 4);
    }
    // `gavel do` itself takes a while to start and save; the push is within it.
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );

    // A page that fell behind, or came back after a restart, gets the board as it stands.
    let mut behind = s.events(&format!("{BOARD}/events"), "Last-Event-ID: 2\r\n");
    let msg = behind.next_board(Duration::from_secs(3)).unwrap();
    assert_eq!(msg.id.as_deref(), Some("4"));
    let mut junk = s.events(&format!("{BOARD}/events"), "Last-Event-ID: <x>\r\n");
    assert_eq!(
        junk.next_board(Duration::from_secs(3))
            .unwrap()
            .id
            .as_deref(),
        Some("4")
    );
}

const TOKEN: &str = "0123456789abcdef0123";

#[test]
fn a_token_guards_every_page_and_stream_but_not_the_assets() {
    let log = tempfile::tempdir().unwrap();
    opened(log.path());
    let s = Serving::start(log.path(), &now(), &[SEED_FILE], &["--token", TOKEN]);
    for path in [
        "/",
        BOARD,
        &format!("{BOARD}/state.json"),
        &format!("{BOARD}/events"),
    ] {
        let none = s.get(path);
        assert_eq!(none.status, 401, "{path}");
        assert_eq!(none.header("www-authenticate"), Some("Bearer"));
        assert!(none.header("content-security-policy").is_some());
        let wrong = s.get(&format!("{path}?token=0123456789abcdef0124"));
        assert_eq!(wrong.status, 401, "{path}");
        let prefix = s.get(&format!("{path}?token=0123456789abcdef"));
        assert_eq!(prefix.status, 401, "{path}");
        let bearer_wrong = s.get_with(path, "Authorization: Bearer nope\r\n");
        assert_eq!(bearer_wrong.status, 401, "{path}");
    }
    for path in ["/", BOARD, &format!("{BOARD}/state.json")] {
        assert_eq!(
            s.get(&format!("{path}?token={TOKEN}")).status,
            200,
            "{path}"
        );
        let bearer = s.get_with(path, &format!("Authorization: Bearer {TOKEN}\r\n"));
        assert_eq!(bearer.status, 200, "{path}");
    }
    let index = s.get(&format!("/?token={TOKEN}"));
    assert!(
        index
            .body
            .contains(&format!("href=\"{BOARD}?token={TOKEN}\"")),
        "{}",
        index.body
    );
    let mut events = s.events(&format!("{BOARD}/events?token={TOKEN}"), "");
    assert_eq!(events.status, 200);
    assert!(events.next_board(Duration::from_secs(5)).is_some());
    assert_eq!(s.get("/assets/board.js").status, 200);
    assert_eq!(
        s.get("/nope").status,
        401,
        "what is guarded is not told apart"
    );
}

#[test]
fn listening_beyond_loopback_needs_a_good_token() {
    let log = tempfile::tempdir().unwrap();
    let refused = |args: &[&str]| {
        let out = gavel(log.path(), &now())
            .args(["serve", SEED_FILE])
            .args(args)
            .env_remove("GAVEL_TOKEN")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let why = refused(&["--listen", "0.0.0.0:0"]);
    assert!(
        why.contains("--token") && why.contains("127.0.0.1"),
        "{why}"
    );
    assert!(refused(&["--listen", "[::]:0"]).contains("--token"));
    assert!(refused(&["--listen", "0.0.0.0:0", "--token", "short"]).contains("at least 16"));
    assert!(refused(&["--listen", "nowhere"]).contains("not an address"));
    let twice = refused(&[SEED_FILE, "--listen", "127.0.0.1:0"]);
    assert!(twice.contains("served already"), "{twice}");
}

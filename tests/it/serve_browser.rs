//! The board in a real browser: headless Chromium, driven over WebDriver by
//! chromedriver (Debian's `chromium` and `chromium-driver`, which `.ci/run`
//! installs when missing; without them this test fails, it never skips).
//! The page shows the speaker, the next one within 1.5 s of `gavel do next`,
//! hostile names as text, and a dropped server as "connection lost", from
//! which it recovers by itself; a PostgreSQL meeting's store out of reach
//! as "store unreachable since …", and live again once it is back.
//! Screenshots at 1920×1080 and 1280×720 are kept in `target/test-artifacts/`.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::serve::hostile_meeting;
use crate::support::web::Serving;
use crate::support::{SEED_FILE, gavel, local_time, pg};

const WITHIN: Duration = Duration::from_millis(1500);

/// What the clocks say: Mali took the floor at 15:35:00 and the server's
/// clock starts at 15:37:40, 20 s before Mali's limit: WARNING.
fn at(hms: &str) -> String {
    local_time(hms)
}

fn run(log: &Path, now: &str, words: &[&str]) {
    run_in(None, log, now, &[&["do", SEED_FILE][..], words].concat());
}

/// `gavel ARGS`, the journal in `store` when one is given.
fn run_in(store: Option<&str>, log: &Path, now: &str, args: &[&str]) {
    let mut c = gavel(log, now);
    match store {
        Some(store) => c.env("GAVEL_STORE", store),
        None => c.env_remove("GAVEL_STORE"),
    };
    let out = c.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn find(program: &str) -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("{program} is not installed: apt-get install -y chromium chromium-driver (.ci/run does it)")
        })
}

/// chromedriver on a free loopback port, once it takes connections.
fn driver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(find("chromedriver"))
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let until = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < until,
            "chromedriver did not listen within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, port)
}

async fn browser(port: u16, width: u32, height: u32) -> Client {
    let mut caps = serde_json::Map::new();
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--hide-scrollbars".into(),
        format!("--window-size={width},{height}"),
    ];
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": find("chromium"), "args": args }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a Chromium session");
    // The window's size holds the browser's own bars: the page itself is
    // to be width × height, as on the room's screen.
    let chrome: Value = client
        .execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];", vec![])
        .await
        .unwrap();
    let extra = |i: usize| chrome[i].as_u64().unwrap_or(0) as u32;
    client
        .set_window_size(width + extra(0), height + extra(1))
        .await
        .unwrap();
    let inner: Value = client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .unwrap();
    assert_eq!(inner, json!([width, height]), "the page's size");
    client
}

async fn text_of(client: &Client, id: &str) -> String {
    match client.find(Locator::Id(id)).await {
        Ok(el) => el.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Waits for `#id`'s text to satisfy `ok`; the time it took, or what it said.
async fn wait_text(
    client: &Client,
    id: &str,
    within: Duration,
    ok: impl Fn(&str) -> bool,
) -> Result<Duration, String> {
    let start = Instant::now();
    loop {
        let text = text_of(client, id).await;
        if ok(&text) {
            return Ok(start.elapsed());
        }
        if start.elapsed() > within {
            return Err(text);
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

fn artifact(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(artifact(name), png).unwrap();
}

#[test]
fn the_board_follows_the_meeting_in_a_real_browser() {
    let log = tempfile::tempdir().unwrap();
    run(log.path(), &at("15:35:00"), &["open"]);
    run(log.path(), &at("15:35:00"), &["next"]);
    run(
        log.path(),
        &at("15:35:00"),
        &["add", "Egypt", "for", "the Arab Group", "in", "ar"],
    );
    let dir = tempfile::tempdir().unwrap();
    let hostile = hostile_meeting(dir.path());
    // Both meetings' journals under one log dir.
    std::fs::rename(
        dir.path().join("logs/hostile-web"),
        log.path().join("hostile-web"),
    )
    .unwrap();
    let listen = format!("127.0.0.1:{}", free_port());
    let mut server = Some(Serving::start_at(
        &listen,
        log.path(),
        &at("15:37:40"),
        &[SEED_FILE, &hostile],
        &[],
    ));
    let board = format!("http://{listen}/m/mali-ministerial-2017");
    let (_driver, port) = driver();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(port, 1920, 1080).await;
        client.goto(&board).await.unwrap();
        wait_text(&client, "heading", Duration::from_secs(10), |t| t == "Mali")
            .await
            .expect("Mali holds the floor");
        wait_text(&client, "link", Duration::from_secs(5), |t| t == "live")
            .await
            .expect("live");
        let countdown = text_of(&client, "countdown").await;
        assert!(
            countdown.starts_with("0:1") || countdown.starts_with("0:2"),
            "{countdown}"
        );
        let standing = text_of(&client, "standing").await;
        assert!(standing.contains("WARNING"), "{standing}");
        assert!(text_of(&client, "who").await.contains("Ibrahim Boubacar"));
        assert_eq!(text_of(&client, "how").await, "in French");
        assert!(text_of(&client, "next").await.contains("United Nations"));
        assert!(
            text_of(&client, "projection")
                .await
                .starts_with("Projected end")
        );
        let wall = text_of(&client, "wall").await;
        assert!(
            wall.starts_with("15:37:4") || wall.starts_with("15:37:5"),
            "{wall}"
        );
        screenshot(&client, "board-1920x1080.png").await;

        run(log.path(), &at("15:37:40"), &["next"]);
        let took = wait_text(&client, "heading", WITHIN, |t| t == "United Nations")
            .await
            .unwrap_or_else(|t| panic!("after `gavel do next` the page still says {t:?}"));
        eprintln!("next speaker shown {took:?} after gavel do returned");

        // A dropped server: said in words, with the last update; and recovered.
        drop(server.take());
        let lost = wait_text(&client, "link", Duration::from_secs(5), |t| {
            t.starts_with("connection lost — last update 15:")
        })
        .await
        .expect("the page says the connection is lost");
        eprintln!("connection lost shown after {lost:?}");
        run(log.path(), &at("15:37:40"), &["next"]);
        let _server = Serving::start_at(
            &listen,
            log.path(),
            &at("15:38:00"),
            &[SEED_FILE, &hostile],
            &[],
        );
        wait_text(&client, "link", Duration::from_secs(10), |t| t == "live")
            .await
            .expect("live again");
        wait_text(&client, "heading", Duration::from_secs(5), |t| {
            t == "Algeria"
        })
        .await
        .expect("what happened meanwhile shows once back");

        // Hostile names are text: nothing they hold runs or becomes an element.
        client
            .goto(&format!("http://{listen}/m/hostile-web"))
            .await
            .unwrap();
        wait_text(&client, "heading", Duration::from_secs(10), |t| {
            t == "<script>window.pwned=1</script>"
        })
        .await
        .expect("the hostile name, as text");
        assert_eq!(
            text_of(&client, "who").await,
            "<img src=x onerror=\"window.pwned=2\"> — &amp; Minister"
        );
        let found: Value = client
            .execute(
                "return [typeof window.pwned, document.querySelectorAll('script').length, \
                 document.querySelectorAll('img,svg,b,i').length, document.title];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            found,
            json!([
                "undefined",
                1,
                0,
                "</title><script>alert('title')</script> — board"
            ])
        );
        client.close().await.unwrap();

        let small = browser(port, 1280, 720).await;
        small.goto(&board).await.unwrap();
        wait_text(&small, "heading", Duration::from_secs(10), |t| {
            t == "Algeria"
        })
        .await
        .unwrap();
        screenshot(&small, "board-1280x720.png").await;
        small.close().await.unwrap();
    });
}

#[test]
fn the_board_says_when_its_store_is_unreachable_in_a_real_browser() {
    let mut cluster = pg::Cluster::start("");
    cluster.sql("postgres", "CREATE DATABASE gavel");
    let url = cluster.url("gavel");
    let log = tempfile::tempdir().unwrap();
    let store = Some(url.as_str());
    run_in(store, log.path(), &at("15:35:00"), &["store", "init", &url]);
    for words in ["open", "next"] {
        run_in(
            store,
            log.path(),
            &at("15:35:00"),
            &["do", SEED_FILE, words],
        );
    }
    let listen = format!("127.0.0.1:{}", free_port());
    let now = at("15:37:40");
    let _server = Serving::start_in(store, &listen, log.path(), &now, &[SEED_FILE], &[]);
    let (_driver, port) = driver();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(port, 1280, 720).await;
        client
            .goto(&format!("http://{listen}/m/mali-ministerial-2017"))
            .await
            .unwrap();
        wait_text(&client, "heading", Duration::from_secs(10), |t| t == "Mali")
            .await
            .expect("Mali holds the floor");
        wait_text(&client, "link", Duration::from_secs(5), |t| t == "live")
            .await
            .expect("live");

        cluster.stop();
        let said = wait_text(&client, "link", Duration::from_secs(5), |t| {
            t.starts_with("store unreachable since 15:3")
                && t.ends_with(" — the board may be behind")
        })
        .await
        .unwrap_or_else(|t| panic!("with the store stopped the page says {t:?}"));
        eprintln!("store unreachable shown {said:?} after the stop");
        let link: Value = client
            .execute(
                "return document.getElementById('board').dataset.link;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(link, json!("behind"), "shown as a warning");
        assert_eq!(text_of(&client, "heading").await, "Mali", "as last seen");
        screenshot(&client, "board-store-unreachable-1280x720.png").await;

        cluster.pg_ctl_start();
        wait_text(&client, "link", Duration::from_secs(10), |t| t == "live")
            .await
            .expect("live again once the store is back");
        run_in(store, log.path(), &now, &["do", SEED_FILE, "next"]);
        wait_text(&client, "heading", WITHIN, |t| t == "United Nations")
            .await
            .unwrap_or_else(|t| panic!("after `gavel do next` the page still says {t:?}"));
        client.close().await.unwrap();
    });
}

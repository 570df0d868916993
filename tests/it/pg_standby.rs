//! A synchronous standby that goes away: with `synchronous_commit = on` and
//! `synchronous_standby_names` set, the primary holds every `COMMIT` until
//! the standby is back. A primary and a synchronous standby on loopback
//! (the failover test's pair), the standby stopped: `gavel do` and `gavel
//! run` say within a few seconds that the store has not confirmed, never
//! that the command is done or that it is not saved (another officer's
//! command, waiting behind it, says so too); the standby started
//! again, the command completes by itself and the event is on both. Ctrl-C
//! on a waiting `gavel do`, or quitting a waiting `gavel run`, says the
//! command may yet be saved, and it is, once the standby is back.
//!
//! Each test makes its own pair (initdb, pg_basebackup) and waits for the
//! standby twice: about 10 s each in CI's debug build.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::pty::Gavel;
use crate::support::{self, GAVEL, SEED_FILE, pg, web};

const STATE_JSON: &str = "/m/mali-ministerial-2017/state.json";

/// "Within a few seconds": the first word comes at 2 s.
const SAID_WITHIN: Duration = Duration::from_secs(5);
/// A standby started again catches up and is synchronous within this.
const BACK_WITHIN: Duration = Duration::from_secs(30);

fn command(home: &Path, store: &str, args: &[&str]) -> Command {
    let mut c = Command::new(GAVEL);
    c.args(args)
        .env("GAVEL_LOG_DIR", home.join("logs"))
        .env("GAVEL_NOW", support::local_time("15:41:20"))
        .env("USER", "ana")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GAVEL_STORE", store)
        .stdin(Stdio::null());
    c
}

fn run_ok(home: &Path, store: &str, args: &[&str]) -> String {
    let out = command(home, store, args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `gavel do`, running, its stderr gathered line by line as it comes.
struct Doing {
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Doing {
    fn start(home: &Path, store: &str, words: &[&str]) -> Doing {
        let mut args = vec!["do", SEED_FILE];
        args.extend_from_slice(words);
        let mut child = command(home, store, &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::<Mutex<Vec<String>>>::default();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let into = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                into.lock().unwrap().push(line);
            }
        });
        Doing { child, stderr }
    }

    fn said(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Waits until stderr says `text`, and how long it took.
    fn wait_for(&self, text: &str, within: Duration) -> Duration {
        let start = Instant::now();
        while !self.said().contains(text) {
            assert!(
                start.elapsed() < within,
                "{text:?} not said within {within:?}: {}",
                self.said()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        start.elapsed()
    }

    /// Its exit code and standard output, once it has ended.
    fn ended(mut self, within: Duration) -> (Option<i32>, String, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                start.elapsed() < within,
                "gavel do still running after {within:?}: {}",
                self.said()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout = String::new();
        std::io::Read::read_to_string(&mut self.child.stdout.take().unwrap(), &mut stdout).unwrap();
        // The reader has the rest of stderr once the pipe closed.
        std::thread::sleep(Duration::from_millis(50));
        (status.code(), stdout, self.said())
    }
}

fn events(cluster: &pg::Cluster) -> u64 {
    cluster
        .sql("gavel", "SELECT count(*) FROM gavel_events")
        .parse()
        .unwrap()
}

/// Waits until the standby has replayed `n` events (it has flushed them
/// once the primary's `COMMIT` returned; replaying may come just after).
fn standby_has(standby: &pg::Cluster, n: u64) {
    let start = Instant::now();
    while events(standby) != n {
        assert!(
            start.elapsed() < BACK_WITHIN,
            "the standby never had {n} events"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn gavel_do_says_it_waits_for_a_standby_that_is_down_and_completes_once_it_is_back() {
    let (primary, mut standby, url) = pg::synchronous_pair();
    let home = tempfile::tempdir().unwrap();
    run_ok(home.path(), &url, &["do", SEED_FILE, "open"]);

    // The board follows on the primary: reads are not held by the standby.
    let serving = web::Serving::start(
        &home.path().join("logs"),
        &support::local_time("15:41:20"),
        &[SEED_FILE],
        &["--store", &url],
    );
    standby.stop();
    let doing = Doing::start(home.path(), &url, &["note", "while the standby is down"]);
    let took = doing.wait_for(
        "gavel: saving… the store has not confirmed for 2 s (its synchronous standby may be \
         down); the command is not yet saved; waiting for it",
        SAID_WITHIN,
    );
    eprintln!("standby: the wait said after {took:?}");
    std::thread::sleep(Duration::from_millis(500));
    let mut doing = doing;
    assert!(
        doing.child.try_wait().unwrap().is_none(),
        "gavel do gave up"
    );
    assert!(!doing.said().contains("not saved"), "{}", doing.said());
    assert_eq!(
        events(&primary),
        1,
        "the waiting event shows before it is confirmed"
    );
    let asked = Instant::now();
    let board = serving.get(STATE_JSON);
    assert_eq!(board.status, 200);
    assert!(
        asked.elapsed() < Duration::from_secs(1),
        "gavel serve held up"
    );
    assert!(
        !board.body.contains("while the standby is down"),
        "{}",
        board.body
    );
    // Another officer's command waits behind it, and says so.
    let behind = Doing::start(
        home.path(),
        &url,
        &["--operator", "bo", "note", "behind it"],
    );
    behind.wait_for("the store has not answered for", SAID_WITHIN);

    standby.pg_ctl_start();
    let (code, stdout, said) = doing.ended(BACK_WITHIN);
    assert_eq!(code, Some(0), "{said}");
    assert!(stdout.contains("while the standby is down"), "{stdout}");
    assert!(said.contains("the store confirmed after"), "{said}");
    let (code, stdout, said) = behind.ended(BACK_WITHIN);
    assert_eq!(code, Some(0), "{said}");
    assert!(stdout.contains("behind it"), "{stdout}");
    assert!(!said.contains("not saved"), "{said}");
    assert_eq!(events(&primary), 3);
    standby_has(&standby, 3);
    let start = Instant::now();
    while !serving
        .get(STATE_JSON)
        .body
        .contains("while the standby is down")
    {
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "the board never showed it"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(serving);

    // Ctrl-C while it waits: the truth, and it is saved once the standby is back.
    standby.stop();
    let doing = Doing::start(home.path(), &url, &["note", "interrupted while waiting"]);
    doing.wait_for("the store has not confirmed for", SAID_WITHIN);
    // SAFETY: kill has no memory preconditions.
    unsafe { libc::kill(doing.child.id() as i32, libc::SIGINT) };
    let (code, stdout, said) = doing.ended(Duration::from_secs(5));
    eprintln!("standby: gavel do, interrupted while waiting:\n{said}");
    assert_eq!(code, Some(1), "{said}");
    assert!(stdout.is_empty(), "shown as done: {stdout}");
    assert!(
        said.contains("gavel: interrupted: stopped waiting after"),
        "{said}"
    );
    assert!(
        said.contains(
            "the store had not confirmed the command (its synchronous standby may be down), so \
             it is not shown as done, but it may yet be saved"
        ),
        "{said}"
    );
    assert!(said.contains("`gavel state`"), "{said}");
    assert!(!said.contains("not saved"), "{said}");
    assert_eq!(events(&primary), 3);

    standby.pg_ctl_start();
    pg::wait_for_sync(&primary);
    let start = Instant::now();
    while events(&primary) != 4 {
        assert!(
            start.elapsed() < BACK_WITHIN,
            "the interrupted command never showed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    standby_has(&standby, 4);
    let state = run_ok(home.path(), &url, &["state", SEED_FILE]);
    assert!(state.contains("interrupted while waiting"), "{state}");
}

#[test]
fn gavel_run_says_the_store_has_not_confirmed_and_carries_on_once_the_standby_is_back() {
    let (primary, mut standby, url) = pg::synchronous_pair();
    let dir = tempfile::tempdir().unwrap();
    let env = [("GAVEL_STORE", url.as_str()), ("USER", "ana")];
    let start = |dir: &Path| {
        let g = Gavel::start_with(&["run", SEED_FILE], dir, (200, 40), true, &env);
        g.wait_for("Speakers", Duration::from_secs(10));
        g
    };
    let mut g = start(dir.path());
    g.type_keys(":open\r");
    g.wait_until("open saved", Duration::from_secs(5), |g| {
        g.status_row().contains("saved") && events(&primary) == 1
    });

    standby.stop();
    g.type_keys(":note typed while the standby is down\r");
    let slow = "saving… the store has not confirmed for";
    let took = g.wait_until("the wait on the status line", SAID_WITHIN, |g| {
        g.status_row().contains(slow)
    });
    eprintln!("standby: the status line said it after {took:?}");
    let row = g.status_row();
    assert!(
        row.contains("(its synchronous standby may be down); the command is not yet saved"),
        "{row}"
    );
    // The screen goes on: the seconds count up.
    g.wait_until("the wait counted on", Duration::from_secs(3), |g| {
        let now = g.status_row();
        now.contains(slow) && now != row
    });
    assert!(!g.contents().contains("NOT SAVED"), "{}", g.contents());

    standby.pg_ctl_start();
    g.wait_until("the note done", BACK_WITHIN, |g| {
        let row = g.status_row();
        !row.contains("saving") && row.contains("typed while the standby is down")
    });
    assert_eq!(events(&primary), 2);
    standby_has(&standby, 2);

    // Quitting while it waits: not a hang, and the truth said.
    standby.stop();
    g.type_keys(":note typed before quitting\r");
    g.wait_until("the wait again", SAID_WITHIN, |g| {
        g.status_row().contains(slow)
    });
    // Esc closes the waiting line, as its footer says; then q asks.
    g.type_keys("\x1b");
    std::thread::sleep(Duration::from_millis(100));
    g.type_keys("q");
    g.wait_until("the question", Duration::from_secs(2), |g| {
        g.flat().contains("may yet be saved")
    });
    g.type_keys("y");
    let status = g
        .wait_exit(Duration::from_secs(5))
        .expect("gavel run hung on quitting");
    assert!(!status.success());
    // What it printed last may still be on its way from the terminal.
    g.wait_output_closed(Duration::from_secs(2));
    let said = g.flat();
    eprintln!("standby: gavel run, quit while waiting: {}", said.trim());
    assert!(said.contains("was not confirmed"), "{said}");
    assert!(said.contains("may yet be saved"), "{said}");

    standby.pg_ctl_start();
    let start = Instant::now();
    while events(&primary) != 3 {
        assert!(
            start.elapsed() < BACK_WITHIN,
            "the command left to the store never showed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

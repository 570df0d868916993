//! End to end: the real `gavel run` and `gavel board` in a pseudo-terminal,
//! on the seed meeting, read back through a terminal emulator.

use std::time::{Duration, Instant};

use crate::support::pty::{
    self, BEGIN_FRAME, END_FRAME, Gavel, LEAVE_ALTERNATE, SHOW_CURSOR, contains, cpu_ticks,
    find_all, journal_events, journal_path,
};
use crate::support::{SEED_FILE, SEED_ID};

const SECOND: Duration = Duration::from_secs(1);
/// Start-up, with the binary cold and the other tests running beside it.
const FIRST_FRAME: Duration = Duration::from_secs(3);

fn log_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temp dir")
}

fn run(log_dir: &std::path::Path, extra: &[&str], cols: u16, rows: u16) -> Gavel {
    let mut args = vec!["run", SEED_FILE];
    args.extend_from_slice(extra);
    let g = Gavel::start(&args, log_dir, cols, rows);
    g.wait_for("Speakers", FIRST_FRAME);
    g
}

/// The bytes after the last frame give the terminal back, and the emulator
/// agrees: main screen, cursor shown.
fn assert_given_back(g: &Gavel) {
    g.wait_output_closed(SECOND);
    let raw = g.raw();
    let last_begin = *find_all(&raw, BEGIN_FRAME)
        .last()
        .expect("at least one frame was drawn");
    let end = find_all(&raw[last_begin..], END_FRAME)
        .first()
        .map(|at| last_begin + at + END_FRAME.len())
        .expect("the last frame was ended");
    let after = &raw[end..];
    assert!(
        contains(after, LEAVE_ALTERNATE),
        "no leave-alternate-screen after the last frame: {:?}",
        String::from_utf8_lossy(after)
    );
    assert!(
        contains(after, SHOW_CURSOR),
        "no show-cursor after the last frame: {:?}",
        String::from_utf8_lossy(after)
    );
    let seen = g.seen();
    assert!(
        !seen.parser.screen().alternate_screen(),
        "still on the alternate screen"
    );
    assert!(
        !seen.parser.screen().hide_cursor(),
        "the cursor is still hidden"
    );
}

/// Canonical input and echo are what a shell needs back; raw mode clears both.
fn assert_cooked(g: &Gavel) {
    let modes = g.local_modes();
    assert_ne!(modes & libc::ICANON, 0, "raw mode left on: no ICANON");
    assert_ne!(modes & libc::ECHO, 0, "raw mode left on: no ECHO");
}

fn assert_raw(g: &Gavel) {
    let modes = g.local_modes();
    assert_eq!(modes & (libc::ICANON | libc::ECHO), 0, "not in raw mode");
}

#[test]
fn open_give_the_floor_quit_and_the_terminal_is_given_back() {
    let dir = log_dir();
    let mut g = run(dir.path(), &["--operator", "ana"], 100, 30);
    assert_raw(&g);
    assert!(g.contents().contains("Nobody has the floor"));

    g.type_keys(":open\r");
    g.wait_until("the meeting open and saved", SECOND, |g| {
        let status = g.status_row();
        status.contains("OPEN") && status.contains(" saved ")
    });
    g.type_keys("n");
    g.wait_until("Mali holding the floor, saved", SECOND, |g| {
        let status = g.status_row();
        g.contents()
            .contains("Mali — H.E. Mr. Ibrahim Boubacar Keïta")
            && !g.contents().contains("Nobody has the floor")
            && status.contains(" saved ")
            && status.contains("#0002 floor  Mali")
    });

    g.type_keys("q");
    g.wait_for("Quit gavel?", SECOND);
    g.type_keys("y");
    let status = g.wait_exit(SECOND).expect("gavel quits within a second");
    assert!(status.success(), "exit status {status:?}");
    assert_given_back(&g);
    assert_cooked(&g);

    assert_eq!(journal_events(dir.path()), ["opened", "floor_given"]);
}

#[test]
fn too_small_says_so_until_resized() {
    let dir = log_dir();
    let mut g = Gavel::start(&["run", SEED_FILE], dir.path(), 70, 20);
    g.wait_until("the too-small message", FIRST_FRAME, |g| {
        let flat = g.flat();
        flat.contains("at least 80×24") && flat.contains("70×20")
    });
    assert!(!g.contents().contains("Speakers"), "panes drawn at 70×20");

    g.resize(80, 24);
    g.wait_until("the four panes at 80×24", SECOND, |g| {
        let screen = g.contents();
        ["Speakers", "Observer seats", "Clock", "Notes"]
            .iter()
            .all(|pane| screen.contains(pane))
            && !g.flat().contains("at least")
    });

    g.type_keys("qy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
}

/// A note being typed when the window shrinks is not lost to a `q` typed
/// into it: the keys go on into the line, and only Ctrl-C quits.
#[test]
fn a_line_open_when_the_window_shrinks_keeps_what_is_typed() {
    let dir = log_dir();
    let mut g = run(dir.path(), &[], 100, 30);
    g.type_keys(":note The Chair noted the ");
    g.wait_for("noted the", SECOND);
    g.resize(79, 24);
    g.wait_for("Ctrl-C quits", SECOND);
    g.type_keys("quorum");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        g.wait_exit(Duration::from_millis(50)).is_none(),
        "q quit gavel"
    );
    g.resize(100, 30);
    g.wait_for("noted the quorum", SECOND);
    g.type_keys("\x1bqy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
}

#[test]
fn two_officers_see_each_other_and_gavel_do_within_a_second() {
    let dir = log_dir();
    let mut ana = run(dir.path(), &["--operator", "ana"], 100, 30);
    let ben = run(dir.path(), &["--operator", "ben"], 100, 30);
    assert!(!ben.contents().contains("Brazil"));

    let typed = Instant::now();
    ana.type_keys(":add brazil\r");
    ana.wait_until("Brazil inscribed on ana's screen", SECOND, |g| {
        g.contents().contains("Brazil") && g.status_row().contains(" saved ")
    });
    let saved = typed.elapsed();
    let seen = ben.wait_until("Brazil on ben's screen, by ana", SECOND, |g| {
        let status = g.status_row();
        g.contents().contains("Brazil") && status.contains("ana") && status.contains("ben")
    });
    eprintln!(
        "ana saved after {saved:?}; ben saw it {seen:?} later ({:?} after the keys)",
        typed.elapsed()
    );

    let out = pty::output(
        dir.path(),
        &["do", SEED_FILE, "--operator", "cleo", "add", "ghana"],
    );
    assert!(out.status.success(), "gavel do: {out:?}");
    let done = Instant::now();
    // Ana's status line keeps her own last message until her next key, so
    // only ben's, which shows the latest action, is read for who did it.
    ben.wait_until(
        "Ghana from gavel do, by cleo, on ben's screen",
        SECOND,
        |g| g.contents().contains("Ghana") && g.status_row().contains("cleo"),
    );
    ana.wait_until(
        "Ghana from gavel do on ana's screen",
        SECOND.saturating_sub(done.elapsed()),
        |g| g.contents().contains("Ghana"),
    );
    eprintln!(
        "gavel do seen on both screens {:?} after it ended",
        done.elapsed()
    );

    ana.type_keys("qy");
    assert!(ana.wait_exit(SECOND).is_some_and(|s| s.success()));
    assert_eq!(journal_events(dir.path()), ["inscribed", "inscribed"]);
}

#[test]
fn read_only_never_writes() {
    let dir = log_dir();
    let mut g = run(dir.path(), &["--read-only"], 100, 30);
    g.type_keys(":open\r");
    // The refusal is shown whole, in its box above the footer.
    g.wait_until("the refusal to write", SECOND, |g| {
        g.contents().contains("read-only: this screen never writes")
            && g.status_row().contains("read-only")
    });
    assert!(g.status_row().contains("SCHEDULED"), "{}", g.status_row());
    g.type_keys("qy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
    assert!(
        !journal_path(dir.path()).exists(),
        "a read-only screen created the journal"
    );
    assert!(
        !dir.path().join(SEED_ID).exists(),
        "a read-only screen created the meeting's folder"
    );
}

#[test]
fn board_shows_the_big_clock_and_who_holds_the_floor() {
    let dir = log_dir();
    let mut g = Gavel::start(&["board", SEED_FILE], dir.path(), 100, 30);
    let big_rows = |g: &Gavel| g.rows().iter().filter(|r| r.contains('█')).count();
    g.wait_until("the big clock", FIRST_FRAME, |g| big_rows(g) >= 5);
    assert!(g.contents().contains("The meeting opens at 15:30"));

    for command in ["open", "next"] {
        let out = pty::output(dir.path(), &["do", SEED_FILE, "--operator", "ana", command]);
        assert!(out.status.success(), "gavel do {command}: {out:?}");
    }
    g.wait_until("Mali holding the floor on the board", SECOND, |g| {
        g.rows()
            .iter()
            .any(|r| r.trim_matches(|c: char| c == '│' || c.is_whitespace()) == "Mali")
            && g.contents().contains("H.E. Mr. Ibrahim Boubacar Keïta")
            && g.contents().contains("of 3:00 spoken")
    });
    // The clock and the speaker's countdown, both in big digits.
    assert!(big_rows(&g) >= 10, "{}", g.contents());

    g.type_keys("q");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
    assert_given_back(&g);
}

fn ended_by(signal: libc::c_int) {
    let dir = log_dir();
    let mut g = run(dir.path(), &[], 100, 30);
    g.signal(signal);
    let sent = Instant::now();
    let status = g
        .wait_exit(SECOND)
        .unwrap_or_else(|| panic!("still running 1 s after signal {signal}"));
    eprintln!(
        "signal {signal}: ended after {:?}, {status:?}",
        sent.elapsed()
    );
    // Ending by its own hand, not by the signal's default action, is what
    // lets the guard give the terminal back.
    assert_eq!(status.signal(), None, "killed by the signal: {status:?}");
    assert_given_back(&g);
    assert_cooked(&g);
}

#[test]
fn sigterm_ends_it_and_gives_the_terminal_back() {
    ended_by(libc::SIGTERM);
}

#[test]
fn sighup_ends_it_and_gives_the_terminal_back() {
    ended_by(libc::SIGHUP);
}

/// Opens the meeting, then closes every handle on the pty's master side, as
/// a dropped SSH connection does. Returns how it ended, how long it took, and
/// the CPU it used meanwhile, in milliseconds.
fn hang_up_after_open(dir: &std::path::Path) -> (portable_pty::ExitStatus, Duration, u64) {
    let mut g = run(dir, &["--operator", "ana"], 100, 30);
    g.type_keys(":open\r");
    g.wait_until("the meeting open and saved", SECOND, |g| {
        let status = g.status_row();
        status.contains("OPEN") && status.contains(" saved ")
    });
    let (before, _) = cpu_ticks(g.pid).expect("gavel's /proc stat");

    let dropped = Instant::now();
    g.hang_up();
    // Read while it is a zombie, before it is reaped and its stat is gone.
    let mut after = before;
    while dropped.elapsed() < SECOND {
        match cpu_ticks(g.pid) {
            Some((ticks, state)) => {
                after = ticks;
                if state == 'Z' {
                    break;
                }
            }
            None => break,
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let status = g
        .wait_exit(Duration::from_millis(50))
        .expect("gavel ends within a second of losing its terminal");
    let ended = dropped.elapsed();
    let ticks_per_s = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    let cpu_ms = (after - before) * 1000 / ticks_per_s;
    eprintln!("hang-up: ended after {ended:?}, {cpu_ms} ms of CPU meanwhile, {status:?}");
    (status, ended, cpu_ms)
}

#[test]
fn a_dropped_terminal_ends_it_without_spinning_and_the_journal_is_intact() {
    let dir = log_dir();
    let (_, ended, cpu_ms) = hang_up_after_open(dir.path());
    assert!(ended < SECOND, "took {ended:?}");
    // Measured: 0 to 10 ms, that is at most one clock tick.
    assert!(
        cpu_ms <= 100,
        "{cpu_ms} ms of CPU while shutting down: a spin?"
    );

    let out = pty::output(dir.path(), &["verify", SEED_FILE]);
    assert!(out.status.success(), "gavel verify: {out:?}");
    // Nothing was written on the way out.
    assert_eq!(journal_events(dir.path()), ["opened"]);
}

/// Exits 101 today: ratatui's `Drop for Terminal` fails to show the cursor on
/// the hung-up terminal and reports it with `eprintln!`, which panics when
/// stderr is that same terminal.
#[test]
fn a_dropped_terminal_is_a_clean_exit() {
    let dir = log_dir();
    let (status, _, _) = hang_up_after_open(dir.path());
    assert!(status.success(), "{status:?}");
}

/// Fails today: the resize path calls ratatui's `Terminal::clear`, which asks
/// the terminal where its cursor is and waits up to 2 s for the answer; with
/// none, gavel stops with "the terminal failed" (exit 1).
#[test]
fn resize_needs_no_answer_from_the_terminal() {
    let dir = log_dir();
    let g = Gavel::start_answering(&["run", SEED_FILE], dir.path(), 100, 30, false);
    g.wait_for("Speakers", FIRST_FRAME);
    g.resize(90, 28);
    g.wait_until("the panes redrawn at 90×28", SECOND, |g| {
        // The top row's right-hand corner lands on the new last column only
        // once the frame is drawn for the new size.
        let top = &g.rows()[0];
        top.chars().count() == 90 && top.ends_with('┐')
    });
    assert!(
        !contains(&g.raw(), pty::CURSOR_QUERY),
        "gavel asked the terminal where its cursor is"
    );
}

#[test]
fn idle_screen_draws_only_on_the_second_and_every_frame_is_synchronized() {
    let dir = log_dir();
    let mut g = run(dir.path(), &[], 100, 30);
    // Let start-up's frames settle before measuring.
    std::thread::sleep(Duration::from_millis(300));
    let (cpu_before, _) = cpu_ticks(g.pid).expect("gavel's /proc stat");
    let from = g.raw_len();
    let window = Duration::from_secs(3);
    std::thread::sleep(window);
    let raw = g.raw();
    let (cpu_after, _) = cpu_ticks(g.pid).expect("gavel's /proc stat");
    let idle = &raw[from..];
    let frames = find_all(idle, BEGIN_FRAME).len();
    let per_s = idle.len() as f64 / window.as_secs_f64();
    eprintln!(
        "idle: {} bytes in {window:?} ({per_s:.0} B/s), {frames} frames, {} CPU ticks",
        idle.len(),
        cpu_after - cpu_before
    );
    // Measured: about 155 bytes in 3 s (52 B/s; 240–261 before the frames kept their pen), 3 frames, one per
    // wall-clock second for the clock pane, and at most one CPU tick;
    // a redraw at a frame rate would show tens of frames.
    assert!((2..=5).contains(&frames), "{frames} frames in {window:?}");
    assert!(per_s < 1000.0, "{per_s:.0} B/s while idle");

    g.type_keys("qy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
    g.wait_output_closed(SECOND);
    assert_every_frame_synchronized(&g.raw());
}

/// Frames never nest or overlap, and nothing is drawn between them: only
/// the set-up before the first and the restore after the last.
fn assert_every_frame_synchronized(raw: &[u8]) {
    let begins = find_all(raw, BEGIN_FRAME);
    let ends = find_all(raw, END_FRAME);
    assert!(!begins.is_empty(), "no synchronized frame at all");
    assert_eq!(
        String::from_utf8_lossy(&raw[..begins[0]]),
        "\x1b[?1049h\x1b[?25l\x1b[?2004h",
        "before the first frame: only the alternate screen, the hidden cursor and bracketed paste"
    );
    // Pairs each begin with the first end after it; the restore's own end,
    // after the last frame, is left over.
    let mut ends = ends.into_iter().peekable();
    for (i, &begin) in begins.iter().enumerate() {
        let end = ends
            .find(|&end| end > begin)
            .unwrap_or_else(|| panic!("frame {} is never ended", i + 1));
        let Some(&next) = begins.get(i + 1) else {
            break;
        };
        assert!(end < next, "frame {} overlaps the next", i + 1);
        let between = &raw[end + END_FRAME.len()..next];
        assert!(
            between.is_empty(),
            "drawn between frames {} and {}: {:?}",
            i + 1,
            i + 2,
            String::from_utf8_lossy(between)
        );
        assert!(
            ends.peek().is_none_or(|&e| e > next),
            "frame {} ended twice",
            i + 1
        );
    }
}

/// A bug that panics must still give the terminal back: the panic hook
/// restores it before the message is printed.
#[test]
fn a_panic_gives_the_terminal_back() {
    let dir = log_dir();
    let mut g = Gavel::start_with(
        &["run", SEED_FILE],
        dir.path(),
        (100, 30),
        true,
        &[("GAVEL_TEST_PANIC", "1")],
    );
    let status = g
        .wait_exit(Duration::from_secs(5))
        .expect("the forced panic ends gavel");
    assert_eq!(status.exit_code(), 101, "a panic's exit code: {status:?}");
    assert!(
        pty::contains(&g.raw(), b"forced by GAVEL_TEST_PANIC"),
        "the panic message is shown"
    );
    assert_given_back(&g);
    assert_cooked(&g);
}

/// Key repeat over a slow link, or a paste without brackets, brings more
/// keys at once than one read takes: every one of them is handled then, not
/// when the next key comes.
#[test]
fn a_burst_of_keys_is_handled_at_once() {
    let dir = log_dir();
    let mut g = run(dir.path(), &[], 100, 30);
    let sent = Instant::now();
    g.type_keys(&format!("{}\x03", "j".repeat(3000)));
    let status = g
        .wait_exit(SECOND)
        .unwrap_or_else(|| panic!("still running 1 s after 3,000 × j and Ctrl-C"));
    eprintln!("3,000 × j then Ctrl-C: ended after {:?}", sent.elapsed());
    assert!(status.success(), "{status:?}");
    assert_given_back(&g);
}

/// The note's text, once it is in the journal.
fn noted(log_dir: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(journal_path(log_dir)).ok()?;
    text.lines().find_map(|line| {
        let entry: serde_json::Value = serde_json::from_str(line).ok()?;
        (entry["event"]["type"] == "noted")
            .then(|| entry["event"]["text"].as_str().map(String::from))?
    })
}

#[test]
fn a_long_note_typed_in_one_burst_is_saved_at_once() {
    let dir = log_dir();
    let mut g = run(dir.path(), &["--operator", "ana"], 100, 30);
    let words = "the co-chairs urge clear timelines for the reforms ";
    let text: String = words.chars().cycle().take(2_999).chain(['.']).collect();
    let sent = Instant::now();
    g.type_keys(&format!(":note {text}\r"));
    while noted(dir.path()).is_none() {
        assert!(
            sent.elapsed() < SECOND,
            "the note is not in the journal 1 s after its keys:\n{}",
            g.contents()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!(
        "a note of 3,000 characters: journaled after {:?}",
        sent.elapsed()
    );
    assert_eq!(noted(dir.path()).as_deref(), Some(text.as_str()));
    g.type_keys("qy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
}

/// An Esc that ends a burst is the Esc key at once: nothing more is on its
/// way to make it the start of a sequence. Here it ends 1,024 bytes, one
/// whole read of crossterm's own readers, which held it until the next key.
#[test]
fn an_esc_at_the_end_of_a_burst_is_taken_at_once() {
    let dir = log_dir();
    let mut g = run(dir.path(), &[], 100, 30);
    // `q` asks whether to quit; the Esc says no, and the status line says so.
    let burst = format!("{}q\x1b", "j".repeat(1_022));
    assert_eq!(burst.len(), 1_024);
    g.type_keys(&burst);
    let taken = g.wait_until("the question cancelled by the Esc", SECOND, |g| {
        g.status_row().contains("cancelled")
    });
    eprintln!("a burst ending in Esc: taken after {taken:?}");
    g.type_keys("qy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
}

/// Writes the officer's settings where every gavel of these tests looks.
fn settings(log_dir: &std::path::Path, text: &str) {
    let folder = log_dir.join("config/gavel");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("settings.toml"), text).unwrap();
}

/// Keys of one's own: `next` moved to `N` in the settings is `N` in the
/// footer, in the `?` help and in what the key does; `n` does nothing.
#[test]
fn a_key_moved_in_the_settings_moves_in_dispatch_footer_and_help() {
    let dir = log_dir();
    settings(dir.path(), "[keys.speakers]\nnext = [\"N\", \">\"]\n");
    let mut g = run(dir.path(), &["--operator", "ana"], 100, 30);
    g.wait_for("N next", SECOND);
    g.type_keys("Oy");
    g.wait_for("OPEN", SECOND);
    g.type_keys("n");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        journal_events(dir.path()),
        ["opened"],
        "n is no longer next"
    );
    g.type_keys("N");
    g.wait_until("N gives the floor", SECOND, |_| {
        journal_events(dir.path()).len() == 2
    });
    assert_eq!(journal_events(dir.path())[1], "floor_given");
    g.type_keys("?");
    g.wait_for("floor to the next listed", SECOND);
    let row = g
        .rows()
        .into_iter()
        .find(|r| r.contains("floor to the next listed"))
        .unwrap();
    assert!(
        row.contains("N >"),
        "the help names the keys in force: {row:?}"
    );
    g.type_keys("\x03");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
}

/// A settings file with a mistake stops gavel before the screen, naming
/// each mistake's line and column, and nothing is written.
#[test]
fn a_settings_mistake_stops_gavel_at_its_line_and_column() {
    let dir = log_dir();
    settings(
        dir.path(),
        "[keys.speakers]\nnext = \"e\"\nadd = \"Ctrl-Shift-a\"\n",
    );
    let out = pty::output(dir.path(), &["run", SEED_FILE]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("settings.toml:2:8: e is bound twice in Speakers: to next and to end"),
        "{stderr}"
    );
    assert!(
        stderr.contains("settings.toml:3:7: \"Ctrl-Shift-a\" is not a key"),
        "{stderr}"
    );
    assert!(!journal_path(dir.path()).exists());
}

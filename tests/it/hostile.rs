//! Hostile input: names in the meeting file, names and notes typed in commands
//! and at the prompt, the operator's name, a hand-edited journal and session
//! log, holding terminal controls, escape sequences, 8-bit C1 controls, bidi
//! overrides, invisible characters, a 500-mark zalgo string, 10 kB of text
//! and invalid UTF-8. None of it may reach a screen, a log or an output as
//! anything a terminal would act on, nothing may panic, and what is refused
//! says why.
//!
//! The proptests at the end are the fuzz targets' counterparts (the checks
//! themselves live in `fuzz/src/lib.rs`), small enough to run in CI.

#[path = "../../fuzz/src/lib.rs"]
mod checks;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gavel::text::MAX_MARKS_PER_CHAR;
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;

use crate::support;
use crate::support::pty::{self, Gavel};

const SECOND: Duration = Duration::from_secs(1);
const FIRST_FRAME: Duration = Duration::from_secs(3);
const MEETING_ID: &str = "hostile";

/// 500 combining acute accents: a "zalgo" string that smears over the lines
/// around it when a terminal stacks every mark.
fn zalgo() -> String {
    "\u{301}".repeat(500)
}

/// A meeting whose every name holds something a terminal would act on, in
/// TOML's own escapes (TOML allows no raw control character in a string).
/// Beside each, what it must read as once sanitised.
fn hostile_meeting() -> String {
    format!(
        r#"[meeting]
id = "{MEETING_ID}"
title = "Hostile \u001b]0;pwned\u0007input"
venue = "Hall \u202eevil"
room = "Room \u009b2J1"
date = 2017-09-20
start = "15:30"
end = "18:00"
timezone = "America/New_York"

[[roster]]
id = "eastland"
delegation = "East\u001b]0;pwned\u0007land"
representative = "H.E. Ms. \u001b[2JClear\u001b[31mRed"
title = "Minister \u202eof\u200b Tricks\u0085"
level = "minister"
role = "co_chair"

[[roster]]
id = "westland"
delegation = "West\u009b31mland"
representative = "Mr. Z{zalgo}algo"
level = "head_of_delegation"
role = "participant"

[[roster]]
id = "northland"
delegation = "\u200dNorth\u200c\u200cland\u200d\ufeff\u0000"
level = "observer"
role = "observer"
aliases = ["\u001b[5mblink"]

[[segment]]
id = "opening"
title = "Opening \u001bP+q\u001b\\ segment"
speaking_limit = "3m"
speakers = ["eastland", "westland"]

[seating]
rows = 1
seats_per_row = 4
blocked = []
"#,
        zalgo = zalgo()
    )
}

/// The operator as typed: colour, a bidi override and a bell around "mallory".
const OPERATOR: &str = "\u{1b}[31mmal\u{202e}lory\u{7}";

/// Notes as typed, each with what it must become. (A NUL cannot be passed
/// in an argument; it comes in through the meeting file and the journal.)
const NOTES: [(&str, &str); 6] = [
    ("osc \u{1b}]0;pwned\u{7} done", "osc done"),
    (
        "clear \u{1b}[2JCLR red \u{1b}[31mRED\u{1b}[0m",
        "clear CLR red RED",
    ),
    ("c1 \u{9b}2Jcsi \u{9d}0;pwned\u{9c} end", "c1 csi end"),
    (
        "bidi \u{202e}desserts\u{202c} zw\u{200b}j\u{feff}oin",
        "bidi desserts zwjoin",
    ),
    (
        "bel\u{7} bs\u{8} del\u{7f} cr\r lf\n tab\t nel\u{85} end",
        "bel bs del cr lf tab nel end",
    ),
    (
        "dcs \u{1b}P+q544e\u{1b}\\ apc \u{1b}_x\u{1b}\\ end",
        "dcs apc end",
    ),
];

/// Joiners stay between letters; at a word's edge or doubled they go.
const JOINED: (&str, &str) = (
    "joined \u{200d}می\u{200c}خواهم\u{200c} क्\u{200d}ष\u{200c}\u{200c}x",
    "joined می\u{200c}خواهم क्\u{200d}षx",
);

/// A temporary folder with the hostile meeting file and its log folder.
struct Hostile {
    dir: tempfile::TempDir,
    file: PathBuf,
    logs: PathBuf,
}

impl Hostile {
    fn new() -> Hostile {
        Hostile::with(hostile_meeting().as_bytes())
    }

    fn with(text: &[u8]) -> Hostile {
        let dir = tempfile::tempdir().expect("a temp dir");
        let file = dir.path().join("hostile.toml");
        fs::write(&file, text).expect("the meeting file");
        let logs = dir.path().join("logs");
        Hostile { dir, file, logs }
    }

    fn m(&self) -> &str {
        self.file.to_str().expect("a UTF-8 path")
    }

    fn meeting_dir(&self) -> PathBuf {
        self.logs.join(MEETING_ID)
    }

    fn journal(&self) -> PathBuf {
        self.meeting_dir().join("journal.jsonl")
    }

    fn session_log(&self) -> PathBuf {
        self.meeting_dir().join("session.log")
    }

    /// The binary with the pty tests' environment (its own log, config and
    /// data folders, the clock at 15:29) and no terminal.
    fn command(&self) -> Command {
        let mut c = Command::new(support::GAVEL);
        c.current_dir(self.dir.path())
            .env_remove("NO_COLOR")
            .env("USER", "clerk")
            .env("HOME", self.dir.path().join("home"))
            .stdin(Stdio::null());
        for (key, value) in pty::env_for(&self.logs) {
            c.env(key, value);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        let out = self.command().args(args).output().expect("gavel runs");
        assert_no_panic(args, &out);
        out
    }

    /// `gavel do` by the hostile operator, which must succeed.
    fn do_(&self, words: &[&str]) -> Output {
        let mut args = vec!["do", self.m(), "--operator", OPERATOR];
        args.extend_from_slice(words);
        let out = self.run(&args);
        assert_eq!(out.status.code(), Some(0), "{words:?}: {out:?}");
        out
    }

    /// Every file in the meeting's folder with its bytes, to show that a
    /// refusal changed nothing.
    fn files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let Ok(entries) = fs::read_dir(self.meeting_dir()) else {
            return Vec::new();
        };
        let mut all: Vec<_> = entries
            .map(|e| e.expect("a folder entry").path())
            .map(|p| (p.clone(), fs::read(&p).expect("a file")))
            .collect();
        all.sort();
        all
    }
}

/// The hostile meeting opened by the hostile operator, Eastland holding the
/// floor, every hostile note written, France inscribed by a hostile spelling
/// of its name, Northland seated by one with a zero-width space inside.
fn busy_hostile() -> Hostile {
    let h = Hostile::new();
    h.do_(&["open"]);
    h.do_(&["next"]);
    for (note, _) in NOTES {
        h.do_(&["note", note]);
    }
    h.do_(&["note", &format!("z{}algo", zalgo())]);
    h.do_(&["add", "Fr\u{1b}]0;pwned\u{7}ance"]);
    h.do_(&["seat", "north\u{200b}land"]);
    h
}

/// Exit codes are the documented ones; 101 is a panic.
fn assert_no_panic(args: &[&str], out: &Output) {
    let code = out.status.code();
    assert!(
        matches!(code, Some(0..=3)),
        "{args:?} ended with {:?} (101 is a panic): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Bytes a terminal shows as they are: UTF-8, nothing below 0x20 but `\n`,
/// no DEL, no C1 control, no bidi or invisible character.
fn assert_printable(what: &str, bytes: &[u8]) {
    if let Some(at) = bytes
        .iter()
        .position(|&b| (b < 0x20 && b != b'\n') || b == 0x7f)
    {
        let from = at.saturating_sub(40);
        panic!(
            "{what}: byte {:#04x} at {at}, after {:?}",
            bytes[at],
            String::from_utf8_lossy(&bytes[from..at])
        );
    }
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: not UTF-8: {e}"));
    checks::assert_lines(what, text);
    assert_marks_capped(what, text);
}

/// No character carries more than `MAX_MARKS_PER_CHAR` combining marks.
fn assert_marks_capped(what: &str, text: &str) {
    let mut run = 0;
    for c in text.chars() {
        run = if is_combining_mark(c) { run + 1 } else { 0 };
        assert!(
            run <= MAX_MARKS_PER_CHAR,
            "{what}: more than {MAX_MARKS_PER_CHAR} marks on one character"
        );
    }
}

// ---------------------------------------------------------------------------
// On the screen
// ---------------------------------------------------------------------------

/// What a terminal was asked to do besides drawing: the title, the icon name,
/// the clipboard, bells and OSC sequences it does not know.
#[derive(Default)]
struct Asked {
    titles: Vec<Vec<u8>>,
    icon_names: Vec<Vec<u8>>,
    clipboard: usize,
    bells: usize,
    osc: Vec<Vec<Vec<u8>>>,
    controls: Vec<u8>,
}

impl vt100::Callbacks for Asked {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.icon_names.push(name.to_vec());
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], _: &[u8]) {
        self.clipboard += 1;
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8]) {
        self.clipboard += 1;
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        self.osc.push(params.iter().map(|p| p.to_vec()).collect());
    }
    fn unhandled_control(&mut self, _: &mut vt100::Screen, b: u8) {
        self.controls.push(b);
    }
}

/// Everything gavel wrote, played again on a terminal that records what it
/// was asked besides drawing.
fn asked(raw: &[u8], (cols, rows): (u16, u16)) -> Asked {
    let nz = |n: u16| std::num::NonZeroU16::new(n).expect("a size above zero");
    let mut parser = vt100::Parser::new_with_callbacks(nz(rows), nz(cols), 0, Asked::default());
    parser.process(raw);
    std::mem::take(parser.callbacks_mut())
}

/// What the raw output of a screen of hostile text must never hold.
fn assert_raw_output_harmless(raw: &[u8], size: (u16, u16)) {
    for (needle, what) in [
        (&b"pwned"[..], "the text of an OSC title change"),
        (b"\x1b]", "an OSC sequence"),
        ("\u{9b}".as_bytes(), "an 8-bit CSI (U+009B)"),
        ("\u{9d}".as_bytes(), "an 8-bit OSC (U+009D)"),
        ("\u{202e}".as_bytes(), "a right-to-left override (U+202E)"),
        ("\u{200b}".as_bytes(), "a zero-width space"),
        ("\u{feff}".as_bytes(), "a zero-width no-break space"),
        (b"\x1b[2JClear", "a hostile clear-screen"),
        (b"\x1b[2JCLR", "a hostile clear-screen"),
        (b"\x1b[31mRed", "a hostile colour"),
        (b"\x1b[31mRED", "a hostile colour"),
        (b"\x1b[5mblink", "a hostile blink"),
        (b"\x1bP", "a DCS sequence"),
        (b"\x07", "a bell"),
    ] {
        assert!(
            !pty::contains(raw, needle),
            "gavel wrote {what}: {:?}",
            String::from_utf8_lossy(needle)
        );
    }
    let text = String::from_utf8_lossy(raw);
    if let Some(c) = text.chars().find(|c| ('\u{80}'..='\u{9f}').contains(c)) {
        panic!("gavel wrote the C1 control U+{:04X}", c as u32);
    }
    assert_marks_capped("the raw output", &text);

    let asked = asked(raw, size);
    assert!(
        asked.titles.is_empty(),
        "window title set: {:?}",
        asked.titles
    );
    assert!(
        asked.icon_names.is_empty(),
        "icon name set: {:?}",
        asked.icon_names
    );
    assert_eq!(asked.clipboard, 0, "the clipboard was used");
    assert_eq!(asked.bells, 0, "the bell rang");
    assert!(asked.osc.is_empty(), "OSC sequences: {:?}", asked.osc);
    assert!(
        asked.controls.is_empty(),
        "control bytes the terminal does not know: {:?}",
        asked.controls
    );
}

/// No cell of the screen holds more than a character and its marks.
fn assert_cells_capped(g: &Gavel) {
    let seen = g.seen();
    let screen = seen.parser.screen();
    let (rows, cols) = screen.size();
    for row in 0..rows.get() {
        for col in 0..cols.get() {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            let contents = cell.contents();
            assert!(
                contents.chars().count() <= 1 + MAX_MARKS_PER_CHAR,
                "cell {row},{col} holds {contents:?}"
            );
            checks::assert_line("a cell", contents);
        }
    }
}

#[test]
fn hostile_names_notes_and_operator_show_sanitised_on_the_screen() {
    let h = busy_hostile();
    let size = (140, 40);
    let mut g = Gavel::start(
        &["run", h.m(), "--operator", OPERATOR],
        &h.logs,
        size.0,
        size.1,
    );
    g.wait_until("the hostile meeting, sanitised", FIRST_FRAME, |g| {
        let flat = g.flat();
        [
            "Eastland",
            "H.E. Ms. ClearRed",
            "Westland",
            "France",
            "Northland",
            "Opening segment",
            "osc done",
            "clear CLR red RED",
            "c1 csi end",
            "bidi desserts zwjoin",
            "bel bs del cr lf tab nel end",
            "dcs apc end",
            "mallory",
        ]
        .iter()
        .all(|text| flat.contains(text))
    });

    // Typed at the prompt, as a terminal sends keys: each character arrives
    // as itself, UTF-8 encoded, so the C1 CSI comes as the character U+009B.
    g.type_keys(":note typed \u{202e}bidi\u{200b} c1\u{9b}2J zw\u{feff}j end\r");
    g.wait_until("the typed note, sanitised and saved", SECOND, |g| {
        g.flat().contains("typed bidi c1 zwj end") && g.status_row().contains(" saved ")
    });
    assert_cells_capped(&g);

    g.type_keys("qy");
    let status = g.wait_exit(SECOND).expect("gavel quits");
    assert!(status.success(), "{status:?}");
    g.wait_output_closed(SECOND);
    assert_raw_output_harmless(&g.raw(), size);

    let journal = fs::read_to_string(h.journal()).expect("the journal");
    let last: serde_json::Value =
        serde_json::from_str(journal.lines().last().expect("a line")).expect("JSON");
    assert_eq!(last["event"]["text"], "typed bidi c1 zwj end");
    assert_eq!(last["by"], "mallory");
}

/// Text pasted at the prompt arrives as keys. A terminal wraps a paste in
/// `ESC [200~ … ESC [201~` once asked to with `ESC [?2004h`, and does so here
/// when gavel asks; without it, the paste's ESC closes the prompt and the
/// letters after it are taken as the panes' keys.
#[test]
fn text_pasted_at_the_prompt_is_text_whatever_it_holds() {
    let h = busy_hostile();
    let before = fs::read_to_string(h.journal()).expect("the journal");
    let mut g = Gavel::start(&["run", h.m()], &h.logs, 120, 40);
    g.wait_for("Eastland", FIRST_FRAME);
    let paste = "pasted \u{1b}]0;pwned\u{7} open then next\rend";
    let paste = if pty::contains(&g.raw(), b"\x1b[?2004h") {
        format!("\x1b[200~{paste}\x1b[201~")
    } else {
        paste.to_string()
    };
    g.type_keys(&format!(":note {paste}"));
    std::thread::sleep(SECOND / 2);
    g.type_keys("\x1b");
    std::thread::sleep(SECOND / 4);
    g.type_keys("\x1bqy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
    let after = fs::read_to_string(h.journal()).expect("the journal");
    let new: Vec<&str> = after[before.len()..].lines().collect();
    assert!(new.is_empty(), "a paste at the prompt recorded {new:#?}");
}

/// What is typed at the prompt is shown as it is typed, before it is
/// sanitised; a pasted zalgo string must not smear the prompt's row.
#[test]
fn a_zalgo_string_typed_at_the_prompt_is_shown_capped() {
    let h = Hostile::new();
    let mut g = Gavel::start(&["run", h.m()], &h.logs, 120, 40);
    g.wait_for("Eastland", FIRST_FRAME);
    let from = g.raw_len();
    g.type_keys(&format!(":note z{}", "\u{301}".repeat(60)));
    g.wait_until("the prompt", SECOND, |g| g.flat().contains(":note z"));
    std::thread::sleep(SECOND / 2);
    let raw = g.raw();
    assert_marks_capped("the prompt's echo", &String::from_utf8_lossy(&raw[from..]));
    g.type_keys("\x1b");
    std::thread::sleep(SECOND / 4);
    g.type_keys("\x1bqy");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
}

#[test]
fn the_board_shows_a_hostile_speaker_sanitised() {
    let h = busy_hostile();
    let size = (100, 30);
    let mut g = Gavel::start(&["board", h.m()], &h.logs, size.0, size.1);
    g.wait_until("the speaker on the board", FIRST_FRAME, |g| {
        let flat = g.flat();
        flat.contains("Eastland") && flat.contains("H.E. Ms. ClearRed")
    });
    assert_cells_capped(&g);
    g.type_keys("q");
    assert!(g.wait_exit(SECOND).is_some_and(|s| s.success()));
    g.wait_output_closed(SECOND);
    assert_raw_output_harmless(&g.raw(), size);
}

// ---------------------------------------------------------------------------
// In the logs and the outputs
// ---------------------------------------------------------------------------

/// A child killed however the test ends, so no follower outlives it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// What `gavel tail -f` printed until it had `lines` lines, as raw bytes.
fn follow(h: &Hostile, lines: usize) -> Vec<u8> {
    let mut child = h
        .command()
        .args(["tail", h.m(), "-f"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gavel tail -f starts");
    let stdout = child.stdout.take().expect("its stdout");
    let _running = Running(child);
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        loop {
            let mut line = Vec::new();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if send.send(line).is_err() {
                        return;
                    }
                }
            }
        }
    });
    let mut out = Vec::new();
    let deadline = Instant::now() + 3 * SECOND;
    for n in 0..lines {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = receive
            .recv_timeout(left)
            .unwrap_or_else(|e| panic!("tail -f printed {n} of {lines} lines: {e}"));
        out.extend_from_slice(&line);
    }
    out
}

#[test]
fn hostile_text_never_reaches_the_logs_or_any_output() {
    let h = busy_hostile();
    h.do_(&["note", JOINED.0]);
    let log = fs::read(h.session_log()).expect("the session log");
    assert_printable("session.log", &log);
    let log = String::from_utf8(log).expect("UTF-8");
    for (_, clean) in NOTES.iter().chain([&JOINED]) {
        assert!(log.contains(clean), "{clean:?} not in the log:\n{log}");
    }
    assert!(log.contains("The meeting is open: Hostile input · mallory"));
    assert!(log.contains("Eastland — H.E. Ms. ClearRed takes the floor"));
    assert!(log.contains("France inscribed"));
    assert!(log.contains("Northland seated at A1"));
    assert!(!log.contains("pwned"), "{log}");
    assert_printable("the journal", &fs::read(h.journal()).expect("the journal"));

    let lines = log.lines().count();
    for args in [
        vec!["state", h.m()],
        vec!["state", h.m(), "--json"],
        vec!["tail", h.m()],
        vec!["tail", h.m(), "--json"],
        vec!["verify", h.m()],
        vec!["check", h.m()],
    ] {
        let out = h.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert_printable(&format!("{args:?}"), &out.stdout);
        assert_printable(&format!("{args:?} on stderr"), &out.stderr);
        assert!(!pty::contains(&out.stdout, b"pwned"), "{args:?}");
    }
    let json = h.run(&["state", h.m(), "--json"]).stdout;
    let state: serde_json::Value = serde_json::from_slice(&json).expect("state --json");
    // JSON escapes would hide a control in `\u001b`: the strings themselves are checked.
    assert_json_strings_printable(&state);
    assert_eq!(state["meeting"]["title"], "Hostile input");
    assert_eq!(state["floor"]["delegation"], "Eastland");
    assert_eq!(state["floor"]["title"], "Minister of Tricks");
    let westland = &state["queue"][0]["representative"];
    assert_eq!(
        westland.as_str().map(|s| s.chars().count()),
        Some("Mr. Zalgo".len() + 3),
        "{westland}"
    );

    let followed = follow(&h, lines);
    assert_printable("tail -f", &followed);
    assert_eq!(String::from_utf8(followed).expect("UTF-8"), log);
    let tail = h.run(&["tail", h.m()]).stdout;
    assert_eq!(String::from_utf8(tail).expect("UTF-8"), log, "tail");
}

fn assert_json_strings_printable(value: &serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            checks::assert_line("a string in state --json", s);
            assert_marks_capped("a string in state --json", s);
        }
        serde_json::Value::Array(items) => items.iter().for_each(assert_json_strings_printable),
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                checks::assert_line("a key in state --json", key);
                assert_json_strings_printable(item);
            }
        }
        _ => {}
    }
}

/// A journal edited by hand is untrusted too: what it says is sanitised as it
/// is read back, for every reader.
#[test]
fn a_hand_edited_journal_line_is_sanitised_when_read() {
    let h = busy_hostile();
    let journal = fs::read_to_string(h.journal()).expect("the journal");
    let seq = journal.lines().count() + 1;
    let note = journal.matches(r#""type":"noted""#).count() + 1;
    let line = format!(
        concat!(
            r#"{{"v":1,"seq":{seq},"at":"2017-09-20T19:29:00Z","by":"ev\u001b]0;pwned\u0007e","#,
            r#""event":{{"type":"noted","note":{note},"text":"hand \u001b[2J\u202e\u0000\u009b31m edited","#,
            r#""tags":[],"segment":"opening","speech":null}}}}"#,
            "\n"
        ),
        seq = seq,
        note = note
    );
    let mut edited = journal.clone().into_bytes();
    edited.extend_from_slice(line.as_bytes());
    fs::write(h.journal(), &edited).expect("the edited journal");

    let out = h.run(&["verify", h.m()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    for args in [
        vec!["state", h.m()],
        vec!["state", h.m(), "--json"],
        vec!["tail", h.m(), "--json"],
    ] {
        let out = h.run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        assert_printable(&format!("{args:?}"), &out.stdout);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains("pwned"), "{args:?}: {text}");
        assert!(
            text.contains("hand edited") || text.contains("hand  edited"),
            "{args:?}: {text}"
        );
        // serde_json writes a control as `\u001b`; none may be left to write.
        assert!(
            !text.contains("\\u00"),
            "{args:?}: an escaped control: {text}"
        );
    }
    // The next writer rebuilds the session log's missing line from the journal.
    h.do_(&["note", "after"]);
    let log = fs::read(h.session_log()).expect("the session log");
    assert_printable("session.log", &log);
    let log = String::from_utf8(log).expect("UTF-8");
    assert!(log.contains("hand edited · eve"), "{log}");
}

/// A session log edited by hand is printed by `gavel tail` and `gavel tail -f`
/// without what a terminal would act on.
#[test]
fn a_hand_edited_session_log_is_printed_harmless() {
    let h = busy_hostile();
    let mut log = fs::read(h.session_log()).expect("the session log");
    log.extend_from_slice(
        "15:40:00 #0099 note   hand \u{1b}]0;pwned\u{7}edited \u{202e}bidi\u{200b} \u{9b}2J\u{7f}end\n"
            .as_bytes(),
    );
    log.extend_from_slice(format!("15:40:01 #0100 note   z{}\n", zalgo()).as_bytes());
    fs::write(h.session_log(), &log).expect("the edited log");
    let lines = String::from_utf8_lossy(&log).lines().count();

    let out = h.run(&["tail", h.m()]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_printable("tail", &out.stdout);
    assert!(!pty::contains(&out.stdout, b"pwned"));
    assert_marks_capped("tail", &String::from_utf8_lossy(&out.stdout));

    let followed = follow(&h, lines);
    assert_printable("tail -f", &followed);
    assert_marks_capped("tail -f", &String::from_utf8_lossy(&followed));
}

#[test]
fn a_10_kb_note_is_refused_saying_how_long_a_note_may_be() {
    let h = Hostile::new();
    h.do_(&["open"]);
    h.do_(&["note", "one"]);
    let before = h.files();
    for (words, parts) in [
        (
            vec!["note".to_string(), "x".repeat(40_000)],
            "split it in three parts",
        ),
        (
            vec!["note".to_string(), "é".repeat(17_000)],
            "split it in two parts",
        ),
        (
            vec!["amend".to_string(), "1".to_string(), "x".repeat(20_000)],
            "split it in two parts",
        ),
    ] {
        let mut args = vec!["do", h.m()];
        args.extend(words.iter().map(String::as_str));
        let out = h.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(
            stderr.contains("the note is too long") && stderr.contains("at most 16000"),
            "{stderr}"
        );
        assert!(stderr.contains(parts), "{stderr}");
        assert!(stderr.len() < 200, "the refusal echoes the note: {stderr}");
        assert_eq!(out.stdout, b"");
        assert_eq!(h.files(), before, "a refusal changed the meeting's files");
    }
    // 10 kB of escape sequences sanitises to nothing: no note at all.
    let mut args = vec!["do", h.m(), "note"];
    let clears = "\u{1b}[2J".repeat(2_500);
    args.push(&clears);
    let out = h.run(&args);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_printable("stderr", &out.stderr);
    assert_eq!(h.files(), before);
}

/// A 10 kB name that matches no one is refused; the refusal is safe to print
/// and short enough for a status line.
#[test]
fn a_10_kb_name_is_refused_in_a_line_that_fits_a_status_line() {
    let h = Hostile::new();
    let before = h.files();
    let name = format!("\u{1b}[2J{}", "y".repeat(10_000));
    let out = h.run(&["do", h.m(), "add", &name]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert_printable("stderr", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no one called"), "{stderr}");
    assert!(
        stderr.len() < 300,
        "the refusal echoes all {} bytes of the name",
        stderr.len()
    );
    assert_eq!(h.files(), before);
}

#[test]
fn invalid_utf8_in_the_meeting_file_is_reported_at_its_line_and_column() {
    let text = hostile_meeting();
    let at = text.find("West").expect("Westland") + "West".len();
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at]
        .rsplit('\n')
        .next()
        .map_or(0, |l| l.chars().count())
        + 1;
    for byte in [0x9b, 0xff, 0xc3] {
        let mut bytes = text.clone().into_bytes();
        // A lone 0x9b is the 8-bit CSI of a terminal that reads Latin-1.
        bytes.insert(at, byte);
        let h = Hostile::with(&bytes);
        let expected = format!("{}:{line}:{col}: this byte is not UTF-8 text", h.m());
        for command in ["check", "state", "do", "run", "verify", "tail", "board"] {
            let mut args = vec![command, h.m()];
            if command == "do" {
                args.push("open");
            }
            let out = h.run(&args);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
            assert_printable("stderr", &out.stderr);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(&expected), "{args:?}: {stderr}");
            assert!(!h.logs.exists(), "{args:?} made the log folder");
        }
    }
}

/// A crafted journal line whose event type holds an escape sequence, in
/// JSON's own escapes: it stops start-up, and the reason must not carry the
/// sequence to the terminal (serde quotes the unknown value it read).
#[test]
fn a_damaged_journal_line_is_reported_without_what_it_holds() {
    let h = Hostile::new();
    h.do_(&["open"]);
    let mut journal = fs::read(h.journal()).expect("the journal");
    journal.extend_from_slice(
        concat!(
            r#"{"v":1,"seq":2,"at":"2017-09-20T19:29:00Z","by":"x","#,
            r#""event":{"type":"\u001b]0;pwned\u0007\u009b2J\u202e"}}"#,
            "\n",
            r#"{"v":1,"seq":3,"at":"2017-09-20T19:29:00Z","by":"x","event":{"type":"opened"}}"#,
            "\n"
        )
        .as_bytes(),
    );
    fs::write(h.journal(), &journal).expect("the crafted journal");
    for args in [
        vec!["verify", h.m()],
        vec!["state", h.m()],
        vec!["do", h.m(), "note", "x"],
        vec!["tail", h.m(), "--json"],
    ] {
        let out = h.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        let said = [out.stdout.clone(), out.stderr.clone()].concat();
        assert!(
            String::from_utf8_lossy(&said).contains("line 2"),
            "{args:?}: {out:?}"
        );
        assert_printable(&format!("{args:?}"), &said);
        assert!(!pty::contains(&said, b"pwned"), "{args:?}");
    }
    assert_eq!(fs::read(h.journal()).expect("the journal"), journal);
}

#[test]
fn invalid_utf8_in_a_journal_line_stops_start_up_even_when_last() {
    let h = Hostile::new();
    for words in [&["open"][..], &["note", "one"], &["note", "two"]] {
        h.do_(words);
    }
    let sound = fs::read(h.journal()).expect("the journal");
    let lines: Vec<&[u8]> = sound.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(lines.len(), 3);
    // A byte that is not UTF-8 inside the second line's note text.
    let spoil = |line: &[u8]| {
        let at = line.windows(3).position(|w| w == b"one").expect("the note") + 1;
        let mut line = line.to_vec();
        line[at] = 0x9b;
        line
    };

    let damaged = [lines[0].to_vec(), spoil(lines[1]), lines[2].to_vec()].concat();
    fs::write(h.journal(), &damaged).expect("the damaged journal");
    for args in [
        vec!["do", h.m(), "note", "three"],
        vec!["state", h.m(), "--json"],
        vec!["tail", h.m(), "--json"],
        vec!["run", h.m()],
    ] {
        let out = h.run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
        assert_printable("stderr", &out.stderr);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("journal line 2 is damaged (not valid UTF-8 text)"),
            "{args:?}: {stderr}"
        );
        assert_eq!(fs::read(h.journal()).expect("the journal"), damaged);
    }
    let out = h.run(&["verify", h.m()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("bad line: line 2: not valid UTF-8 text"),
        "{out:?}"
    );

    // The same line last, complete: what a crash cannot leave, so it stops
    // start-up too and nothing is cut.
    let spoilt_last = [lines[0].to_vec(), spoil(lines[1])].concat();
    fs::write(h.journal(), &spoilt_last).expect("the journal");
    let out = h.run(&["do", h.m(), "note", "after"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert_printable("stderr", &out.stderr);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("journal line 2 is damaged (not valid UTF-8 text)"),
        "{stderr}"
    );
    assert_eq!(fs::read(h.journal()).expect("the journal"), spoilt_last);
    assert!(
        !h.files()
            .iter()
            .any(|(p, _)| p.to_string_lossy().contains("journal.torn-")),
        "nothing was kept aside, since nothing was cut"
    );
}

// ---------------------------------------------------------------------------
// Proptest counterparts of the fuzz targets
// ---------------------------------------------------------------------------

/// Pieces a hostile text is made of: whole escape sequences, their parts,
/// every kind of control and invisible character, marks, and ordinary text.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\u{1b}]0;pwned\u{7}".to_string()),
        Just("\u{1b}]2;title\u{1b}\\".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}[?1049l".to_string()),
        Just("\u{1b}P+q\u{1b}\\".to_string()),
        Just("\u{9b}2J".to_string()),
        Just("\u{9d}0;t\u{9c}".to_string()),
        Just("\u{1b}".to_string()),
        Just("\u{301}".repeat(20)),
        Just("#summary".to_string()),
        Just(" ".to_string()),
        "[\\x{0}-\\x{20}\\x{7f}-\\x{a0}]",
        "[\\x{200b}-\\x{206f}\\x{ad}\\x{34f}\\x{61c}\\x{feff}\\x{fff9}-\\x{fffb}\\x{e0000}-\\x{e007f}]",
        "\\p{M}{1,6}",
        "[a-zA-Z0-9 éß日本]{1,8}",
        any::<char>().prop_map(String::from),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(hostile_piece(), 0..24).prop_map(|pieces| pieces.concat())
}

/// Command lines: a command word, then words, names and keywords mixed with
/// hostile pieces, so that lines get past the first word.
fn command_line() -> impl Strategy<Value = String> {
    let words: Vec<&'static str> = gavel::lang::commands().iter().map(|c| c.word).collect();
    let word = proptest::sample::select(words);
    let part = prop_oneof![
        hostile_piece(),
        proptest::sample::select(vec![
            "france",
            "brazil",
            "mali",
            "reply",
            "order",
            "limit",
            "at",
            "-20s",
            "15:42:10",
            "3m",
            "up",
            "down",
            "top",
            "bottom",
            "2",
            "A1",
            "D9",
            "list",
            "next",
            "1",
            "#action",
            "opening",
            "cote d'ivoire",
        ])
        .prop_map(String::from),
    ];
    (word, proptest::collection::vec(part, 0..8))
        .prop_map(|(word, parts)| format!("{word} {}", parts.join(" ")))
}

/// The seed meeting with a few pieces cut out or hostile text put in, so
/// that most cases get past the TOML syntax to the checks behind it.
fn mutated_seed() -> impl Strategy<Value = Vec<u8>> {
    let edit = (any::<prop::sample::Index>(), 0..40usize, hostile_text());
    proptest::collection::vec(edit, 1..4).prop_map(|edits| {
        let mut bytes = checks::SEED.as_bytes().to_vec();
        for (at, cut, put) in edits {
            let at = at.index(bytes.len());
            let end = (at + cut).min(bytes.len());
            bytes.splice(at..end, put.into_bytes());
        }
        bytes
    })
}

/// A sound journal of the seed meeting, as lines, from commands run through
/// the same decide and apply as `gavel do`.
fn seed_journal() -> Vec<Vec<u8>> {
    use gavel::domain::{State, execute};
    let mut state = State::new(checks::seed_meeting());
    let by = gavel::text::Clean::new("ana");
    let mut lines = Vec::new();
    for line in [
        "open",
        "add ghana",
        "add brazil reply",
        "next",
        "pause",
        "resume",
        "seat brazil",
        "note first #summary",
        "amend 1 first, amended",
        "end",
        "next",
        "undo",
    ] {
        let command = gavel::lang::parse(line).expect("a command");
        let done = execute(&mut state, command, checks::now(), &by).expect("decided");
        for entry in done {
            let mut json = serde_json::to_vec(&entry).expect("JSON");
            json.push(b'\n');
            lines.push(json);
        }
    }
    lines
}

#[derive(Debug, Clone)]
enum Damage {
    /// Cut the file at a byte: a torn write.
    Truncate(prop::sample::Index),
    /// Change one byte.
    Flip(prop::sample::Index, u8),
    /// A line of anything, put in before a line.
    Insert(prop::sample::Index, Vec<u8>),
    /// Zeros at the end: a power loss after the size was saved.
    Zeros(usize),
    /// One line twice.
    Repeat(prop::sample::Index),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Damage::Truncate),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Damage::Flip(i, b)),
        (
            any::<prop::sample::Index>(),
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..40),
                hostile_text().prop_map(String::into_bytes),
            ]
        )
            .prop_map(|(i, b)| Damage::Insert(i, b)),
        (1..600usize).prop_map(Damage::Zeros),
        any::<prop::sample::Index>().prop_map(Damage::Repeat),
    ]
}

fn damaged_journal(lines: &[Vec<u8>], damages: &[Damage]) -> Vec<u8> {
    let mut lines = lines.to_vec();
    for d in damages {
        match d {
            Damage::Insert(at, bytes) => {
                let mut line = bytes.clone();
                line.push(b'\n');
                lines.insert(at.index(lines.len() + 1), line);
            }
            Damage::Repeat(at) if !lines.is_empty() => {
                let line = lines[at.index(lines.len())].clone();
                lines.insert(at.index(lines.len()), line);
            }
            _ => {}
        }
    }
    let mut bytes = lines.concat();
    for d in damages {
        match d {
            Damage::Truncate(at) if !bytes.is_empty() => bytes.truncate(at.index(bytes.len())),
            Damage::Flip(at, b) if !bytes.is_empty() => {
                let at = at.index(bytes.len());
                bytes[at] = *b;
            }
            Damage::Zeros(n) => bytes.resize(bytes.len() + n, 0),
            _ => {}
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn sanitise_leaves_nothing_a_terminal_would_act_on(raw in hostile_text()) {
        checks::sanitised(&raw);
    }

    #[test]
    fn sanitise_leaves_nothing_on_any_string(raw in any::<String>()) {
        checks::sanitised(&raw);
    }

    #[test]
    fn the_meeting_file_parser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        checks::meeting_file(&bytes);
    }

    #[test]
    fn the_meeting_file_parser_never_panics_on_a_damaged_seed(bytes in mutated_seed()) {
        checks::meeting_file(&bytes);
    }

    #[test]
    fn the_command_parser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        checks::command(&bytes);
    }

    #[test]
    fn the_command_parser_never_panics_on_hostile_commands(line in command_line()) {
        checks::command(line.as_bytes());
    }

    #[test]
    fn journal_recovery_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        checks::journal_recovery(&bytes);
    }

    #[test]
    fn journal_recovery_never_panics_on_a_damaged_journal(damages in proptest::collection::vec(damage(), 1..4)) {
        static LINES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
        let lines = LINES.get_or_init(seed_journal);
        checks::journal_recovery(&damaged_journal(lines, &damages));
    }
}

/// The damaged-journal strategy starts from a journal that is sound and that
/// replays to the end.
#[test]
fn the_seed_journal_is_sound() {
    let lines = seed_journal();
    assert!(lines.len() >= 12, "{} lines", lines.len());
    checks::journal_recovery(&lines.concat());
}

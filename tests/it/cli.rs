//! The `gavel` binary end to end: every test runs the real executable in a
//! temporary folder of its own, with `GAVEL_LOG_DIR` pointing into it and the
//! clock pinned by `GAVEL_NOW`, and judges only what a user sees: exit codes,
//! stdout, stderr and the files on disk.

use std::fs;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

use crate::support::{GAVEL, SEED_ID, SEED_TEXT, local_time};

/// The operator when no `--operator` is given: `$USER`, pinned so the default is known.
const USER: &str = "clerk";

fn start() -> String {
    local_time("15:31:00")
}

/// What one run of the binary left behind.
#[derive(Debug)]
struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Out {
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

/// A temporary folder holding a copy of a meeting file, and where its logs go.
struct Gavel {
    dir: TempDir,
    meeting: PathBuf,
    logs: PathBuf,
}

impl Gavel {
    /// The seed meeting, copied to `<tmp>/config/` so that its own
    /// `log_dir = "../logs"` would also land inside the temporary folder.
    fn seeded() -> Gavel {
        Gavel::with("config/mali.toml", SEED_TEXT.as_bytes())
    }

    fn with(name: &str, text: &[u8]) -> Gavel {
        let dir = tempfile::tempdir().unwrap();
        let meeting = dir.path().join(name);
        fs::create_dir_all(meeting.parent().unwrap()).unwrap();
        fs::write(&meeting, text).unwrap();
        let logs = dir.path().join("gavel-logs");
        Gavel { dir, meeting, logs }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn m(&self) -> &str {
        self.meeting.to_str().unwrap()
    }

    fn meeting_dir(&self) -> PathBuf {
        self.logs.join(SEED_ID)
    }

    fn journal(&self) -> PathBuf {
        self.meeting_dir().join("journal.jsonl")
    }

    fn session_log(&self) -> PathBuf {
        self.meeting_dir().join("session.log")
    }

    /// The binary with a known environment: nothing from the real home folder,
    /// the user's settings or the caller's clock can leak in.
    fn command(&self, now: &str) -> Command {
        let mut c = Command::new(GAVEL);
        c.current_dir(self.path())
            .env("GAVEL_LOG_DIR", &self.logs)
            .env("GAVEL_NOW", now)
            .env("USER", USER)
            .env("HOME", self.path().join("home"))
            .env("XDG_CONFIG_HOME", self.path().join("home/.config"))
            .env("XDG_DATA_HOME", self.path().join("home/.local/share"))
            .stdin(Stdio::null());
        c
    }

    fn run_at(&self, now: &str, args: &[&str]) -> Out {
        output(self.command(now).args(args))
    }

    fn run(&self, args: &[&str]) -> Out {
        self.run_at(&start(), args)
    }

    /// `gavel do <meeting> <words>` at `now`, which must succeed.
    fn do_at(&self, now: &str, words: &[&str]) -> String {
        let mut args = vec!["do", self.m()];
        args.extend_from_slice(words);
        let out = self.run_at(now, &args);
        assert_eq!(out.code, Some(0), "gavel do {words:?} at {now}: {out:#?}");
        out.stdout
    }

    fn do_(&self, words: &[&str]) -> String {
        self.do_at(&start(), words)
    }

    fn state_json(&self, now: &str) -> Value {
        let out = self.run_at(now, &["state", self.m(), "--json"]);
        assert_eq!(out.code, Some(0), "{out:#?}");
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", out.stdout))
    }

    fn journal_bytes(&self) -> Vec<u8> {
        fs::read(self.journal()).unwrap()
    }

    fn journal_lines(&self) -> Vec<Value> {
        fs::read_to_string(self.journal())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    fn log_lines(&self) -> Vec<String> {
        fs::read_to_string(self.session_log())
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    /// Files in the meeting folder whose name starts with `prefix`.
    fn files_starting(&self, prefix: &str) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = fs::read_dir(self.meeting_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
            .collect();
        found.sort();
        found
    }
}

fn output(command: &mut Command) -> Out {
    let out = command.output().unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A child process that is killed however the test ends, so no follower outlives it.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Spawns `command` with stdout piped; its lines arrive on the receiver as they are printed.
fn follow(mut command: Command) -> (Running, mpsc::Receiver<String>) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if send.send(line).is_err() {
                return;
            }
        }
    });
    (Running(child), receive)
}

fn next_line(lines: &mpsc::Receiver<String>, within: Duration, what: &str) -> String {
    lines
        .recv_timeout(within)
        .unwrap_or_else(|e| panic!("no line from {what} within {within:?}: {e}"))
}

fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Nothing a terminal would act on: no controls but the line breaks, no ESC, no
/// bidi overrides or isolates, no zero-width characters.
fn assert_printable(what: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        if let Some(c) = line.chars().find(|&c| c.is_control() || is_hidden(c)) {
            panic!("{what}, line {}: {:?} in {line:?}", i + 1, c);
        }
    }
    // `lines()` swallows the `\r` of a `\r\n`, so it is looked for apart.
    assert!(
        !text.contains('\r'),
        "{what}: a carriage return in {text:?}"
    );
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

// ---------------------------------------------------------------------------
// gavel check
// ---------------------------------------------------------------------------

/// A small meeting that passes every check; each bad case changes one thing in it.
const MINI: &str = r#"[meeting]
id = "mini"
title = "Mini meeting"
venue = "Hall"
room = "Room 1"
date = 2017-09-20
start = "15:30"
end = "18:00"
timezone = "America/New_York"

[[roster]]
id = "eastland"
delegation = "Eastland"
level = "minister"
role = "co_chair"

[[roster]]
id = "westland"
delegation = "Westland"
level = "head_of_delegation"
role = "participant"

[[segment]]
id = "opening"
title = "Opening"
speaking_limit = "3m"
speakers = ["eastland"]

[seating]
rows = 1
seats_per_row = 2
blocked = []
"#;

/// `text` with the one occurrence of `from` replaced.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// 1-based line and column (in characters, as editors count) where the one
/// occurrence of `needle` in `text` starts.
fn place(text: &str, needle: &str) -> (usize, usize) {
    assert_eq!(
        text.matches(needle).count(),
        1,
        "{needle:?} must occur once"
    );
    let offset = text.find(needle).unwrap();
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

#[derive(Debug, PartialEq)]
struct Diagnostic {
    line: usize,
    col: usize,
    message: String,
}

/// The findings of a `gavel check FILE` that failed. Every line on stderr but
/// the closing count must be `FILE:LINE:COL: message`, so that editors and
/// `grep` can jump to it.
fn diagnostics(out: &Out, file: &str) -> Vec<Diagnostic> {
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert_eq!(out.stdout, "", "a failed check prints nothing on stdout");
    let mut lines: Vec<&str> = out.stderr.lines().collect();
    let summary = lines.pop().expect("stderr is empty");
    let found: Vec<Diagnostic> = lines
        .iter()
        .map(|line| {
            let rest = line
                .strip_prefix(&format!("{file}:"))
                .unwrap_or_else(|| panic!("not `{file}:line:col: message`: {line:?}"));
            let mut parts = rest.splitn(3, ':');
            let number = |p: Option<&str>| -> usize {
                p.and_then(|n| n.parse().ok())
                    .unwrap_or_else(|| panic!("no line:col in {line:?}"))
            };
            let line_no = number(parts.next());
            let col = number(parts.next());
            let message = parts.next().unwrap_or_default();
            assert!(
                message.starts_with(' ') && message.trim().len() > 3,
                "no message in {line:?}"
            );
            Diagnostic {
                line: line_no,
                col,
                message: message[1..].to_string(),
            }
        })
        .collect();
    let n = found.len();
    let plural = if n == 1 { "" } else { "s" };
    assert_eq!(summary, format!("gavel: {n} error{plural} in {file}"));
    found
}

fn check(g: &Gavel, file: &str) -> Out {
    g.run(&["check", file])
}

#[test]
fn check_passes_the_seed_meeting() {
    let g = Gavel::seeded();
    let out = check(&g, "config/mali.toml");
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.stdout,
        "config/mali.toml: ok — Ministerial Meeting on the Implementation of the Agreement for \
         Peace and Reconciliation in Mali; 2 segments, 36 on the roster, 38 observer seats\n"
    );
    assert!(!g.logs.exists(), "check writes no logs");
}

#[test]
fn check_puts_each_mistake_at_its_line_and_column() {
    let minimal = Gavel::with("mini.toml", MINI.as_bytes());
    let out = check(&minimal, "mini.toml");
    assert_eq!(
        out.code,
        Some(0),
        "the minimal meeting must be valid: {out:#?}"
    );

    let duplicate_roster = edit(MINI, "id = \"westland\"", "id = \"eastland\"");
    let duplicate_segment = edit(
        MINI,
        "[seating]",
        "[[segment]]\nid = \"opening\"\ntitle = \"Again\"\nspeaking_limit = \"2m\"\n\n[seating]",
    );
    // (what, file text, where the error must point, what its message must say)
    let cases: Vec<(&str, String, &str, String)> = vec![
        (
            "unknown field",
            edit(
                MINI,
                "room = \"Room 1\"\n",
                "room = \"Room 1\"\ncolour = \"blue\"\n",
            ),
            "colour",
            "unknown field `colour` in [meeting]".into(),
        ),
        (
            "bad duration",
            edit(MINI, "\"3m\"", "\"3 minutes\""),
            "\"3 minutes\"",
            "`speaking_limit` \"3 minutes\" is not a duration".into(),
        ),
        (
            "end before start",
            edit(MINI, "end = \"18:00\"", "end = \"15:00\""),
            "\"15:00\"",
            "`end` 15:00 must be after `start` 15:30".into(),
        ),
        (
            "unknown time zone",
            edit(MINI, "America/New_York", "America/Nowhere"),
            "\"America/Nowhere\"",
            "unknown time zone \"America/Nowhere\"".into(),
        ),
        (
            "duplicate roster id",
            duplicate_roster.clone(),
            "\"eastland\"\ndelegation = \"Westland\"",
            format!(
                "duplicate roster id \"eastland\" (first at line {})",
                place(&duplicate_roster, "\"eastland\"\ndelegation = \"Eastland\"").0
            ),
        ),
        (
            "duplicate segment id",
            duplicate_segment.clone(),
            "\"opening\"\ntitle = \"Again\"",
            format!(
                "duplicate segment id \"opening\" (first at line {})",
                place(&duplicate_segment, "\"opening\"\ntitle = \"Opening\"").0
            ),
        ),
        (
            "listed speaker not on the roster",
            edit(MINI, "[\"eastland\"]", "[\"eastland\", \"northland\"]"),
            "\"northland\"",
            "\"northland\" in `speakers` is not a roster id".into(),
        ),
        (
            "blocked seat outside the map",
            edit(MINI, "blocked = []", "blocked = [\"A1\", \"C1\"]"),
            "\"C1\"",
            "seat C1 is outside the map".into(),
        ),
        (
            "TOML syntax error",
            edit(MINI, "rows = 1", "rows = = 1"),
            "= 1",
            "invalid TOML".into(),
        ),
        (
            "column counted in characters after accents",
            edit(
                MINI,
                "title = \"Mini meeting\"",
                "title = \"Réunion été\" x",
            ),
            "x\n",
            "invalid TOML".into(),
        ),
    ];
    let g = Gavel::seeded();
    for (what, text, needle, says) in cases {
        fs::write(g.path().join("bad.toml"), &text).unwrap();
        let found = diagnostics(&check(&g, "bad.toml"), "bad.toml");
        let (line, col) = place(&text, needle);
        assert_eq!(found.len(), 1, "{what}: {found:#?}");
        assert_eq!(
            (found[0].line, found[0].col),
            (line, col),
            "{what}: {found:#?}"
        );
        assert!(
            found[0].message.contains(&says),
            "{what}: {:?} does not say {says:?}",
            found[0].message
        );
    }
}

#[test]
fn check_reports_every_error_of_a_file_in_file_order() {
    let text = edit(
        MINI,
        "room = \"Room 1\"\n",
        "room = \"Room 1\"\ncolour = \"blue\"\n",
    );
    let text = edit(&text, "America/New_York", "Mars/Olympus");
    let text = edit(&text, "\"3m\"", "\"3 minutes\"");
    let text = edit(&text, "[\"eastland\"]", "[\"eastland\", \"northland\"]");
    let text = edit(&text, "blocked = []", "blocked = [\"B1\", \"A3\"]");
    let g = Gavel::with("several.toml", text.as_bytes());
    let found = diagnostics(&check(&g, "several.toml"), "several.toml");
    let expected = [
        ("colour", "unknown field `colour`"),
        ("\"Mars/Olympus\"", "unknown time zone"),
        ("\"3 minutes\"", "is not a duration"),
        ("\"northland\"", "is not a roster id"),
        ("\"B1\"", "seat B1 is outside the map"),
        ("\"A3\"", "seat A3 is outside the map"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (d, (needle, says)) in found.iter().zip(expected) {
        assert_eq!((d.line, d.col), place(&text, needle), "{d:?}");
        assert!(d.message.contains(says), "{d:?} does not say {says:?}");
    }
}

#[test]
fn check_refuses_a_file_that_is_not_utf8() {
    let mut bytes = MINI.as_bytes().to_vec();
    let at = MINI.find("Mini meeting").unwrap() + "Mini ".len();
    bytes.insert(at, 0xff);
    let g = Gavel::with("latin1.toml", &bytes);
    let found = diagnostics(&check(&g, "latin1.toml"), "latin1.toml");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].message.contains("not UTF-8") && found[0].line == 3,
        "{found:#?}"
    );
}

#[test]
fn check_points_at_the_first_byte_that_is_not_utf8() {
    let mut bytes = MINI.as_bytes().to_vec();
    let at = MINI.find("Mini meeting").unwrap() + "Mini ".len();
    bytes.insert(at, 0xff);
    let g = Gavel::with("latin1.toml", &bytes);
    let found = diagnostics(&check(&g, "latin1.toml"), "latin1.toml");
    assert_eq!(
        (found[0].line, found[0].col),
        place(MINI, "meeting\"\nvenue")
    );
}

#[test]
fn check_reports_a_missing_file() {
    let g = Gavel::seeded();
    let found = diagnostics(&check(&g, "nowhere.toml"), "nowhere.toml");
    assert_eq!(
        found,
        [Diagnostic {
            line: 1,
            col: 1,
            message: "cannot read the meeting file: there is no such file".into()
        }]
    );
}

// ---------------------------------------------------------------------------
// gavel init
// ---------------------------------------------------------------------------

#[test]
fn init_writes_a_template_that_passes_check() {
    let g = Gavel::seeded();
    let out = g.run(&["init"]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(
        out.stdout,
        "wrote meeting.toml; check it with: gavel check meeting.toml\n"
    );
    let written = fs::read_to_string(g.path().join("meeting.toml")).unwrap();
    assert!(written.contains("[meeting]") && written.contains("[[segment]]"));
    let out = check(&g, "meeting.toml");
    assert_eq!(out.code, Some(0), "{out:#?}");

    let out = g.run(&["init", "other.toml"]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(check(&g, "other.toml").code, Some(0));
}

#[test]
fn init_never_overwrites_a_file() {
    let g = Gavel::seeded();
    let mine = g.path().join("meeting.toml");
    fs::write(&mine, "# my own meeting, hours of work\n").unwrap();
    let out = g.run(&["init", "meeting.toml"]);
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("exists already"), "{out:#?}");
    assert_eq!(
        fs::read_to_string(&mine).unwrap(),
        "# my own meeting, hours of work\n"
    );
}

// ---------------------------------------------------------------------------
// gavel do
// ---------------------------------------------------------------------------

/// Every command of the language once on the seed meeting, at its local time:
/// `time | words | session-log verb | what the printed line must say`.
const SCRIPT: &str = "
15:31:00 | open                          | open   | The meeting is open: Ministerial Meeting on the Implementation
15:31:10 | add Germany                   | add    | Germany inscribed 8th (statement, limit 3m)
15:31:20 | add Italy reply limit 2m      | add    | Italy inscribed 9th (right of reply, limit 2m)
15:31:30 | next at -5s                   | floor  | Mali — H.E. Mr. Ibrahim Boubacar Keïta takes the floor (at 15:31:25) (limit 3m, in French)
15:32:00 | pause                         | pause  | Mali paused at 35s
15:32:30 | resume                        | resume | Mali resumes at 35s
15:32:40 | extend 30s                    | extend | Mali's limit extended by 30s to 3m30s
15:33:00 | add Sweden order              | order  | Sweden raises a point of order; Mali pauses
15:33:20 | end                           | end    | Sweden spoke 20s; Mali has the floor again, paused
15:33:30 | resume                        | resume | Mali resumes at 1m05s
15:34:00 | end at 15:33:50               | end    | Mali spoke 1m25s (at 15:33:50)
15:34:10 | floor France                  | floor  | France — H.E. Mr. Jean-Yves Le Drian takes the floor (limit 3m, in French)
15:34:20 | move Algeria down             | move   | Algeria — H.E. Mr. Abdelkader Messahel moved to 3rd
15:34:30 | move European Union top       | move   | European Union — Ms. Federica Mogherini moved to 1st
15:34:40 | move ecowas 2                 | move   | ECOWAS Commission — H.E. Mr. Alain de Souza moved to 2nd
15:34:50 | remove Germany                | remove | Germany removed from the list
15:35:00 | pass guterres                 | pass   | United Nations — H.E. Mr. António Guterres absent: passed to 5th
15:35:10 | close list                    | close  | The list of speakers is closed (Opening session)
15:35:20 | reopen list                   | reopen | The list of speakers is reopened (Opening session)
15:35:30 | seat Brazil                   | seat   | Brazil seated at A1 (1/38 seated · 0 waiting)
15:35:40 | seat Argentina B3             | seat   | Argentina seated at B3 (2/38 seated · 0 waiting)
15:35:50 | release B3                    | release | Seat B3 freed (Argentina)
15:36:00 | release Brazil                | release | Seat A1 freed (Brazil)
15:36:10 | block A5                      | block  | Seat A5 blocked
15:36:20 | unblock A5                    | unblock | Seat A5 unblocked
15:36:30 | note Le Drian calls for elections #summary | note | Note 1 (during France): Le Drian calls for elections #summary
15:36:40 | amend 1 Le Drian calls for early elections #decision | amend | Note 1 amended: Le Drian calls for early elections #decision
15:36:50 | retract 1                     | retract | Note 1 retracted
15:37:00 | undo                          | undo   | Undoes #0028 (retracting the note)
15:37:10 | end                           | end    | France spoke 3m
15:37:12 | add Egypt for \"the Arab Group\" in ar | add | Egypt, on behalf of the Arab Group inscribed 6th (statement in Arabic, limit 3m)
15:37:14 | add Norway with Denmark, Finland | add    | Norway, with Denmark and Finland inscribed 7th (statement, limit 3m)
15:37:16 | swap Egypt with Norway        | swap   | Egypt and Norway exchanged places: 6th ↔ 7th
15:37:20 | segment next                  | segment | Co-chaired session begins
15:37:30 | segment opening               | segment | Opening session begins
15:37:40 | adjourn                       | adjourn | The meeting is adjourned
";

#[test]
fn every_command_prints_its_session_log_line() {
    let g = Gavel::seeded();
    let script: Vec<Vec<&str>> = SCRIPT
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    let mut printed = Vec::new();
    for (i, row) in script.iter().enumerate() {
        let [time, words, verb, says] = row[..] else {
            panic!("not `time | words | verb | says`: {row:?}")
        };
        let words: Vec<&str> = words.split_whitespace().collect();
        let stdout = g.do_at(&local_time(time), &words);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 1, "{words:?} printed {stdout:?}");
        let line = lines[0];
        let head = format!("{time} #{:04} ", i + 1);
        assert!(
            line.starts_with(&head),
            "{words:?}: {line:?} does not start {head:?}"
        );
        let rest = &line[head.len()..];
        assert!(
            rest.starts_with(&format!("{verb:<6} ")),
            "{words:?}: verb {verb:?} expected in {line:?}"
        );
        assert!(
            rest.contains(says),
            "{words:?}: {line:?} does not say {says:?}"
        );
        assert!(line.ends_with(&format!(" · {USER}")), "{words:?}: {line:?}");
        assert_eq!(
            g.log_lines().last().map(String::as_str),
            Some(line),
            "the session log ends with the line just printed"
        );
        printed.push(line.to_string());
    }
    assert_eq!(g.log_lines(), printed);
    assert_eq!(g.journal_lines().len(), script.len());
}

/// What the journal and the session log hold; a file not there yet holds nothing.
fn logs_of(g: &Gavel) -> (Vec<u8>, Vec<u8>) {
    let read = |p: PathBuf| fs::read(p).unwrap_or_default();
    (read(g.journal()), read(g.session_log()))
}

/// Runs `words` and expects a refusal: exit 3, the reason on stderr, and not one
/// byte of the journal or the session log changed.
fn assert_refused(g: &Gavel, words: &[&str], reason: &str) {
    let before = logs_of(g);
    let mut args = vec!["do", g.m()];
    args.extend_from_slice(words);
    let out = g.run(&args);
    assert_eq!(out.code, Some(3), "{words:?}: {out:#?}");
    assert_eq!(out.stdout, "", "{words:?}");
    assert_eq!(out.stderr, format!("gavel: {reason}\n"), "{words:?}");
    assert!(
        before == logs_of(g),
        "{words:?} changed the journal or the session log"
    );
}

#[test]
fn refused_commands_exit_3_and_change_nothing() {
    let g = Gavel::seeded();
    assert_refused(&g, &["next"], "the meeting is not open yet: open it first");
    g.do_(&["open"]);
    g.do_(&["add", "Germany"]);
    g.do_(&["note", "first"]);
    assert_refused(&g, &["add", "Germany"], "Germany is already listed, 8th");
    assert_refused(&g, &["add", "France"], "France is already listed, 4th");
    assert_refused(&g, &["add", "France"], "France is already listed, 4th");
    assert_refused(&g, &["open"], "the meeting is open already");
    assert_refused(&g, &["end"], "nobody has the floor");
    assert_refused(&g, &["retract", "9"], "there is no note 9");
    assert_refused(&g, &["release", "A1"], "seat A1 is free already");
    assert_refused(
        &g,
        &["block", "Z1"],
        "there is no seat Z1: rows A to D, seats 1 to 10",
    );
    assert_refused(
        &g,
        &["floor", "Atlantis"],
        "no one called \"Atlantis\" on the roster or among the Member States",
    );
    assert_refused(
        &g,
        &["segment", "closing"],
        "there is no segment \"closing\"; the segments are opening, co-chaired",
    );
    assert_refused(
        &g,
        &["--operator", "bob", "undo"],
        "bob has nothing left to undo",
    );
    assert_eq!(g.journal_lines().len(), 3);
}

/// Seats every observer seat of the seed (38: 4 rows of 10, D9 and D10 blocked).
const OBSERVERS: &str = "
    Argentina Australia Austria Belgium Brazil Canada Chile Colombia Croatia Cuba
    Cyprus Denmark Ecuador Estonia Finland Ghana Greece Hungary Iceland India
    Indonesia Ireland Israel Jamaica Jordan Kenya Latvia Lebanon Lithuania Luxembourg
    Malta Mexico Mongolia Morocco Nepal Norway Panama Poland
";

#[test]
fn a_full_map_sends_delegations_to_the_waitlist() {
    let g = Gavel::seeded();
    let observers: Vec<&str> = OBSERVERS.split_whitespace().collect();
    assert_eq!(observers.len(), 38);
    for (i, name) in observers.into_iter().enumerate() {
        let line = g.do_(&["seat", name]);
        assert!(
            line.contains(&format!("({}/38 seated · 0 waiting)", i + 1)),
            "{line}"
        );
    }
    assert_refused(
        &g,
        &["seat", "Peru"],
        "no observer seats free: put Peru on the waitlist with: wait Peru (0 waiting)",
    );
    assert!(
        g.do_(&["wait", "Peru"])
            .contains("wait   Peru waits, 1st on the waitlist")
    );
    assert_refused(
        &g,
        &["seat", "Peru"],
        "no observer seats free: Peru is 1st on the waitlist",
    );
    assert!(
        g.do_(&["wait", "Qatar"])
            .contains("Qatar waits, 2nd on the waitlist")
    );
    assert!(
        g.do_(&["unwait", "Qatar"])
            .contains("unwait Qatar leaves the waitlist")
    );

    let s = g.state_json(&start());
    assert_eq!(s["seats"]["occupied"].as_array().unwrap().len(), 38);
    assert_eq!(s["seats"]["free"], 0);
    assert_eq!(s["seats"]["waitlist"], serde_json::json!(["Peru"]));

    let freed = g.do_(&["release", "A1"]);
    assert!(
        freed.contains("Seat A1 freed (Argentina); offered to Peru, 1st on the waitlist"),
        "{freed}"
    );
    assert_refused(
        &g,
        &["seat", "Rwanda"],
        "the free seats are offered first to the waitlist: Peru is 1st, offered A1",
    );
    let seated = g.do_(&["seat", "Peru"]);
    assert!(
        seated.contains("Peru seated at A1, from the waitlist (38/38 seated · 0 waiting)"),
        "{seated}"
    );
    let s = g.state_json(&start());
    assert_eq!(
        s["seats"]["occupied"][0],
        serde_json::json!({"seat": "A1", "delegation": "Peru"})
    );
    assert_eq!(s["seats"]["waitlist"], serde_json::json!([]));
}

/// Kiribati 1st and Kyrgyzstan 2nd: Ghana's seat is announced to Kiribati,
/// then B3 to Kyrgyzstan, and each keeps what it was told. Kazakhstan takes
/// part in the meeting, so it may not wait for a seat it could never take.
#[test]
fn an_announced_offer_stays_with_its_delegation() {
    let g = Gavel::seeded();
    for name in OBSERVERS.split_whitespace() {
        g.do_(&["seat", name]);
    }
    assert_refused(
        &g,
        &["wait", "Kazakhstan"],
        "Kazakhstan takes part in the meeting: the observer seats are for observer delegations",
    );
    g.do_(&["wait", "Kiribati"]);
    g.do_(&["wait", "Kyrgyzstan"]);
    let ghana = g.do_(&["release", "Ghana"]);
    assert!(
        ghana.contains("Seat B6 freed (Ghana); offered to Kiribati, 1st on the waitlist"),
        "{ghana}"
    );
    let b3 = g.do_(&["release", "B3"]);
    assert!(
        b3.contains("offered to Kyrgyzstan, 2nd on the waitlist"),
        "{b3}"
    );
    let s = g.state_json(&start());
    assert_eq!(
        s["seats"]["offers"],
        serde_json::json!([
            {"seat": "B3", "delegation": "Kyrgyzstan"},
            {"seat": "B6", "delegation": "Kiribati"},
        ])
    );
    assert_refused(
        &g,
        &["seat", "Kiribati", "B3"],
        "seat B3 is offered to Kyrgyzstan, 2nd on the waitlist",
    );
    let seated = g.do_(&["seat", "Kiribati"]);
    assert!(seated.contains("Kiribati seated at B6"), "{seated}");
    let s = g.state_json(&start());
    assert_eq!(
        s["seats"]["offers"],
        serde_json::json!([{"seat": "B3", "delegation": "Kyrgyzstan"}])
    );
}

#[test]
fn a_mistyped_command_exits_2_with_a_suggestion_and_writes_nothing() {
    let g = Gavel::seeded();
    let cases: &[(&[&str], &str)] = &[
        (
            &["nxt"],
            "gavel: unknown command \"nxt\": did you mean \"next\"?\n",
        ),
        (
            &["add"],
            "gavel: add needs a name: add <delegation or roster id> [reply|order] [for <group>] \
             [with <delegation>, …] [in <lang>] [limit <dur>]\n",
        ),
        (
            &["extend", "3", "minutes"],
            "gavel: \"3 minutes\" is not a duration: write it like 3m, 90s or 2m30s\n",
        ),
        (
            &["next", "at", "+5s"],
            "gavel: at takes a time in the past: at -20s or at 15:42:10 (\"+5s\" would be in the future or is unclear)\n",
        ),
    ];
    for (words, stderr) in cases {
        let mut args = vec!["do", g.m()];
        args.extend_from_slice(words);
        let out = g.run(&args);
        assert_eq!(out.code, Some(2), "{words:?}: {out:#?}");
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, *stderr, "{words:?}");
    }
    assert!(
        !g.logs.exists(),
        "a command that does not parse opens nothing"
    );
}

#[test]
fn an_unknown_meeting_file_exits_2() {
    let g = Gavel::seeded();
    let out = g.run(&["do", "nope.toml", "open"]);
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert!(
        out.stderr
            .contains("nope.toml:1:1: cannot read the meeting file: there is no such file"),
        "{out:#?}"
    );
    assert!(!g.logs.exists());
}

#[test]
fn an_invalid_gavel_now_exits_2() {
    let g = Gavel::seeded();
    for args in [
        vec!["do", g.m(), "open"],
        vec!["state", g.m()],
        vec!["state", g.m(), "--json"],
    ] {
        let out = g.run_at("yesterday at noon", &args);
        assert_eq!(out.code, Some(2), "{args:?}: {out:#?}");
        assert!(
            out.stderr
                .starts_with("gavel: GAVEL_NOW=\"yesterday at noon\" is not an RFC 3339 instant"),
            "{out:#?}"
        );
    }
    assert!(!g.logs.exists());
}

#[test]
fn the_operator_is_who_the_journal_says_did_it() {
    let g = Gavel::seeded();
    let line = g.do_(&["--operator", "ana", "open"]);
    assert!(line.trim_end().ends_with(" · ana"), "{line}");
    g.do_(&["note", "without a flag"]);
    let out = g.run(&["do", "--operator", "ben", g.m(), "note", "flag first"]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    let by: Vec<Value> = g.journal_lines().iter().map(|l| l["by"].clone()).collect();
    assert_eq!(by, ["ana", USER, "ben"]);
}

/// An operator name of invisible characters alone would put actions under
/// no one's name: refused, nothing written.
#[test]
fn an_operator_name_of_invisible_characters_is_refused() {
    let g = Gavel::seeded();
    let out = g.run(&["do", "--operator", "\u{202e}\u{200b}", g.m(), "open"]);
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert!(
        out.stderr
            .contains("is empty once invisible characters are removed"),
        "{out:#?}"
    );
    assert!(!g.journal().exists(), "nothing was written");
}

/// Each speaker in `state --json` carries the category its limit went by,
/// the group it speaks for, a joint statement's others and its language, as
/// `gavel do` inscribed them.
#[test]
fn state_json_says_each_speakers_category_group_and_language() {
    let g = Gavel::seeded();
    g.do_(&["open"]);
    g.do_(&["add", "Peru"]);
    g.do_(&["add", "Holy", "See", "in", "French"]);
    let line = g.do_(&["add", "Egypt", "for", "\"the Arab Group\"", "in", "ar"]);
    assert!(
        line.contains("Egypt, on behalf of the Arab Group inscribed"),
        "{line}"
    );
    g.do_(&[
        "add", "Sweden", "with", "Denmark,", "Finland,", "Iceland,", "Norway",
    ]);
    let state = g.state_json(&start());
    let queue = state["queue"].as_array().unwrap();
    assert_eq!(queue[0]["category"], "member", "{}", queue[0]);
    let find = |name: &str| queue.iter().find(|q| q["delegation"] == name).unwrap();
    let peru = find("Peru");
    assert_eq!(peru["category"], "member", "{peru}");
    assert!(
        peru["on_behalf_of"].is_null() && peru["language"].is_null(),
        "{peru}"
    );
    let holy_see = find("Holy See");
    assert_eq!(
        (&holy_see["category"], &holy_see["language"]),
        (&"observer".into(), &"fr".into()),
        "{holy_see}"
    );
    let egypt = find("Egypt");
    assert_eq!(egypt["category"], "group", "{egypt}");
    assert_eq!(egypt["on_behalf_of"], "the Arab Group", "{egypt}");
    assert_eq!(egypt["language"], "ar", "{egypt}");
    let sweden = find("Sweden");
    assert_eq!(sweden["category"], "group", "{sweden}");
    assert_eq!(
        sweden["joint"],
        serde_json::json!(["Denmark", "Finland", "Iceland", "Norway"]),
        "{sweden}"
    );
    let text = g.run_at(&start(), &["state", g.m()]);
    assert!(
        text.stdout
            .contains("Sweden, with Denmark, Finland, Iceland and Norway (statement, 3m)"),
        "{text:#?}"
    );
}

/// `cote d ivoire`, with a space for the apostrophe, is Côte d'Ivoire.
#[test]
fn a_name_typed_with_a_space_for_its_apostrophe_is_found() {
    let g = Gavel::seeded();
    g.do_(&["open"]);
    let line = g.do_(&["add", "cote d ivoire"]);
    assert!(line.contains("Côte d'Ivoire"), "{line}");
}

// ---------------------------------------------------------------------------
// gavel state --json
// ---------------------------------------------------------------------------

#[test]
fn state_json_schema_1_after_a_few_commands() {
    let g = Gavel::seeded();
    g.do_at(&local_time("15:31:00"), &["open"]);
    g.do_at(&local_time("15:32:00"), &["next"]);
    g.do_at(&local_time("15:32:10"), &["add", "Germany"]);
    g.do_at(
        &local_time("15:32:20"),
        &["note", "Mali opens #summary #Action, more #summary"],
    );
    g.do_at(&local_time("15:32:30"), &["seat", "Brazil"]);
    g.do_at(&local_time("15:32:40"), &["seat", "Argentina", "B3"]);

    let s = g.state_json(&local_time("15:33:30"));
    assert_eq!(s["schema"], 1);
    assert_eq!(s["now"], "2017-09-20T19:33:30Z");
    assert_eq!(s["phase"], "open");
    assert_eq!(s["opened_at"], "2017-09-20T19:31:00Z");
    assert_eq!(s["segment"]["id"], "opening");
    assert_eq!(s["segment"]["speaking_limit"], 180);
    assert_eq!(s["segment"]["list_closed"], false);

    let floor = &s["floor"];
    assert_eq!(floor["key"], "mali-president");
    assert_eq!(floor["delegation"], "Mali");
    assert_eq!(floor["started_at"], "2017-09-20T19:32:00Z");
    assert_eq!(floor["elapsed"], 90, "15:33:30 less 15:32:00");
    assert_eq!(floor["limit"], 180);
    assert_eq!(floor["remaining"], 90);
    assert_eq!(floor["paused"], false);

    let queue = s["queue"].as_array().unwrap();
    let keys: Vec<&str> = queue.iter().map(|q| q["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        [
            "un-secretary-general",
            "algeria",
            "france",
            "au-commission",
            "european-union",
            "ecowas-commission",
            "germany"
        ]
    );
    let positions: Vec<u64> = queue
        .iter()
        .map(|q| q["position"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(queue[6]["kind"], "statement");
    assert_eq!(queue[6]["limit"], 180);

    let seats = &s["seats"];
    assert_eq!(seats["capacity"], 40);
    assert_eq!(seats["available"], 38);
    assert_eq!(seats["blocked"], serde_json::json!(["D9", "D10"]));
    assert_eq!(
        seats["occupied"],
        serde_json::json!([
            {"seat": "A1", "delegation": "Brazil"},
            {"seat": "B3", "delegation": "Argentina"}
        ])
    );
    assert_eq!(seats["free"], 36);
    assert_eq!(seats["waitlist"], serde_json::json!([]));

    let notes = s["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["id"], 1);
    assert_eq!(
        notes[0]["text"],
        "Mali opens #summary #Action, more #summary"
    );
    assert_eq!(notes[0]["tags"], serde_json::json!(["summary", "action"]));
    assert_eq!(notes[0]["speaker"], "Mali");
    assert_eq!(notes[0]["segment"], "opening");
    assert_eq!(notes[0]["by"], USER);
    assert_eq!(s["last_seq"], 6);

    // Pauses do not count, extensions do; the figures come from the journal alone.
    g.do_at(&local_time("15:34:00"), &["pause"]);
    g.do_at(&local_time("15:34:40"), &["resume"]);
    g.do_at(&local_time("15:34:50"), &["extend", "1m"]);
    let s = g.state_json(&local_time("15:35:10"));
    let floor = &s["floor"];
    assert_eq!(floor["elapsed"], 150, "2m before the pause, 30s after it");
    assert_eq!(floor["paused_secs"], 40);
    assert_eq!(floor["limit"], 240);
    assert_eq!(floor["remaining"], 90);

    g.do_at(&local_time("15:35:20"), &["end"]);
    let s = g.state_json(&local_time("15:35:30"));
    assert_eq!(s["floor"], Value::Null);
    assert_eq!(s["spoken"][0]["key"], "mali-president");
    assert_eq!(s["spoken"][0]["spoken"], 160);
    assert_eq!(s["spoken"][0]["paused"], 40);

    let text = g.run_at(&local_time("15:35:30"), &["state", g.m()]);
    assert_eq!(text.code, Some(0), "{text:#?}");
    assert!(text.stdout.contains("floor: nobody"), "{}", text.stdout);
    assert!(
        text.stdout.contains("seats: 2/38 seated · 0 waiting"),
        "{}",
        text.stdout
    );
}

// ---------------------------------------------------------------------------
// The journal and the session log
// ---------------------------------------------------------------------------

fn a_few_commands(g: &Gavel) {
    g.do_at(&local_time("15:31:00"), &["open"]);
    g.do_at(&local_time("15:31:05"), &["next"]);
    g.do_at(
        &local_time("15:31:10"),
        &["note", "Keïta thanks the mediation #summary"],
    );
    g.do_at(&local_time("15:31:15"), &["seat", "Côte", "d'Ivoire"]);
}

#[test]
fn journal_lines_are_versioned_with_contiguous_seq() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let text = fs::read_to_string(g.journal()).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    for (i, line) in lines.iter().enumerate() {
        let seq = i + 1;
        let head = format!("{{\"v\":1,\"seq\":{seq},\"at\":\"");
        assert!(line.starts_with(&head), "{line}");
        assert!(line.ends_with("}}"), "{line}");
        let value: Value = serde_json::from_str(line).unwrap();
        let object = value.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["at", "by", "event", "seq", "v"], "{line}");
        let recorded: jiff::Timestamp = value["at"].as_str().unwrap().parse().unwrap();
        assert!(value["at"].as_str().unwrap().ends_with('Z'), "UTC: {line}");
        let expected: jiff::Timestamp =
            local_time(["15:31:00", "15:31:05", "15:31:10", "15:31:15"][i])
                .parse()
                .unwrap();
        let drift = recorded.duration_since(expected).as_secs_f64();
        assert!((0.0..1.0).contains(&drift), "at follows GAVEL_NOW: {line}");
        assert_eq!(value["by"], USER);
        assert!(value["event"]["type"].is_string(), "{line}");
    }
    let types: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["event"]["type"].clone())
        .collect();
    assert_eq!(types, ["opened", "floor_given", "noted", "seated"]);
    assert_eq!(g.log_lines().len(), 4);
}

#[test]
fn journal_files_are_0640_and_the_meeting_folder_0750_whatever_the_umask() {
    for umask in [0o000, 0o077] {
        let g = Gavel::seeded();
        let mut command = g.command(&start());
        command.args(["do", g.m(), "open"]);
        // SAFETY: umask is async-signal-safe and touches nothing but the child's own mask.
        unsafe {
            command.pre_exec(move || {
                libc::umask(umask);
                Ok(())
            });
        }
        let out = output(&mut command);
        assert_eq!(out.code, Some(0), "{out:#?}");
        assert_eq!(mode(&g.meeting_dir()), 0o750, "umask {umask:o}");
        assert_eq!(mode(&g.journal()), 0o640, "umask {umask:o}");
        assert_eq!(mode(&g.session_log()), 0o640, "umask {umask:o}");
    }
}

#[test]
fn the_session_log_never_holds_control_characters() {
    let g = Gavel::seeded();
    g.do_(&["open"]);
    let hostile = [
        "\u{1b}]0;pwned\u{7} x \u{202e} y",
        "\u{1b}[2J\u{1b}[31mred\u{1b}[0m and \u{9b}31mc1\u{9c} \u{9d}0;title\u{7}",
        "bell\u{7} nul\u{1} del\u{7f} nel\u{85} lsep\u{2028} isolate\u{2066}x\u{2069} zw\u{200b}j",
        "two\nlines\r\nand\ttabs",
    ];
    for note in hostile {
        let stdout = g.do_(&["note", note]);
        assert_printable("gavel do's output", &stdout);
        assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    }
    let out = g.run(&[
        "do",
        g.m(),
        "--operator",
        "\u{1b}[31mmal\u{202e}lory\u{7}",
        "note",
        "hi",
    ]);
    assert_eq!(out.code, Some(0), "{out:#?}");

    let log = fs::read_to_string(g.session_log()).unwrap();
    assert_printable("session.log", &log);
    assert!(
        !log.contains("pwned") && !log.contains("title"),
        "escape sequences go whole: {log}"
    );
    assert!(log.contains("Note 1: x y ·"), "{log}");
    assert!(log.contains("Note 4: two lines and tabs ·"), "{log}");
    assert!(log.contains("Note 5: hi · mallory"), "{log}");
    assert_eq!(
        log.lines().count(),
        g.journal_lines().len(),
        "one line per event"
    );

    let journal = g.journal_lines();
    assert_eq!(journal[1]["event"]["text"], "x y");
    assert_eq!(journal[5]["by"], "mallory");

    for args in [
        vec!["tail", g.m()],
        vec!["state", g.m()],
        vec!["tail", g.m(), "--json"],
    ] {
        let out = g.run(&args);
        assert_eq!(out.code, Some(0), "{args:?}: {out:#?}");
        assert_printable(&format!("{args:?}"), &out.stdout);
    }
}

#[test]
fn the_session_log_is_written_again_from_the_journal_when_lost() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let lines = g.log_lines();
    fs::remove_file(g.session_log()).unwrap();
    g.do_at(&local_time("15:32:00"), &["note", "after the loss"]);
    let again = g.log_lines();
    assert_eq!(again[..4], lines[..]);
    assert!(
        again[4].starts_with("15:32:00 #0005 note   Note 2 (during Mali): after the loss"),
        "{again:#?}"
    );
}

#[test]
fn officers_at_once_get_contiguous_seq_and_one_log_line_each() {
    let g = Gavel::seeded();
    let children: Vec<Child> = (0..8)
        .map(|i| {
            let mut c = g.command(&start());
            c.args(["do", g.m(), "note", &format!("from officer {i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped());
            c.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let journal = g.journal_lines();
    let seqs: Vec<u64> = journal.iter().map(|l| l["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=8).collect::<Vec<u64>>());
    let mut texts: Vec<String> = journal
        .iter()
        .map(|l| l["event"]["text"].as_str().unwrap().to_string())
        .collect();
    texts.sort();
    assert_eq!(
        texts,
        (0..8)
            .map(|i| format!("from officer {i}"))
            .collect::<Vec<_>>()
    );
    let log_seqs: Vec<String> = g
        .log_lines()
        .iter()
        .map(|l| l.split(' ').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        log_seqs,
        (1..=8).map(|i| format!("#{i:04}")).collect::<Vec<_>>()
    );
}

#[test]
fn log_dir_comes_from_the_flag_then_the_environment_then_the_meeting_file() {
    let g = Gavel::seeded();
    let flag = g.path().join("by-flag");
    let out = g.run(&["do", g.m(), "--log-dir", flag.to_str().unwrap(), "open"]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(flag.join(SEED_ID).join("journal.jsonl").exists());
    assert!(!g.logs.exists());

    g.do_(&["open"]);
    assert!(g.journal().exists());
    assert!(
        !g.path().join("logs").exists(),
        "GAVEL_LOG_DIR wins over log_dir"
    );

    let out = output(
        g.command(&start())
            .env_remove("GAVEL_LOG_DIR")
            .args(["do", g.m(), "open"]),
    );
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(
        g.path()
            .join("logs")
            .join(SEED_ID)
            .join("journal.jsonl")
            .exists(),
        "log_dir = \"../logs\" is read from the meeting file's folder"
    );
}

// ---------------------------------------------------------------------------
// gavel tail
// ---------------------------------------------------------------------------

/// Runs of white space as one space: what `tail` keeps of a line at the least.
fn squeezed(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn tail_prints_the_session_log() {
    let g = Gavel::seeded();
    let out = g.run(&["tail", g.m()]);
    assert_eq!(
        out.code,
        Some(0),
        "a meeting not started has an empty log: {out:#?}"
    );
    assert_eq!(out.stdout, "");
    a_few_commands(&g);
    let out = g.run(&["tail", g.m()]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    let log = fs::read_to_string(g.session_log()).unwrap();
    assert_eq!(squeezed(&out.stdout), squeezed(&log));

    // Someone edits the log by hand: what tail prints must still be safe.
    let mut edited = log.clone();
    edited.push_str("15:40:00 #0099 note   \u{1b}]0;pwned\u{7}evil\u{1b}[2J\n");
    fs::write(g.session_log(), edited).unwrap();
    let out = g.run(&["tail", g.m()]);
    assert_printable("tail of a hand-edited log", &out.stdout);
    assert_eq!(out.stdout.lines().count(), 5);
}

#[test]
fn tail_prints_the_session_log_exactly() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let out = g.run(&["tail", g.m()]);
    assert_eq!(out.stdout, fs::read_to_string(g.session_log()).unwrap());
}

#[test]
fn tail_json_prints_the_journal_lines() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let out = g.run(&["tail", g.m(), "--json"]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    let printed: Vec<Value> = out
        .lines()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(printed, g.journal_lines());
}

#[test]
fn tail_follow_shows_a_later_command_within_a_second() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let mut plain = g.command(&start());
    plain.args(["tail", "-f", g.m()]);
    let (_plain, plain_lines) = follow(plain);
    let mut json = g.command(&start());
    json.args(["tail", "--follow", "--json", g.m()]);
    let (_json, json_lines) = follow(json);

    let log = g.log_lines();
    for expected in &log {
        assert_eq!(
            &next_line(&plain_lines, Duration::from_secs(5), "tail -f"),
            expected
        );
    }
    for n in 1..=log.len() {
        let line = next_line(&json_lines, Duration::from_secs(5), "tail -f --json");
        let v: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["seq"], n as u64);
    }

    let printed = g.do_at(&local_time("15:32:00"), &["note", "appended later"]);
    let done = Instant::now();
    let seen = next_line(&plain_lines, Duration::from_millis(1500), "tail -f");
    assert_eq!(seen, printed.trim_end());
    let seen: Value = serde_json::from_str(&next_line(
        &json_lines,
        Duration::from_millis(1500),
        "tail -f --json",
    ))
    .unwrap();
    assert!(done.elapsed() < Duration::from_millis(1500));
    assert_eq!(seen["seq"], 5);
    assert_eq!(seen["event"]["text"], "appended later");
}

// ---------------------------------------------------------------------------
// gavel verify, damage and recovery
// ---------------------------------------------------------------------------

#[test]
fn verify_passes_a_sound_journal() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let before = g.journal_bytes();
    let out = g.run(&["verify", g.m()]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    let journal = g.journal();
    assert_eq!(
        out.stdout,
        format!(
            "{}: 4 lines, last seq 4, {} bytes\nreplay: ok, 4 events fit the meeting file\n",
            journal.display(),
            before.len()
        )
    );
    assert_eq!(g.journal_bytes(), before);
}

/// A journal written by hand: line 2 jumps back three years, line 3 is two
/// seconds behind line 2 (two hosts' clocks: tolerated), line 4 gives the
/// floor with effect in the year 9999.
const ODD_TIMES: &str = r#"{"v":1,"seq":1,"at":"2017-09-20T19:31:00Z","by":"ana","event":{"type":"opened","effective":"2017-09-20T19:31:00Z"}}
{"v":1,"seq":2,"at":"2014-09-20T19:31:05Z","by":"ana","event":{"type":"noted","note":1,"text":"back in 2014","tags":[],"segment":"opening"}}
{"v":1,"seq":3,"at":"2014-09-20T19:31:03Z","by":"ben","event":{"type":"noted","note":2,"text":"a moment behind","tags":[],"segment":"opening"}}
{"v":1,"seq":4,"at":"2017-09-20T19:32:00Z","by":"ana","event":{"type":"floor_given","speech":1073741824,"effective":"9999-01-01T00:00:00Z"}}
"#;

#[test]
fn verify_reports_times_that_go_back_or_lie_in_the_future() {
    let g = Gavel::seeded();
    fs::create_dir_all(g.meeting_dir()).unwrap();
    fs::write(g.journal(), ODD_TIMES).unwrap();
    let now = local_time("15:40:00");
    let out = g.run_at(&now, &["verify", g.m()]);
    assert_eq!(out.code, Some(1), "{out:#?}");
    assert!(
        out.stdout
            .contains("replay: ok, 4 events fit the meeting file"),
        "{out:#?}"
    );
    let found: Vec<&str> = out
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("suspicious time: "))
        .collect();
    assert_eq!(
        found,
        [
            "suspicious time: line 2 (#2): recorded at 2014-09-20T19:31:05Z, 3 years before line 1 \
             (2017-09-20T19:31:00Z): the clock went back, or the line was changed",
            "suspicious time: line 4 (#4): takes effect at 9999-01-01T00:00:00Z, 7981 years after now \
             (2017-09-20T19:40:00Z)",
        ],
        "{out:#?}"
    );
    assert_eq!(
        out.stderr,
        "gavel: the journal's times cannot be right (see above)\n"
    );
    assert_eq!(
        g.journal_bytes(),
        ODD_TIMES.as_bytes(),
        "verify changes nothing"
    );
    // Only verify tells: a running meeting is not stopped by such a journal.
    let state = g.run_at(&now, &["state", g.m(), "--json"]);
    assert_eq!(state.code, Some(0), "{state:#?}");
}

#[test]
fn a_damaged_middle_line_is_named_and_nothing_is_overwritten() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let sound = fs::read_to_string(g.journal()).unwrap();
    let mut lines: Vec<String> = sound.lines().map(String::from).collect();
    let damages = [
        lines[1].replacen("\"seq\":2", "\"seq\":7", 1),
        lines[1][..lines[1].len() / 2].to_string(),
        "\u{0}\u{0}\u{0}".to_string(),
    ];
    for damaged in damages {
        lines[1] = damaged.clone();
        let bytes = format!("{}\n", lines.join("\n")).into_bytes();
        fs::write(g.journal(), &bytes).unwrap();

        let out = g.run(&["verify", g.m()]);
        assert_eq!(out.code, Some(1), "{damaged:?}: {out:#?}");
        assert!(
            out.stdout.contains("bad line: line 2: "),
            "{damaged:?}: {out:#?}"
        );
        assert_eq!(out.stderr, "gavel: the journal is damaged (see above)\n");
        assert_eq!(g.journal_bytes(), bytes, "verify changes nothing");

        for words in [
            vec!["do", g.m(), "note", "x"],
            vec!["state", g.m(), "--json"],
        ] {
            let out = g.run(&words);
            assert_eq!(out.code, Some(1), "{words:?}: {out:#?}");
            assert!(out.stderr.contains("journal line 2 is damaged"), "{out:#?}");
            assert_eq!(out.stdout, "");
            assert_eq!(g.journal_bytes(), bytes, "{words:?} changes nothing");
        }
        assert!(g.files_starting("journal.torn").is_empty());
    }
}

#[test]
fn a_torn_last_line_is_reported_then_cut_and_kept_by_the_next_do() {
    let g = Gavel::seeded();
    a_few_commands(&g);
    let sound = g.journal_bytes();
    let torn = b"{\"v\":1,\"seq\":5,\"at\":\"2017-09-20T19:3".to_vec();
    let mut bytes = sound.clone();
    bytes.extend_from_slice(&torn);
    fs::write(g.journal(), &bytes).unwrap();

    let out = g.run(&["verify", g.m()]);
    assert_eq!(out.code, Some(1), "{out:#?}");
    assert!(out.stdout.contains("torn tail: "), "{out:#?}");
    assert!(
        out.stdout
            .contains(&format!("(line 5, {} bytes)", torn.len())),
        "{out:#?}"
    );
    assert_eq!(g.journal_bytes(), bytes, "verify changes nothing");

    let out = g.run(&["state", g.m(), "--json"]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert!(out.stderr.contains("left as it is (read-only)"), "{out:#?}");
    assert_eq!(g.journal_bytes(), bytes, "state changes nothing");
    assert!(g.files_starting("journal.torn").is_empty());

    // Refused: the tail is said to be left as it is, and it is.
    let out = g.run_at(&local_time("15:32:00"), &["do", g.m(), "resume"]);
    assert_eq!(out.code, Some(3), "{out:#?}");
    assert!(out.stderr.contains("left as it is (read-only)"), "{out:#?}");
    assert_eq!(
        g.journal_bytes(),
        bytes,
        "a refused command changes nothing"
    );

    let out = g.run_at(
        &local_time("15:32:00"),
        &["do", g.m(), "note", "after the crash"],
    );
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(
        out.stderr.matches("line 5").count(),
        1,
        "said once: {out:#?}"
    );
    assert!(!out.stderr.contains("left as it is"), "{out:#?}");
    let kept = g.files_starting("journal.torn-");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        out.stderr
            .contains(&format!("it was cut off and kept in {}", kept[0].display())),
        "{out:#?}"
    );
    assert_eq!(fs::read(&kept[0]).unwrap(), torn);
    assert_eq!(mode(&kept[0]), 0o640);

    let after = g.journal_bytes();
    assert_eq!(
        after[..sound.len()],
        sound[..],
        "the good lines stay as they were"
    );
    let lines = g.journal_lines();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["seq"], 5);
    assert_eq!(lines[4]["event"]["text"], "after the crash");
    assert!(
        g.log_lines()[4].starts_with("15:32:00 #0005 note "),
        "{:#?}",
        g.log_lines()
    );

    let out = g.run(&["verify", g.m()]);
    assert_eq!(out.code, Some(0), "{out:#?}");
}

#[test]
fn state_verify_and_tail_never_create_the_log_folder() {
    let g = Gavel::seeded();
    for args in [
        vec!["state", g.m()],
        vec!["state", g.m(), "--json"],
        vec!["verify", g.m()],
        vec!["tail", g.m()],
        vec!["tail", g.m(), "--json"],
    ] {
        let out = g.run(&args);
        assert_ne!(out.code, Some(3), "{args:?}: {out:#?}");
        assert!(!g.logs.exists(), "{args:?} created {}", g.logs.display());
    }
    let s = g.state_json(&start());
    assert_eq!(s["phase"], "scheduled");
    assert_eq!(s["last_seq"], 0);

    // Nor do they touch a journal that exists.
    a_few_commands(&g);
    let files = || {
        let mut all: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(g.meeting_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.clone(), fs::read(&p).unwrap()))
            .collect();
        all.sort();
        all
    };
    let before = files();
    fs::remove_file(g.session_log()).unwrap();
    for args in [
        vec!["state", g.m()],
        vec!["verify", g.m()],
        vec!["tail", g.m()],
    ] {
        assert_eq!(g.run(&args).code, Some(0), "{args:?}");
    }
    assert!(
        !g.session_log().exists(),
        "read-only commands write no session log"
    );
    let without_log: Vec<_> = before
        .into_iter()
        .filter(|(p, _)| *p != g.session_log())
        .collect();
    assert_eq!(files(), without_log);
}

// --- attendance ---

/// `present` and `absent` from `gavel do`: the session-log line printed, the
/// record in `state --json` and in `gavel state`, and a refusal that writes
/// nothing.
#[test]
fn attendance_from_gavel_do_shows_in_state() {
    let g = Gavel::seeded();
    let line = g.do_at(&local_time("15:25:00"), &["present", "mali-president"]);
    assert_eq!(
        line,
        format!(
            "15:25:00 #0001 present Mali is present, represented by H.E. Mr. Ibrahim Boubacar Keïta · {USER}\n"
        )
    );
    let line = g.do_at(
        &local_time("15:28:00"),
        &[
            "present",
            "France",
            "by",
            "Mr.",
            "François",
            "Delattre",
            "at",
            "15:27",
        ],
    );
    assert!(
        line.starts_with("15:28:00 #0002 present France is present (at 15:27:00), represented by Mr. François Delattre · "),
        "{line}"
    );
    g.do_at(&local_time("15:29:00"), &["absent", "egypt"]);
    assert_refused(
        &g,
        &["present", "mali"],
        "Mali is already recorded present since 15:25:00, represented by H.E. Mr. Ibrahim Boubacar Keïta",
    );
    let line = g.do_at(
        &local_time("15:40:00"),
        &["present", "mali", "by", "H.E. Mr. Abdoulaye Diop"],
    );
    assert!(
        line.contains("Mali is now represented by H.E. Mr. Abdoulaye Diop (was H.E. Mr. Ibrahim Boubacar Keïta), present since 15:25:00"),
        "{line}"
    );
    g.do_at(&local_time("16:10:00"), &["absent", "france"]);
    let state = g.state_json(&local_time("16:11:00"));
    assert_eq!(state["schema"], 1);
    assert_eq!(
        state["attendance"],
        serde_json::json!([
            {
                "delegation": "Mali",
                "key": "mali-president",
                "representative": "H.E. Mr. Abdoulaye Diop",
                "present": true,
                "since": "2017-09-20T19:25:00Z",
                "left": null
            },
            {
                "delegation": "France",
                "key": "france",
                "representative": "Mr. François Delattre",
                "present": false,
                "since": "2017-09-20T19:27:00Z",
                "left": "2017-09-20T20:10:00Z"
            },
            {
                "delegation": "Egypt",
                "key": "egypt",
                "representative": "",
                "present": false,
                "since": null,
                "left": "2017-09-20T19:29:00Z"
            }
        ])
    );
    assert_eq!(state["last_action"]["event"], "absent");
    let text = g.run_at(&local_time("16:11:00"), &["state", g.m()]);
    assert!(
        text.stdout
            .contains("attendance: 1 present · 1 left · 1 absent, not recorded present\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("  France — Mr. François Delattre: present since 15:27:00, left 16:10:00\n")
    );
    assert_eq!(g.journal_lines()[1]["event"]["by"], "Mr. François Delattre");
}
// ---------------------------------------------------------------------------
// Suspension of the meeting (issue 13, item 6)
// ---------------------------------------------------------------------------

#[test]
fn suspend_and_reconvene_from_gavel_do_stop_the_clocks_in_state_json() {
    let g = Gavel::seeded();
    g.do_at(&local_time("15:31:00"), &["open"]);
    g.do_at(&local_time("15:32:00"), &["next"]);
    let line = g.do_at(
        &local_time("15:33:00"),
        &["suspend", "informal", "consultations"],
    );
    assert!(
        line.contains(
            "suspend The meeting is suspended (informal consultations); Mali's timer stops at 1m"
        ),
        "{line}"
    );
    let s = g.state_json(&local_time("15:40:00"));
    assert_eq!(s["suspended"]["since"], "2017-09-20T19:33:00Z");
    assert_eq!(s["suspended"]["reason"], "informal consultations");
    assert_eq!(s["suspended"]["seconds"], 420);
    assert_eq!(
        s["floor"]["elapsed"], 60,
        "the suspension is not speaking time"
    );
    assert_eq!(s["floor"]["paused"], true);
    assert_eq!(s["clock"]["since_open"], 120, "nor the meeting's time");
    assert_eq!(s["clock"]["suspended_for"], 420);
    assert_eq!(s["suspensions"][0]["to"], Value::Null);
    assert_eq!(s["meeting"]["breaks"], serde_json::json!([]));
    let text = g.run_at(&local_time("15:40:00"), &["state", g.m()]);
    assert!(
        text.stdout
            .contains("SUSPENDED since 15:33:00 (informal consultations), 7m so far"),
        "{}",
        text.stdout
    );

    let refused = g.run_at(&local_time("15:41:00"), &["do", g.m(), "next"]);
    assert_eq!(refused.code, Some(3), "{refused:#?}");
    assert_eq!(
        refused.stderr,
        "gavel: the meeting is suspended since 15:33: reconvene first to give the floor\n"
    );
    let refused = g.run_at(&local_time("15:41:00"), &["do", g.m(), "suspend"]);
    assert_eq!(
        refused.stderr,
        "gavel: the meeting is suspended already, since 15:33:00\n"
    );

    let line = g.do_at(&local_time("15:48:00"), &["reconvene"]);
    assert!(
        line.contains("reconvene The meeting reconvenes after 15m; Mali resumes at 1m"),
        "{line}"
    );
    let s = g.state_json(&local_time("15:49:00"));
    assert_eq!(s["suspended"], Value::Null);
    assert_eq!(s["floor"]["elapsed"], 120);
    assert_eq!(s["suspensions"][0]["to"], "2017-09-20T19:48:00Z");
    assert_eq!(s["suspensions"][0]["seconds"], 900);
    assert_eq!(s["suspensions"][0]["segment"], "opening");
    let refused = g.run_at(&local_time("15:49:00"), &["do", g.m(), "reconvene"]);
    assert_eq!(refused.stderr, "gavel: the meeting is not suspended\n");

    let log = g.log_lines();
    assert!(
        log.iter()
            .any(|l| l.contains("#0003 suspend The meeting is suspended")),
        "{log:?}"
    );
    let journal = g.journal_lines();
    assert_eq!(journal[2]["event"]["type"], "suspended");
    assert_eq!(journal[2]["event"]["reason"], "informal consultations");
    assert_eq!(journal[3]["event"]["type"], "reconvened");
}

#[test]
fn check_refuses_breaks_that_overlap_or_end_before_they_start() {
    let text = edit(
        SEED_TEXT,
        "timezone = \"America/New_York\"",
        "timezone = \"America/New_York\"\nbreaks = [[\"16:00\", \"17:00\"], [\"16:30\", \"16:45\"], [\"17:30\", \"17:10\"]]",
    );
    let g = Gavel::with("config/mali.toml", text.as_bytes());
    let found = diagnostics(&check(&g, "config/mali.toml"), "config/mali.toml");
    let at = |needle: &str, message: &str| {
        let (line, col) = place(&text, needle);
        Diagnostic {
            line,
            col,
            message: message.to_string(),
        }
    };
    assert_eq!(
        found,
        [
            at(
                "[\"16:30\", \"16:45\"]",
                "the break 16:30–16:45 overlaps the break 16:00–17:00: join them or move one"
            ),
            at(
                "\"17:10\"",
                "a break must end after it starts: 17:10 is not after 17:30"
            ),
        ]
    );
    let fine = edit(
        SEED_TEXT,
        "timezone = \"America/New_York\"",
        "timezone = \"America/New_York\"\nbreaks = [[\"16:30\", \"17:00\"]]",
    );
    let g = Gavel::with("config/mali.toml", fine.as_bytes());
    assert_eq!(check(&g, "config/mali.toml").code, Some(0));
    g.do_(&["open"]);
    let s = g.state_json(&start());
    assert_eq!(
        s["meeting"]["breaks"],
        serde_json::json!([["16:30", "17:00"]])
    );
}

// --- end of suspension ---

// ---------------------------------------------------------------------------
// gavel import
// ---------------------------------------------------------------------------

/// A list that cannot be read is refused whole with every bad line named,
/// exit 2, nothing written; a FIFO is not waited on; a good one is inscribed
/// row by row and prints each row's line.
#[test]
fn import_reads_a_list_all_or_nothing() {
    let g = Gavel::seeded();
    let list = g.path().join("list.csv");
    fs::write(
        &list,
        "delegation,language,limit\nPeru,es,3m\nChile,Klingon,\nGhana,,3 minutes\n",
    )
    .unwrap();
    let out = g.run(&["import", g.m(), list.to_str().unwrap()]);
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert!(out.stderr.contains("nothing was inscribed"), "{out:#?}");
    assert!(
        out.stderr
            .contains("list.csv:3: \"Klingon\" is not a language"),
        "{out:#?}"
    );
    assert!(
        out.stderr
            .contains("list.csv:4: \"3 minutes\" is not a duration"),
        "{out:#?}"
    );
    assert!(!g.journal().exists(), "nothing was written");

    let fifo = g.path().join("fifo.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let out = g.run(&["import", g.m(), fifo.to_str().unwrap()]);
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert!(out.stderr.contains("not a regular file"), "{out:#?}");

    fs::write(&list, "delegation,language,limit\nPeru,es,4m\nChile,,\n").unwrap();
    let out = g.run(&["import", g.m(), list.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{out:#?}");
    let lines = out.lines();
    assert_eq!(lines.len(), 2, "{out:#?}");
    assert!(
        lines[0].contains("Peru inscribed 8th (statement in Spanish, limit 4m) · clerk"),
        "{out:#?}"
    );
    let state = g.state_json(&start());
    assert_eq!(state["queue"].as_array().unwrap().len(), 9);
}

// --- The list for the chair's brief (issue 13, item 9) ---

/// Every table of a Markdown text as a renderer reads it: rows of cells.
fn markdown_tables(md: &str) -> Vec<Vec<Vec<String>>> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut tables: Vec<Vec<Vec<String>>> = Vec::new();
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                tables.last_mut().unwrap().push(Vec::new());
            }
            Event::Start(Tag::TableCell) => {
                tables
                    .last_mut()
                    .unwrap()
                    .last_mut()
                    .unwrap()
                    .push(String::new());
            }
            Event::Text(text) => {
                if let Some(cell) = tables
                    .last_mut()
                    .and_then(|t| t.last_mut())
                    .and_then(|r| r.last_mut())
                {
                    cell.push_str(&text);
                }
            }
            _ => {}
        }
    }
    tables
}

#[test]
fn export_list_gives_the_list_of_speakers_with_their_times_in_markdown_and_csv() {
    let g = Gavel::seeded();
    g.do_at(&local_time("15:31:00"), &["open"]);
    g.do_at(&local_time("15:31:00"), &["next"]);
    g.do_at(&local_time("15:32:00"), &["add", "France", "reply"]);
    g.do_at(&local_time("15:33:00"), &["add", "Egypt", "order"]);
    let journal = g.journal_bytes();
    let now = local_time("15:34:00");

    let md = g.run_at(&now, &["export", g.m(), "--format", "list"]);
    assert_eq!(md.code, Some(0), "{md:#?}");
    assert!(
        md.stdout.contains(
            "## List of speakers: Opening session\n\n\
             As of 15:34. Projected end 15:59, scheduled end 18:00: 2h01m early.\n"
        ),
        "{}",
        md.stdout
    );
    let tables = markdown_tables(&md.stdout);
    assert_eq!(tables.len(), 1, "{}", md.stdout);
    let rows: Vec<Vec<&str>> = tables[0]
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let mali = "H.E. Mr. Ibrahim Boubacar Keïta, President of the Republic of Mali";
    let france = "H.E. Mr. Jean-Yves Le Drian, Minister of Foreign Affairs of France";
    assert_eq!(rows.len(), 1 + 9, "{}", md.stdout);
    assert_eq!(
        rows[1],
        [
            "now",
            "Egypt (point of order)",
            "Member of the Security Council; MINUSMA troop- and police-contributing country",
            "member",
            "",
            "2m, 1m left",
            "since 15:33"
        ]
    );
    assert_eq!(
        rows[2],
        [
            "resumes",
            "Mali",
            mali,
            "member",
            "French",
            "3m, 1m left",
            "15:35"
        ]
    );
    assert_eq!(rows[3][..2], ["1", "United Nations"]);
    assert_eq!(rows[3][6], "15:36");
    assert_eq!(
        rows[9],
        [
            "7",
            "France (right of reply)",
            france,
            "member",
            "French",
            "5m",
            "15:54"
        ]
    );

    for spelling in [&["--format", "list", "csv"][..], &["--format", "list-csv"]] {
        let mut args = vec!["export", g.m()];
        args.extend_from_slice(spelling);
        let out = g.run_at(&now, &args);
        assert_eq!(out.code, Some(0), "{spelling:?}: {out:#?}");
        let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[..4], ["segment", "position", "status", "delegation"]);
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 9, "{}", out.stdout);
        let column = |name: &str| header.iter().position(|h| h == name).unwrap();
        let first = &records[0];
        assert_eq!(&first[column("status")], "speaking");
        assert_eq!(&first[column("kind")], "order");
        assert_eq!(&first[column("seconds_left")], "60");
        assert_eq!(&first[column("takes_floor")], "2017-09-20T19:33:00Z");
        let last = &records[8];
        assert_eq!(&last[column("position")], "7");
        assert_eq!(&last[column("delegation")], "France");
        assert_eq!(&last[column("kind")], "reply");
        assert_eq!(&last[column("language")], "fr");
        assert_eq!(&last[column("takes_floor")], "2017-09-20T19:54:00Z");
        assert_eq!(&last[column("takes_floor_local")], "15:54");
    }

    // Before the meeting file, and to a file with -o, as the other formats.
    let file = g.path().join("brief.md");
    let out = g.run_at(
        &now,
        &[
            "export",
            "--format",
            "list",
            "md",
            g.m(),
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, Some(0), "{out:#?}");
    assert_eq!(fs::read_to_string(&file).unwrap(), md.stdout);

    for (words, says) in [
        (
            &["--format", "md", "csv"][..],
            "--format md csv: give one format",
        ),
        (
            &["--format", "list", "json"],
            "exported as md or as csv, not as json",
        ),
        (&["--format=csv", "md"], "--format csv md: give one format"),
    ] {
        let mut args = vec!["export", g.m()];
        args.extend_from_slice(words);
        let out = g.run_at(&now, &args);
        assert_eq!(out.code, Some(2), "{words:?}: {out:#?}");
        assert!(out.stderr.contains(says), "{words:?}: {out:#?}");
        assert!(out.stdout.is_empty(), "{words:?}: {out:#?}");
    }
    assert_eq!(g.journal_bytes(), journal, "exporting wrote nothing");
}

#[test]
fn the_words_of_a_note_are_never_read_as_an_export_format() {
    let g = Gavel::seeded();
    g.do_(&["open"]);
    let line = g.do_(&["note", "--format", "list", "csv"]);
    assert!(line.contains("--format list csv"), "{line}");
}

// ---------------------------------------------------------------------------
// gavel keys, gavel settings
// ---------------------------------------------------------------------------

/// `gavel keys` prints settings a settings file can hold as they are, and
/// `gavel settings` reads them back with nothing of one's own; a binding
/// of one's own is listed, and a mistake is said at its line and column.
#[test]
fn keys_and_settings_say_what_is_in_force() {
    let g = Gavel::seeded();
    let printed = g.run(&["keys"]);
    assert_eq!(printed.code, Some(0), "{printed:#?}");
    assert!(
        printed.stdout.contains("[keys.speakers]\nnext = \"n\""),
        "{printed:#?}"
    );
    let absent = g.run(&["settings"]);
    assert!(
        absent
            .stdout
            .contains("(not there: the defaults are in force)"),
        "{absent:#?}"
    );
    let folder = g.path().join("home/.config/gavel");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("settings.toml"), &printed.stdout).unwrap();
    let same = g.run(&["settings", "--check"]);
    assert_eq!(same.code, Some(0), "{same:#?}");
    assert!(
        same.stdout.contains("ok — 0 key binding(s) of your own"),
        "{same:#?}"
    );
    fs::write(
        folder.join("settings.toml"),
        "operator = \"ana\"\n[keys.speakers]\nnext = [\"N\", \">\"]\n",
    )
    .unwrap();
    let own = g.run(&["settings"]);
    assert!(own.stdout.contains("(read)"), "{own:#?}");
    assert!(
        own.stdout
            .contains("operator = \"ana\"  (from the settings)"),
        "{own:#?}"
    );
    assert!(
        own.stdout.contains("[keys.speakers] next = [\"N\", \">\"]"),
        "{own:#?}"
    );
    fs::write(folder.join("settings.toml"), "[keys]\nquit = 7\n").unwrap();
    let bad = g.run(&["settings", "--check"]);
    assert_eq!(bad.code, Some(2), "{bad:#?}");
    assert!(
        bad.stderr
            .contains("settings.toml:2:8: `quit` must be a key"),
        "{bad:#?}"
    );
    // gavel do stops on it too: the operator's name comes from that file.
    let refused = g.run(&["do", g.m(), "open"]);
    assert_eq!(refused.code, Some(2), "{refused:#?}");
    assert!(!g.journal().exists());
}

/// A theme the settings cannot give stops `run`, `board` and `settings
/// --check` before anything is opened, each mistake at its line and column.
#[test]
fn a_bad_theme_in_the_settings_is_said_where_it_stands() {
    let g = Gavel::seeded();
    let settings = g.path().join("home/.config/gavel/settings.toml");
    fs::create_dir_all(settings.parent().unwrap()).unwrap();
    let cases = [
        (
            "theme = \"solarized\"\n",
            "settings.toml:1:9: \"solarized\" is not a built-in theme; the themes: default, high-contrast, plain",
        ),
        (
            "[theme]\nname = \"hi-contrast\"\n",
            "settings.toml:2:8: \"hi-contrast\" is not a built-in theme (did you mean high-contrast?)",
        ),
        (
            "[theme]\nflor = \"bold\"\n",
            "settings.toml:2:1: \"flor\" is not a role of [theme] (did you mean floor?); its roles: floor, warning,",
        ),
        (
            "[theme]\nover = \"bold ligthred\"\n",
            "settings.toml:2:8: `over`: \"ligthred\" in \"bold ligthred\" is not a style word (did you mean lightred?); allowed: bold,",
        ),
        (
            "color = false\ntheme = \"high-contrast\"\n",
            "settings.toml:2:9: `color = false` and theme \"high-contrast\" disagree",
        ),
    ];
    for (text, says) in cases {
        fs::write(&settings, text).unwrap();
        for args in [
            &["run", g.m()][..],
            &["board", g.m()],
            &["settings", "--check"],
        ] {
            let out = g.run(args);
            assert_eq!(out.code, Some(2), "{text}: {out:#?}");
            assert!(out.stderr.contains(says), "{text}: {says}: {out:#?}");
        }
    }
    assert!(!g.journal().exists(), "nothing was written");
    fs::write(
        &settings,
        "[theme]\nname = \"high-contrast\"\nover = \"bold yellow on blue\"\n",
    )
    .unwrap();
    let out = output(g.command(&start()).env_remove("NO_COLOR").arg("settings"));
    assert_eq!(out.code, Some(0), "{out:#?}");
    for line in [
        "theme = \"high-contrast\"",
        "[theme] over = \"bold yellow on blue\"",
    ] {
        assert!(out.stdout.contains(line), "{line}: {out:#?}");
    }
    let out = output(g.command(&start()).env("NO_COLOR", "1").arg("settings"));
    assert!(
        out.stdout.contains("theme = \"plain\"  (NO_COLOR is set)"),
        "{out:#?}"
    );
}

/// `gavel state --json | head`: a reader that stops early ends gavel
/// quietly, without a panic or an error, for every command that prints.
#[test]
fn a_reader_that_stops_early_ends_gavel_quietly() {
    let g = Gavel::seeded();
    g.do_(&["open"]);
    g.do_(&["add", "brazil"]);
    let m = g.m();
    let runs: [&[&str]; 7] = [
        &["state", m, "--json"],
        &["state", m],
        &["tail", m],
        &["tail", m, "--json"],
        &["export", m, "--format", "csv"],
        &["check", m],
        &["keys"],
    ];
    for args in runs {
        let mut child = g
            .command(&start())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader is gone before gavel writes a byte.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {:?} {stderr}", out.status);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

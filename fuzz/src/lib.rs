//! What the fuzz targets check, apart from libFuzzer: `tests/it/hostile.rs`
//! includes this file and runs the very same checks under proptest, so CI
//! exercises every target on stable without a fuzzing toolchain.
//!
//! Each check takes arbitrary bytes and panics only when gavel misbehaves:
//! a panic inside gavel, or text that would reach a terminal or a log with a
//! character no terminal or log may receive.

use std::cell::RefCell;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use gavel::domain::{
    Entry, Meeting, State, apply, apply_described, decide_entries, describe, execute,
};
use gavel::journal::{Journal, JournalError, JournalFile, Mode};
use gavel::text::Clean;

/// The seed meeting, read once: the commands and journals are judged against it.
pub const SEED: &str = include_str!("../../config/mali-ministerial-2017.toml");

/// A moment of the seed meeting's afternoon, 15:41 in New York.
pub fn now() -> jiff::Timestamp {
    "2017-09-20T19:41:00Z".parse().expect("a fixed instant")
}

pub fn seed_meeting() -> Arc<Meeting> {
    static MEETING: OnceLock<Arc<Meeting>> = OnceLock::new();
    MEETING
        .get_or_init(|| {
            let loaded = gavel::config::parse(SEED, "seed.toml", Path::new("/seed"))
                .expect("the seed meeting passes its checks");
            Arc::new(loaded.meeting)
        })
        .clone()
}

/// Characters a terminal acts on or hides, beyond what `char::is_control`
/// covers: bidi embeddings, overrides, marks and isolates; zero-width and
/// invisible characters; line and paragraph separators; tag characters.
/// Written out here rather than taken from gavel, so that the check does not
/// share a mistake with what it checks.
pub fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
        )
}

/// ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER, which Persian and Indic
/// words and emoji sequences need between two visible characters.
fn joiner(c: char) -> bool {
    matches!(c, '\u{200C}' | '\u{200D}')
}

/// One line of text safe for a terminal: no forbidden character, but for a
/// joiner with a visible character on either side.
pub fn assert_line(what: &str, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let visible = |c: Option<&char>| c.is_some_and(|&c| !c.is_whitespace() && !forbidden(c));
    for (i, &c) in chars.iter().enumerate() {
        let joins = joiner(c) && i > 0 && visible(chars.get(i - 1)) && visible(chars.get(i + 1));
        if forbidden(c) && !joins {
            panic!("{what}: {c:?} (U+{:04X}) in {text:?}", c as u32);
        }
    }
}

/// Several lines safe for a terminal: only `\n` between them.
pub fn assert_lines(what: &str, text: &str) {
    for line in text.split('\n') {
        assert_line(what, line);
    }
}

/// What `sanitise` promises: one line of visible text, no forbidden
/// character, spaces single and inside, at most three marks on a character,
/// and a second pass changes nothing.
pub fn sanitised(raw: &str) {
    let once = gavel::text::sanitise(raw);
    assert_line("sanitise", &once);
    assert_eq!(once.trim(), once, "not trimmed: {once:?}");
    assert!(!once.contains("  "), "a double space: {once:?}");
    assert!(
        once.chars().all(|c| c == ' ' || !c.is_whitespace()),
        "white space other than a space: {once:?}"
    );
    let mut marks = 0;
    for c in once.chars() {
        if unicode_normalization::char::is_combining_mark(c) {
            marks += 1;
            assert!(
                marks <= 3,
                "more than three marks on one character: {once:?}"
            );
        } else {
            marks = 0;
        }
    }
    assert_eq!(
        gavel::text::sanitise(&once),
        once,
        "a second pass changed it"
    );
}

/// The meeting-file parser on arbitrary bytes, as `gavel check` reads them.
pub fn meeting_file(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let lines = text.split('\n').count();
    match gavel::config::parse(&text, "fuzz.toml", Path::new("/fuzz")) {
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "refused without a reason");
            for d in &diagnostics {
                assert_line("a diagnostic", &d.message);
                assert!(
                    (1..=lines).contains(&d.line) && d.col >= 1,
                    "{d} is outside a file of {lines} lines"
                );
            }
        }
        Ok(loaded) => {
            let state = State::new(Arc::new(loaded.meeting));
            let now = now();
            assert_lines("gavel state", &gavel::status::text(&state, now));
            let json =
                serde_json::to_string(&gavel::status::of(&state, now)).expect("the state as JSON");
            assert_line("gavel state --json", &json);
        }
    }
}

/// The seed meeting opened, a few speakers listed, one holding the floor, a
/// seat taken and a note written: a state where most commands mean something.
fn busy_state() -> State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE
        .get_or_init(|| {
            let mut state = State::new(seed_meeting());
            let by = Clean::new("ana");
            for line in [
                "open",
                "add ghana",
                "add brazil reply",
                "next",
                "seat brazil",
                "note first #summary",
            ] {
                let command = gavel::lang::parse(line).expect("a command of the seed");
                execute(&mut state, command, now(), &by).expect("decided");
            }
            state
        })
        .clone()
}

/// The command parser on arbitrary bytes, then what it parsed judged against a
/// busy meeting, as `gavel do` and the `:` prompt do. Every message and every
/// session-log line is checked, and every new journal line must read back as
/// it was written.
pub fn command(bytes: &[u8]) {
    let line = String::from_utf8_lossy(bytes);
    let command = match gavel::lang::parse(&line) {
        Ok(command) => command,
        Err(e) => {
            assert!(!e.message().is_empty(), "refused without a reason");
            assert_line("a parse error", e.message());
            return;
        }
    };
    let mut state = busy_state();
    let by = Clean::new("ben");
    let entries = match decide_entries(&state, command, now(), &by) {
        Ok(entries) => entries,
        Err(refusal) => {
            assert_line("a refusal", &refusal.to_string());
            return;
        }
    };
    for entry in entries {
        let json = serde_json::to_string(&entry).expect("an entry as JSON");
        let back: Entry = serde_json::from_str(&json).expect("an entry read back");
        assert_eq!(back, entry, "a journal line reads back otherwise: {json}");
        let done = apply_described(&mut state, entry)
            .expect("a decided event fits the state it was decided on");
        assert_line("a session-log line", &done.line);
    }
}

/// An in-memory journal file, shared so that what recovery did to it can be
/// looked at afterwards.
#[derive(Clone, Default)]
struct Memory(Rc<RefCell<Disk>>);

#[derive(Default)]
struct Disk {
    bytes: Vec<u8>,
    aside: Vec<Vec<u8>>,
}

impl JournalFile for Memory {
    fn present(&mut self) -> io::Result<bool> {
        Ok(true)
    }
    fn lock(&self) -> io::Result<()> {
        Ok(())
    }
    fn try_lock_shared(&self) -> io::Result<bool> {
        Ok(true)
    }
    fn unlock(&self) -> io::Result<()> {
        Ok(())
    }
    fn size(&self) -> io::Result<u64> {
        Ok(self.0.borrow().bytes.len() as u64)
    }
    fn read_range(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let disk = self.0.borrow();
        let from = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(disk.bytes.len());
        let to = from.saturating_add(len).min(disk.bytes.len());
        Ok(disk.bytes[from..to].to_vec())
    }
    fn append(&self, bytes: &[u8]) -> io::Result<()> {
        self.0.borrow_mut().bytes.extend_from_slice(bytes);
        Ok(())
    }
    fn sync_data(&self) -> io::Result<()> {
        Ok(())
    }
    fn sync_all(&self) -> io::Result<()> {
        Ok(())
    }
    fn set_len(&self, len: u64) -> io::Result<()> {
        let len = usize::try_from(len).expect("a length in memory");
        self.0.borrow_mut().bytes.resize(len, 0);
        Ok(())
    }
    fn keep_aside(&self, bytes: &[u8]) -> io::Result<PathBuf> {
        let mut disk = self.0.borrow_mut();
        disk.aside.push(bytes.to_vec());
        Ok(PathBuf::from(format!("journal.torn-{}", disk.aside.len())))
    }
}

/// Journal recovery on arbitrary bytes, read-only and read-write, as start-up
/// does it: the lines are read, a torn tail is cut and kept, a bad line stops
/// everything without a byte changed, and what was read is replayed into the
/// seed meeting with each session-log line checked.
pub fn journal_recovery(bytes: &[u8]) {
    let newlines = bytes.iter().filter(|&&b| b == b'\n').count() as u64;
    let lines_in_file = newlines + u64::from(bytes.last().is_some_and(|&b| b != b'\n'));
    for mode in [Mode::ReadOnly, Mode::ReadWrite] {
        let file = Memory::default();
        file.0.borrow_mut().bytes = bytes.to_vec();
        let opened = Journal::<Entry, Memory>::attach(file.clone(), "journal.jsonl".into(), mode);
        let disk = file.0.borrow();
        let opened = match opened {
            Err(JournalError::Damaged { bad, .. }) => {
                assert!(
                    (1..=lines_in_file).contains(&bad.line),
                    "line {} named in a file of {lines_in_file} lines",
                    bad.line
                );
                assert_line("a damaged line's reason", &bad.to_string());
                assert_eq!(disk.bytes, bytes, "a damaged journal was changed");
                assert!(
                    disk.aside.is_empty(),
                    "a damaged journal's end was kept aside"
                );
                continue;
            }
            Err(other) => panic!("only damage stops an in-memory journal: {other}"),
            Ok(opened) => opened,
        };
        match (&opened.recovery.torn, mode) {
            (None, _) => {
                assert_eq!(disk.bytes, bytes, "a sound journal was changed");
                assert!(disk.aside.is_empty());
            }
            (Some(torn), Mode::ReadOnly) => {
                assert!(torn.kept_in.is_none());
                assert_eq!(disk.bytes, bytes, "read-only changed the journal");
            }
            (Some(torn), Mode::ReadWrite) => {
                let offset = torn.offset as usize;
                assert_eq!(
                    disk.bytes[..],
                    bytes[..offset],
                    "more than the tail was cut"
                );
                assert_eq!(
                    disk.aside,
                    [&bytes[offset..]],
                    "the cut tail was not kept whole"
                );
                assert_eq!(torn.bytes as usize, bytes.len() - offset);
                assert!((1..=lines_in_file).contains(&torn.line));
                assert_line("the torn-tail report", &torn.to_string());
            }
        }
        replay(&opened.lines);
    }
}

/// Start-up's replay: each entry described for the session log, then applied,
/// until one does not fit the meeting (which stops start-up with its reason).
fn replay(lines: &[Entry]) {
    let mut state = State::new(seed_meeting());
    for entry in lines {
        let line = describe(&state, entry);
        if let Err(e) = apply(&mut state, entry) {
            assert_line("why an event does not fit", &e.to_string());
            return;
        }
        assert_line("a session-log line", &line);
    }
    let now = now();
    assert_lines("gavel state", &gavel::status::text(&state, now));
    let json = serde_json::to_string(&gavel::status::of(&state, now)).expect("the state as JSON");
    assert_line("gavel state --json", &json);
}

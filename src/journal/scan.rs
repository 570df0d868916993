//! Reading journal bytes into lines, and telling a crash's torn tail from a
//! damaged line. Pure: no I/O here.

use serde::de::DeserializeOwned;

use super::error::{BadLine, Problem};
use super::{LineFormat, MAX_APPEND, TornKind};

/// What a run of bytes holds, starting at a line boundary.
#[derive(Debug)]
pub struct Scanned<T> {
    pub lines: Vec<T>,
    /// Bytes up to and including the newline of the last good line.
    pub good_end: usize,
    pub end: End,
}

#[derive(Debug, PartialEq)]
pub enum End {
    /// Every byte belongs to a good line.
    Clean,
    /// From `offset` to the end there is nothing but what an interrupted
    /// append leaves: an unfinished line, or zeros.
    Torn {
        line: u64,
        offset: usize,
        kind: TornKind,
    },
    /// A line that is wrong in a way no crash explains: stop, change nothing.
    Bad(BadLine),
}

/// One line judged on its own.
enum Verdict<T> {
    Good(T),
    /// Well-formed JSON, but not the line that belongs here.
    Wrong(Problem),
    /// Not JSON at all.
    Unreadable(Problem),
}

/// Below this, one thread reads the journal: starting others costs more than
/// it saves.
const SHARED_FROM: usize = 1 << 20;

/// At most this many threads read one journal.
const MAX_READERS: usize = 4;

/// A large journal is read in parts about this size, handed over in order.
const PART_BYTES: usize = 4 << 20;

/// Where the lines of a journal go as they are read, in order.
pub trait Sink<T> {
    type Error;

    /// Before the first line: the seq of the last line, if every line is good.
    fn expect(&mut self, last: u64) {
        let _ = last;
    }

    /// A good line; an error stops the reading there.
    fn take(&mut self, line: T) -> Result<(), Self::Error>;
}

impl<T> Sink<T> for Vec<T> {
    type Error = std::convert::Infallible;

    fn take(&mut self, line: T) -> Result<(), Self::Error> {
        self.push(line);
        Ok(())
    }
}

/// How a run of bytes ended, once its good lines have gone to a sink.
#[derive(Debug, PartialEq)]
pub struct Ended {
    /// Bytes up to and including the newline of the last good line.
    pub good_end: usize,
    pub end: End,
}

/// The lines of `bytes`, the first being line (and seq) `first`, all held.
pub fn scan<T: DeserializeOwned + LineFormat + Send>(bytes: &[u8], first: u64) -> Scanned<T> {
    let mut lines = Vec::new();
    let Ok(Ended { good_end, end }) = scan_each(bytes, first, &mut lines);
    Scanned {
        lines,
        good_end,
        end,
    }
}

/// The lines of `bytes`, the first being line (and seq) `first`, each given
/// to `sink` as soon as it and every line before it are read, so that a
/// start-up applies each line as it reads it and never holds them all. Since
/// seq starts at 1 and each line carries the next one, a line's number is
/// its seq.
///
/// A large journal is cut into parts at line breaks, which other threads read
/// at once on the cores there are while this one hands the lines over. What
/// reaches the sink is the same as reading it in one go.
pub fn scan_each<T, S>(bytes: &[u8], first: u64, sink: &mut S) -> Result<Ended, S::Error>
where
    T: DeserializeOwned + LineFormat + Send,
    S: Sink<T>,
{
    let lines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    sink.expect((first + lines).saturating_sub(1));
    let readers = if bytes.len() < SHARED_FROM {
        0
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_READERS))
    };
    let parts = (bytes.len() / PART_BYTES).max(readers);
    scan_in_parts(bytes, first, parts, readers, sink)
}

/// What the readers and the thread handing over share: each part's lines
/// once read, and how far the handing over has got, so that readers stay at
/// most two parts each ahead of it and memory holds a few parts, not the
/// journal.
struct Board<T> {
    read: Vec<Option<Scanned<T>>>,
    handed: usize,
    stop: bool,
}

/// The board, and the means to wait on it.
struct Shared<'a, T> {
    parts: &'a [Part],
    bytes: &'a [u8],
    board: std::sync::Mutex<Board<T>>,
    changed: std::sync::Condvar,
    next: std::sync::atomic::AtomicUsize,
    ahead: usize,
}

impl<T: DeserializeOwned + LineFormat> Shared<'_, T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Board<T>> {
        self.board
            .lock()
            .expect("no reader panics holding the board")
    }

    fn wait<'g>(
        &self,
        board: std::sync::MutexGuard<'g, Board<T>>,
    ) -> std::sync::MutexGuard<'g, Board<T>> {
        self.changed
            .wait(board)
            .expect("no reader panics holding the board")
    }

    /// A reader: the next part no one has taken, until there are none or the
    /// reading stops.
    fn read(&self) {
        loop {
            let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = self.parts.get(i) else {
                return;
            };
            let mut board = self.lock();
            while !board.stop && i >= board.handed + self.ahead {
                board = self.wait(board);
            }
            if board.stop {
                return;
            }
            drop(board);
            let scanned = scan_part(&self.bytes[part.start..part.end], part.line);
            self.lock().read[i] = Some(scanned);
            self.changed.notify_all();
        }
    }

    /// Part `i`'s lines, once a reader has them.
    fn take(&self, i: usize) -> Scanned<T> {
        let mut board = self.lock();
        loop {
            if let Some(scanned) = board.read[i].take() {
                return scanned;
            }
            board = self.wait(board);
        }
    }

    fn handed(&self, parts: usize) {
        self.lock().handed = parts;
        self.changed.notify_all();
    }

    fn stop(&self) {
        self.lock().stop = true;
        self.changed.notify_all();
    }
}

fn scan_in_parts<T, S>(
    bytes: &[u8],
    first: u64,
    parts: usize,
    readers: usize,
    sink: &mut S,
) -> Result<Ended, S::Error>
where
    T: DeserializeOwned + LineFormat + Send,
    S: Sink<T>,
{
    let parts = cut(bytes, first, parts);
    if parts.len() < 2 || readers == 0 {
        return scan_part_each(bytes, first, sink);
    }
    let shared = Shared {
        parts: &parts,
        bytes,
        board: std::sync::Mutex::new(Board {
            read: (0..parts.len()).map(|_| None).collect(),
            handed: 0,
            stop: false,
        }),
        changed: std::sync::Condvar::new(),
        next: std::sync::atomic::AtomicUsize::new(0),
        ahead: 2 * readers,
    };
    std::thread::scope(|scope| {
        let started = (0..readers)
            .filter(|_| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, || shared.read())
                    .is_ok()
            })
            .count();
        let handed = if started == 0 {
            scan_part_each(bytes, first, sink)
        } else {
            hand_over(&shared, sink)
        };
        shared.stop();
        handed
    })
}

/// The parts' lines to `sink` in order, as the readers finish them.
fn hand_over<T, S>(shared: &Shared<'_, T>, sink: &mut S) -> Result<Ended, S::Error>
where
    T: DeserializeOwned + LineFormat,
    S: Sink<T>,
{
    let last = shared.parts.len() - 1;
    for (i, part) in shared.parts.iter().enumerate() {
        let scanned = shared.take(i);
        // A part that is not whole lines of good events ends the journal
        // there, or not, depending on what follows: that takes reading on
        // from it in one go, as every line before it was good.
        if i < last && scanned.end != End::Clean {
            shared.stop();
            let rest = scan_part_each(&shared.bytes[part.start..], part.line, sink);
            return rest.map(|ended| shifted(ended, part.start));
        }
        for line in scanned.lines {
            sink.take(line)?;
        }
        shared.handed(i + 1);
        if i == last {
            let ended = Ended {
                good_end: scanned.good_end,
                end: scanned.end,
            };
            return Ok(shifted(ended, part.start));
        }
    }
    unreachable!("the last part returns")
}

/// An end found in bytes starting at `start`, as an offset into the whole.
fn shifted(ended: Ended, start: usize) -> Ended {
    let end = match ended.end {
        End::Torn { line, offset, kind } => End::Torn {
            line,
            offset: offset + start,
            kind,
        },
        other => other,
    };
    Ended {
        good_end: ended.good_end + start,
        end,
    }
}

/// Where one part of the journal starts and ends, and its first line's number.
struct Part {
    start: usize,
    end: usize,
    line: u64,
}

/// About equal parts, each ending just after a line break (the last at the
/// end of the bytes).
fn cut(bytes: &[u8], first: u64, parts: usize) -> Vec<Part> {
    let mut cuts = Vec::with_capacity(parts);
    let mut start = 0;
    let mut line = first;
    for i in 1..=parts {
        let target = (bytes.len() / parts * i).max(start);
        let end = if i == parts {
            bytes.len()
        } else {
            match memchr::memchr(b'\n', &bytes[target..]) {
                Some(at) => target + at + 1,
                None => bytes.len(),
            }
        };
        if end > start {
            cuts.push(Part { start, end, line });
            line += memchr::memchr_iter(b'\n', &bytes[start..end]).count() as u64;
            start = end;
        }
        if end == bytes.len() {
            break;
        }
    }
    cuts
}

/// One part read in order, its lines held.
fn scan_part<T: DeserializeOwned + LineFormat>(bytes: &[u8], first: u64) -> Scanned<T> {
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count());
    let Ok(Ended { good_end, end }) = scan_part_each(bytes, first, &mut lines);
    Scanned {
        lines,
        good_end,
        end,
    }
}

/// One part read in order, line after line, each good one to `sink`.
///
/// Only what one interrupted append can leave ends the journal as a torn
/// tail: an unfinished last line, with no line break after it, of at most
/// [`MAX_APPEND`] bytes (zeros included, as a power loss leaves them). Every
/// complete line was written whole, so one that does not read is damage,
/// however near the end: gavel stops there and changes nothing.
fn scan_part_each<T, S>(bytes: &[u8], first: u64, sink: &mut S) -> Result<Ended, S::Error>
where
    T: DeserializeOwned + LineFormat,
    S: Sink<T>,
{
    let mut good_end = 0;
    let mut line = first;
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(len) = memchr::memchr(b'\n', &bytes[pos..]) else {
            return Ok(unfinished(good_end, line, pos, bytes));
        };
        let text = &bytes[pos..pos + len];
        match judge::<T>(text, line) {
            Verdict::Good(t) => {
                sink.take(t)?;
                good_end = pos + len + 1;
            }
            Verdict::Wrong(problem) | Verdict::Unreadable(problem) => {
                return Ok(bad(good_end, line, problem));
            }
        }
        pos += len + 1;
        line += 1;
    }
    Ok(Ended {
        good_end,
        end: End::Clean,
    })
}

/// The last line, from `offset`, has no line break: a write cut short, if it
/// is no longer than one append writes.
fn unfinished(good_end: usize, line: u64, offset: usize, bytes: &[u8]) -> Ended {
    let tail = &bytes[offset..];
    if tail.len() > MAX_APPEND {
        let problem = Problem::TooLong(tail.len());
        return bad(good_end, line, problem);
    }
    let kind = if tail.contains(&0) {
        TornKind::ZeroFilled
    } else {
        TornKind::Unfinished
    };
    Ended {
        good_end,
        end: End::Torn { line, offset, kind },
    }
}

fn bad(good_end: usize, line: u64, problem: Problem) -> Ended {
    Ended {
        good_end,
        end: End::Bad(BadLine { line, problem }),
    }
}

fn judge<T: DeserializeOwned + LineFormat>(text: &[u8], seq: u64) -> Verdict<T> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Verdict::Unreadable(Problem::NotUtf8);
    };
    if text.trim().is_empty() {
        return Verdict::Unreadable(Problem::Blank);
    }
    if let Some(line) = as_written::<T>(text) {
        return sequenced(line, seq);
    }
    judge_closely(text, seq)
}

/// The line read once, straight into `T`, when it starts as gavel writes it.
/// Whatever this does not take is read again closely, for the error in plain
/// words; whatever it takes, the close reading takes too, as the same line:
/// `T` reads every field it is given (see [`JournalLine`](super::JournalLine)),
/// so nothing is skipped over here that the close reading would refuse, and a
/// second `v` is a duplicate field.
fn as_written<T: DeserializeOwned + LineFormat>(text: &str) -> Option<T> {
    if !starts_as_written::<T>(text) {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// Whether `text` begins `{"v":1,`, with the line type's version.
fn starts_as_written<T: LineFormat>(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("{\"v\":") else {
        return false;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    rest[digits..].starts_with(',') && rest[..digits].parse() == Ok(T::VERSION)
}

fn sequenced<T: LineFormat>(line: T, seq: u64) -> Verdict<T> {
    if line.seq() != seq {
        return Verdict::Wrong(Problem::Seq {
            expected: seq,
            found: line.seq(),
        });
    }
    Verdict::Good(line)
}

/// Each way a line can be wrong, told apart in turn.
fn judge_closely<T: DeserializeOwned + LineFormat>(text: &str, seq: u64) -> Verdict<T> {
    // Syntax first: serde reports a wrong type at the first token, before it
    // has seen that the rest is not JSON at all, and crash debris such as
    // `7 garbage` must read as torn, not as a well-formed line of the wrong kind.
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Verdict::Unreadable(Problem::NotJson(describe(&e)));
    }
    let object: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(text) {
        Ok(object) => object,
        Err(e) if e.is_data() => return Verdict::Wrong(Problem::NotObject),
        Err(e) => return Verdict::Unreadable(Problem::NotJson(describe(&e))),
    };
    match object.get("v") {
        Some(v) if v.as_u64() == Some(u64::from(T::VERSION)) => {}
        other => {
            return Verdict::Wrong(Problem::Version {
                found: version_text(other),
                reads: T::VERSION,
            });
        }
    }
    match serde_json::from_str(text) {
        Ok(line) => sequenced(line, seq),
        Err(e) => Verdict::Wrong(Problem::NotEvent(describe(&e))),
    }
}

/// Checks a line about to be written exactly as it will be read back, so the
/// journal never holds a line that would stop the next start-up.
pub fn check_new<T: DeserializeOwned + LineFormat>(text: &[u8], seq: u64) -> Result<(), Problem> {
    if text.contains(&b'\n') {
        return Err(Problem::NotJson("a line break inside the line".into()));
    }
    match judge::<T>(text, seq) {
        Verdict::Good(_) => Ok(()),
        Verdict::Wrong(p) | Verdict::Unreadable(p) => Err(p),
    }
}

fn version_text(v: Option<&serde_json::Value>) -> String {
    match v {
        None => "none".into(),
        Some(v) => v.to_string(),
    }
}

/// serde_json's own "at line 1 column 9" would be confused with the journal's
/// line number; only the column means something inside one line.
/// serde's words about a bad line quote what the line holds: cleaned here,
/// since a damaged journal is untrusted text too.
fn describe(e: &serde_json::Error) -> String {
    let text = crate::text::sanitise(&e.to_string());
    let message = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(m, _)| m);
    if e.column() == 0 {
        message.to_owned()
    } else {
        format!("{message} at column {}", e.column())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// A line of format version `V`.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Versioned<const V: u8> {
        #[allow(dead_code)]
        v: u64,
        seq: u64,
    }

    impl<const V: u8> LineFormat for Versioned<V> {
        const VERSION: u8 = V;

        fn seq(&self) -> u64 {
            self.seq
        }
    }

    type L = Versioned<1>;
    /// A later format, to show that lines are checked against the version
    /// their type gives, both ways of reading them.
    type L2 = Versioned<2>;

    fn end(bytes: &[u8]) -> End {
        scan::<L>(bytes, 1).end
    }

    #[test]
    fn the_version_checked_is_the_line_types_own() {
        let read = scan::<L2>(b"{\"v\":2,\"seq\":1}\n{\"seq\":2,\"v\":2}\n", 1);
        assert_eq!(read.end, End::Clean);
        assert_eq!(read.lines.len(), 2);
        let e = scan::<L2>(b"{\"v\":1,\"seq\":1}\n", 1).end;
        let End::Bad(BadLine { problem, .. }) = e else {
            panic!("{e:?}");
        };
        assert_eq!(
            problem.to_string(),
            "format version 1, but this gavel reads version 2"
        );
    }

    /// One line of a journal as a crash, a disk or a hand may leave it.
    fn any_line() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        prop_oneof![
            6 => Just(b"good".to_vec()),
            1 => Just(b"{\"v\":2,\"seq\":0}\n".to_vec()),
            1 => Just(b"{\"v\":1,\"se\n".to_vec()),
            1 => Just(b"xx\n".to_vec()),
            1 => Just(b"\0\0\0\0".to_vec()),
            1 => Just(b"{\"v\":1,\"seq\":".to_vec()),
        ]
    }

    /// Takes lines until it has `wanted`, then refuses the next.
    struct Until {
        wanted: usize,
        got: Vec<u64>,
        expected: Option<u64>,
    }

    impl Sink<L> for Until {
        type Error = u64;

        fn expect(&mut self, last: u64) {
            self.expected = Some(last);
        }

        fn take(&mut self, line: L) -> Result<(), u64> {
            if self.got.len() == self.wanted {
                return Err(line.seq);
            }
            self.got.push(line.seq);
            Ok(())
        }
    }

    #[test]
    fn a_sink_that_refuses_a_line_stops_the_reading_there() {
        let bytes: Vec<u8> = (1..=500)
            .flat_map(|seq| format!("{{\"v\":1,\"seq\":{seq}}}\n").into_bytes())
            .collect();
        for (parts, readers) in [(1, 0), (7, 1), (7, 3), (40, 2)] {
            let mut sink = Until {
                wanted: 321,
                got: Vec::new(),
                expected: None,
            };
            let stopped = scan_in_parts::<L, _>(&bytes, 1, parts, readers, &mut sink);
            assert_eq!(stopped, Err(322), "{parts} parts, {readers} readers");
            assert_eq!(sink.got, (1..=321).collect::<Vec<_>>());
        }
        let mut sink = Until {
            wanted: usize::MAX,
            got: Vec::new(),
            expected: None,
        };
        let ended = scan_each::<L, _>(&bytes, 1, &mut sink);
        assert_eq!(ended.map(|e| e.end), Ok(End::Clean));
        assert_eq!(sink.expected, Some(500));
        assert_eq!(sink.got.len(), 500);
    }

    proptest::proptest! {
        /// Read in parts or in one go, a journal reads the same, however it is damaged.
        #[test]
        fn parts_read_as_one(kinds in proptest::collection::vec(any_line(), 0..40), parts in 2usize..9, readers in 1usize..4) {
            let mut bytes = Vec::new();
            for (i, kind) in kinds.iter().enumerate() {
                if kind == b"good" {
                    bytes.extend(format!("{{\"v\":1,\"seq\":{}}}\n", i + 1).bytes());
                } else {
                    bytes.extend(kind);
                }
            }
            let whole = scan_part::<L>(&bytes, 1);
            let mut lines = Vec::new();
            let Ok(Ended { good_end, end }) = scan_in_parts::<L, _>(&bytes, 1, parts, readers, &mut lines);
            let cut = Scanned { lines, good_end, end };
            let seqs = |s: &Scanned<L>| s.lines.iter().map(|l| l.seq).collect::<Vec<_>>();
            proptest::prop_assert_eq!(seqs(&cut), seqs(&whole));
            proptest::prop_assert_eq!(cut.good_end, whole.good_end);
            proptest::prop_assert_eq!(cut.end, whole.end);
        }
    }

    #[test]
    fn clean_lines_are_read_in_order() {
        let s = scan::<L>(b"{\"v\":1,\"seq\":1}\n{\"v\":1,\"seq\":2}\n", 1);
        assert_eq!(s.lines.len(), 2);
        assert_eq!(s.end, End::Clean);
    }

    #[test]
    fn an_unreadable_complete_line_is_bad_even_at_the_end() {
        let e = end(b"{\"v\":1,\"seq\":1}\nxx\n{\"v\":1,\"se");
        assert!(matches!(e, End::Bad(BadLine { line: 2, .. })), "{e:?}");
    }

    #[test]
    fn only_an_unfinished_last_line_is_torn() {
        let e = end(b"{\"v\":1,\"seq\":1}\n{\"v\":1,\"se");
        assert_eq!(
            e,
            End::Torn {
                line: 2,
                offset: 16,
                kind: TornKind::Unfinished
            }
        );
    }

    #[test]
    fn unreadable_line_before_a_readable_one_is_bad() {
        let e = end(b"{\"v\":1,\"seq\":1}\nxx\n[1]\n");
        assert!(matches!(e, End::Bad(BadLine { line: 2, .. })), "{e:?}");
    }

    #[test]
    fn wrong_version_is_bad_even_at_the_end() {
        let e = end(b"{\"v\":2,\"seq\":1}\n");
        assert!(matches!(
            e,
            End::Bad(BadLine {
                line: 1,
                problem: Problem::Version { .. }
            })
        ));
    }

    /// Lines the single reading takes must be judged as the close reading
    /// judges them; the rest go to the close reading anyway.
    #[test]
    fn reading_once_judges_as_reading_closely() {
        let lines: &[&[u8]] = &[
            b"{\"v\":1,\"seq\":1}",
            b"{\"v\":1,\"seq\":2}",
            b"{\"v\":1,\"seq\":1,\"v\":2}",
            b"{\"v\":1,\"seq\":1,\"x\":{\"v\":2}}",
            b"{\"v\":1,\"seq\":1,\"x\":1e400}",
            b"{\"v\":1,\"seq\":1,\"x\":1E4}",
            b"{\"v\":1,\"seq\":1,\"x\":\"\\ud800\"}",
            b"{\"v\":1,\"seq\":1,\"x\":\"\\uD83D\\uDE00\"}",
            b"{\"v\":1,\"seq\":1,\"x\":1000000000000000000000000000000000000000}",
            b"{\"v\":1,\"seq\":1,\"x\":\"v\"}",
            b"{\"v\":1,\"seq\":1} x",
            b"{\"v\":1,\"seq\":1,}",
            b"{\"v\":1,\"seq\":\"1\"}",
            b"{\"v\":1,\"seq\":1,\"seq\":1}",
            b"{\"v\":1.0,\"seq\":1}",
            b"{\"v\":10,\"seq\":1}",
            b"{ \"v\":1,\"seq\":1}",
            b"[1,1]",
        ];
        let mut deep = b"{\"v\":1,\"seq\":1,\"x\":".to_vec();
        deep.extend([b'['; 200]);
        deep.extend([b']'; 200]);
        deep.push(b'}');
        for line in lines.iter().copied().chain([deep.as_slice()]) {
            let text = std::str::from_utf8(line).unwrap();
            let fast = match judge::<L>(line, 1) {
                Verdict::Good(l) => Ok(l.seq),
                Verdict::Wrong(p) => Err(format!("wrong {p:?}")),
                Verdict::Unreadable(p) => Err(format!("unreadable {p:?}")),
            };
            let close = match judge_closely::<L>(text, 1) {
                Verdict::Good(l) => Ok(l.seq),
                Verdict::Wrong(p) => Err(format!("wrong {p:?}")),
                Verdict::Unreadable(p) => Err(format!("unreadable {p:?}")),
            };
            assert_eq!(fast, close, "{text}");
        }
    }

    #[test]
    fn json_positions_say_column_not_line() {
        let e = end(b"{\"v\":1,\"seq\":1}\n{\"v\":1,,}\n{\"v\":1,\"seq\":3}\n");
        let End::Bad(BadLine {
            problem: Problem::NotJson(m),
            ..
        }) = e
        else {
            panic!("{e:?}")
        };
        assert!(m.contains("column") && !m.contains("line"), "{m}");
    }
}

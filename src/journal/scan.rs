//! Reading journal bytes into lines, and telling a crash's torn tail from a
//! damaged line. Pure: no I/O here.

use serde::de::DeserializeOwned;

use super::error::{BadLine, Problem};
use super::{LineFormat, MAX_APPEND, TornKind};

/// How a run of bytes ended, once its good lines have gone to a sink.
#[derive(Debug, PartialEq)]
pub struct Ended {
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

/// Reads a journal that arrives in pieces, as it is read from the disk, so
/// that memory holds one piece and at most one line, never the journal.
///
/// Only what one interrupted append can leave ends the journal as a torn
/// tail: an unfinished last line, with no line break after it, of at most
/// [`MAX_APPEND`] bytes (zeros included, as a power loss leaves them). Every
/// complete line was written whole, so one that does not read is damage,
/// however near the end, and so is any line longer than one append writes:
/// gavel stops there and changes nothing.
#[derive(Debug)]
pub struct Scanner {
    /// The number (and seq) of the next line.
    line: u64,
    /// Bytes before the current line, all of them in good lines.
    good_end: usize,
    /// The start of a line whose end has not arrived yet.
    carry: Vec<u8>,
}

impl Scanner {
    /// Bytes start at a line boundary, their first line being `first`.
    pub fn new(first: u64) -> Scanner {
        Scanner {
            line: first,
            good_end: 0,
            carry: Vec::new(),
        }
    }

    /// The next piece of the journal; each good line goes to `sink` as soon
    /// as it is whole. `Some` when the journal is found damaged.
    pub fn feed<T, S>(&mut self, piece: &[u8], sink: &mut S) -> Result<Option<Ended>, S::Error>
    where
        T: DeserializeOwned + LineFormat,
        S: Sink<T>,
    {
        let mut rest = piece;
        if !self.carry.is_empty() {
            let Some(at) = memchr::memchr(b'\n', rest) else {
                return Ok(self.keep(rest));
            };
            let mut line = std::mem::take(&mut self.carry);
            line.extend_from_slice(&rest[..at]);
            if let Some(bad) = self.judge_one(&line, sink)? {
                return Ok(Some(bad));
            }
            rest = &rest[at + 1..];
        }
        let mut pos = 0;
        while let Some(len) = memchr::memchr(b'\n', &rest[pos..]) {
            if let Some(bad) = self.judge_one(&rest[pos..pos + len], sink)? {
                return Ok(Some(bad));
            }
            pos += len + 1;
        }
        Ok(self.keep(&rest[pos..]))
    }

    /// No more bytes: what is left is an unfinished last line, or nothing.
    pub fn finish(self) -> Ended {
        let good_end = self.good_end;
        if self.carry.is_empty() {
            return Ended {
                good_end,
                end: End::Clean,
            };
        }
        let kind = if self.carry.contains(&0) {
            TornKind::ZeroFilled
        } else {
            TornKind::Unfinished
        };
        Ended {
            good_end,
            end: End::Torn {
                line: self.line,
                offset: good_end,
                kind,
            },
        }
    }

    /// One complete line, without its line break.
    fn judge_one<T, S>(&mut self, text: &[u8], sink: &mut S) -> Result<Option<Ended>, S::Error>
    where
        T: DeserializeOwned + LineFormat,
        S: Sink<T>,
    {
        if text.len() >= MAX_APPEND {
            return Ok(Some(bad(
                self.good_end,
                self.line,
                Problem::LineTooLong(text.len()),
            )));
        }
        match judge::<T>(text, self.line) {
            Verdict::Good(t) => sink.take(t)?,
            Verdict::Wrong(problem) | Verdict::Unreadable(problem) => {
                return Ok(Some(bad(self.good_end, self.line, problem)));
            }
        }
        self.good_end += text.len() + 1;
        self.line += 1;
        Ok(None)
    }

    /// The start of a line still to be finished, unless it is already
    /// longer than one append writes.
    fn keep(&mut self, start: &[u8]) -> Option<Ended> {
        self.carry.extend_from_slice(start);
        (self.carry.len() > MAX_APPEND)
            .then(|| bad(self.good_end, self.line, Problem::TooLong(self.carry.len())))
    }
}

/// The lines of `bytes`, the first being line (and seq) `first`, each given
/// to `sink` as it is read. Since seq starts at 1 and each line carries the
/// next one, a line's number is its seq.
#[cfg(test)]
pub fn scan_each<T, S>(bytes: &[u8], first: u64, sink: &mut S) -> Result<Ended, S::Error>
where
    T: DeserializeOwned + LineFormat,
    S: Sink<T>,
{
    let mut scanner = Scanner::new(first);
    if let Some(bad) = scanner.feed(bytes, sink)? {
        return Ok(bad);
    }
    Ok(scanner.finish())
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

    fn scan(bytes: &[u8]) -> (Vec<L>, Ended) {
        scan_as::<L>(bytes)
    }

    fn scan_as<T: DeserializeOwned + LineFormat>(bytes: &[u8]) -> (Vec<T>, Ended) {
        let mut lines = Vec::new();
        let Ok(ended) = scan_each::<T, _>(bytes, 1, &mut lines);
        (lines, ended)
    }

    fn end(bytes: &[u8]) -> End {
        scan(bytes).1.end
    }

    /// As the disk gives it: in pieces cut at `cuts`.
    fn in_pieces(bytes: &[u8], cuts: &[usize]) -> (Vec<L>, Ended) {
        let mut lines = Vec::new();
        let mut scanner = Scanner::new(1);
        let mut from = 0;
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        cuts.push(bytes.len());
        for to in cuts {
            let Ok(found) = scanner.feed::<L, _>(&bytes[from..to], &mut lines);
            if let Some(bad) = found {
                return (lines, bad);
            }
            from = to;
        }
        (lines, scanner.finish())
    }

    #[test]
    fn the_version_checked_is_the_line_types_own() {
        let (lines, read) = scan_as::<L2>(b"{\"v\":2,\"seq\":1}\n{\"seq\":2,\"v\":2}\n");
        assert_eq!(read.end, End::Clean);
        assert_eq!(lines.len(), 2);
        let e = scan_as::<L2>(b"{\"v\":1,\"seq\":1}\n").1.end;
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
    }

    impl Sink<L> for Until {
        type Error = u64;

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
        let mut sink = Until {
            wanted: 321,
            got: Vec::new(),
        };
        assert_eq!(scan_each::<L, _>(&bytes, 1, &mut sink), Err(322));
        assert_eq!(sink.got, (1..=321).collect::<Vec<_>>());
    }

    #[test]
    fn a_line_longer_than_one_append_is_bad_before_it_is_all_read() {
        let mut scanner = Scanner::new(1);
        let mut lines: Vec<L> = Vec::new();
        let piece = vec![b'x'; 64 * 1024];
        let mut fed = 0;
        let bad = loop {
            let Ok(found) = scanner.feed(&piece, &mut lines);
            fed += piece.len();
            if let Some(bad) = found {
                break bad;
            }
            assert!(fed < 2 * MAX_APPEND, "it read on");
        };
        assert!(matches!(
            bad.end,
            End::Bad(BadLine {
                line: 1,
                problem: Problem::TooLong(_)
            })
        ));
        let long = [vec![b'x'; MAX_APPEND], b"\n".to_vec()].concat();
        assert!(matches!(
            end(&long),
            End::Bad(BadLine {
                problem: Problem::LineTooLong(_),
                ..
            })
        ));
    }

    proptest::proptest! {
        /// Read in pieces or in one go, a journal reads the same, however it is damaged.
        #[test]
        fn pieces_read_as_one(kinds in proptest::collection::vec(any_line(), 0..40), cuts in proptest::collection::vec(0usize..2000, 0..12)) {
            let mut bytes = Vec::new();
            for (i, kind) in kinds.iter().enumerate() {
                if kind == b"good" {
                    bytes.extend(format!("{{\"v\":1,\"seq\":{}}}\n", i + 1).bytes());
                } else {
                    bytes.extend(kind);
                }
            }
            let (whole, whole_end) = scan(&bytes);
            let (cut, cut_end) = in_pieces(&bytes, &cuts);
            let seqs = |s: &[L]| s.iter().map(|l| l.seq).collect::<Vec<_>>();
            proptest::prop_assert_eq!(seqs(&cut), seqs(&whole));
            proptest::prop_assert_eq!(cut_end, whole_end);
        }
    }

    #[test]
    fn clean_lines_are_read_in_order() {
        let (lines, ended) = scan(b"{\"v\":1,\"seq\":1}\n{\"v\":1,\"seq\":2}\n");
        assert_eq!(lines.len(), 2);
        assert_eq!(ended.end, End::Clean);
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

//! Reading journal bytes into lines, and telling a crash's torn tail from a
//! damaged line. Pure: no I/O here.

use serde::de::DeserializeOwned;

use super::error::{BadLine, Problem};
use super::{Sequenced, TornKind, VERSION};

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
    /// From `offset` to the end there is nothing but what a crash leaves:
    /// an unfinished line, unreadable bytes, zeros.
    Torn {
        line: u64,
        offset: usize,
        kind: TornKind,
    },
    /// A line that is wrong in a way no crash explains, or unreadable but
    /// followed by readable lines: stop, change nothing.
    Bad(BadLine),
}

/// One line judged on its own.
enum Verdict<T> {
    Good(T),
    /// Well-formed JSON, but not the line that belongs here.
    Wrong(Problem),
    /// Not JSON at all: what a torn write or zero fill looks like.
    Unreadable(Problem),
}

/// Below this, one thread reads the journal: starting others costs more than
/// it saves.
const SHARED_FROM: usize = 1 << 20;

/// At most this many threads read one journal.
const MAX_READERS: usize = 4;

/// The lines of `bytes`, the first being line (and seq) `first`. Since seq
/// starts at 1 and each line carries the next one, a line's number is its seq.
///
/// A large journal is cut into parts at line breaks and the parts are read at
/// once on several cores: a start-up is mostly reading, and each line is read
/// on its own. The answer is the same as reading it in one go.
pub fn scan<T: DeserializeOwned + Sequenced + Send>(bytes: &[u8], first: u64) -> Scanned<T> {
    let readers = if bytes.len() < SHARED_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(MAX_READERS))
    };
    scan_in_parts(bytes, first, readers)
}

fn scan_in_parts<T: DeserializeOwned + Sequenced + Send>(
    bytes: &[u8],
    first: u64,
    parts: usize,
) -> Scanned<T> {
    let parts = cut(bytes, first, parts);
    if parts.len() < 2 {
        return scan_part(bytes, first);
    }
    let mut scanned: Vec<Scanned<T>> = std::thread::scope(|scope| {
        // A part whose thread cannot be started is read here, after the first.
        let others: Vec<_> = parts[1..]
            .iter()
            .map(|part| {
                let read = || scan_part(&bytes[part.start..part.end], part.line);
                (
                    part,
                    std::thread::Builder::new().spawn_scoped(scope, read).ok(),
                )
            })
            .collect();
        // The first part's lines are where all the others end up.
        let total = parts.iter().map(|p| p.lines).sum();
        let mut all = vec![scan_part_into(
            Vec::with_capacity(total),
            &bytes[..parts[0].end],
            first,
        )];
        all.extend(others.into_iter().map(|(part, thread)| match thread {
            Some(thread) => thread.join().expect("a reader thread"),
            None => scan_part(&bytes[part.start..part.end], part.line),
        }));
        all
    });
    let last = scanned.pop().expect("two parts or more");
    // A part that is not whole lines of good events ends the journal there,
    // or not, depending on what follows: that takes reading it in one go.
    if scanned.iter().any(|s| s.end != End::Clean) {
        return scan_part(bytes, first);
    }
    let start = parts.last().expect("two parts or more").start;
    let mut read = scanned.into_iter();
    let mut lines = read.next().expect("two parts or more").lines;
    for part in read {
        lines.extend(part.lines);
    }
    lines.extend(last.lines);
    let end = match last.end {
        End::Torn { line, offset, kind } => End::Torn {
            line,
            offset: offset + start,
            kind,
        },
        other => other,
    };
    Scanned {
        lines,
        good_end: last.good_end + start,
        end,
    }
}

/// Where one part of the journal starts and ends, and its first line's number.
struct Part {
    start: usize,
    end: usize,
    line: u64,
    lines: usize,
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
            let lines = memchr::memchr_iter(b'\n', &bytes[start..end]).count();
            cuts.push(Part {
                start,
                end,
                line,
                lines,
            });
            line += lines as u64;
            start = end;
        }
        if end == bytes.len() {
            break;
        }
    }
    cuts
}

/// One part read in order, line after line.
fn scan_part<T: DeserializeOwned + Sequenced>(bytes: &[u8], first: u64) -> Scanned<T> {
    let lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count());
    scan_part_into(lines, bytes, first)
}

fn scan_part_into<T: DeserializeOwned + Sequenced>(
    mut lines: Vec<T>,
    bytes: &[u8],
    first: u64,
) -> Scanned<T> {
    let mut good_end = 0;
    let mut suspect: Option<(u64, usize, Problem)> = None;
    let mut line = first;
    let mut pos = 0;
    while pos < bytes.len() {
        let Some(len) = memchr::memchr(b'\n', &bytes[pos..]) else {
            let (line, offset) = suspect.map_or((line, pos), |(l, o, _)| (l, o));
            return torn(lines, good_end, line, offset, bytes);
        };
        let text = &bytes[pos..pos + len];
        match (judge::<T>(text, line), &suspect) {
            (Verdict::Unreadable(problem), None) => suspect = Some((line, pos, problem)),
            (Verdict::Unreadable(_), Some(_)) => {}
            (_, Some((l, _, p))) => return bad(lines, good_end, *l, p.clone()),
            (Verdict::Wrong(problem), None) => return bad(lines, good_end, line, problem),
            (Verdict::Good(t), None) => {
                lines.push(t);
                good_end = pos + len + 1;
            }
        }
        pos += len + 1;
        line += 1;
    }
    match suspect {
        Some((line, offset, _)) => torn(lines, good_end, line, offset, bytes),
        None => Scanned {
            lines,
            good_end,
            end: End::Clean,
        },
    }
}

fn torn<T>(lines: Vec<T>, good_end: usize, line: u64, offset: usize, bytes: &[u8]) -> Scanned<T> {
    let tail = &bytes[offset..];
    let kind = if tail.contains(&0) {
        TornKind::ZeroFilled
    } else if tail.last() != Some(&b'\n') {
        TornKind::Unfinished
    } else {
        TornKind::Unreadable
    };
    Scanned {
        lines,
        good_end,
        end: End::Torn { line, offset, kind },
    }
}

fn bad<T>(lines: Vec<T>, good_end: usize, line: u64, problem: Problem) -> Scanned<T> {
    Scanned {
        lines,
        good_end,
        end: End::Bad(BadLine { line, problem }),
    }
}

fn judge<T: DeserializeOwned + Sequenced>(text: &[u8], seq: u64) -> Verdict<T> {
    let Ok(text) = std::str::from_utf8(text) else {
        return Verdict::Unreadable(Problem::NotUtf8);
    };
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
fn as_written<T: DeserializeOwned>(text: &str) -> Option<T> {
    const HEAD: &str = "{\"v\":1,";
    if !text.starts_with(HEAD) {
        return None;
    }
    serde_json::from_str(text).ok()
}

fn sequenced<T: Sequenced>(line: T, seq: u64) -> Verdict<T> {
    if line.seq() != seq {
        return Verdict::Wrong(Problem::Seq {
            expected: seq,
            found: line.seq(),
        });
    }
    Verdict::Good(line)
}

/// Each way a line can be wrong, told apart in turn.
fn judge_closely<T: DeserializeOwned + Sequenced>(text: &str, seq: u64) -> Verdict<T> {
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
        Some(v) if v.as_u64() == Some(VERSION) => {}
        other => return Verdict::Wrong(Problem::Version(version_text(other))),
    }
    match serde_json::from_str(text) {
        Ok(line) => sequenced(line, seq),
        Err(e) => Verdict::Wrong(Problem::NotEvent(describe(&e))),
    }
}

/// Checks a line about to be written exactly as it will be read back, so the
/// journal never holds a line that would stop the next start-up.
pub fn check_new<T: DeserializeOwned + Sequenced>(text: &[u8], seq: u64) -> Result<(), Problem> {
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

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct L {
        #[allow(dead_code)]
        v: u64,
        seq: u64,
    }

    impl Sequenced for L {
        fn seq(&self) -> u64 {
            self.seq
        }
    }

    fn end(bytes: &[u8]) -> End {
        scan::<L>(bytes, 1).end
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

    proptest::proptest! {
        /// Read in parts or in one go, a journal reads the same, however it is damaged.
        #[test]
        fn parts_read_as_one(kinds in proptest::collection::vec(any_line(), 0..40), parts in 2usize..6) {
            let mut bytes = Vec::new();
            for (i, kind) in kinds.iter().enumerate() {
                if kind == b"good" {
                    bytes.extend(format!("{{\"v\":1,\"seq\":{}}}\n", i + 1).bytes());
                } else {
                    bytes.extend(kind);
                }
            }
            let whole = scan_part::<L>(&bytes, 1);
            let cut = scan_in_parts::<L>(&bytes, 1, parts);
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
    fn unreadable_lines_at_the_end_are_one_torn_tail() {
        let e = end(b"{\"v\":1,\"seq\":1}\nxx\n{\"v\":1,\"se");
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
                problem: Problem::Version(_)
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

//! `journal.unsynced`: the note a writer leaves when a save failed and its
//! bytes could not be cut off. Start-up cuts the journal where the note
//! says, so a note that says the wrong place would cut saved lines: it names
//! the line it follows (seq and a hash) and how many bytes the failed save
//! wrote, and is believed only where the journal agrees. Pure: no I/O here.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::MAX_APPEND;

/// What the note says, and all that is needed to check it against the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsyncedNote {
    /// Where the unsaved bytes start: the end of the last line saved.
    pub offset: u64,
    /// That line's seq; 0 when nothing was saved before.
    pub last_seq: u64,
    /// SHA-256 of that line, line break included, in hex; empty when none.
    pub last_line: String,
    /// How many bytes the failed save wrote after it.
    pub unsaved: u64,
    /// SHA-256 of each line the failed save wrote, line break included.
    pub unsaved_lines: Vec<String>,
}

impl UnsyncedNote {
    /// The note for the save of `unsaved` that failed after `before`, the
    /// journal's bytes up to `offset` (its last line at least).
    pub fn after(before: &[u8], offset: u64, last_seq: u64, unsaved: &[u8]) -> UnsyncedNote {
        UnsyncedNote {
            offset,
            last_seq,
            last_line: last_line(before).map(line_hash).unwrap_or_default(),
            unsaved: unsaved.len() as u64,
            unsaved_lines: unsaved
                .split_inclusive(|&b| b == b'\n')
                .map(line_hash)
                .collect(),
        }
    }

    /// The note's text: the numbers a line each, then a word for whoever
    /// finds it.
    pub fn to_text(&self, journal: &str) -> String {
        let mut text = String::new();
        let _ = write!(
            text,
            "{offset}\nlast-seq {seq}\nlast-line-sha256 {hash}\nunsaved-bytes {unsaved}\n\
             {lines}The bytes of {journal} from byte {offset} on were never saved to the disk and \
             could not be cut off. The next gavel to start on this folder checks that the \
             journal still ends as described here, cuts them off, keeps them aside and \
             removes this file; until then nothing is recorded.\n",
            offset = self.offset,
            seq = self.last_seq,
            hash = if self.last_line.is_empty() {
                "-"
            } else {
                &self.last_line
            },
            unsaved = self.unsaved,
            lines = self
                .unsaved_lines
                .iter()
                .map(|h| format!("unsaved-line-sha256 {h}\n"))
                .collect::<String>(),
        );
        text
    }

    /// Reads a note's text; anything not in the form gavel writes is refused.
    pub fn parse(text: &str) -> Result<UnsyncedNote, String> {
        let mut lines = text.lines().peekable();
        let offset = lines
            .next()
            .and_then(|l| l.trim().parse().ok())
            .ok_or("it does not start with a byte offset")?;
        let mut field = |name: &str| -> Result<String, String> {
            let line = lines.next().unwrap_or_default();
            line.strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(' '))
                .map(|v| v.trim().to_string())
                .ok_or(format!(
                    "it has no \"{name}\" line, so it was not written by this gavel"
                ))
        };
        let number = |v: String, name: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("its \"{name}\" is not a number"))
        };
        let last_seq = number(field("last-seq")?, "last-seq")?;
        let hash = field("last-line-sha256")?;
        let unsaved = number(field("unsaved-bytes")?, "unsaved-bytes")?;
        let mut unsaved_lines = Vec::new();
        while let Some(hash) = lines
            .peek()
            .and_then(|l| l.strip_prefix("unsaved-line-sha256 "))
        {
            unsaved_lines.push(hash.trim().to_string());
            lines.next();
        }
        Ok(UnsyncedNote {
            offset,
            last_seq,
            last_line: if hash == "-" { String::new() } else { hash },
            unsaved,
            unsaved_lines,
        })
    }

    /// Whether the journal agrees with the note: `before` is the journal's
    /// bytes up to the note's offset (its last line at least), `after` all of
    /// them from it, and `read` how far this handle has read it as saved.
    ///
    /// What follows the offset may be the failed save's bytes, or what a
    /// power loss made of them (zeros, debris), but no line that reads and
    /// is not one of the failed save's: that would be a line saved since,
    /// which the note must never cut.
    pub fn check(&self, before: &[u8], after: &[u8], read: u64) -> Result<(), String> {
        if self.offset < read {
            return Err(format!(
                "it says the unsaved bytes start at byte {}, but the journal was read as \
                 saved up to byte {read}",
                self.offset
            ));
        }
        if after.len() as u64 > self.unsaved + MAX_APPEND as u64 {
            return Err(format!(
                "{} bytes follow byte {}, far more than the {} the failed save wrote, so \
                 lines were added since",
                after.len(),
                self.offset,
                self.unsaved
            ));
        }
        if self.offset > 0 && before.last() != Some(&b'\n') {
            return Err(format!("byte {} is not where a line ends", self.offset));
        }
        let found = last_line(before).map(line_hash).unwrap_or_default();
        if found != self.last_line {
            return Err(format!(
                "the line that ends at byte {} is not the one it names",
                self.offset
            ));
        }
        if let Some(n) = self.saved_since(after) {
            return Err(format!(
                "line {} after byte {} reads as a journal line that the failed save did \
                 not write, so it was saved since",
                n + 1,
                self.offset
            ));
        }
        Ok(())
    }
}

impl UnsyncedNote {
    /// The first complete line of `after` that reads as JSON and is not one
    /// of the failed save's lines.
    fn saved_since(&self, after: &[u8]) -> Option<usize> {
        after
            .split_inclusive(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, line)| line.ends_with(b"\n"))
            .filter(|(_, line)| serde_json::from_slice::<serde::de::IgnoredAny>(line).is_ok())
            .find(|(_, line)| !self.unsaved_lines.contains(&line_hash(line)))
            .map(|(n, _)| n)
    }
}

/// The last line of `bytes`, line break included, when they end with one.
fn last_line(bytes: &[u8]) -> Option<&[u8]> {
    let (&b'\n', body) = bytes.split_last()? else {
        return None;
    };
    let start = memchr::memrchr(b'\n', body).map_or(0, |i| i + 1);
    Some(&bytes[start..])
}

fn line_hash(line: &[u8]) -> String {
    let digest = Sha256::digest(line);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    const JOURNAL: &[u8] = b"{\"seq\":1}\n{\"seq\":2}\n";

    const FAILED: &[u8] = b"{\"seq\":3}\n{\"seq\":4}\n";

    fn note() -> UnsyncedNote {
        UnsyncedNote::after(JOURNAL, JOURNAL.len() as u64, 2, FAILED)
    }

    #[test]
    fn a_note_reads_back_as_written() {
        let n = note();
        assert_eq!(UnsyncedNote::parse(&n.to_text("journal.jsonl")), Ok(n));
        let empty = UnsyncedNote::after(b"", 0, 0, FAILED);
        assert_eq!(
            UnsyncedNote::parse(&empty.to_text("journal.jsonl")),
            Ok(empty)
        );
    }

    #[test]
    fn a_note_agrees_with_the_journal_it_was_written_for() {
        for after in [
            FAILED,
            &FAILED[..15],
            b"",
            &[0u8; 300][..],
            b"\0\0\0\0\":4}\n",
        ] {
            assert_eq!(note().check(JOURNAL, after, 0), Ok(()), "{after:?}");
        }
    }

    #[test]
    fn a_note_that_names_the_middle_of_a_line_is_refused() {
        let n = UnsyncedNote {
            offset: 13,
            ..note()
        };
        let why = n.check(&JOURNAL[..13], &JOURNAL[13..], 0).unwrap_err();
        assert!(why.contains("not where a line ends"), "{why}");
    }

    #[test]
    fn a_note_for_another_line_is_refused() {
        let other = b"{\"seq\":1}\n{\"seq\":9}\n";
        let why = note().check(other, FAILED, 0).unwrap_err();
        assert!(why.contains("not the one it names"), "{why}");
    }

    #[test]
    fn a_note_followed_by_a_line_the_failed_save_did_not_write_is_refused() {
        let later = [FAILED, b"{\"seq\":5}\n"].concat();
        let why = note().check(JOURNAL, &later, 0).unwrap_err();
        assert!(why.contains("line 3 after byte"), "{why}");
        let instead = b"{\"seq\":3,\"other\":1}\n";
        let why = note().check(JOURNAL, instead, 0).unwrap_err();
        assert!(why.contains("saved since"), "{why}");
    }

    #[test]
    fn a_note_behind_what_was_read_as_saved_is_refused() {
        let why = note()
            .check(JOURNAL, b"", JOURNAL.len() as u64 + 5)
            .unwrap_err();
        assert!(why.contains("read as saved"), "{why}");
    }

    #[test]
    fn an_old_note_with_only_an_offset_is_refused() {
        let why = UnsyncedNote::parse("130\nThe bytes of journal.jsonl ...\n").unwrap_err();
        assert!(why.contains("last-seq"), "{why}");
    }
}

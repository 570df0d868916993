//! Untrusted text quoted back in a message.

use std::fmt::Write;

use unicode_normalization::char::is_combining_mark;

use super::{MAX_MARKS_PER_CHAR, is_joiner, is_unsafe, joins};

/// Quoted text is cut short so that a pasted paragraph stays on one screen line.
const MAX_QUOTED_CHARS: usize = 40;

/// `text` in double quotes, as [`written_out`] writes it.
pub fn quoted(text: &str) -> String {
    format!("\"{}\"", written_out(text))
}

/// `text` as a message shows it: cut to [`MAX_QUOTED_CHARS`] characters, with
/// controls, invisible characters, loose joiners, and combining marks past
/// [`MAX_MARKS_PER_CHAR`] on one character or at the very start written out
/// as `\u{1b}`. A message then carries no escape sequence to the terminal and
/// does not smear the line, and the officer can see, and find in the file,
/// the character that made a name wrong. Text that is already clean is shown
/// as it is.
pub fn written_out(text: &str) -> String {
    // One more than is shown: it tells whether the text is cut, and whether
    // the last joiner shown joins.
    let chars: Vec<char> = text.chars().take(MAX_QUOTED_CHARS + 1).collect();
    let mut out = String::with_capacity(text.len());
    // Marks on the character before, counted as too many at the start.
    let mut marks = usize::MAX;
    for (i, &c) in chars.iter().enumerate().take(MAX_QUOTED_CHARS) {
        marks = if is_combining_mark(c) {
            marks.saturating_add(1)
        } else {
            0
        };
        let kept_joiner = is_joiner(c) && joins(&chars, i);
        if (is_unsafe(c) && !kept_joiner) || marks > MAX_MARKS_PER_CHAR {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    if chars.len() > MAX_QUOTED_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::sanitise;

    #[test]
    fn what_clean_would_remove_is_written_out() {
        assert_eq!(quoted("Mali"), "\"Mali\"");
        assert_eq!(quoted("\u{1b}[31m"), "\"\\u{1b}[31m\"");
        assert_eq!(quoted("a\u{202e}b\tc"), "\"a\\u{202e}b\\u{9}c\"");
        assert_eq!(quoted("\u{200d}Mali"), "\"\\u{200d}Mali\"");
        assert_eq!(quoted("\u{301}e"), "\"\\u{301}e\"");
        let four = format!("e{}", "\u{301}".repeat(MAX_MARKS_PER_CHAR + 1));
        let three = format!("e{}", "\u{301}".repeat(MAX_MARKS_PER_CHAR));
        assert_eq!(quoted(&four), format!("\"{three}\\u{{301}}\""));
    }

    #[test]
    fn clean_text_is_quoted_as_it_is_and_cut_short() {
        for clean in ["می\u{200C}خواهم", "Côte d’Ivoire", "क्\u{200D}ष"] {
            assert_eq!(sanitise(clean), clean);
            assert_eq!(quoted(clean), format!("\"{clean}\""));
        }
        let long = "x".repeat(MAX_QUOTED_CHARS + 1);
        let cut = "x".repeat(MAX_QUOTED_CHARS);
        assert_eq!(quoted(&long), format!("\"{cut}…\""));
        assert_eq!(quoted(&cut), format!("\"{cut}\""));
    }
}

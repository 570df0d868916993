//! Untrusted text enters here and only here. A [`Clean`] string holds no control
//! characters, no escape sequences, no bidi overrides and no invisible characters,
//! so whatever is built from it can be written to a terminal or a log as it is.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

mod matching;
mod quoted;

pub use matching::{closest, match_key};
pub use quoted::{quoted, written_out};

/// At most this many combining marks are kept on one base character: enough for
/// any real script, not enough to smear a line over its neighbours.
pub const MAX_MARKS_PER_CHAR: usize = 3;

/// Sanitised text: single line, NFC, trimmed, inner runs of white space made one space.
///
/// Shared rather than owned: the same name is held by the list, the notes, the
/// undo records and the last action, and replay copies it at every event, so a
/// copy must cost a count, not an allocation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Clean(Arc<str>);

impl Default for Clean {
    fn default() -> Clean {
        static EMPTY: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
        Clean(EMPTY.get_or_init(|| Arc::from("")).clone())
    }
}

impl Clean {
    pub fn new(raw: &str) -> Clean {
        Clean(Arc::from(sanitised(raw).as_ref()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_string(self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for Clean {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Clean {
    fn from(raw: &str) -> Clean {
        Clean::new(raw)
    }
}

/// Lets maps keyed by `Clean` be looked up with a `&str`: same hash, same order.
impl std::borrow::Borrow<str> for Clean {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Clean {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Clean {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Reading from a journal sanitises again: a hand-edited journal is untrusted too.
impl<'de> Deserialize<'de> for Clean {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Clean, D::Error> {
        let raw = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(Clean::new(&raw))
    }
}

/// A character that must never be shown: a control or a hidden format one.
/// The two joiners count here too: they are kept only between two visible
/// characters (see [`without_loose_joiners`]), which a single character
/// cannot tell.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_hidden_format(c)
}

/// ZERO WIDTH JOINER and ZERO WIDTH NON-JOINER: they shape Persian and Indic
/// words (`می‌خواهم`, conjuncts) and join emoji sequences, so they are kept
/// where they stand between two visible characters.
const ZWNJ: char = '\u{200C}';
const ZWJ: char = '\u{200D}';

fn is_joiner(c: char) -> bool {
    c == ZWNJ || c == ZWJ
}

/// Hidden in any place, unlike the joiners.
fn is_hidden(c: char) -> bool {
    c.is_control() || (is_hidden_format(c) && !is_joiner(c))
}

/// Joiners kept only between two visible characters: one at the start or end
/// of a word, or doubled, joins nothing and is removed. A combining mark after
/// a joiner counts as visible (Bengali writes RA, ZWJ, VIRAMA, YA).
fn without_loose_joiners(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !is_joiner(c) || joins(&chars, i))
        .map(|(_, &c)| c)
        .collect()
}

/// Whether the joiner at `i` stands between two visible characters.
fn joins(chars: &[char], i: usize) -> bool {
    let visible = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|&c| !c.is_whitespace() && !is_joiner(c) && !is_hidden(c))
    };
    visible(i.checked_sub(1)) && visible(Some(i + 1))
}

/// One line of a file made safe to print, its spacing kept.
pub fn printable_line(line: &str) -> String {
    let kept: String = strip_escape_sequences(line)
        .chars()
        .filter(|&c| !is_hidden(c))
        .collect();
    capped_marks(&without_loose_joiners(&kept))
}

/// At most [`MAX_MARKS_PER_CHAR`] combining marks on a character, as
/// `sanitise` keeps them: a hand-edited log must not smear a terminal either.
fn capped_marks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut marks = 0;
    for c in text.chars() {
        if is_combining_mark(c) {
            marks += 1;
            if marks > MAX_MARKS_PER_CHAR {
                continue;
            }
        } else {
            marks = 0;
        }
        out.push(c);
    }
    out
}

fn is_hidden_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{034F}'
        | '\u{0600}'..='\u{0605}'
        | '\u{061C}'
        | '\u{06DD}'
        | '\u{070F}'
        | '\u{0890}'..='\u{0891}'
        | '\u{08E2}'
        | '\u{115F}' | '\u{1160}'
        | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{2800}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Removes escape sequences whole (ESC and what belongs to it, so no `]0;title`
/// residue is left), drops other controls and hidden format characters, turns
/// line breaks and tabs into spaces, limits stacked combining marks and makes
/// each run of white space one space.
pub fn sanitise(raw: &str) -> String {
    sanitised(raw).into_owned()
}

/// [`sanitise`], borrowing the text when it is already clean, as most is.
fn sanitised(raw: &str) -> std::borrow::Cow<'_, str> {
    if already_clean(raw) {
        return std::borrow::Cow::Borrowed(raw);
    }
    std::borrow::Cow::Owned(sanitise_fully(raw))
}

fn sanitise_fully(raw: &str) -> String {
    // Characters go before normalising, so what is left is normalised once and
    // a second pass changes nothing: the journal's text reads back the same.
    let kept: String = strip_escape_sequences(raw)
        .chars()
        .filter(|&c| c.is_whitespace() || !is_hidden(c))
        .collect();
    let mut out = String::with_capacity(kept.len());
    let mut marks = 0usize;
    let mut pending_space = false;
    // A joiner waits for the character after it: it is kept only if that one
    // is visible too, and a doubled joiner is dropped whole.
    let mut joiner: Option<char> = None;
    let mut doubled = false;
    for c in kept.nfc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            (joiner, doubled) = (None, false);
            continue;
        }
        if is_joiner(c) {
            let after_visible = !out.is_empty() && !pending_space;
            match joiner {
                Some(_) => doubled = true,
                None if after_visible => joiner = Some(c),
                None => {}
            }
            continue;
        }
        if is_combining_mark(c) {
            if out.is_empty() || pending_space || marks >= MAX_MARKS_PER_CHAR {
                continue;
            }
            marks += 1;
            push_joined(&mut out, &mut joiner, &mut doubled);
            out.push(c);
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        marks = 0;
        push_joined(&mut out, &mut joiner, &mut doubled);
        out.push(c);
    }
    // A joiner dropped between a letter and its mark (`a`, two ZWNJ, an
    // acute) leaves them side by side, to be composed as a second pass would.
    if unicode_normalization::is_nfc(&out) {
        out
    } else {
        out.nfc().collect()
    }
}

/// The joiner waiting before a visible character, unless it was doubled.
fn push_joined(out: &mut String, joiner: &mut Option<char>, doubled: &mut bool) {
    if let Some(j) = joiner.take()
        && !*doubled
    {
        out.push(j);
    }
    *doubled = false;
}

/// Text that sanitising would leave as it is, told cheaply: most names and
/// notes, and every string read back from a journal gavel wrote.
fn already_clean(raw: &str) -> bool {
    use unicode_normalization::is_nfc;
    if raw.is_ascii() {
        return clean_ascii(raw.as_bytes());
    }
    let mut previous_space = true;
    let mut marks = 0;
    let mut beyond_latin1 = false;
    // The last character was a joiner, which must have a visible one after it.
    let mut joiner = false;
    for c in raw.chars() {
        if c == ' ' {
            if previous_space || joiner {
                return false;
            }
            previous_space = true;
            marks = 0;
            continue;
        }
        if is_joiner(c) {
            if previous_space || joiner {
                return false;
            }
            joiner = true;
            beyond_latin1 = true;
            continue;
        }
        joiner = false;
        // Below U+0300 there are no combining marks, and the only hidden
        // character is the soft hyphen: no tables to look in.
        if c < '\u{300}' {
            if c.is_whitespace() || c.is_control() || c == '\u{AD}' {
                return false;
            }
            beyond_latin1 |= c > '\u{FF}';
            marks = 0;
            previous_space = false;
            continue;
        }
        beyond_latin1 = true;
        if c.is_whitespace() || is_unsafe(c) {
            return false;
        }
        if is_combining_mark(c) {
            marks += 1;
            if previous_space || marks > MAX_MARKS_PER_CHAR {
                return false;
            }
        } else {
            marks = 0;
        }
        previous_space = false;
    }
    // Latin-1 text is always NFC.
    !joiner && !raw.ends_with(' ') && (!beyond_latin1 || is_nfc(raw))
}

/// ASCII holds no marks, no hidden characters and is NFC: only printable
/// characters and single inner spaces are left to check.
fn clean_ascii(raw: &[u8]) -> bool {
    let printable = raw.iter().all(|b| (b' '..=b'~').contains(b));
    printable
        && raw.first() != Some(&b' ')
        && raw.last() != Some(&b' ')
        && !raw.windows(2).any(|pair| pair == b"  ")
}

/// ESC [ … final (CSI), ESC ] … BEL/ST (OSC), ESC P/X/^/_ … ST (DCS, SOS, PM, APC),
/// ESC + one char; and the 8-bit C1 forms of CSI (U+009B) and OSC/DCS (U+009D, U+0090…).
fn strip_escape_sequences(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let introducer = match c {
            '\u{1b}' => match chars.next() {
                Some('[') => '[',
                Some(']') => ']',
                Some('P' | 'X' | '^' | '_') => 'P',
                _ => continue,
            },
            '\u{9b}' => '[',
            '\u{9d}' => ']',
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => 'P',
            _ => {
                out.push(c);
                continue;
            }
        };
        match introducer {
            '[' => {
                // Parameters and intermediates, then one final byte in @..~.
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                    if !('\u{20}'..='\u{3f}').contains(&c) {
                        break;
                    }
                }
            }
            _ => {
                // String sequences end at BEL, ST (ESC \) or U+009C.
                while let Some(c) = chars.next() {
                    if c == '\u{7}' || c == '\u{9c}' {
                        break;
                    }
                    if c == '\u{1b}' {
                        if chars.peek() == Some(&'\\') {
                            chars.next();
                        }
                        break;
                    }
                }
            }
        }
    }
    out
}

/// A file's bytes made safe to print: escape sequences, controls and hidden
/// format characters removed, everything else (spacing included) as it was.
pub fn printable(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let text = strip_escape_sequences(&text);
    let kept: String = text
        .chars()
        .filter(|&c| c == '\n' || !is_hidden(c))
        .collect();
    capped_marks(&without_loose_joiners(&kept)).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_go_whole() {
        assert_eq!(sanitise("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(sanitise("red\u{1b}[31mtext\u{1b}[0m"), "redtext");
        assert_eq!(sanitise("x\u{9b}2Jy"), "xy");
        assert_eq!(sanitise("dcs\u{1b}Pq#0\u{1b}\\end"), "dcsend");
    }

    #[test]
    fn controls_and_invisibles_go() {
        assert_eq!(sanitise("a\u{0}b\u{7f}c\u{85}d\u{80}e"), "abc de");
        assert_eq!(sanitise("evil\u{202e}txt.exe"), "eviltxt.exe");
        assert_eq!(sanitise("zero\u{200b}width\u{feff}"), "zerowidth");
    }

    proptest::proptest! {
        #[test]
        fn the_quick_check_agrees_with_the_full_one(raw in "(\\PC|\\p{M}| |[\u{0}-\u{9f}\u{200b}-\u{206f}])*") {
            if already_clean(&raw) {
                proptest::prop_assert_eq!(sanitise_fully(&raw), raw.clone());
            }
            let once = sanitise_fully(&raw);
            proptest::prop_assert!(already_clean(&once), "{once:?}");
        }

        #[test]
        fn sanitising_twice_changes_nothing(raw in "(\\PC|\\p{M}|[\u{0}-\u{9f}\u{200b}-\u{206f}\u{ad}\u{34f}])*") {
            let once = sanitise(&raw);
            proptest::prop_assert_eq!(sanitise(&once), once.clone());
            // Joiners are kept between visible characters; nothing else hidden is.
            proptest::prop_assert!(!once.chars().any(is_hidden));
        }
    }

    #[test]
    fn joiners_between_visible_characters_stay() {
        for word in [
            "می\u{200C}خواهم",                             // Persian: mi-khāham, ZWNJ
            "क्\u{200D}ष",                                  // Hindi: KA VIRAMA ZWJ SSA
            "ന്\u{200D}റ",                                  // Malayalam: NA VIRAMA ZWJ RRA
            "র\u{200D}্য",                                  // Bengali: RA ZWJ VIRAMA YA
            "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}", // emoji: a family
            "Kyrgyz\u{200C}stan",
        ] {
            assert_eq!(sanitise(word), word, "{word:?}");
            assert!(already_clean(word), "{word:?}");
            assert_eq!(printable_line(word), word, "{word:?}");
        }
        assert_eq!(
            sanitise("Note: می\u{200C}خواهم ok"),
            "Note: می\u{200C}خواهم ok"
        );
        assert_eq!(match_key("می\u{200C}خواهم"), match_key("میخواهم"));
    }

    #[test]
    fn joiners_at_the_edges_of_words_or_doubled_go() {
        assert_eq!(sanitise("\u{200D}Mali"), "Mali");
        assert_eq!(sanitise("Mali\u{200C}"), "Mali");
        assert_eq!(sanitise("Mali\u{200D} Niger"), "Mali Niger");
        assert_eq!(sanitise("Mali \u{200C}Niger"), "Mali Niger");
        assert_eq!(sanitise("Ma\u{200D}\u{200D}li"), "Mali");
        assert_eq!(sanitise("Ma\u{200C}\u{200D}\u{200C}li"), "Mali");
        assert_eq!(sanitise("\u{200D}"), "");
        // Other invisibles still go, and a joiner with them when left loose.
        assert_eq!(sanitise("Ma\u{200B}\u{200D}\u{202E}"), "Ma");
        assert_eq!(
            printable_line("\u{200D}Mali\u{200C} x\u{200D}\u{200D}y"),
            "Mali xy"
        );
        assert!(!already_clean("Mali\u{200D}"));
        assert!(!already_clean("\u{200D}Mali"));
        assert!(!already_clean("Ma\u{200D}\u{200D}li"));
        assert!(!already_clean("Mali\u{200D} Niger"));
    }

    #[test]
    fn lines_become_one() {
        assert_eq!(
            sanitise("  two\nlines\t and\r\n tabs  "),
            "two lines and tabs"
        );
    }

    #[test]
    fn accents_survive_and_marks_are_capped() {
        assert_eq!(sanitise("Keïta"), "Keïta");
        let zalgo = format!("a{}", "\u{301}".repeat(50));
        assert_eq!(sanitise(&zalgo).chars().count(), 1 + MAX_MARKS_PER_CHAR);
    }
}
/// Every short string of the characters sanitising treats apart, with
/// the ones it keeps: sanitised twice, it is what it was once.
#[cfg(test)]
mod idempotent {
    #[test]
    fn every_short_mix_of_joiners_marks_and_hidden_characters_is_stable() {
        let alphabet = [
            'a', ' ', '\u{200c}', '\u{200d}', '®', '\u{ad}', '\u{34f}', '\u{301}', '\u{200b}',
            '\t', '\u{1b}', 'é', '\u{e9}',
        ];
        let n = alphabet.len();
        for len in 1..=5u32 {
            for mut i in 0..n.pow(len) {
                let mut raw = String::new();
                for _ in 0..len {
                    raw.push(alphabet[i % n]);
                    i /= n;
                }
                let once = super::sanitise(&raw);
                let twice = super::sanitise(&once);
                assert_eq!(once, twice, "{raw:?} -> {once:?} -> {twice:?}");
            }
        }
    }
}

//! Names compared as people mean them: the key two spellings of one name
//! share, and the known word a slip of the keyboard was meant to be.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::is_joiner;

/// The key names are matched by: no accents, lower case, punctuation as spaces,
/// and `&` read as `and`; so `cote d'ivoire` finds `Côte d’Ivoire`.
pub fn match_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else if c == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            space = true;
        } else if c == '\'' || c == '’' || c == '.' || is_joiner(c) {
            // D'Ivoire and U.S. read as one word, and a joiner joins.
        } else {
            space = true;
        }
    }
    out
}

/// The word of `known` that `word` is most likely a slip for: the nearest in
/// edits, at most `max_edits` away, the first of equals. A swap of two
/// neighbours counts as one edit, as it is the commonest slip.
pub fn closest<'a>(
    word: &str,
    known: impl IntoIterator<Item = &'a str>,
    max_edits: usize,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::osa_distance(word, candidate), candidate))
        .filter(|&(edits, _)| edits <= max_edits)
        .min_by_key(|&(edits, _)| edits)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_key_ignores_case_accents_and_apostrophes() {
        assert_eq!(match_key("Côte d’Ivoire"), "cote divoire");
        assert_eq!(match_key("cote d'ivoire"), "cote divoire");
        assert_eq!(match_key("Trinidad & Tobago"), "trinidad and tobago");
        assert_eq!(match_key("U.S."), "us");
    }

    #[test]
    fn closest_counts_edits_and_swaps() {
        let words = ["next", "undo", "seat", "add"];
        assert_eq!(closest("nxt", words, 1), Some("next"));
        assert_eq!(
            closest("udno", words, 1),
            Some("undo"),
            "a swap is one edit"
        );
        assert_eq!(closest("seat", words, 0), Some("seat"));
        assert_eq!(closest("", words, 3), Some("add"));
        assert_eq!(closest("", words, 2), None);
        assert_eq!(
            closest("sead", ["seal", "seat"], 1),
            Some("seal"),
            "the first of equals"
        );
    }
}

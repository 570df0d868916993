//! Type-to-search over the roster and the Member States: accent- and
//! case-insensitive, forgiving of missing letters (`rus fed`, `cdi`, `lacrx`).

use crate::domain::Meeting;
use crate::domain::resolve::{Candidate, candidates};
use crate::text::match_key;

/// What a search offers: the text shown, and the name that resolves to exactly
/// this candidate when typed back into a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub shown: String,
    pub name: String,
}

/// How many candidates are worth showing.
pub const MAX_FOUND: usize = 8;

pub fn search(meeting: &Meeting, query: &str) -> Vec<Found> {
    let query = match_key(query);
    let mut scored: Vec<(u32, usize, Found)> = candidates(meeting)
        .iter()
        .enumerate()
        .filter_map(|(order, c)| best(c, &query).map(|score| (score, order, found(c))))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(MAX_FOUND)
        .map(|(_, _, f)| f)
        .collect()
}

fn found(c: &Candidate<'_>) -> Found {
    match c {
        // The roster id is unique, so picking a candidate never turns ambiguous.
        Candidate::Roster(p) => Found {
            shown: c.describe(),
            name: p.id.to_string(),
        },
        Candidate::State(s) => Found {
            shown: s.name.to_string(),
            name: s.name.to_string(),
        },
    }
}

fn names<'a>(c: &Candidate<'a>) -> Vec<&'a str> {
    match c {
        Candidate::Roster(p) => {
            let mut names = vec![p.delegation.as_str(), p.id.as_str()];
            if !p.representative.is_empty() {
                names.push(p.representative.as_str());
            }
            names.extend(p.aliases.iter().map(|a| a.as_str()));
            names
        }
        Candidate::State(s) => std::iter::once(s.name)
            .chain(s.aliases.iter().copied())
            .collect(),
    }
}

fn best(c: &Candidate<'_>, query: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(0);
    }
    names(c)
        .iter()
        .filter_map(|n| score(&match_key(n), query))
        .max()
}

/// Higher is better: a whole match, then a prefix, then word starts, then the
/// letters in order anywhere.
pub fn score(name: &str, query: &str) -> Option<u32> {
    if name == query {
        return Some(1000);
    }
    if name.starts_with(query) {
        return Some(800 - name.len().min(200) as u32);
    }
    let words: Vec<&str> = name.split(' ').collect();
    if query
        .split(' ')
        .all(|q| words.iter().any(|w| w.starts_with(q)))
    {
        return Some(600 - name.len().min(200) as u32);
    }
    let initials: String = words.iter().filter_map(|w| w.chars().next()).collect();
    if initials.starts_with(&query.replace(' ', "")) {
        return Some(500);
    }
    subsequence(name, query).map(|gaps| 300u32.saturating_sub(gaps))
}

/// The letters of `query` in order within `name`; the fewer skipped, the better.
fn subsequence(name: &str, query: &str) -> Option<u32> {
    let mut gaps = 0u32;
    let mut chars = name.chars();
    for q in query.chars().filter(|c| *c != ' ') {
        let mut skipped = 0;
        loop {
            match chars.next() {
                Some(c) if c == q => break,
                Some(_) => skipped += 1,
                None => return None,
            }
        }
        gaps += skipped;
    }
    Some(gaps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_beat_scattered_letters() {
        assert!(score("russian federation", "rus fed") > score("belarus", "rus"));
        assert_eq!(score("france", "france"), Some(1000));
        assert!(score("cote divoire", "cdi").is_some());
        assert!(score("mali", "xyz").is_none());
    }
}

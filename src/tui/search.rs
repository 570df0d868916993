//! Type-to-search over the roster and the Member States: accent- and
//! case-insensitive, forgiving of missing letters (`rus fed`, `cdi`, `lacrx`).
//! Names are scored by nucleo's fuzzy matcher, the one helix uses, on their
//! matching keys ([`match_key`]), so that `cote d'ivoire` finds `Côte d’Ivoire`.

use std::cmp::Reverse;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

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

/// How many of those taking part a search for a seat still shows, last.
const PARTICIPANTS_SHOWN: usize = 2;

/// The candidates that `query` matches, best first. Among equals the one
/// whose matching name is shortest comes first (`niger` finds Niger before
/// Nigeria), then the roster before the States, in their order.
pub fn search(meeting: &Meeting, query: &str) -> Vec<Found> {
    ranked(meeting, query)
        .iter()
        .take(MAX_FOUND)
        .map(found)
        .collect()
}

/// As [`search`], for an observer seat: delegations that may sit in one
/// come first, and those taking part in the meeting (who sit at the table)
/// after them, marked, so the first offered is one a seat can be given to.
pub fn search_for_seat(meeting: &Meeting, query: &str) -> Vec<Found> {
    let (mut may, part): (Vec<_>, Vec<_>) = ranked(meeting, query)
        .into_iter()
        .partition(|c| !crate::domain::takes_part(meeting, c.delegation()));
    // The best two of those taking part keep their rows, so a name typed
    // whole is still seen, marked, and not mistaken for a typing slip.
    let shown_part = part.len().min(PARTICIPANTS_SHOWN);
    may.truncate(MAX_FOUND - shown_part);
    may.extend(part.into_iter().take(shown_part));
    may.iter()
        .map(|c| {
            let mut f = found(c);
            if crate::domain::takes_part(meeting, c.delegation()) {
                f.shown.push_str(" · takes part: no observer seat");
            }
            f
        })
        .collect()
}

/// Every candidate `query` matches, best first; all of them, in order, for
/// nothing typed.
fn ranked<'a>(meeting: &'a Meeting, query: &str) -> Vec<Candidate<'a>> {
    let all = candidates(meeting);
    let query = match_key(query);
    if query.is_empty() {
        return all;
    }
    let pattern = Pattern::new(
        &query,
        CaseMatching::Ignore,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    let mut matcher = Matcher::new(matcher_config());
    let mut scored: Vec<(Score, usize, Candidate<'a>)> = all
        .into_iter()
        .enumerate()
        .filter_map(|(order, c)| best(&c, &pattern, &mut matcher).map(|score| (score, order, c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, c)| c).collect()
}

/// Names are typed whole, from their first letters: a match near the start
/// of a name counts for more.
fn matcher_config() -> Config {
    let mut config = Config::DEFAULT;
    config.prefer_prefix = true;
    config
}

/// How well a candidate matches: nucleo's score, then the shorter name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Score {
    points: u32,
    shorter: Reverse<usize>,
}

fn best(c: &Candidate<'_>, pattern: &Pattern, matcher: &mut Matcher) -> Option<Score> {
    let mut buf = Vec::new();
    c.match_keys()
        .iter()
        .filter_map(|key| {
            let points = pattern.score(Utf32Str::new(key, &mut buf), matcher)?;
            Some(Score {
                points,
                shorter: Reverse(key.chars().count()),
            })
        })
        .max()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Meeting {
        let seed = include_str!("../../config/mali-ministerial-2017.toml");
        crate::config::parse(seed, "seed.toml", std::path::Path::new(""))
            .expect("the seed meeting loads")
            .meeting
    }

    fn first(meeting: &Meeting, query: &str) -> Option<String> {
        search(meeting, query).into_iter().next().map(|f| f.name)
    }

    #[test]
    fn whole_words_beat_scattered_letters() {
        let meeting = seed();
        assert_eq!(
            first(&meeting, "rus fed").as_deref(),
            Some("russian-federation")
        );
        assert_eq!(first(&meeting, "France").as_deref(), Some("france"));
        assert_eq!(
            first(&meeting, "cote d'iv").as_deref(),
            Some("Côte d'Ivoire")
        );
        assert!(search(&meeting, "xyzzy").is_empty());
    }

    #[test]
    fn initials_find_the_name_they_begin() {
        assert_eq!(first(&seed(), "cdi").as_deref(), Some("Côte d'Ivoire"));
    }

    #[test]
    fn letters_together_beat_letters_apart() {
        let names: Vec<String> = search(&seed(), "rus").into_iter().map(|f| f.name).collect();
        let at = |name: &str| names.iter().position(|n| n == name);
        assert!(at("Brunei Darussalam") < at("Mauritius"), "{names:?}");
    }

    #[test]
    fn a_name_typed_whole_beats_a_longer_one_it_begins() {
        let mut meeting = seed();
        meeting.roster.retain(|p| p.delegation.as_str() != "Niger");
        assert_eq!(first(&meeting, "niger").as_deref(), Some("Niger"));
    }

    #[test]
    fn nothing_typed_offers_the_roster_in_its_order() {
        let meeting = seed();
        let names: Vec<String> = search(&meeting, "").into_iter().map(|f| f.name).collect();
        let roster: Vec<String> = meeting
            .roster
            .iter()
            .take(MAX_FOUND)
            .map(|p| p.id.to_string())
            .collect();
        assert_eq!(names, roster);
    }
    /// Mali takes part: a seat search for `mali` offers the States that may
    /// sit first (Somalia, Malawi…), and Mali after them, marked.
    #[test]
    fn a_seat_search_offers_those_who_may_sit_first() {
        let meeting = seed();
        let found = search_for_seat(&meeting, "mali");
        let plain = search(&meeting, "mali");
        assert!(plain[0].shown.starts_with("Mali"), "{plain:?}");
        assert!(
            !crate::domain::takes_part(&meeting, &found[0].name),
            "{found:?}"
        );
        let mali = found
            .iter()
            .find(|f| f.shown.starts_with("Mali"))
            .unwrap_or_else(|| panic!("{found:?}"));
        assert!(
            mali.shown.ends_with("takes part: no observer seat"),
            "{found:?}"
        );
    }
}

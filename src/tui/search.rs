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

/// The candidates that `query` matches, best first. Among equals the one
/// whose matching name is shortest comes first (`niger` finds Niger before
/// Nigeria), then the roster before the States, in their order.
pub fn search(meeting: &Meeting, query: &str) -> Vec<Found> {
    let all = candidates(meeting);
    let query = match_key(query);
    if query.is_empty() {
        return all.iter().take(MAX_FOUND).map(found).collect();
    }
    let pattern = Pattern::new(
        &query,
        CaseMatching::Ignore,
        Normalization::Smart,
        AtomKind::Fuzzy,
    );
    let mut matcher = Matcher::new(matcher_config());
    let mut scored: Vec<(Score, usize, &Candidate<'_>)> = all
        .iter()
        .enumerate()
        .filter_map(|(order, c)| best(c, &pattern, &mut matcher).map(|score| (score, order, c)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(MAX_FOUND)
        .map(|(_, _, c)| found(c))
        .collect()
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
}

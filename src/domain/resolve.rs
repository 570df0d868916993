//! Who an officer means: a name as typed, matched against the roster and the
//! Member States without regard to case, accents or punctuation.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use super::event::Delegate;
use super::language::Language;
use super::meeting::{Category, Level, Meeting, Participant};
use super::states::{MemberState, member_states};
use crate::text::{Clean, match_key, quoted};

/// Someone a typed name can mean.
#[derive(Clone, Copy)]
pub enum Candidate<'a> {
    Roster(&'a Participant),
    State(&'a MemberState),
}

impl Candidate<'_> {
    pub fn delegation(&self) -> &str {
        match self {
            Candidate::Roster(p) => p.delegation.as_str(),
            Candidate::State(s) => s.name,
        }
    }

    /// How the candidate is named when a name is ambiguous.
    pub fn describe(&self) -> String {
        match self {
            Candidate::Roster(p) if p.representative.is_empty() => {
                format!("{} ({})", p.delegation, p.id)
            }
            Candidate::Roster(p) => format!("{} — {} ({})", p.delegation, p.representative, p.id),
            Candidate::State(s) => s.name.to_string(),
        }
    }

    pub fn delegate(&self) -> Delegate {
        match self {
            Candidate::Roster(p) => Delegate::from(*p),
            Candidate::State(s) => Delegate {
                key: Clean::new(&format!("state:{}", s.name)),
                delegation: Clean::new(s.name),
                representative: Clean::default(),
                title: Clean::default(),
                level: if s.observer {
                    Level::Observer
                } else {
                    Level::HeadOfDelegation
                },
            },
        }
    }

    /// Who they speak as: the roster's category; a State not on the roster
    /// as a member, or an observer State as an observer.
    pub fn category(&self) -> Category {
        match self {
            Candidate::Roster(p) => p.category,
            Candidate::State(s) if s.observer => Category::Observer,
            Candidate::State(_) => Category::Member,
        }
    }

    /// The language the roster says they speak in.
    pub fn language(&self) -> Option<Language> {
        match self {
            Candidate::Roster(p) => p.language.clone(),
            Candidate::State(_) => None,
        }
    }

    /// Every name of the candidate as a [`match_key`]; a State's are worked
    /// out once for all.
    pub fn match_keys(&self) -> Cow<'static, [String]> {
        match self {
            Candidate::Roster(_) => Cow::Owned(self.names().into_iter().map(match_key).collect()),
            Candidate::State(s) => Cow::Borrowed(folded_state(s)),
        }
    }

    fn names(&self) -> Vec<&str> {
        match self {
            Candidate::Roster(p) => {
                let mut names = vec![p.id.as_str(), p.delegation.as_str()];
                if !p.representative.is_empty() {
                    names.push(p.representative.as_str());
                }
                names.extend(p.aliases.iter().map(Clean::as_str));
                names
            }
            Candidate::State(s) => {
                let mut names = vec![s.name];
                names.extend(s.aliases.iter().copied());
                names
            }
        }
    }
}

/// Everyone who can be named: the roster first, then Member States not on it.
pub fn candidates(meeting: &Meeting) -> Vec<Candidate<'_>> {
    let on_roster: Vec<String> = meeting
        .roster
        .iter()
        .map(|p| match_key(p.delegation.as_str()))
        .collect();
    let roster = meeting.roster.iter().map(Candidate::Roster);
    let states = member_states()
        .iter()
        .filter(move |s| !on_roster.contains(&folded_state(s)[0]))
        .map(Candidate::State);
    roster.chain(states).collect()
}

/// A State's name and aliases, folded, in the order of [`Candidate::names`]:
/// folding is most of what resolving a name costs, and the States never change.
fn folded_state(state: &MemberState) -> &'static [String] {
    static FOLDED: OnceLock<HashMap<&'static str, Vec<String>>> = OnceLock::new();
    let all = FOLDED.get_or_init(|| {
        member_states()
            .iter()
            .map(|s| {
                let names = std::iter::once(s.name).chain(s.aliases.iter().copied());
                (s.name, names.map(match_key).collect())
            })
            .collect()
    });
    all.get(state.name)
        .map(Vec::as_slice)
        .expect("a State from the list")
}

/// Why a name did not resolve, in words an officer understands.
pub fn unresolved(typed: &str, found: &[Candidate<'_>]) -> String {
    // Whatever was typed, the answer fits a status line.
    let typed = quoted(typed);
    if found.is_empty() {
        return format!("no one called {typed} on the roster or among the Member States");
    }
    let mut names: Vec<String> = found.iter().take(6).map(Candidate::describe).collect();
    if found.len() > names.len() {
        names.push(format!("{} more", found.len() - names.len()));
    }
    format!("{typed} could be {}: say which", names.join(", "))
}

/// The candidates a typed name means, best matches only: an exact name or alias
/// beats a match on the beginnings of words, which beats a match inside a name.
pub fn matches<'a>(meeting: &'a Meeting, typed: &str) -> Vec<Candidate<'a>> {
    let query = match_key(typed);
    if query.is_empty() {
        return Vec::new();
    }
    let all = candidates(meeting);
    let folded: Vec<Cow<'static, [String]>> = all.iter().map(Candidate::match_keys).collect();
    for tier in [Tier::Exact, Tier::WordPrefix, Tier::Inside] {
        let found: Vec<Candidate<'a>> = all
            .iter()
            .zip(&folded)
            .filter(|(_, names)| names.iter().any(|n| tier.matches(&query, n)))
            .map(|(c, _)| *c)
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Resolves a speaker: exactly one candidate, or a refusal naming them all.
pub fn speaker(meeting: &Meeting, typed: &str) -> Result<Delegate, String> {
    candidate(meeting, typed).map(|c| c.delegate())
}

/// The one roster entry or Member State `typed` means.
pub fn candidate<'a>(meeting: &'a Meeting, typed: &str) -> Result<Candidate<'a>, String> {
    match matches(meeting, typed).as_slice() {
        [one] => Ok(*one),
        found => Err(unresolved(typed, found)),
    }
}

/// Resolves a speaker, preferring those `listed` (by key): `pass Mali` means the
/// Mali that is on the list, even when Mali has two people on the roster.
pub fn speaker_preferring(
    meeting: &Meeting,
    typed: &str,
    listed: &[&str],
) -> Result<Delegate, String> {
    let found = matches(meeting, typed);
    let mut among: Vec<Delegate> = found
        .iter()
        .map(Candidate::delegate)
        .filter(|d| listed.contains(&d.key.as_str()))
        .collect();
    among.dedup_by(|a, b| a.key == b.key);
    match (among.len(), found.as_slice()) {
        (1, _) => Ok(among.remove(0)),
        (_, [one]) => Ok(one.delegate()),
        _ => Err(unresolved(typed, &found)),
    }
}

/// Resolves a delegation, for seats: several roster entries of one delegation
/// are still one delegation.
pub fn delegation(meeting: &Meeting, typed: &str) -> Result<Clean, String> {
    let found = matches(meeting, typed);
    let mut names: Vec<&str> = found.iter().map(Candidate::delegation).collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [one] => Ok(Clean::new(one)),
        _ => Err(unresolved(typed, &found)),
    }
}

#[derive(Clone, Copy)]
enum Tier {
    Exact,
    WordPrefix,
    Inside,
}

impl Tier {
    /// Spaces count for nothing in the exact and inside tiers: where an
    /// apostrophe or a hyphen was typed as a space, or left out, it is the
    /// same name (`cote d ivoire`, `cote divoire`, `Côte d'Ivoire`).
    fn matches(self, query: &str, name: &str) -> bool {
        match self {
            Tier::Exact => without_spaces(query).eq(without_spaces(name)),
            Tier::WordPrefix => {
                let words: Vec<&str> = name.split(' ').collect();
                query
                    .split(' ')
                    .all(|q| words.iter().any(|w| w.starts_with(q)))
            }
            Tier::Inside => {
                let query: String = without_spaces(query).collect();
                query.len() >= 3 && without_spaces(name).collect::<String>().contains(&query)
            }
        }
    }
}

fn without_spaces(key: &str) -> impl Iterator<Item = char> + '_ {
    key.chars().filter(|&c| c != ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A space typed for an apostrophe, or none, is the same name.
    #[test]
    fn spaces_count_for_nothing_in_a_whole_or_inside_match() {
        let name = match_key("Côte d’Ivoire");
        for typed in [
            "cote d ivoire",
            "cote divoire",
            "Côte d'Ivoire",
            "cotedivoire",
        ] {
            assert!(Tier::Exact.matches(&match_key(typed), &name), "{typed}");
        }
        assert!(Tier::Inside.matches(&match_key("d ivoire"), &name));
        assert!(!Tier::Exact.matches(&match_key("cote"), &name));
        assert!(!Tier::Inside.matches(&match_key("ivory"), &name));
    }
}

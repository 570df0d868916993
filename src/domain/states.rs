//! The 193 Member States of the United Nations and the two observer States.
//!
//! The list lives in `member_states.tsv` so that a change of name (as with
//! Türkiye or Netherlands (Kingdom of the)) is a one-line data edit.

use std::sync::OnceLock;

use crate::text::match_key;

/// A State as the door officer or the floor officer names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberState {
    /// Official short name in English, e.g. `Côte d'Ivoire`.
    pub name: &'static str,
    /// Other names officers type, e.g. `ivory coast`; compared after [`match_key`].
    pub aliases: Vec<&'static str>,
    /// A non-member observer State (Holy See, State of Palestine).
    pub observer: bool,
}

const DATA: &str = include_str!("member_states.tsv");

/// All of them, Member States in alphabetical order first, then the observer States.
pub fn member_states() -> &'static [MemberState] {
    static STATES: OnceLock<Vec<MemberState>> = OnceLock::new();
    STATES.get_or_init(|| parse(DATA))
}

/// The State whose name or alias matches `text` once both are folded, so
/// `cote d'ivoire`, `Ivory Coast` and `CÔTE D’IVOIRE` all find Côte d'Ivoire.
pub fn find_state(text: &str) -> Option<&'static MemberState> {
    let wanted = match_key(text);
    if wanted.is_empty() {
        return None;
    }
    member_states().iter().find(|state| {
        match_key(state.name) == wanted
            || state.aliases.iter().any(|alias| match_key(alias) == wanted)
    })
}

/// The data is compiled in and covered by tests, so a malformed line is a build
/// mistake, not something to recover from at run time.
fn parse(data: &'static str) -> Vec<MemberState> {
    data.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut columns = line.split('\t');
            let (Some(name), Some(aliases), Some(kind), None) = (
                columns.next(),
                columns.next(),
                columns.next(),
                columns.next(),
            ) else {
                panic!("member_states.tsv: expected three tab-separated columns in {line:?}");
            };
            let observer = match kind {
                "member" => false,
                "observer" => true,
                other => panic!("member_states.tsv: unknown kind {other:?} in {line:?}"),
            };
            let aliases = aliases
                .split('|')
                .filter(|alias| !alias.is_empty())
                .collect();
            MemberState {
                name,
                aliases,
                observer,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::text::Clean;

    #[test]
    fn states_193_members_and_2_observers() {
        let states = member_states();
        assert_eq!(states.iter().filter(|s| !s.observer).count(), 193);
        let observers: Vec<&str> = states
            .iter()
            .filter(|s| s.observer)
            .map(|s| s.name)
            .collect();
        assert_eq!(observers, ["Holy See", "State of Palestine"]);
    }

    #[test]
    fn states_no_name_or_alias_twice() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for state in member_states() {
            for text in std::iter::once(&state.name).chain(&state.aliases) {
                let folded = match_key(text);
                assert!(!folded.is_empty(), "{text:?}");
                if let Some(other) = seen.insert(folded, state.name) {
                    panic!(
                        "{text:?} of {} is also a name or alias of {other}",
                        state.name
                    );
                }
            }
        }
    }

    #[test]
    fn states_are_clean_text() {
        for state in member_states() {
            assert_eq!(Clean::new(state.name).as_str(), state.name);
            for alias in &state.aliases {
                assert_eq!(Clean::new(alias).as_str(), *alias);
            }
        }
    }

    #[test]
    fn states_use_current_official_names() {
        for name in [
            "Côte d'Ivoire",
            "Türkiye",
            "Czechia",
            "Eswatini",
            "North Macedonia",
            "Netherlands (Kingdom of the)",
            "Bolivia (Plurinational State of)",
            "Democratic Republic of the Congo",
            "United Kingdom of Great Britain and Northern Ireland",
            "United States of America",
            "Russian Federation",
            "Viet Nam",
            "Cabo Verde",
        ] {
            assert!(member_states().iter().any(|s| s.name == name), "{name}");
        }
    }

    #[test]
    fn states_found_by_what_officers_type() {
        let cases = [
            ("drc", "Democratic Republic of the Congo"),
            ("UK", "United Kingdom of Great Britain and Northern Ireland"),
            ("usa", "United States of America"),
            ("U.S.", "United States of America"),
            ("russia", "Russian Federation"),
            ("syria", "Syrian Arab Republic"),
            ("iran", "Iran (Islamic Republic of)"),
            ("laos", "Lao People's Democratic Republic"),
            ("bolivia", "Bolivia (Plurinational State of)"),
            ("venezuela", "Venezuela (Bolivarian Republic of)"),
            ("tanzania", "United Republic of Tanzania"),
            ("dprk", "Democratic People's Republic of Korea"),
            ("north korea", "Democratic People's Republic of Korea"),
            ("south korea", "Republic of Korea"),
            ("republic of korea", "Republic of Korea"),
            ("turkey", "Türkiye"),
            ("turkiye", "Türkiye"),
            ("czech republic", "Czechia"),
            ("swaziland", "Eswatini"),
            ("ivory coast", "Côte d'Ivoire"),
            ("cote d’ivoire", "Côte d'Ivoire"),
            ("cape verde", "Cabo Verde"),
            ("vatican", "Holy See"),
            ("palestine", "State of Palestine"),
            ("netherlands", "Netherlands (Kingdom of the)"),
            ("vietnam", "Viet Nam"),
            ("moldova", "Republic of Moldova"),
            ("micronesia", "Micronesia (Federated States of)"),
            ("São Tomé and Príncipe", "Sao Tome and Principe"),
            ("Congo", "Congo"),
        ];
        for (typed, name) in cases {
            assert_eq!(find_state(typed).map(|s| s.name), Some(name), "{typed}");
        }
        assert_eq!(find_state("korea"), None, "ambiguous, so no alias");
        assert_eq!(find_state(""), None);
        assert_eq!(find_state("Atlantis"), None);
    }
}

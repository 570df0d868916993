//! The `[[roster]]` tables: who takes part, each once, under an id that
//! segments name them by.

use std::collections::HashMap;
use std::ops::Range;

use super::findings::{Findings, Section, Val, emptied, string, table_list};
use crate::domain::{Category, Language, Level, Participant, Role};
use crate::text::{Clean, match_key, quoted};

pub(super) const FIELDS: &[&str] = &[
    "id",
    "delegation",
    "representative",
    "title",
    "level",
    "role",
    "category",
    "language",
    "aliases",
];

const LEVELS: &[(&str, Level)] = &Level::NAMED;
const ROLES: &[(&str, Role)] = &[
    ("co_chair", Role::CoChair),
    ("participant", Role::Participant),
    ("observer", Role::Observer),
];

#[derive(Default)]
pub(super) struct Roster {
    pub(super) participants: Vec<Participant>,
    /// Every id that was well formed, even on an entry with other mistakes, so one
    /// mistake is not echoed by every segment that names that participant.
    pub(super) ids: HashMap<String, usize>,
    /// The matching key of a delegation or alias → the ids it names, to say "did you mean"
    /// when a segment names someone the way people do rather than by id. Two
    /// ids are enough to know that a hint would be ambiguous.
    pub(super) names: HashMap<String, Vec<String>>,
}

pub(super) fn roster(f: &mut Findings, value: &Val) -> Roster {
    let mut roster = Roster::default();
    let Some(entries) = table_list(f, "roster", "participant", value) else {
        return roster;
    };
    let mut people = People::new();
    for entry in entries {
        let Some(s) = Section::open(f, "[[roster]]", FIELDS, entry) else {
            continue;
        };
        if let Some(participant) = roster.entry(f, &s, &mut people) {
            roster.participants.push(participant);
        }
    }
    roster
}

/// `language = "fr"`: the language the participant usually speaks in.
fn language(f: &mut Findings, s: &Section) -> Option<Option<Language>> {
    let Some(value) = s.get("language") else {
        return Some(None);
    };
    let text = string(f, "language", value)?;
    match Language::parse(text) {
        Ok(language) => Some(Some(language)),
        Err(e) => {
            f.at(&value.span(), format!("`language`: {e}"));
            None
        }
    }
}

/// The matching keys of (delegation, representative) → line, to catch one person twice.
type People = HashMap<(String, String), usize>;

impl Roster {
    /// One `[[roster]]` table. Its id and names are remembered even when it has
    /// other mistakes, for the segments that name it.
    fn entry(&mut self, f: &mut Findings, s: &Section, people: &mut People) -> Option<Participant> {
        let id = s.id(f, "id", "mali-president");
        if let Some((id, span)) = &id {
            self.add_id(f, id, span);
        }
        let delegation = s.text(f, "delegation");
        let representative = s.optional_text(f, "representative");
        let title = s.optional_text(f, "title");
        let level = s.choice(f, "level", "level", LEVELS);
        let role = s.choice(f, "role", "role", ROLES);
        let category = match s.get("category") {
            Some(value) => s
                .choice_of(f, "category", "category", value, &Category::ALL)
                .map(Some),
            None => Some(None),
        };
        let language = language(f, s);
        let aliases = aliases(f, s);
        if let (Some(delegation), Some(representative)) = (&delegation, &representative) {
            once_per_person(f, s, people, delegation, representative);
        }
        if let Some((id, _)) = &id {
            self.add_names(id, delegation.iter().chain(aliases.iter().flatten()));
        }
        Some(Participant {
            id: id?.0,
            delegation: delegation?,
            representative: representative?,
            title: title?,
            level: level?,
            role: role?,
            category: category?.unwrap_or(Category::of_role(role?)),
            language: language?,
            aliases: aliases?,
        })
    }

    /// ` (did you mean "burkina-faso"?)` for a name that is not a roster id
    /// but means one participant: a delegation or alias as people write it,
    /// or `Burkina Faso` for `burkina-faso`.
    pub(super) fn did_you_mean(&self, name: &str) -> String {
        let wanted = match_key(name);
        let mut near: Vec<&str> = self
            .names
            .get(&wanted)
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        if let Some((id, _)) = self.ids.get_key_value(wanted.replace(' ', "-").as_str()) {
            near.push(id.as_str());
        }
        near.sort_unstable();
        near.dedup();
        match near.as_slice() {
            [one] => format!(" (did you mean \"{one}\"?)"),
            _ => String::new(),
        }
    }

    fn add_id(&mut self, f: &mut Findings, id: &Clean, span: &Range<usize>) {
        if let Some(&first) = self.ids.get(id.as_str()) {
            f.at(
                span,
                format!(
                    "duplicate roster id {} (first at line {first})",
                    quoted(id.as_str())
                ),
            );
        } else {
            let line = f.line(span.start);
            self.ids.insert(id.to_string(), line);
        }
    }

    fn add_names<'a>(&mut self, id: &Clean, names: impl Iterator<Item = &'a Clean>) {
        for name in names {
            let ids = self.names.entry(match_key(name.as_str())).or_default();
            if ids.len() < 2 && !ids.iter().any(|known| known == id.as_str()) {
                ids.push(id.to_string());
            }
        }
    }
}

fn aliases(f: &mut Findings, s: &Section) -> Option<Vec<Clean>> {
    let (items, mut ok) = s.strings(f, "aliases");
    let mut out = Vec::new();
    for (alias, span) in items {
        let clean = Clean::new(alias);
        if clean.is_empty() {
            let message = match emptied(alias) {
                Some(emptied) => format!("the alias {emptied}"),
                None => "an alias must not be empty".to_string(),
            };
            f.at(&span, message);
            ok = false;
        } else {
            out.push(clean);
        }
    }
    ok.then_some(out)
}

fn once_per_person(
    f: &mut Findings,
    s: &Section,
    people: &mut People,
    delegation: &Clean,
    representative: &Clean,
) {
    let key = (
        match_key(delegation.as_str()),
        match_key(representative.as_str()),
    );
    let line = f.line(s.span.start);
    let Some(&first) = people.get(&key) else {
        people.insert(key, line);
        return;
    };
    let whom = if representative.is_empty() {
        "with no representative"
    } else {
        "with the same representative"
    };
    f.at(
        &s.span,
        format!(
            "{} is already on the roster {whom} (line {first})",
            quoted(delegation.as_str())
        ),
    );
}

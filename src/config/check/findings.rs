//! The toolkit every table's check is written with: findings collected by
//! offset and placed as line:col at the end, and a table's fields read one by
//! one, each mistake recorded where it stands rather than stopping the reading.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::super::Diagnostic;
use super::super::duration::{DurationError, parse_duration};
use crate::text::{Clean, closest, quoted, written_out};

pub(super) type Val<'i> = Spanned<DeValue<'i>>;

/// Ids end up in commands, journal lines and folder names; a runaway one helps nobody.
const MAX_ID_LEN: usize = 64;

/// Collects findings by byte offset and turns them into line:col at the end, so
/// they come out in the order of the file whatever order they were found in.
pub(super) struct Findings<'a> {
    text: &'a str,
    file: &'a str,
    line_starts: Vec<usize>,
    found: Vec<(usize, String)>,
}

impl<'a> Findings<'a> {
    pub(super) fn new(text: &'a str, file: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Findings {
            text,
            file,
            line_starts,
            found: Vec::new(),
        }
    }

    pub(super) fn at(&mut self, span: &Range<usize>, message: impl Into<String>) {
        self.found.push((span.start, message.into()));
    }

    pub(super) fn is_clean(&self) -> bool {
        self.found.is_empty()
    }

    /// 1-based line number.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    pub(super) fn finish(mut self) -> Vec<Diagnostic> {
        self.found.sort_by_key(|(offset, _)| *offset);
        self.found.dedup();
        let found = std::mem::take(&mut self.found);
        let mut columns = Columns::new(self.text, &self.line_starts);
        found
            .into_iter()
            .map(|(offset, message)| {
                let (line, col) = columns.at(offset);
                Diagnostic {
                    file: self.file.to_string(),
                    line,
                    col,
                    message,
                }
            })
            .collect()
    }
}

/// Columns of offsets taken in increasing order, counting each character of
/// the text once: thousands of findings on one long line (a generated list
/// of seats) would otherwise count the line from its start for each.
struct Columns<'a> {
    text: &'a str,
    line_starts: &'a [usize],
    /// Where the last column was taken, and that column.
    offset: usize,
    col: usize,
}

impl<'a> Columns<'a> {
    fn new(text: &'a str, line_starts: &'a [usize]) -> Self {
        Columns {
            text,
            line_starts,
            offset: 0,
            col: 1,
        }
    }

    /// The 1-based line and column of `offset`, the column in characters
    /// as editors count them.
    fn at(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        if line_start > self.offset {
            self.offset = line_start;
            self.col = 1;
        }
        self.col += self.text[self.offset..offset]
            .chars()
            .filter(|&c| c != '\u{feff}')
            .count();
        self.offset = offset;
        (line, self.col)
    }
}

/// One TOML table being read, with what to call it in messages.
pub(super) struct Section<'t, 'i> {
    name: &'static str,
    pub(super) span: Range<usize>,
    table: &'t DeTable<'i>,
}

impl<'t, 'i> Section<'t, 'i> {
    pub(super) fn open(
        f: &mut Findings,
        name: &'static str,
        allowed: &[&str],
        value: &'t Val<'i>,
    ) -> Option<Self> {
        let DeValue::Table(table) = value.get_ref() else {
            f.at(
                &value.span(),
                format!("{name} must be a table, not {}", kind(value.get_ref())),
            );
            return None;
        };
        unknown_fields(f, table, &format!("in {name}"), allowed);
        Some(Section {
            name,
            span: value.span(),
            table,
        })
    }

    pub(super) fn get(&self, key: &str) -> Option<&'t Val<'i>> {
        self.table.get(key)
    }

    pub(super) fn required(&self, f: &mut Findings, key: &str) -> Option<&'t Val<'i>> {
        let value = self.get(key);
        if value.is_none() {
            f.at(&self.span, format!("missing `{key}` in {}", self.name));
        }
        value
    }

    /// A required string that must say something once cleaned.
    pub(super) fn text(&self, f: &mut Findings, key: &str) -> Option<Clean> {
        let value = self.required(f, key)?;
        let raw = string(f, key, value)?;
        let clean = Clean::new(raw);
        if clean.is_empty() {
            let message = match emptied(raw) {
                Some(emptied) => format!("`{key}` {emptied}"),
                None => format!("`{key}` must not be empty"),
            };
            f.at(&value.span(), message);
            return None;
        }
        Some(clean)
    }

    /// An optional string; absent or blank reads as empty, but one that is
    /// only invisible characters is a mistake to show.
    pub(super) fn optional_text(&self, f: &mut Findings, key: &str) -> Option<Clean> {
        let Some(value) = self.get(key) else {
            return Some(Clean::default());
        };
        let raw = string(f, key, value)?;
        let clean = Clean::new(raw);
        if clean.is_empty()
            && let Some(emptied) = emptied(raw)
        {
            f.at(&value.span(), format!("`{key}` {emptied}"));
            return None;
        }
        Some(clean)
    }

    pub(super) fn id(
        &self,
        f: &mut Findings,
        key: &str,
        example: &str,
    ) -> Option<(Clean, Range<usize>)> {
        let value = self.required(f, key)?;
        let raw = string(f, key, value)?;
        if !is_id(raw) {
            f.at(
                &value.span(),
                format!(
                    "`{key}` {} must be lowercase letters, digits and inner hyphens (at most {MAX_ID_LEN}), like \"{example}\"",
                    quoted(raw)
                ),
            );
            return None;
        }
        Some((Clean::new(raw), value.span()))
    }

    pub(super) fn duration(&self, f: &mut Findings, key: &str, value: &Val) -> Option<u32> {
        let DeValue::String(raw) = value.get_ref() else {
            f.at(
                &value.span(),
                format!(
                    "`{key}` must be a duration like \"3m\", not {}",
                    kind(value.get_ref())
                ),
            );
            return None;
        };
        match parse_duration(raw) {
            Ok(seconds) => Some(seconds),
            Err(e @ DurationError::Malformed) => {
                f.at(
                    &value.span(),
                    format!("`{key}` {} is not a duration: {e}", quoted(raw)),
                );
                None
            }
            Err(e @ DurationError::TooLong) => {
                f.at(&value.span(), format!("`{key}` {}: {e}", quoted(raw)));
                None
            }
        }
    }

    pub(super) fn integer(&self, f: &mut Findings, key: &str, value: &Val) -> Option<i64> {
        match value.get_ref() {
            DeValue::Integer(n) => match i64::from_str_radix(n.as_str(), n.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    f.at(&value.span(), format!("`{key}` is far too large"));
                    None
                }
            },
            other => {
                f.at(
                    &value.span(),
                    format!("`{key}` must be a whole number, not {}", kind(other)),
                );
                None
            }
        }
    }

    pub(super) fn choice<T: Copy>(
        &self,
        f: &mut Findings,
        key: &str,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let value = self.required(f, key)?;
        self.choice_of(f, key, what, value, choices)
    }

    pub(super) fn choice_of<T: Copy>(
        &self,
        f: &mut Findings,
        key: &str,
        what: &str,
        value: &Val,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let raw = string(f, key, value)?;
        match choices.iter().find(|(name, _)| *name == raw) {
            Some((_, choice)) => Some(*choice),
            None => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
                f.at(
                    &value.span(),
                    format!(
                        "unknown {what} {}; allowed: {}",
                        quoted(raw),
                        names.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// A list of strings, each with its place, and whether it held nothing else;
    /// the strings found are still returned so that they can be checked too.
    pub(super) fn strings(
        &self,
        f: &mut Findings,
        key: &str,
    ) -> (Vec<(&'t str, Range<usize>)>, bool) {
        let Some(value) = self.get(key) else {
            return (Vec::new(), true);
        };
        let DeValue::Array(items) = value.get_ref() else {
            f.at(
                &value.span(),
                format!(
                    "`{key}` must be a list of strings, not {}",
                    kind(value.get_ref())
                ),
            );
            return (Vec::new(), false);
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push((s.as_ref(), item.span())),
                other => {
                    f.at(
                        &item.span(),
                        format!("`{key}` must hold only strings, not {}", kind(other)),
                    );
                    ok = false;
                }
            }
        }
        (out, ok)
    }
}

/// Tables of an array of tables (`[[name]]`), or `None` after saying what is wrong.
pub(super) fn table_list<'t, 'i>(
    f: &mut Findings,
    name: &str,
    what: &str,
    value: &'t Val<'i>,
) -> Option<Vec<&'t Val<'i>>> {
    let shape = format!("`{name}` must be a list of [[{name}]] tables, one per {what}");
    let DeValue::Array(items) = value.get_ref() else {
        f.at(&value.span(), shape);
        return None;
    };
    let mut out = Vec::new();
    for item in items.iter() {
        if item.get_ref().is_table() {
            out.push(item);
        } else {
            f.at(&item.span(), shape.clone());
        }
    }
    Some(out)
}

pub(super) fn string<'v>(f: &mut Findings, key: &str, value: &'v Val) -> Option<&'v str> {
    match value.get_ref() {
        DeValue::String(s) => Some(s.as_ref()),
        other => {
            f.at(
                &value.span(),
                format!("`{key}` must be a string, not {}", kind(other)),
            );
            None
        }
    }
}

pub(super) fn unknown_fields(f: &mut Findings, table: &DeTable, place: &str, allowed: &[&str]) {
    for (key, _) in table.iter() {
        let name: &str = key.get_ref();
        if allowed.contains(&name) {
            continue;
        }
        // Two edits catch typos and plurals.
        let hint = match closest(name, allowed.iter().copied(), 2) {
            Some(near) => format!(" (did you mean `{near}`?)"),
            None => String::new(),
        };
        f.at(
            &key.span(),
            format!(
                "unknown field `{}` {place}{hint}; allowed: {}",
                written_out(name),
                allowed.join(", ")
            ),
        );
    }
}

pub(super) fn kind(value: &DeValue) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true or false",
        DeValue::Datetime(_) => "a date or time",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// What to say of text that held something, yet nothing once cleaned: it was
/// only controls and invisible characters, which an officer cannot see.
/// `None` for text that was empty or blank to begin with.
pub(super) fn emptied(raw: &str) -> Option<String> {
    let blank = raw.chars().all(char::is_whitespace);
    (!blank).then(|| {
        format!(
            "{} is empty once invisible characters are removed",
            quoted(raw)
        )
    })
}

pub(crate) fn is_id(raw: &str) -> bool {
    !raw.is_empty()
        && raw.len() <= MAX_ID_LEN
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !raw.starts_with('-')
        && !raw.ends_with('-')
}

//! A list of speakers received as CSV (from e-Speakers, or typed up from the
//! missions' e-mails), read into inscriptions. Every cell is sanitised here,
//! where it enters; whether each row can be inscribed is for the domain to
//! judge, as it judges `add`.

use crate::domain::{Category, ImportRow, Inscription, Language, Level, SpeechKind};
use crate::text::{Clean, quoted};

/// The columns a list may have, in the order the README gives them;
/// `delegation` is the one that must be there.
pub const COLUMNS: [&str; 10] = [
    "delegation",
    "representative",
    "title",
    "level",
    "category",
    "kind",
    "on_behalf_of",
    "language",
    "limit",
    "joint",
];

/// More rows than any list of speakers has: a file this long is a mistake,
/// and judging it would hold the journal's lock for long.
pub const MAX_ROWS: usize = 1_000;

/// The rows of `bytes`, each with `name:line` for refusals to name, or every
/// problem found, each as `name:line: message`, so one reading of the file
/// tells everything that needs correcting.
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<ImportRow>, Vec<String>> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let place = |line: u64| format!("{name}:{line}");
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            return Err(vec![format!(
                "{}: {}",
                place(line_of(bytes, &e)),
                csv_problem(&e)
            )]);
        }
        None => {
            return Err(vec![format!(
                "{}: the file is empty: it needs a header row naming its columns, like delegation,representative,kind",
                place(1)
            )]);
        }
    };
    let columns = columns(&header).map_err(|e| vec![format!("{}: {e}", place(1))])?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        if rows.len() + problems.len() >= MAX_ROWS {
            return Err(vec![format!(
                "{}: the list has more than {MAX_ROWS} rows, more than gavel imports at once: split it",
                place(1)
            )]);
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(format!(
                    "{}: {}",
                    place(line_of(bytes, &e)),
                    csv_problem(&e)
                ));
                continue;
            }
        };
        let line = line_at(bytes, record.position());
        if record
            .iter()
            .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        match row(&columns, &record) {
            Ok(inscription) => rows.push(ImportRow {
                place: place(line),
                inscription,
            }),
            Err(e) => problems.push(format!("{}: {e}", place(line))),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if rows.is_empty() {
        return Err(vec![format!(
            "{}: the list has a header and no rows",
            place(1)
        )]);
    }
    Ok(rows)
}

/// The line a record begins on, counted from its byte offset: the reader's
/// own count leaves out the blank lines it skips.
fn line_at(bytes: &[u8], position: Option<&csv::Position>) -> u64 {
    let start = position.map_or(0, |p| p.byte() as usize).min(bytes.len());
    // The reader places a record after a blank line at the blank line.
    let blank = bytes[start..]
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let offset = start + blank;
    1 + memchr::memchr_iter(b'\n', &bytes[..offset]).count() as u64
}

fn line_of(bytes: &[u8], e: &csv::Error) -> u64 {
    line_at(bytes, e.position())
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "not UTF-8 text: save the list as UTF-8 (\"CSV UTF-8\" in a spreadsheet)".into()
        }
        _ => format!("not readable as CSV: {e}"),
    }
}

/// Which column each cell of a row is, from the header.
fn columns(header: &csv::ByteRecord) -> Result<Vec<&'static str>, String> {
    let mut found: Vec<&'static str> = Vec::new();
    for cell in header {
        let text = std::str::from_utf8(cell)
            .map_err(|_| "the header is not UTF-8 text: save the list as UTF-8".to_string())?;
        let name = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        let Some(column) = COLUMNS.iter().find(|c| **c == name) else {
            return Err(format!(
                "unknown column {}{}; the columns are {}",
                quoted(text.trim()),
                suggest(&name),
                COLUMNS.join(", ")
            ));
        };
        if found.contains(column) {
            return Err(format!("the column {column} is named twice"));
        }
        found.push(column);
    }
    if !found.contains(&"delegation") {
        return Err(format!(
            "the header has no delegation column: the first row names the columns, \
             like delegation,representative,kind (the columns are {})",
            COLUMNS.join(", ")
        ));
    }
    Ok(found)
}

fn suggest(name: &str) -> String {
    COLUMNS
        .iter()
        .find(|c| strsim::damerau_levenshtein(name, c) <= 2)
        .map_or(String::new(), |c| format!(" (did you mean {c}?)"))
}

/// One row as an inscription; its first mistake, said plainly.
fn row(columns: &[&'static str], record: &csv::ByteRecord) -> Result<Inscription, String> {
    if record.len() > columns.len() {
        return Err(format!(
            "{} cells where the header names {} columns",
            record.len(),
            columns.len()
        ));
    }
    let mut ins = Inscription::default();
    for (column, cell) in columns.iter().zip(record) {
        let text = std::str::from_utf8(cell).map_err(|_| {
            format!(
                "not UTF-8 text in the {column}: save the list as UTF-8 \
                     (\"CSV UTF-8\" in a spreadsheet)"
            )
        })?;
        let text = Clean::new(text.trim());
        if !text.is_empty() {
            cell_into(&mut ins, column, &text)?;
        }
    }
    if ins.who.is_empty() {
        return Err("no delegation: every row names the delegation that speaks".into());
    }
    Ok(ins)
}

fn cell_into(ins: &mut Inscription, column: &str, text: &Clean) -> Result<(), String> {
    let t = text.as_str();
    match column {
        "delegation" => ins.who = text.clone(),
        "representative" => ins.representative = text.clone(),
        "title" => ins.title = text.clone(),
        "level" => ins.level = Some(named(column, t, &Level::NAMED)?),
        "category" => ins.category = Some(named(column, t, &Category::ALL)?),
        "kind" => ins.kind = kind(t)?,
        "on_behalf_of" => ins.on_behalf_of = text.clone(),
        "language" => ins.language = Some(Language::parse(t)?),
        "limit" => {
            let limit = crate::lang::speaking_limit(t).map_err(|e| e.to_string())?;
            ins.limit = Some(limit);
        }
        _ => ins.joint = joint(t)?,
    }
    Ok(())
}

/// `head of state`, `Head-of-State` and `head_of_state` are one level.
fn named<T: Copy>(column: &str, text: &str, names: &[(&str, T)]) -> Result<T, String> {
    let wanted = text.to_ascii_lowercase().replace([' ', '-'], "_");
    names
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let all: Vec<&str> = names.iter().map(|(name, _)| *name).collect();
            format!(
                "unknown {column} {}; allowed: {}",
                quoted(text),
                all.join(", ")
            )
        })
}

fn kind(text: &str) -> Result<SpeechKind, String> {
    match text.to_ascii_lowercase().as_str() {
        "statement" => Ok(SpeechKind::Statement),
        "reply" | "right of reply" => Ok(SpeechKind::Reply),
        "order" | "point of order" => Ok(SpeechKind::Order),
        _ => Err(format!(
            "unknown kind {}; allowed: statement, reply",
            quoted(text)
        )),
    }
}

/// `Denmark; Finland`, as the interventions CSV writes them: a delegation's
/// name may hold a comma.
fn joint(text: &str) -> Result<Vec<Clean>, String> {
    let names: Vec<Clean> = text.split(';').map(|n| Clean::new(n.trim())).collect();
    if names.iter().any(Clean::is_empty) {
        return Err(format!(
            "a name is missing between the semicolons of {}",
            quoted(text)
        ));
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &[u8]) -> Vec<String> {
        read("list.csv", text).expect_err("refused")
    }

    #[test]
    fn a_list_reads_in_any_column_order_with_any_column_left_out() {
        let rows = read(
            "list.csv",
            "\u{feff}Kind,Delegation,Language,limit,On behalf of\n\
             ,Egypt,ar,7m,the Arab Group\n\
             \n\
             reply,\"Bosnia and Herzegovina\",,,\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].place, "list.csv:2");
        assert_eq!(rows[0].inscription.who.as_str(), "Egypt");
        assert_eq!(rows[0].inscription.limit, Some(420));
        assert_eq!(rows[0].inscription.on_behalf_of.as_str(), "the Arab Group");
        assert_eq!(rows[0].inscription.language, Language::parse("ar").ok());
        assert_eq!(rows[1].place, "list.csv:4");
        assert_eq!(rows[1].inscription.kind, SpeechKind::Reply);
    }

    #[test]
    fn every_bad_row_is_named_by_its_line() {
        let found = problems(
            b"delegation,level,category,language,limit\n\
              France,minister,member,fr,3m\n\
              ,minister,,,\n\
              Mali,president,,,\n\
              Chad,,delegate,,\n\
              Niger,,,Europe,\n\
              Peru,,,,3 minutes\n\
              Chile,,,,,extra\n",
        );
        let expected = [
            "list.csv:3: no delegation",
            "list.csv:4: unknown level \"president\"",
            "list.csv:5: unknown category \"delegate\"",
            "list.csv:6: \"Europe\" is not a language",
            "list.csv:7: \"3 minutes\" is not a duration",
            "list.csv:8: 6 cells where the header names 5 columns",
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (found, expected) in found.iter().zip(expected) {
            assert!(
                found.starts_with(expected),
                "{found:?} should start {expected:?}"
            );
        }
    }

    #[test]
    fn a_bad_header_or_encoding_is_said_plainly() {
        assert!(problems(b"")[0].contains("list.csv:1: the file is empty"));
        assert!(problems(b"delegation\n")[0].contains("a header and no rows"));
        let unknown = &problems(b"delegaton,kind\nMali,statement\n")[0];
        assert!(
            unknown.contains("unknown column \"delegaton\" (did you mean delegation?)"),
            "{unknown}"
        );
        assert!(problems(b"kind,limit\nreply,3m\n")[0].contains("has no delegation column"));
        assert!(problems(b"delegation,Delegation\nMali,Mali\n")[0].contains("named twice"));
        let latin1 = &problems(b"delegation\nC\xf4te d'Ivoire\n")[0];
        assert!(latin1.starts_with("list.csv:2: not UTF-8 text"), "{latin1}");
    }

    #[test]
    fn a_list_longer_than_any_list_of_speakers_is_refused() {
        let mut text = String::from("delegation\n");
        text.push_str(&"Peru\n".repeat(MAX_ROWS + 1));
        assert!(problems(text.as_bytes())[0].contains("more than 1000 rows"));
    }

    #[test]
    fn cells_are_sanitised_where_they_enter() {
        let rows = read(
            "list.csv",
            "delegation,representative\nMali,\"H.E. Mr.\u{1b}[31m Diop\u{202e}\"\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(rows[0].inscription.representative.as_str(), "H.E. Mr. Diop");
    }
}

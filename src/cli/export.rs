//! `gavel export`: the co-chairs' draft summary or the speaking-time record,
//! rendered from the state the journal gives.

use std::ffi::OsString;
use std::path::Path;

use super::args::{Format, LogDir};
use super::context::{clock, open_quietly};
use super::{Code, Failure};
use crate::journal::Mode;

pub(super) fn export(
    path: &Path,
    log_dir: &LogDir,
    format: Format,
    output: Option<&Path>,
    force: bool,
) -> Result<(), Failure> {
    let now = clock()?.now();
    let live = open_quietly(path, log_dir, Mode::ReadOnly)?;
    let text = render(&live.state, format, now);
    match output {
        Some(file) => write_output(file, text.as_bytes(), force),
        None => super::print(&text),
    }
}

/// The export in one format. The list of speakers is as it stands `now`;
/// the record is the journal's whatever the time.
fn render(state: &crate::domain::State, format: Format, now: jiff::Timestamp) -> String {
    use crate::export::{brief, csv, gather, json, markdown};
    match format {
        Format::Md => markdown(state, &gather(state)),
        Format::Csv => csv(&gather(state)),
        Format::Json => json(&gather(state)),
        Format::List => brief::markdown(state, now),
        Format::ListCsv => brief::csv(state, now),
    }
}

/// Words that may follow `--format`'s value, as a second word.
const SECOND_WORDS: [&str; 6] = ["md", "csv", "json", "list", "list-md", "list-csv"];

/// `gavel export … --format list csv`, the spelling, made the one
/// value `--format=list-csv`: clap takes one word for `--format`, and would
/// read the second as the meeting file. A second word after any other format
/// (`--format md csv`) is a mistake, said plainly. Other subcommands' words
/// (a note's text) are never touched.
pub(super) fn join_format_words(mut args: Vec<OsString>) -> Result<Vec<OsString>, Failure> {
    if args.get(1).is_none_or(|sub| sub != "export") {
        return Ok(args);
    }
    let mut i = 2;
    while i < args.len() {
        let arg = args[i].to_string_lossy().into_owned();
        if arg == "--" {
            break;
        }
        let (value, second) = match arg.strip_prefix("--format=") {
            Some(value) => (Some(value.to_string()), i + 1),
            None if arg == "--format" => (
                args.get(i + 1).map(|v| v.to_string_lossy().into_owned()),
                i + 2,
            ),
            None => (None, i),
        };
        let word = args.get(second).map(|w| w.to_string_lossy().into_owned());
        match (value, word) {
            (Some(value), Some(word)) if SECOND_WORDS.contains(&word.as_str()) => {
                let joined = second_word(&value, &word)?;
                args.splice(i..=second, [OsString::from(format!("--format={joined}"))]);
            }
            _ => {}
        }
        i += 1;
    }
    Ok(args)
}

fn second_word(value: &str, word: &str) -> Result<String, Failure> {
    match (value, word) {
        ("list", "md" | "csv") => Ok(format!("list-{word}")),
        ("list", _) => Err(Failure::new(
            Code::Usage,
            format!(
                "the list of speakers is exported as md or as csv, not as {word}: \
                 --format list, or --format list csv"
            ),
        )),
        _ => Err(Failure::new(
            Code::Usage,
            format!(
                "--format {value} {word}: give one format; only list takes a second word \
                 (--format list md, --format list csv)"
            ),
        )),
    }
}

/// `-o FILE`: a new file, or with `--force` one that replaces what is there
/// (a link included, which is replaced and never written through).
fn write_output(file: &Path, bytes: &[u8], force: bool) -> Result<(), Failure> {
    let written = if force {
        let name = file.file_name().and_then(|n| n.to_str()).ok_or_else(|| {
            Failure::new(
                Code::Usage,
                format!("{} does not name a file", file.display()),
            )
        })?;
        let dir = crate::files::parent(file);
        crate::files::write_replacing(dir, name, bytes, crate::files::FILE_MODE).map(|_| ())
    } else {
        crate::files::write_new(file, bytes, crate::files::FILE_MODE)
    };
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Failure::new(
            Code::Usage,
            format!(
                "{} exists already; it was left as it is (--force replaces it)",
                file.display()
            ),
        ),
        _ => Failure::new(
            Code::Failure,
            format!("cannot write {}: {e}", file.display()),
        ),
    })
}

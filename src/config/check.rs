//! Walks TOML's spanned document tree by hand. serde would stop at the first
//! mistake; an officer fixing a meeting file the evening before wants them all,
//! each with the place to look.
//!
//! Each table has its own file; [`findings`] is what they are written with.

// Scheduled breaks, for the suspension of the meeting (issue 13, item 6).
mod breaks;
mod findings;
pub(crate) use findings::is_id;
mod meeting;
mod roster;
mod seating;
mod segments;
pub(super) mod settings;

use std::path::Path;

use toml::de::DeTable;

use super::{Diagnostic, Loaded};
use crate::text::Clean;
use findings::{Findings, Section, unknown_fields};
use meeting::Parts;
use roster::Roster;

const TOP_FIELDS: &[&str] = &["meeting", "roster", "segment", "seating"];

/// The document, or why it is not TOML, said where the parser stopped.
fn parse<'i>(f: &mut Findings, text: &'i str) -> Option<toml::Spanned<DeTable<'i>>> {
    match DeTable::parse(text) {
        Ok(root) => Some(root),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            f.at(&span, format!("invalid TOML: {}", Clean::new(e.message())));
            None
        }
    }
}

/// The tables are read in the order of this function, not of the file: what is
/// found at one place comes out in the order it was found.
pub(super) fn check(text: &str, file: &str, folder: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let mut f = Findings::new(text, file);
    let Some(root) = parse(&mut f, text) else {
        return Err(f.finish());
    };
    let root_span = root.span();
    let root = root.get_ref();
    unknown_fields(&mut f, root, "at the top level", TOP_FIELDS);

    let table = match root.get("meeting") {
        Some(v) => Section::open(&mut f, "[meeting]", meeting::FIELDS, v),
        None => {
            f.at(&root_span, "missing the [meeting] table");
            None
        }
    };
    let warning = table.as_ref().and_then(|s| meeting::warning(&mut f, s));
    let head = table
        .as_ref()
        .and_then(|s| meeting::head(&mut f, s, warning));

    let roster = match root.get("roster") {
        Some(v) => roster::roster(&mut f, v),
        None => Roster::default(),
    };

    let segments = match root.get("segment") {
        Some(v) => segments::segments(&mut f, v, &roster, warning),
        None => {
            f.at(&root_span, "at least one [[segment]] is required");
            Vec::new()
        }
    };

    let seating = match root.get("seating") {
        Some(v) => Section::open(&mut f, "[seating]", seating::FIELDS, v)
            .and_then(|s| seating::seating(&mut f, &s)),
        None => {
            f.at(
                &root_span,
                "missing the [seating] table (observer seats: rows, seats_per_row)",
            );
            None
        }
    };

    if !f.is_clean() {
        return Err(f.finish());
    }
    match (head, seating) {
        (Some((at, meeting)), Some(seating)) => Ok(Loaded {
            log_dir: at.log_dir.map(|dir| folder.join(dir)),
            store: at.store,
            meeting: meeting(Parts {
                segments,
                roster: roster.participants,
                seating,
            }),
        }),
        // Every path that leaves a part unbuilt reports why, so this is a bug.
        _ => {
            f.at(
                &root_span,
                "the meeting file could not be read for an unknown reason",
            );
            Err(f.finish())
        }
    }
}

//! The meeting file itself: `gavel check` and `gavel init`.

use std::io::Write;
use std::path::Path;

use super::{Code, Failure, out, say};
use crate::config;

pub(super) fn check(path: &Path) -> Result<(), Failure> {
    match config::load(path) {
        Ok(loaded) => {
            let m = &loaded.meeting;
            out!(
                "{}: ok — {}; {} segment{}, {} on the roster, {} observer seats",
                path.display(),
                m.title,
                m.segments.len(),
                if m.segments.len() == 1 { "" } else { "s" },
                m.roster.len(),
                m.seating.capacity().saturating_sub(m.seating.blocked.len())
            );
            Ok(())
        }
        Err(diagnostics) => {
            // One write for them all: a generated file can have thousands,
            // and stderr writes each piece of each line at once otherwise.
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            say!("{}", lines.join("\n"));
            let n = diagnostics.len();
            Err(Failure::new(
                Code::Usage,
                format!(
                    "{n} error{} in {}",
                    if n == 1 { "" } else { "s" },
                    path.display()
                ),
            ))
        }
    }
}

pub(super) fn init(path: &Path) -> Result<(), Failure> {
    let written =
        crate::files::write_new(path, config::template().as_bytes(), crate::files::FILE_MODE);
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::new(
                Code::Usage,
                format!("{} exists already; it was left as it is", path.display()),
            ));
        }
        Err(e) => {
            return Err(Failure::new(
                Code::Failure,
                format!("cannot write {}: {e}", path.display()),
            ));
        }
    }
    out!(
        "wrote {}; check it with: gavel check {}",
        path.display(),
        path.display()
    );
    Ok(())
}

//! `gavel export`: the co-chairs' draft summary or the speaking-time record,
//! rendered from the state the journal gives.

use std::io::Write;
use std::path::Path;

use super::args::{Format, LogDir};
use super::context::open_quietly;
use super::{Code, Failure};
use crate::journal::Mode;

pub(super) fn export(
    path: &Path,
    log_dir: &LogDir,
    format: Format,
    output: Option<&Path>,
    force: bool,
) -> Result<(), Failure> {
    let live = open_quietly(path, log_dir, Mode::ReadOnly)?;
    let text = render(&live.state, format);
    match output {
        Some(file) => write_output(file, text.as_bytes(), force),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::new(Code::Failure, e.to_string())),
    }
}

/// The export in one format.
fn render(state: &crate::domain::State, format: Format) -> String {
    let gathered = crate::export::gather(state);
    match format {
        Format::Md => crate::export::markdown(state, &gathered),
        Format::Csv => crate::export::csv(&gathered),
        Format::Json => crate::export::json(&gathered),
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

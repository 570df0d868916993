//! zsh: clap_complete's spec for a file argument is `':meeting:_files'`;
//! `_files -g "*.toml"` offers the `.toml` files and the folders (and, as zsh
//! does when a pattern matches nothing, every file).

use super::Slot;

pub(super) fn adjust(script: &str, slots: &[Slot]) -> String {
    let mut out = String::with_capacity(script.len());
    for line in script.lines() {
        match slots.iter().find(|s| is_spec_of(line, &s.id)) {
            Some(slot) => out.push_str(&line.replacen(
                ":_files'",
                &format!(":_files -g \"*.{}\"'", slot.ext),
                1,
            )),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

/// `':meeting:_files' \` or `':list -- The list\: …:_files' \`: the spec of
/// the positional argument `id` (`'::id` when it is optional).
fn is_spec_of(line: &str, id: &str) -> bool {
    let Some(spec) = line.strip_prefix("'::").or(line.strip_prefix("':")) else {
        return false;
    };
    let named = spec
        .strip_prefix(id)
        .is_some_and(|rest| rest.starts_with(':') || rest.starts_with(" -- "));
    named && line.ends_with(":_files' \\")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(id: &str, ext: &'static str) -> Slot {
        Slot {
            sub: "import".into(),
            position: 1,
            id: id.into(),
            ext,
        }
    }

    #[test]
    fn the_meeting_and_the_list_get_their_patterns_and_nothing_else_does() {
        let generated = "\
'--log-dir=[Where]:LOG_DIR:_files -/' \\
'-o+[Write to this file]:OUTPUT:_files' \\
':meeting:_files' \\
':list -- The list\\: columns:_files' \\
'::path:_files' \\
':meetings:_files' \\
";
        let out = adjust(generated, &[slot("meeting", "toml"), slot("list", "csv")]);
        let expected = "\
'--log-dir=[Where]:LOG_DIR:_files -/' \\
'-o+[Write to this file]:OUTPUT:_files' \\
':meeting:_files -g \"*.toml\"' \\
':list -- The list\\: columns:_files -g \"*.csv\"' \\
'::path:_files' \\
':meetings:_files' \\
";
        assert_eq!(out, expected);
    }
}

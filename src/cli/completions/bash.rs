//! bash: clap_complete's script offers no files for a positional argument of
//! its own (readline's fallback then offers every file). Each subcommand with
//! a meeting gets, before its other completions, a case that offers the
//! `.toml` files and the folders when the cursor is on the meeting.

use super::Slot;

const HELPERS: &str = include_str!("files.bash");

pub(super) fn adjust(script: &str, slots: &[Slot], value_options: &[String]) -> String {
    let mut out = HELPERS.replace("@VALUE_OPTIONS@", &value_options.join(" "));
    out.push('\n');
    let mut pending: Option<String> = None;
    for line in script.lines() {
        out.push_str(line);
        out.push('\n');
        if let Some(sub) = block_start(line) {
            pending = hook(sub, slots);
        } else if let Some(hook) = pending.take() {
            // The block's first line sets `opts`; the hook goes right after it,
            // before the options are offered for the first positional place.
            if line.trim_start().starts_with("opts=") {
                out.push_str(&hook);
            }
        }
    }
    out
}

/// `        gavel__subcmd__import)` opens the block for `gavel import`.
fn block_start(line: &str) -> Option<&str> {
    line.strip_prefix("        gavel__subcmd__")?
        .strip_suffix(')')
        .filter(|sub| !sub.contains("__"))
}

fn hook(sub: &str, slots: &[Slot]) -> Option<String> {
    let cases: String = slots
        .iter()
        .filter(|s| s.sub == sub)
        .map(|s| {
            format!(
                "                {}) __gavel_files {}; return 0 ;;\n",
                s.position, s.ext
            )
        })
        .collect();
    if cases.is_empty() {
        return None;
    }
    Some(format!(
        "            case \"$(__gavel_positional)\" in\n{cases}            esac\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(sub: &str, position: usize, ext: &'static str) -> Slot {
        Slot {
            sub: sub.into(),
            position,
            id: "x".into(),
            ext,
        }
    }

    const GENERATED: &str = "\
    case \"${cmd}\" in
        gavel__subcmd__import)
            opts=\"-h --help\"
            return 0
            ;;
        gavel__subcmd__help__subcmd__import)
            opts=\"\"
            ;;
        gavel__subcmd__init)
            opts=\"-h --help\"
            ;;
";

    #[test]
    fn the_hook_goes_after_opts_in_the_block_of_a_subcommand_with_slots() {
        let slots = [slot("import", 1, "toml"), slot("import", 2, "csv")];
        let out = adjust(GENERATED, &slots, &["--wait".into()]);
        let expected = "\
        gavel__subcmd__import)
            opts=\"-h --help\"
            case \"$(__gavel_positional)\" in
                1) __gavel_files toml; return 0 ;;
                2) __gavel_files csv; return 0 ;;
            esac
            return 0
";
        assert!(out.contains(expected), "{out}");
        assert_eq!(out.matches("__gavel_files toml").count(), 1, "{out}");
        assert!(out.contains("local takes_value=\" --wait \""), "{out}");
    }

    #[test]
    fn a_script_of_another_shape_is_left_as_it_was_below_the_helpers() {
        let out = adjust("_gavel() {\n}\n", &[slot("run", 1, "toml")], &[]);
        assert!(out.ends_with("\n_gavel() {\n}\n"));
        assert!(!out.contains("__gavel_files toml"));
    }
}

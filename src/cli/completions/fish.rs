//! fish: clap_complete's script completes no positional argument, so fish
//! offers every file. For each meeting, a line that offers the `.toml` files
//! and the folders instead (`__fish_complete_suffix`), when the cursor is on
//! that argument.

use super::Slot;

const HELPERS: &str = include_str!("files.fish");

pub(super) fn adjust(script: &str, slots: &[Slot], value_options: &[String]) -> String {
    let mut out = script.to_string();
    out.push_str(&HELPERS.replace("@VALUE_OPTIONS@", &value_options.join(" ")));
    for slot in slots {
        out.push_str(&format!(
            "complete -c gavel -n \"__fish_gavel_using_subcommand {}; and __fish_gavel_positional_is {}\" -f -a \"(__fish_gavel_files {})\"\n",
            slot.sub, slot.position, slot.ext
        ));
    }
    out
}

//! `gavel completions SHELL`: clap_complete's script for the shell, adjusted
//! so that a meeting argument is completed among `.toml` files (a list among
//! `.csv` ones). clap_complete's scripts complete a file argument with every
//! file, or for bash not at all; each adjustment is a small, tested edit of
//! its output, which leaves the script as clap wrote it where it finds no
//! place to make it.

mod bash;
mod fish;
mod zsh;

use clap::Command;
use clap_complete::Shell;

use super::args::ShellName;
use super::command::{Offer, command, offer};

pub fn script(shell: ShellName) -> String {
    let mut cmd = command();
    cmd.build();
    let generated = generate(shell, &mut cmd);
    let slots = slots(&cmd);
    match shell {
        ShellName::Bash => bash::adjust(&generated, &slots, &value_options(&cmd)),
        ShellName::Zsh => zsh::adjust(&generated, &slots),
        ShellName::Fish => fish::adjust(&generated, &slots, &value_options(&cmd)),
    }
}

fn generate(shell: ShellName, cmd: &mut Command) -> String {
    let shell = match shell {
        ShellName::Bash => Shell::Bash,
        ShellName::Zsh => Shell::Zsh,
        ShellName::Fish => Shell::Fish,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, cmd, "gavel", &mut out);
    String::from_utf8(out).expect("clap_complete writes UTF-8")
}

/// A positional argument of a subcommand to complete among files with one
/// extension: `gavel import`'s first is a `.toml`, its second a `.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    sub: String,
    /// Among the subcommand's positional arguments, from 1.
    position: usize,
    /// Its id in `args.rs`, as clap_complete names it.
    id: String,
    ext: &'static str,
}

fn slots(cmd: &Command) -> Vec<Slot> {
    let mut slots = Vec::new();
    for sub in cmd.get_subcommands() {
        let mut positionals: Vec<_> = sub.get_positionals().collect();
        positionals.sort_by_key(|a| a.get_index());
        for (i, arg) in positionals.iter().enumerate() {
            if let Some(Offer::Suffix(ext)) = offer(arg.get_id().as_str()) {
                slots.push(Slot {
                    sub: sub.get_name().to_string(),
                    position: i + 1,
                    id: arg.get_id().to_string(),
                    ext,
                });
            }
        }
    }
    slots
}

/// Every option of any subcommand that takes a value (`--log-dir`, `-o`): the
/// word after it is that value, not a positional argument. One list for all
/// subcommands: an option one of them does not take is a usage error anyway.
fn value_options(cmd: &Command) -> Vec<String> {
    let mut names = Vec::new();
    for arg in cmd.get_subcommands().flat_map(|s| s.get_arguments()) {
        if arg.is_positional() || !arg.get_action().takes_values() {
            continue;
        }
        let forms = [
            arg.get_long().map(|l| format!("--{l}")),
            arg.get_short().map(|s| format!("-{s}")),
        ];
        for form in forms.into_iter().flatten() {
            if !names.contains(&form) {
                names.push(form);
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built() -> Command {
        let mut cmd = command();
        cmd.build();
        cmd
    }

    #[test]
    fn every_meeting_and_the_imported_list_are_slots() {
        let slots = slots(&built());
        let meetings = slots.iter().filter(|s| s.id == "meeting").count();
        let with_meeting = built()
            .get_subcommands()
            .filter(|s| s.get_arguments().any(|a| a.get_id() == "meeting"))
            .count();
        assert_eq!(meetings, with_meeting);
        assert!(slots.iter().all(|s| s.id != "meeting" || s.position == 1));
        let list = Slot {
            sub: "import".into(),
            position: 2,
            id: "list".into(),
            ext: "csv",
        };
        assert!(slots.contains(&list), "{slots:?}");
    }

    #[test]
    fn options_with_values_are_known_and_flags_are_not() {
        let options = value_options(&built());
        for name in [
            "--log-dir",
            "--operator",
            "--wait",
            "--format",
            "-o",
            "--output",
        ] {
            assert!(options.iter().any(|o| o == name), "{name} in {options:?}");
        }
        for flag in ["--json", "-f", "--follow", "--dry-run", "--force", "--help"] {
            assert!(!options.iter().any(|o| o == flag), "{flag} in {options:?}");
        }
    }
}

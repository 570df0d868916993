//! The command line as `--help`, the man page and the completion scripts show
//! it: the definitions of `args.rs`, plus what a shell should offer for each
//! file argument and the examples each subcommand's help ends with. Kept here,
//! applied by name, so that a new subcommand with a `meeting` gets them too.

use clap::{Arg, Command, CommandFactory, ValueHint};

use super::args::Cli;

/// What a file argument is, for a shell completing it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Offer {
    /// Files with this extension (and folders, to walk into).
    Suffix(&'static str),
    /// Any file: one to be written, or of no fixed kind.
    AnyFile,
    /// Folders only.
    Folder,
}

/// The file arguments by their id in `args.rs`, wherever they appear.
pub const FILE_ARGS: &[(&str, Offer)] = &[
    ("meeting", Offer::Suffix("toml")),
    ("meetings", Offer::Suffix("toml")),
    ("list", Offer::Suffix("csv")),
    ("path", Offer::AnyFile),
    ("output", Offer::AnyFile),
    ("meetings", Offer::Suffix("toml")),
    ("log_dir", Offer::Folder),
];

/// The seed meeting, which every example uses so that each can be tried as it is.
const SEED: &str = "config/mali-ministerial-2017.toml";

/// One or two examples a subcommand: `gavel` and its arguments.
pub const EXAMPLES: &[(&str, &[&str])] = &[
    ("run", &["run SEED", "run SEED --read-only --operator ana"]),
    ("board", &["board SEED"]),
    ("check", &["check SEED"]),
    ("init", &["init my-meeting.toml"]),
    ("do", &["do SEED add France", "do SEED next"]),
    ("import", &["import SEED speakers.csv --dry-run"]),
    ("state", &["state SEED", "state SEED --json"]),
    ("tail", &["tail SEED", "tail SEED -f --json"]),
    (
        "export",
        &["export SEED", "export SEED --format list -o brief.md"],
    ),
    ("verify", &["verify SEED"]),
    ("keys", &["keys > my-keys.toml"]),
    (
        "serve",
        &["serve SEED", "serve SEED --listen 127.0.0.1:9000"],
    ),
    ("settings", &["settings", "settings --check"]),
    (
        "completions",
        &["completions bash > ~/.local/share/bash-completion/completions/gavel"],
    ),
    ("man", &["man > ~/.local/share/man/man1/gavel.1"]),
    (
        "rooms",
        &[
            "rooms logs --meeting SEED",
            "rooms postgres://gavel@db.example/gavel logs --json",
        ],
    ),
    (
        "store",
        &[
            "store init postgres://gavel@db.example/gavel",
            "store copy my-meeting.toml files postgres://gavel@db.example/gavel",
        ],
    ),
];

/// A subcommand's examples as typed at a shell prompt.
pub fn examples(sub: &str) -> Vec<String> {
    EXAMPLES
        .iter()
        .filter(|(name, _)| *name == sub)
        .flat_map(|(_, lines)| lines.iter())
        .map(|line| format!("gavel {}", line.replace("SEED", SEED)))
        .collect()
}

/// The whole command line, ready to parse, print help or generate from.
pub fn command() -> Command {
    Cli::command().mut_subcommands(|sub| {
        let sub = sub.mut_args(with_value_hint);
        match examples_help(sub.get_name()) {
            Some(help) => sub.after_help(help),
            None => sub,
        }
    })
}

/// The meeting argument's help where `args.rs` gives none: the same everywhere.
const MEETING_HELP: &str = "The meeting file (TOML), e.g. config/mali-ministerial-2017.toml";

fn with_value_hint(arg: Arg) -> Arg {
    let arg = if arg.get_id() == "meeting" && arg.get_help().is_none() {
        arg.help(MEETING_HELP)
    } else {
        arg
    };
    match offer(arg.get_id().as_str()) {
        Some(Offer::Folder) => arg.value_hint(ValueHint::DirPath),
        Some(_) => arg.value_hint(ValueHint::FilePath),
        None => arg,
    }
}

pub fn offer(arg_id: &str) -> Option<Offer> {
    FILE_ARGS
        .iter()
        .find(|(id, _)| *id == arg_id)
        .map(|&(_, offer)| offer)
}

fn examples_help(sub: &str) -> Option<String> {
    let lines = examples(sub);
    if lines.is_empty() {
        return None;
    }
    let body: Vec<String> = lines.iter().map(|l| format!("  {l}")).collect();
    Some(format!("Examples:\n{}", body.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_has_examples_and_nothing_else_does() {
        let cmd = command();
        let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
        for name in &names {
            assert!(!examples(name).is_empty(), "`gavel {name}` has no example");
        }
        for (name, _) in EXAMPLES {
            assert!(
                names.contains(name),
                "examples for `{name}`, which is no subcommand"
            );
        }
    }

    #[test]
    fn every_example_parses() {
        for (name, _) in EXAMPLES {
            for line in examples(name) {
                // What a shell would pass on: up to a redirection.
                let words = line.split(" > ").next().unwrap().split_whitespace();
                let parsed = command().try_get_matches_from(words);
                assert!(parsed.is_ok(), "{line}: {}", parsed.unwrap_err());
            }
        }
    }

    #[test]
    fn every_file_argument_named_here_exists() {
        let cmd = command();
        let ids: Vec<String> = cmd
            .get_subcommands()
            .flat_map(|s| s.get_arguments())
            .map(|a| a.get_id().to_string())
            .collect();
        for (id, _) in FILE_ARGS {
            assert!(ids.iter().any(|i| i == id), "no argument `{id}`");
        }
    }

    #[test]
    fn every_meeting_is_a_file_path_with_its_help() {
        for sub in command().get_subcommands() {
            if let Some(arg) = sub.get_arguments().find(|a| a.get_id() == "meeting") {
                assert_eq!(
                    arg.get_value_hint(),
                    ValueHint::FilePath,
                    "{}",
                    sub.get_name()
                );
                assert!(arg.get_help().is_some(), "{}", sub.get_name());
            }
        }
    }
}

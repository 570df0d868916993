//! Living in a terminal: `gavel completions` scripts loaded into the real
//! shells and asked what they offer, `gavel man` rendered by the real `man`,
//! and every subcommand's `--help` ending with an example. A shell or `man`
//! missing is a failure, never a skip: `.ci/run` installs them.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

use crate::support::GAVEL;

/// The program `name`, which must be installed.
fn tool(name: &str) -> &str {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "`{name}` is not installed; these tests need it (.ci/run installs it)"
    );
    name
}

fn gavel(args: &[&str]) -> Output {
    Command::new(GAVEL)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The script for `shell`, written into `dir`.
fn script(shell: &str, dir: &Path) -> String {
    let path = dir.join(format!("gavel.{shell}"));
    fs::write(&path, stdout(&gavel(&["completions", shell]))).unwrap();
    path.to_str().unwrap().to_string()
}

/// A folder as a user's might be: a meeting, a note, a list, a folder with
/// another meeting in it.
fn folder() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for file in ["mali.toml", "notes.txt", "speakers.csv", "meetings/ga.toml"] {
        let path = dir.path().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "").unwrap();
    }
    dir
}

fn run_in(dir: &Path, program: &str, args: &[&str]) -> String {
    let out = Command::new(tool(program))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What bash's completion offers for the words typed so far (the last one
/// the word under the cursor), as readline would ask `_gavel` for it.
fn bash_offers(dir: &Path, script: &str, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source {script}
COMP_WORDS=({words})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE=\"${{COMP_WORDS[*]}}\"
COMP_POINT=${{#COMP_LINE}}
_gavel gavel \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"
printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words = quoted.join(" ")
    );
    let out = run_in(dir, "bash", &["--norc", "--noprofile", "-c", &program]);
    out.lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

fn has(offers: &[String], word: &str) -> bool {
    offers.iter().any(|o| o == word)
}

#[test]
fn the_bash_script_can_be_sourced_and_completes_gavel() {
    let dir = folder();
    let script = script("bash", dir.path());
    let program = format!("source {script} && complete -p gavel");
    let out = run_in(
        dir.path(),
        "bash",
        &["--norc", "--noprofile", "-c", &program],
    );
    assert!(
        out.contains("-F _gavel") && out.trim_end().ends_with(" gavel"),
        "{out}"
    );
}

#[test]
fn bash_completes_subcommands_and_flags() {
    let dir = folder();
    let script = script("bash", dir.path());
    assert_eq!(bash_offers(dir.path(), &script, &["gavel", "ru"]), ["run"]);
    let flags = bash_offers(dir.path(), &script, &["gavel", "export", "x.toml", "--f"]);
    assert!(
        has(&flags, "--format") && has(&flags, "--force"),
        "{flags:?}"
    );
}

#[test]
fn bash_offers_toml_files_and_folders_for_the_meeting() {
    let dir = folder();
    let script = script("bash", dir.path());
    for sub in [
        "run", "board", "check", "do", "import", "state", "tail", "export", "verify",
    ] {
        let offers = bash_offers(dir.path(), &script, &["gavel", sub, ""]);
        assert!(has(&offers, "mali.toml"), "{sub}: {offers:?}");
        assert!(has(&offers, "meetings"), "{sub}: {offers:?}");
        assert!(!has(&offers, "notes.txt"), "{sub}: {offers:?}");
        assert!(!has(&offers, "speakers.csv"), "{sub}: {offers:?}");
    }
    let inside = bash_offers(dir.path(), &script, &["gavel", "check", "meetings/"]);
    assert_eq!(inside, ["meetings/ga.toml"]);
}

#[test]
fn bash_finds_the_meeting_after_options_and_the_list_after_the_meeting() {
    let dir = folder();
    let script = script("bash", dir.path());
    let after = bash_offers(
        dir.path(),
        &script,
        &["gavel", "do", "--operator", "ana", ""],
    );
    assert!(
        has(&after, "mali.toml") && !has(&after, "notes.txt"),
        "{after:?}"
    );
    // An option's value is not the meeting: `--log-dir` offers folders.
    let value = bash_offers(dir.path(), &script, &["gavel", "run", "--log-dir", ""]);
    assert!(!has(&value, "mali.toml"), "{value:?}");
    let list = bash_offers(dir.path(), &script, &["gavel", "import", "mali.toml", ""]);
    assert!(
        has(&list, "speakers.csv") && !has(&list, "mali.toml"),
        "{list:?}"
    );
    assert!(!has(&list, "notes.txt"), "{list:?}");
    let flag = bash_offers(dir.path(), &script, &["gavel", "check", "--"]);
    assert_eq!(flag, ["--help"]);
}

#[test]
fn the_zsh_script_parses_and_gives_the_meeting_a_toml_pattern() {
    let dir = folder();
    let script = script("zsh", dir.path());
    run_in(dir.path(), "zsh", &["-n", &script]);
    let text = fs::read_to_string(&script).unwrap();
    assert!(text.starts_with("#compdef gavel"), "{text}");
    let meetings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("':meeting"))
        .collect();
    assert_eq!(meetings.len(), 10, "{text}");
    for spec in meetings {
        assert!(spec.ends_with(":_files -g \"*.toml\"' \\"), "{spec}");
    }
    assert!(text.contains(":_files -g \"*.csv\"'"), "the imported list");
}

/// What fish offers for a command line typed so far.
fn fish_offers(dir: &Path, script: &str, line: &str) -> Vec<String> {
    let program = format!("source {script}; complete -C '{line}'");
    let out = run_in(dir, "fish", &["--no-config", "-c", &program]);
    // Each offer is `word`, or `word<TAB>description`.
    out.lines()
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_fish_script_parses_and_offers_toml_files_for_the_meeting() {
    let dir = folder();
    let script = script("fish", dir.path());
    run_in(
        dir.path(),
        "fish",
        &["--no-config", "--no-execute", &script],
    );
    assert!(has(&fish_offers(dir.path(), &script, "gavel ru"), "run"));
    let meeting = fish_offers(dir.path(), &script, "gavel check ");
    assert!(
        has(&meeting, "mali.toml") && has(&meeting, "meetings/"),
        "{meeting:?}"
    );
    assert!(
        !has(&meeting, "notes.txt") && !has(&meeting, "speakers.csv"),
        "{meeting:?}"
    );
    let after = fish_offers(dir.path(), &script, "gavel do --operator ana ");
    assert!(
        has(&after, "mali.toml") && !has(&after, "notes.txt"),
        "{after:?}"
    );
    let list = fish_offers(dir.path(), &script, "gavel import mali.toml ");
    assert!(
        has(&list, "speakers.csv") && !has(&list, "mali.toml"),
        "{list:?}"
    );
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = gavel(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid value 'tcsh'"), "{stderr}");
    assert!(stderr.contains("bash, zsh, fish"), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// The subcommands `gavel --help` lists, but for clap's `help`.
fn subcommands() -> Vec<String> {
    let help = stdout(&gavel(&["--help"]));
    let listed = help.split("Commands:\n").nth(1).unwrap();
    listed
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|name| name != "help")
        .collect()
}

#[test]
fn the_man_page_renders_with_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("gavel.1");
    fs::write(&page, stdout(&gavel(&["man"]))).unwrap();
    let out = Command::new(tool("man"))
        .args(["-l", page.to_str().unwrap()])
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{stderr}");
    let text = String::from_utf8(out.stdout).unwrap();
    for heading in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
    ] {
        assert!(text.lines().any(|l| l == heading), "{heading} in:\n{text}");
    }
    let subs = subcommands();
    assert!(subs.len() >= 12, "{subs:?}");
    for sub in &subs {
        let heading = format!("   gavel {sub}");
        assert!(text.lines().any(|l| l == heading), "{heading} in:\n{text}");
    }
    assert!(text.contains("gavel do config/mali-ministerial-2017.toml add France"));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // As the README has it read before it is installed: from a pipe.
    let piped = Command::new("sh")
        .args(["-c", &format!("'{GAVEL}' man | man -l -")])
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap();
    assert!(piped.status.success(), "{piped:?}");
    assert_eq!(String::from_utf8(piped.stdout).unwrap(), text);
}

#[test]
fn every_subcommands_help_ends_with_an_example() {
    for sub in subcommands() {
        for flag in ["-h", "--help"] {
            let help = stdout(&gavel(&[&sub, flag]));
            let last = help.trim_end().lines().last().unwrap();
            let example = format!("  gavel {sub} ");
            assert!(
                last.starts_with(&example),
                "gavel {sub} {flag} ends with {last:?}"
            );
        }
    }
}

#[test]
fn the_readme_usage_has_every_subcommand_and_install_says_how() {
    let readme = include_str!("../../README.md");
    let usage = readme.split("## Usage\n\n```\n").nth(1).unwrap();
    let usage = usage.split("```").next().unwrap();
    for sub in subcommands() {
        let line = format!("gavel {sub} ");
        assert!(
            usage.lines().any(|l| l.starts_with(&line)),
            "README's Usage lacks {line}"
        );
    }
    let install = readme.split("## Install\n").nth(1).unwrap();
    let install = install.split("\n## ").next().unwrap();
    for line in [
        "cargo install --locked --path .",
        "gavel completions bash > ~/.local/share/bash-completion/completions/gavel",
        "gavel completions zsh > ~/.zfunc/_gavel",
        "gavel completions fish > ~/.config/fish/completions/gavel.fish",
        "gavel man > ~/.local/share/man/man1/gavel.1",
    ] {
        assert!(
            install.lines().any(|l| l == line),
            "README's Install lacks {line}"
        );
    }
}

//! `gavel man`: one manual page for the whole command line. clap_mangen
//! renders a page a command; here the top page's sections are followed by a
//! SUBCOMMANDS section with each subcommand's synopsis, description, options
//! and examples, all rendered by clap_mangen from the same definitions as
//! `--help`, so that `man gavel` is the whole reference.

use std::io;

use clap::Command;
use clap_mangen::Man;
use roff::{Roff, bold, roman};

use super::command::{command, examples};

type Render = fn(&Man, &mut dyn io::Write) -> io::Result<()>;

pub fn page() -> String {
    let mut cmd = command();
    // Gives each subcommand its bin name, `gavel run`, for its synopsis.
    cmd.build();
    let top = Man::new(cmd.clone());
    let mut page = render(&top, Man::render_title);
    for part in [
        Man::render_name_section,
        Man::render_synopsis_section,
        Man::render_description_section,
        Man::render_options_section,
    ] {
        page.push_str(&strip_preamble(render(&top, part)));
    }
    page.push_str(".SH SUBCOMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| shown(s)) {
        page.push_str(&subcommand(sub));
    }
    page.push_str(&body(&closing()));
    page.push_str(&strip_preamble(render(&top, Man::render_version_section)));
    page
}

/// clap's own `gavel help` is left out: `--help` is on every subcommand.
fn shown(sub: &Command) -> bool {
    !sub.is_hide_set() && sub.get_name() != "help"
}

/// A subcommand as a subsection: its synopsis, what it does, its options,
/// its examples.
fn subcommand(sub: &Command) -> String {
    let man = Man::new(sub.clone());
    let mut out = Roff::new();
    out.control("SS", [sub.get_bin_name().unwrap_or(sub.get_name())]);
    let mut text = body(&out);
    text.push_str(&section_body(
        &man,
        Man::render_synopsis_section,
        "SYNOPSIS",
    ));
    text.push_str(".PP\n");
    text.push_str(&section_body(
        &man,
        Man::render_description_section,
        "DESCRIPTION",
    ));
    text.push_str(&section_body(&man, Man::render_options_section, "OPTIONS"));
    text.push_str(&examples_roff(sub.get_name()));
    text
}

/// The exit codes, as the README lists them (and `Code` in `cli/mod.rs`).
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "Done."),
    (
        "1",
        "A failure at run time: the journal unreadable or damaged, a disk error.",
    ),
    ("2", "Bad usage, or a bad meeting file."),
    (
        "3",
        "The command was refused, with the reason on standard error; nothing changed.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "GAVEL_LOG_DIR",
        "Where meeting journals live, as --log-dir.",
    ),
    (
        "GAVEL_STORE",
        "Where the journal is kept, as --store: files, or a PostgreSQL URL.",
    ),
    (
        "GAVEL_NOW",
        "The instant (RFC 3339) at which the process's clock starts; it then runs at real speed.",
    ),
    ("NO_COLOR", "A plain theme where nothing depends on colour."),
    (
        "USER",
        "The operator, when neither --operator nor the settings file names one.",
    ),
];

/// EXIT STATUS and ENVIRONMENT, after the subcommands.
fn closing() -> Roff {
    let mut out = Roff::new();
    for (heading, items) in [("EXIT STATUS", EXIT_STATUS), ("ENVIRONMENT", ENVIRONMENT)] {
        out.control("SH", [heading]);
        for (name, text) in items {
            out.control("TP", [])
                .text([bold(*name)])
                .text([roman(*text)]);
        }
    }
    out
}

/// The examples as they are typed: unfilled, under a bold heading (not
/// indented further, so that the longest fits 80 columns).
fn examples_roff(sub: &str) -> String {
    let lines = examples(sub);
    if lines.is_empty() {
        return String::new();
    }
    let mut out = Roff::new();
    out.control("PP", []).text([bold("Examples:")]);
    out.control("nf", []);
    for line in lines {
        out.text([roman(line)]);
    }
    out.control("fi", []);
    body(&out)
}

fn render(man: &Man, part: Render) -> String {
    let mut out = Vec::new();
    part(man, &mut out).expect("rendering to memory cannot fail");
    String::from_utf8(out).expect("clap_mangen writes UTF-8")
}

/// A section as clap_mangen renders it, without its `.SH` heading line, to
/// go under a subsection of its own.
fn section_body(man: &Man, part: Render, heading: &str) -> String {
    let text = strip_preamble(render(man, part));
    let heading_line = format!(".SH {heading}\n");
    match text.strip_prefix(&heading_line) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Roff text without the preamble each render starts with (it defines the
/// apostrophe once, at the top of the page).
fn body(roff: &Roff) -> String {
    strip_preamble(roff.render())
}

fn strip_preamble(text: String) -> String {
    let preamble = Roff::new().render();
    match text.strip_prefix(&preamble) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_is_a_subsection_once() {
        let page = page();
        for sub in command().get_subcommands().filter(|s| shown(s)) {
            let heading = format!(".SS \"gavel {}\"\n", sub.get_name());
            assert_eq!(page.matches(&heading).count(), 1, "{heading}");
        }
        assert!(!page.contains(".SS \"gavel help\""));
    }

    #[test]
    fn the_subsections_carry_no_headings_or_preambles_of_their_own() {
        let page = page();
        let preamble = Roff::new().render();
        assert!(preamble.len() > 1 && page.starts_with(&preamble));
        assert_eq!(page.matches(&preamble).count(), 1);
        let headings: Vec<&str> = page.lines().filter(|l| l.starts_with(".SH ")).collect();
        assert_eq!(
            headings,
            [
                ".SH NAME",
                ".SH SYNOPSIS",
                ".SH DESCRIPTION",
                ".SH OPTIONS",
                ".SH SUBCOMMANDS",
                ".SH \"EXIT STATUS\"",
                ".SH ENVIRONMENT",
                ".SH VERSION"
            ]
        );
    }

    #[test]
    fn an_option_of_a_subcommand_is_in_its_subsection() {
        let page = page();
        let export = page.split(".SS \"gavel export\"").nth(1).unwrap();
        let export = export.split(".SS ").next().unwrap();
        assert!(export.contains("\\-\\-force"), "{export}");
        assert!(export.contains("gavel export config/mali\\-ministerial\\-2017.toml"));
    }
}

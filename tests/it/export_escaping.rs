//! Names and notes in the exports stay text. In `interventions.csv` a cell
//! that starts like a formula is not evaluated by a spreadsheet; in
//! `summary.md` user text renders, with a real Markdown renderer, as exactly
//! itself: no HTML, no link or image, no list, heading, quote, table or code
//! block of its own.
//!
//! Each summary is checked against its twin: the same meeting with plain
//! placeholder names. Both must render to the same structure, and the
//! hostile one's text must be the twin's with the placeholders replaced by
//! the names and notes as gavel keeps them.

use std::sync::Arc;

use gavel::domain::{Command, Meeting, SpeechKind, State, execute};
use gavel::export;
use gavel::text::Clean;
use jiff::ToSpan;
use proptest::prelude::*;

use crate::support::scheduled_start;

/// What stands for a name, and for a note, in the plain twin.
const NAME: &str = "Qname";
const NOTE: &str = "Qnote";

/// Names, titles and notes that change a rendered document if written raw.
const HOSTILE: &[&str] = &[
    "<!-- the rest of the summary is hidden",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click here](javascript:alert(1))",
    "[ref]",
    "[ref]: http://evil.example",
    "<http://evil.example>",
    "<mail@evil.example>",
    "see http://evil.example/x, https://evil.example and ftp://evil.example",
    "see www.evil.example and WWW.evil.example/path",
    "write to mail@evil.example or mailto:mail@evil.example",
    "![x](http://evil.example/x.png)",
    "+ plus",
    "- minus",
    "* star",
    "1. numbered",
    "2017) numbered",
    "# heading",
    "###### heading",
    "> quote",
    "| a | b |",
    "a | b",
    "```rust",
    "~~~",
    "***",
    "---",
    "- - -",
    "___",
    "===",
    "-",
    "=",
    "*emphasis*, _this_, **strong** and __that__",
    "`code`",
    "~~struck~~ and ~sub~",
    "$x^2$ and $$y$$",
    "x^2^",
    "footnote[^1]",
    "[^1]: the note",
    "[[wiki link]]",
    "[ ] a task",
    "[x] a done task",
    "[!NOTE]",
    "Title {#id .class}",
    "Title {.class}",
    "Title { .class key=value }",
    "&amp; &#60; &#x3C; &copy;",
    "back\\slash\\",
    "\\*not emphasis\\*",
    "trailing #",
    "trailing ##",
    "#",
    "a <b> c",
    ": a definition",
    "Term\n: definition",
    "=HYPERLINK(\"http://evil.example\",\"Mali\")",
    "@SUM(A1:A9)",
    "two  spaces at the end  ",
    "h\u{1b}]8;;http://evil.example\u{7}link\u{1b}]8;;\u{7}",
    // The hostile strings of hostile.rs.
    "osc \u{1b}]0;pwned\u{7} done",
    "clear \u{1b}[2JCLR red \u{1b}[31mRED\u{1b}[0m",
    "c1 \u{9b}2Jcsi \u{9d}0;pwned\u{9c} end",
    "bidi \u{202e}desserts\u{202c} zw\u{200b}j\u{feff}oin",
    "bel\u{7} bs\u{8} del\u{7f} cr\r lf\n tab\t nel\u{85} end",
    "dcs \u{1b}P+q544e\u{1b}\\ apc \u{1b}_x\u{1b}\\ end",
    "Hostile \u{1b}]0;pwned\u{7}input",
    "Hall \u{202e}evil",
];

/// Names gavel keeps must stay readable in the draft officers edit.
#[test]
fn ordinary_names_are_left_as_they_are() {
    for name in [
        "H.E. Mr. Ibrahim Boubacar Keïta",
        "Côte d'Ivoire",
        "Bolivia (Plurinational State of)",
        "Egypt, Member of the Security Council; MINUSMA troop- and police-contributing country",
        "Minister of Foreign Affairs of Algeria, Chair of the Comité de Suivi de l'Accord",
        "Trinidad & Tobago",
        "The EU stands ready! Really? Yes.",
        "Resolution 2364 (2017) of 29 June 2017",
    ] {
        assert_eq!(export::markdown_text(name), name);
    }
}

#[test]
fn hostile_names_and_notes_render_as_text() {
    let twin = Summary::of(NAME, NOTE);
    for raw in HOSTILE {
        Summary::of(raw, raw).assert_renders_like(&twin);
    }
}

#[test]
fn a_summary_renders_with_no_html_link_or_image_from_user_text() {
    for raw in HOSTILE {
        let summary = Summary::of(raw, raw);
        for event in pulldown_cmark::Parser::new_ext(&summary.md, pulldown_options()) {
            use pulldown_cmark::{Event, Tag};
            let bad = matches!(
                event,
                Event::Html(_)
                    | Event::InlineHtml(_)
                    | Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::HtmlBlock)
            );
            assert!(!bad, "{raw:?} gave {event:?} in\n{}", summary.md);
        }
        let tree = markdown::to_mdast(&summary.md, &gfm()).expect("Markdown parses");
        let mut kinds = Vec::new();
        mdast_kinds(&tree, &mut kinds);
        for kind in kinds {
            assert!(
                ![
                    "Html",
                    "Link",
                    "Image",
                    "LinkReference",
                    "ImageReference",
                    "Definition"
                ]
                .contains(&kind.as_str()),
                "{raw:?} gave {kind} in\n{}",
                summary.md
            );
        }
    }
}

#[test]
fn an_interventions_cell_that_starts_like_a_formula_is_text() {
    for raw in [
        "=HYPERLINK(\"http://evil.example\",\"Mali\")",
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
    ] {
        let summary = Summary::of(raw, raw);
        let csv = export::csv(&summary.export);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(
            headers.iter().collect::<Vec<_>>(),
            [
                "delegation",
                "speaker",
                "kind",
                "segment",
                "start",
                "end",
                "seconds_spoken",
                "limit",
                "seconds_paused",
                "category",
                "on_behalf_of",
                "joint",
                "language",
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let first = &rows[0];
        assert_eq!(&first[0], format!("'{raw}"), "delegation in\n{csv}");
        assert_eq!(&first[1], format!("'{raw}"), "speaker in\n{csv}");
        assert_eq!(&rows[1][0], format!("'{raw} two"), "delegation in\n{csv}");
        for row in &rows {
            for cell in row.iter() {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?} in\n{csv}"
                );
            }
        }
    }
}

proptest! {
    /// Any text as a note, a name and a title renders as that text.
    #[test]
    fn any_text_renders_as_itself(raw in any_text()) {
        let clean = Clean::new(&raw);
        let note = without_tags(clean.as_str());
        prop_assume!(!clean.is_empty() && !note.is_empty());
        let twin = Summary::of(NAME, NOTE);
        Summary::of(&raw, &note).assert_renders_like(&twin);
    }

    /// One escaped note, alone, renders as its text.
    #[test]
    fn one_escaped_note_renders_as_its_text(raw in any_text()) {
        let clean = Clean::new(&raw);
        prop_assume!(!clean.is_empty());
        let md = format!("- {}\n", export::markdown_text(clean.as_str()));
        let (shape, text) = pulldown(&md, pulldown_options());
        prop_assert_eq!(text, format!("{clean}\n"), "{}", md);
        prop_assert_eq!(shape, pulldown("- note\n", pulldown_options()).0, "{}", md);
    }
}

/// Text rich in what Markdown reads: its punctuation, its line-start
/// markers, URLs and entities, mixed with any characters at all.
fn any_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[!-/:-@\\[-`{-~]{1,4}",
        "[ -~]{1,12}",
        "[0-9]{1,3}[.)]",
        Just(" ".to_string()),
        Just("http://".to_string()),
        Just("www.".to_string()),
        Just("a@b.org".to_string()),
        Just("&amp;".to_string()),
        Just("<!--".to_string()),
        Just("\n".to_string()),
        proptest::sample::select(HOSTILE).prop_map(String::from),
        any::<String>(),
    ];
    proptest::collection::vec(piece, 1..8).prop_map(|pieces| pieces.concat())
}

/// A note's words without its `#tags`, as the summary shows it.
fn without_tags(text: &str) -> String {
    let words: Vec<&str> = text
        .split(' ')
        .filter(|w| !w.starts_with('#') || w.len() == 1)
        .collect();
    words.join(" ")
}

struct Summary {
    name: String,
    note: String,
    md: String,
    export: export::Export,
}

impl Summary {
    /// A whole meeting whose every name and title is `name` (with a word
    /// added where two must differ) and whose every note says `note`.
    fn of(name: &str, note: &str) -> Summary {
        let meeting = meeting(name);
        let mut state = State::new(meeting);
        let t0 = scheduled_start();
        let by = Clean::new("ana");
        let who = |id: &str| Clean::new(id);
        let text = |tag: &str| Clean::new(&format!("{note} #{tag}"));
        let steps: Vec<(i64, Command)> = vec![
            (0, Command::Open { at: None }),
            (1, add(who("zq-first"))),
            (2, add(who("zq-second"))),
            (10, Command::Next { at: None }),
            (
                20,
                Command::Note {
                    text: text("summary"),
                },
            ),
            (210, Command::End { at: None }),
            (211, Command::Next { at: None }),
            (300, Command::End { at: None }),
            (
                301,
                Command::Note {
                    text: text("summary"),
                },
            ),
            (
                302,
                Command::Note {
                    text: text("decision"),
                },
            ),
            (
                303,
                Command::Note {
                    text: text("action"),
                },
            ),
            (
                304,
                Command::Seat {
                    delegation: who("zq-seated"),
                    seat: None,
                },
            ),
            (
                305,
                Command::Wait {
                    delegation: who("zq-waiting"),
                },
            ),
            // The attendance section writes the delegation and the
            // representative that `by` names.
            (
                306,
                Command::Present {
                    who: who("zq-first"),
                    by: Some(Clean::new(name)),
                    at: None,
                },
            ),
            (
                307,
                Command::Absent {
                    who: who("zq-second"),
                    at: None,
                },
            ),
            (400, Command::Adjourn { at: None }),
        ];
        for (second, command) in steps {
            let now = t0 + second.seconds();
            let described = format!("{command:?}");
            execute(&mut state, command, now, &by)
                .unwrap_or_else(|e| panic!("{described} for {name:?}: {e:?}"));
        }
        let x = export::gather(&state);
        Summary {
            name: Clean::new(name).into_string(),
            note: without_tags(Clean::new(note).as_str()),
            md: export::markdown(&state, &x),
            export: x,
        }
    }

    /// Same structure as the plain twin, under both renderers, and the
    /// twin's text with the placeholders read as this one's name and note.
    fn assert_renders_like(&self, twin: &Summary) {
        for options in [pulldown_options(), pulldown_cmark::Options::all()] {
            let (shape, text) = pulldown(&self.md, options);
            let (twin_shape, twin_text) = pulldown(&twin.md, options);
            assert_eq!(
                shape, twin_shape,
                "{:?}: structure of\n{}",
                self.name, self.md
            );
            if !options.contains(pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION) {
                let expected = self.in_place_of_placeholders(&twin_text);
                assert_eq!(text, expected, "{:?}: text of\n{}", self.name, self.md);
            }
        }
        let (shape, text) = mdast(&self.md);
        let (twin_shape, twin_text) = mdast(&twin.md);
        assert_eq!(
            shape, twin_shape,
            "{:?}: GFM structure of\n{}",
            self.name, self.md
        );
        let expected = self.in_place_of_placeholders(&twin_text);
        assert_eq!(text, expected, "{:?}: GFM text of\n{}", self.name, self.md);
    }

    fn in_place_of_placeholders(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        loop {
            let next = [(NAME, &self.name), (NOTE, &self.note)]
                .into_iter()
                .filter_map(|(placeholder, value)| {
                    rest.find(placeholder).map(|at| (at, placeholder, value))
                })
                .min_by_key(|(at, _, _)| *at);
            let Some((at, placeholder, value)) = next else {
                out.push_str(rest);
                return out;
            };
            out.push_str(&rest[..at]);
            out.push_str(value);
            rest = &rest[at + placeholder.len()..];
        }
    }
}

fn add(who: Clean) -> Command {
    Command::add(who, SpeechKind::Statement, None)
}

fn meeting(name: &str) -> Arc<Meeting> {
    let q = |suffix: &str| toml::Value::String(format!("{name}{suffix}")).to_string();
    let text = format!(
        r#"[meeting]
id = "escaping"
title = {name}
venue = {name}
room = {name}
date = 2017-09-20
start = "15:30"
end = "18:00"
timezone = "America/New_York"

[[roster]]
id = "zq-first"
delegation = {name}
representative = {name}
title = {name}
level = "minister"
role = "co_chair"

[[roster]]
id = "zq-second"
delegation = {second}
level = "head_of_delegation"
role = "participant"

[[roster]]
id = "zq-seated"
delegation = {seated}
level = "observer"
role = "observer"

[[roster]]
id = "zq-waiting"
delegation = {waiting}
level = "observer"
role = "observer"

[[segment]]
id = "opening"
title = {name}
speaking_limit = "3m"
chairs = ["zq-first"]

[seating]
rows = 1
seats_per_row = 1
"#,
        name = q(""),
        second = q(" two"),
        seated = q(" seated"),
        waiting = q(" waiting"),
    );
    let loaded = gavel::config::parse(&text, "escaping.toml", std::path::Path::new("."))
        .unwrap_or_else(|d| panic!("{name:?}: {d:#?}"));
    Arc::new(loaded.meeting)
}

/// Every extension pulldown-cmark has, but typographic quotes and dashes,
/// which change the characters and not the structure.
fn pulldown_options() -> pulldown_cmark::Options {
    let mut options = pulldown_cmark::Options::all();
    options.remove(pulldown_cmark::Options::ENABLE_SMART_PUNCTUATION);
    options
}

/// What a renderer makes of a document: its structure (every event but
/// text), and its text, a line break after each block.
fn pulldown(md: &str, options: pulldown_cmark::Options) -> (Vec<String>, String) {
    use pulldown_cmark::{Event, TagEnd};
    let mut shape = Vec::new();
    let mut text = String::new();
    for event in pulldown_cmark::Parser::new_ext(md, options) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::SoftBreak => {
                text.push(' ');
                shape.push("SoftBreak".to_string());
            }
            Event::End(end @ (TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item)) => {
                text.push('\n');
                shape.push(format!("{end:?}"));
            }
            other => shape.push(format!("{other:?}")),
        }
    }
    (shape, text)
}

/// GitHub's flavour, with its bare-URL autolinks and math.
fn gfm() -> markdown::ParseOptions {
    let mut options = markdown::ParseOptions::gfm();
    options.constructs.math_text = true;
    options.constructs.math_flow = true;
    options
}

fn mdast(md: &str) -> (Vec<String>, String) {
    let tree = markdown::to_mdast(md, &gfm()).expect("Markdown parses");
    let mut shape = Vec::new();
    mdast_kinds(&tree, &mut shape);
    let mut text = String::new();
    mdast_text(&tree, &mut text);
    (shape, text)
}

fn mdast_kinds(node: &markdown::mdast::Node, out: &mut Vec<String>) {
    use markdown::mdast::Node;
    let kind = match node {
        Node::Text(_) => None,
        Node::Heading(h) => Some(format!("Heading{}", h.depth)),
        Node::List(l) => Some(format!("List {:?} {:?}", l.ordered, l.start)),
        other => {
            let debug = format!("{other:?}");
            Some(
                debug
                    .split([' ', '('])
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )
        }
    };
    out.extend(kind);
    for child in node.children().into_iter().flatten() {
        mdast_kinds(child, out);
    }
    out.push("end".to_string());
}

fn mdast_text(node: &markdown::mdast::Node, out: &mut String) {
    use markdown::mdast::Node;
    if let Node::Text(t) = node {
        out.push_str(&t.value);
    }
    for child in node.children().into_iter().flatten() {
        mdast_text(child, out);
    }
    if matches!(node, Node::Paragraph(_) | Node::Heading(_)) {
        out.push('\n');
    }
}

#[test]
fn a_note_of_tags_alone_adds_no_heading() {
    let headings = |md: &str| {
        pulldown_cmark::Parser::new_ext(md, pulldown_options())
            .filter(|e| {
                matches!(
                    e,
                    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { .. })
                )
            })
            .count()
    };
    let twin = Summary::of(NAME, NOTE);
    let tags_only = Summary::of(NAME, "#tags-only");
    assert_eq!(
        headings(&tags_only.md),
        headings(&twin.md),
        "{}",
        tags_only.md
    );
}

//! The end of the meeting: a draft co-chairs' summary and the speaking-time
//! record, built from the journal alone (`gavel export`). Pure: the state the
//! journal gives in, text out.

use std::fmt::Write;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::clock::schedule;
use crate::domain::format::duration;
use crate::domain::state::{Note, Phase, SeatChange, State, secs_between};
use crate::domain::{Category, Language, SpeechKind};

// Suspensions of the meeting (issue 13, item 6).
mod suspensions;
pub use suspensions::SuspensionRecord;
// The list for the chair's brief (issue 13, item 9).
pub mod brief;

/// Version of the JSON export; fields are only ever added.
pub const SCHEMA: u32 = 1;

/// One speech that ended, as the record keeps it.
#[derive(Debug, Clone, Serialize)]
pub struct Intervention {
    pub segment: String,
    pub delegation: String,
    pub speaker: String,
    pub title: String,
    pub kind: SpeechKind,
    pub start: Timestamp,
    pub end: Timestamp,
    pub seconds_spoken: i64,
    pub limit: u32,
    pub seconds_paused: i64,
    /// Who the delegation spoke as; null in a journal written before categories.
    pub category: Option<Category>,
    /// The group the statement was delivered on behalf of, or null.
    pub on_behalf_of: Option<String>,
    /// The other delegations of a joint statement, credited with it.
    pub joint: Vec<String>,
    /// ISO 639 code, or null.
    pub language: Option<Language>,
    /// `Egypt, on behalf of the Arab Group`.
    #[serde(skip)]
    heading: String,
    #[serde(skip)]
    speech: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotHeard {
    pub segment: String,
    pub delegation: String,
    pub speaker: String,
    pub kind: SpeechKind,
    pub limit: u32,
    #[serde(skip)]
    heading: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attendance {
    /// Delegations that held an observer seat, in the order first seated.
    pub seated: Vec<String>,
    pub peak_occupancy: usize,
    pub capacity: usize,
    /// Waitlisted, then seated.
    pub waitlist_served: Vec<String>,
    /// Waitlisted, and never seated.
    pub waitlist_not_served: Vec<String>,
    /// Delegations recorded present or absent (`present`, `absent`), in the
    /// order first recorded.
    pub delegations: Vec<Attended>,
}

/// One delegation's attendance as last recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Attended {
    pub delegation: String,
    pub key: String,
    pub representative: String,
    pub present: bool,
    /// When last recorded present; null if never (regrets).
    pub since: Option<Timestamp>,
    /// When recorded absent after that; null while present.
    pub left: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Export {
    pub schema: u32,
    pub meeting: String,
    pub title: String,
    pub venue: String,
    pub room: String,
    pub date: String,
    pub scheduled_start: Timestamp,
    pub scheduled_end: Timestamp,
    pub opened_at: Option<Timestamp>,
    pub adjourned_at: Option<Timestamp>,
    /// False while the meeting has not been adjourned: the record is partial.
    pub complete: bool,
    pub interventions: Vec<Intervention>,
    pub attendance: Attendance,
    /// Inscribed and never called: left on a segment's list when the
    /// meeting moved on or adjourned.
    pub not_heard: Vec<NotHeard>,
    /// Every suspension of the meeting, in order.
    pub suspensions: Vec<SuspensionRecord>,
    #[serde(skip)]
    notes: Vec<NoteLine>,
}

#[derive(Debug, Clone)]
struct NoteLine {
    segment: String,
    speech: Option<u32>,
    /// When it was first taken: where a note with no one on the floor
    /// stands among the speeches.
    at: Timestamp,
    text: String,
    tags: Vec<String>,
}

/// Gathers the record from the state the journal gives.
pub fn gather(state: &State) -> Export {
    let m = &state.meeting;
    let when = state
        .opened_at
        .or(state.began)
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let window = schedule(m, when);
    Export {
        schema: SCHEMA,
        meeting: m.id.to_string(),
        title: m.title.to_string(),
        venue: m.venue.to_string(),
        room: m.room.to_string(),
        date: m.date.to_string(),
        scheduled_start: window.start,
        scheduled_end: window.end,
        opened_at: state.opened_at,
        adjourned_at: state.adjourned_at,
        complete: state.phase == Phase::Adjourned,
        interventions: interventions(state),
        attendance: attendance(state),
        not_heard: state
            .not_heard()
            .map(|(def, listed)| NotHeard {
                segment: def.id.to_string(),
                delegation: listed.speech.delegate.delegation.to_string(),
                speaker: listed.speech.delegate.representative.to_string(),
                kind: listed.speech.kind,
                limit: listed.speech.limit,
                heading: listed.speech.heading(),
            })
            .collect(),
        suspensions: suspensions::gather(state),
        notes: state
            .notes
            .values()
            .filter(|n| n.retracted.is_none())
            .map(note_line)
            // A note of tags alone says nothing to summarise, and its empty
            // list item under a speaker would underline them as a heading.
            .filter(|n| !n.text.is_empty())
            .collect(),
    }
}

fn interventions(state: &State) -> Vec<Intervention> {
    let defs = state.meeting.segments.iter();
    defs.zip(&state.segments)
        .flat_map(|(def, segment)| {
            let mut spoken: Vec<Intervention> = segment
                .spoken
                .iter()
                .map(|s| Intervention {
                    segment: def.id.to_string(),
                    delegation: s.speech.delegate.delegation.to_string(),
                    speaker: s.speech.delegate.representative.to_string(),
                    title: s.speech.delegate.title.to_string(),
                    kind: s.speech.kind,
                    start: s.started,
                    end: s.ended,
                    seconds_spoken: s.spoken_secs,
                    limit: s.limit,
                    seconds_paused: s.paused_secs,
                    category: s.speech.category,
                    on_behalf_of: Some(s.speech.on_behalf_of.to_string()).filter(|g| !g.is_empty()),
                    joint: s.speech.joint.iter().map(ToString::to_string).collect(),
                    language: s.speech.language.clone(),
                    heading: s.speech.heading(),
                    speech: s.speech.id,
                })
                .collect();
            // In the order they took the floor: a point of order ends before
            // the speech it interrupted, but began after it.
            spoken.sort_by_key(|i| i.start);
            spoken
        })
        .collect()
}

fn note_line(n: &Note) -> NoteLine {
    let v = n.current();
    // The tags sorted the note; the summary reads without them.
    let text: Vec<&str> = v
        .text
        .as_str()
        .split(' ')
        .filter(|w| !w.starts_with('#') || w.len() == 1)
        .collect();
    NoteLine {
        segment: n.segment.to_string(),
        speech: n.speech,
        at: n.versions[0].at,
        text: text.join(" "),
        tags: v.tags.iter().map(|t| t.to_string()).collect(),
    }
}

/// Seats and the waitlist over the whole meeting. Actions later undone did
/// not happen: the state keeps no seat change that was undone.
fn attendance(state: &State) -> Attendance {
    let mut seated: Vec<String> = Vec::new();
    let mut waited: Vec<String> = Vec::new();
    let mut occupied = 0usize;
    let mut peak = 0;
    for (_, change) in &state.seat_changes {
        match change {
            SeatChange::Seated(delegation) => {
                let name = delegation.to_string();
                occupied += 1;
                if !seated.contains(&name) {
                    seated.push(name);
                }
            }
            SeatChange::Released => occupied = occupied.saturating_sub(1),
            SeatChange::Waitlisted(delegation) if !waited.contains(&delegation.to_string()) => {
                waited.push(delegation.to_string());
            }
            SeatChange::Waitlisted(_) => {}
        }
        peak = peak.max(occupied);
    }
    let (served, not_served) = waited.into_iter().partition(|d| seated.contains(d));
    Attendance {
        seated,
        peak_occupancy: peak,
        capacity: state
            .meeting
            .seating
            .capacity()
            .saturating_sub(state.meeting.seating.blocked.len()),
        waitlist_served: served,
        waitlist_not_served: not_served,
        delegations: state
            .attendance
            .iter()
            .map(|a| Attended {
                delegation: a.delegation().to_string(),
                key: a.delegate.key.to_string(),
                representative: a.representative.to_string(),
                present: a.present,
                since: a.since,
                left: a.left,
            })
            .collect(),
    }
}

fn local(state: &State, at: Timestamp, format: &str) -> String {
    at.to_zoned_datetime(state.meeting.tz.clone())
        .strftime(format)
        .to_string()
}

fn kind_note(kind: SpeechKind) -> &'static str {
    match kind {
        SpeechKind::Statement => "",
        SpeechKind::Reply => " (right of reply)",
        SpeechKind::Order => " (point of order)",
    }
}

/// How the CSVs name a kind of intervention.
fn kind_word(kind: SpeechKind) -> &'static str {
    match kind {
        SpeechKind::Statement => "statement",
        SpeechKind::Reply => "reply",
        SpeechKind::Order => "order",
    }
}

fn who(i: &Intervention) -> String {
    let mut who = markdown_text(&i.heading);
    if !i.speaker.is_empty() {
        let _ = write!(who, " — {}", markdown_text(&i.speaker));
    }
    if !i.title.is_empty() {
        let _ = write!(who, ", {}", markdown_text(&i.title));
    }
    if let Some(language) = &i.language {
        let _ = write!(who, " (in {})", markdown_text(language.name()));
    }
    who
}

/// Characters that mean something wherever they stand: `\\` escapes, `` ` ``
/// opens code, `*` and `_` emphasis, `[` a link, an image, a footnote or a
/// task box, `#` a heading or its end, `~` strikethrough, `$` math, `^`
/// superscript, `}` heading attributes, `<` HTML, a comment or a `<…>` link.
/// The others can be left alone, as the tests show with two renderers: `]`
/// and `{` mean nothing once `[` and `}` are escaped, and `|`, `=` and `:`
/// make a table, an underline or a definition only on a line of their own
/// below another, which user text never is.
const MARKDOWN_ANYWHERE: &str = "\\`*_[#~$^}<";

/// Text from a person (a name, a title, a note, anything from the meeting
/// file or a command) made to render as exactly itself in CommonMark and
/// GitHub's Markdown, wherever the summary puts it: no markup, no HTML, no
/// link, and no list, heading, quote, table or code block of its own.
/// Officers edit the summary as a draft, so only what could mean something
/// is escaped: `H.E. Mr. Le Drian` stays as it is. The text is one line, as
/// `Clean` makes every name and note.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let leading_digits = text.bytes().take_while(u8::is_ascii_digit).count();
    for (at, c) in text.char_indices() {
        let before = &text[..at];
        let after = &text[at + c.len_utf8()..];
        let escape = match c {
            c if MARKDOWN_ANYWHERE.contains(c) => true,
            // User text can start a line or a list item (after gavel's `- `
            // or `1. `), where these make a quote, a list or a rule, and
            // `2017.` or `1)` a numbered list.
            '>' | '-' | '+' if at == 0 => true,
            '.' | ')' if at > 0 && at == leading_digits => true,
            // `&amp;` and `&#38;` would be read as the character they name.
            '&' => after.starts_with(|n: char| n.is_ascii_alphanumeric() || n == '#'),
            // GitHub makes links of bare `http://…`, `www.…` and
            // `name@host.org`; an escape in the `://`, the `www.` or before
            // the `@` keeps them text.
            ':' => after.starts_with("//"),
            '.' => before
                .get(before.len().saturating_sub(3)..)
                .is_some_and(|w| w.eq_ignore_ascii_case("www")),
            '@' => before.ends_with(|p: char| p.is_ascii_alphanumeric() || ".+-_".contains(p)),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The draft co-chairs' summary, in Markdown.
pub fn markdown(state: &State, x: &Export) -> String {
    let mut out = String::new();
    let t = |at| local(state, at, "%H:%M");
    let _ = writeln!(out, "# {}\n", markdown_text(&x.title));
    let _ = writeln!(
        out,
        "Draft {} · {}, {} · {}\n",
        markdown_text(&state.meeting.summary_title()),
        markdown_text(&x.venue),
        markdown_text(&x.room),
        x.date
    );
    if !x.complete {
        let since = x
            .opened_at
            .map_or("it has not been opened yet".to_string(), |at| {
                format!("open since {}", t(at))
            });
        let _ = writeln!(
            out,
            "> **Draft of a meeting in progress** ({since}): the record below is not complete.\n"
        );
    }
    let held = match (x.opened_at, x.adjourned_at) {
        (None, _) => "not opened yet".to_string(),
        (Some(opened), None) => format!("opened {}, in progress (not yet adjourned)", t(opened)),
        (Some(opened), Some(adjourned)) => {
            format!("opened {}, adjourned {}", t(opened), t(adjourned))
        }
    };
    let _ = writeln!(
        out,
        "Scheduled {}–{}; {held}.\n",
        t(x.scheduled_start),
        t(x.scheduled_end)
    );
    for def in &state.meeting.segments {
        segment_section(&mut out, state, x, def);
    }
    tagged_list(&mut out, x, "decision", "Decisions");
    tagged_list(&mut out, x, "action", "Actions");
    attendance_section(&mut out, state, x);
    suspensions::section(&mut out, state, x);
    timekeeping_section(&mut out, state, x);
    out
}

fn segment_section(out: &mut String, state: &State, x: &Export, def: &crate::domain::SegmentDef) {
    let _ = writeln!(out, "## {}\n", markdown_text(def.title.as_str()));
    let chairs: Vec<String> = def
        .chairs
        .iter()
        .filter_map(|id| state.meeting.participant(id.as_str()))
        .map(|p| {
            let delegation = markdown_text(p.delegation.as_str());
            if p.representative.is_empty() {
                delegation
            } else {
                format!(
                    "{} ({delegation})",
                    markdown_text(p.representative.as_str())
                )
            }
        })
        .collect();
    if !chairs.is_empty() {
        let _ = writeln!(out, "Chaired by {}.\n", chairs.join(", "));
    }
    let spoken: Vec<&Intervention> = x
        .interventions
        .iter()
        .filter(|i| i.segment == def.id.as_str())
        .collect();
    if spoken.is_empty() {
        let _ = writeln!(out, "No one spoke.\n");
    }
    let loose: Vec<&NoteLine> = x
        .notes
        .iter()
        .filter(|note| note.segment == def.id.as_str() && tagged(note, "summary"))
        .filter(|note| !spoken.iter().any(|i| note.speech == Some(i.speech)))
        .collect();
    // Notes taken with no one on the floor stand where they were taken,
    // between the speeches before and after them; a suspension stands there
    // too, with the notes taken while it lasted.
    let mut loose = loose.into_iter().peekable();
    let here: Vec<&SuspensionRecord> = x
        .suspensions
        .iter()
        .filter(|s| s.segment == def.id.as_str())
        .collect();
    let mut here = here.into_iter().peekable();
    for (n, i) in spoken.iter().enumerate() {
        suspensions::before(out, state, &mut loose, &mut here, Some(i.start));
        let _ = writeln!(
            out,
            "{}. {}{} — {}",
            n + 1,
            who(i),
            kind_note(i.kind),
            duration(i.seconds_spoken)
        );
        for note in x
            .notes
            .iter()
            .filter(|note| note.speech == Some(i.speech) && tagged(note, "summary"))
        {
            let _ = writeln!(out, "   - {}", markdown_text(&note.text));
        }
    }
    suspensions::before(out, state, &mut loose, &mut here, None);
    not_heard_line(out, x, def);
    let _ = writeln!(out);
}

/// Those inscribed in the segment and never called, by name.
fn not_heard_line(out: &mut String, x: &Export, def: &crate::domain::SegmentDef) {
    let left: Vec<String> = x
        .not_heard
        .iter()
        .filter(|n| n.segment == def.id.as_str())
        .map(|n| format!("{}{}", markdown_text(&n.heading), kind_note(n.kind)))
        .collect();
    if !left.is_empty() {
        // A heading may hold commas of its own (`Sweden, with Denmark, Norway`).
        let _ = writeln!(out, "\nInscribed, not heard: {}.", left.join("; "));
    }
}

fn names(names: &[String]) -> String {
    let names: Vec<String> = names.iter().map(|n| markdown_text(n)).collect();
    names.join(", ")
}

fn tagged(note: &NoteLine, tag: &str) -> bool {
    note.tags.iter().any(|t| t == tag)
}

fn tagged_list(out: &mut String, x: &Export, tag: &str, heading: &str) {
    let _ = writeln!(out, "## {heading}\n");
    let notes: Vec<&NoteLine> = x.notes.iter().filter(|n| tagged(n, tag)).collect();
    if notes.is_empty() {
        let _ = writeln!(out, "None noted.\n");
        return;
    }
    for note in notes {
        let _ = writeln!(out, "- {}", markdown_text(&note.text));
    }
    let _ = writeln!(out);
}

/// Who came, as recorded with `present` and `absent`, then the observers
/// in their seats.
fn attendance_section(out: &mut String, state: &State, x: &Export) {
    let _ = writeln!(out, "## Attendance\n");
    delegations_part(out, state, &x.attendance.delegations);
    observers_part(out, x);
}

/// `- Mali — Mr. X, present from 15:25 (left 17:10)`, then those absent
/// throughout. Said plainly when nothing was recorded.
fn delegations_part(out: &mut String, state: &State, recorded: &[Attended]) {
    let _ = writeln!(out, "### Delegations\n");
    if recorded.is_empty() {
        let _ = writeln!(out, "No attendance of delegations was recorded.\n");
        return;
    }
    let t = |at| local(state, at, "%H:%M");
    let came: Vec<&Attended> = recorded.iter().filter(|a| a.since.is_some()).collect();
    let present = came.iter().filter(|a| a.present).count();
    let delegations = if came.len() == 1 {
        "delegation"
    } else {
        "delegations"
    };
    let _ = writeln!(
        out,
        "{} {delegations} recorded present; {present} present at the last record, {} left.\n",
        came.len(),
        came.len() - present
    );
    for a in &came {
        let mut line = markdown_text(&a.delegation);
        if !a.representative.is_empty() {
            let _ = write!(line, " — {}", markdown_text(&a.representative));
        }
        if let Some(since) = a.since {
            let _ = write!(line, ", present from {}", t(since));
        }
        if let Some(left) = a.left {
            let _ = write!(line, " (left {})", t(left));
        }
        let _ = writeln!(out, "- {line}");
    }
    if !came.is_empty() {
        let _ = writeln!(out);
    }
    let absent: Vec<String> = recorded
        .iter()
        .filter(|a| a.since.is_none())
        .map(|a| a.delegation.clone())
        .collect();
    if !absent.is_empty() {
        let _ = writeln!(out, "Recorded absent, not present: {}.\n", names(&absent));
    }
}

fn observers_part(out: &mut String, x: &Export) {
    let a = &x.attendance;
    let _ = writeln!(out, "### Observers\n");
    let _ = writeln!(
        out,
        "{} observer delegations seated; at most {} of {} seats taken at once.\n",
        a.seated.len(),
        a.peak_occupancy,
        a.capacity
    );
    if !a.seated.is_empty() {
        let _ = writeln!(out, "Seated: {}.\n", names(&a.seated));
    }
    let list = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            names(v)
        }
    };
    let _ = writeln!(
        out,
        "Waitlist served: {}. Not served: {}.\n",
        list(&a.waitlist_served),
        list(&a.waitlist_not_served)
    );
}

fn timekeeping_section(out: &mut String, state: &State, x: &Export) {
    let _ = writeln!(out, "## Time-keeping\n");
    let t = |at| local(state, at, "%H:%M:%S");
    match (x.opened_at, x.adjourned_at) {
        (Some(open), Some(close)) => {
            let over = secs_between(x.scheduled_end, close);
            let against = if over > 0 {
                format!("{} over schedule", duration(over))
            } else {
                format!("{} before the scheduled end", duration(-over))
            };
            let _ = writeln!(
                out,
                "Opened {} (scheduled {}), adjourned {} (scheduled {}): {}, {against}.\n",
                t(open),
                t(x.scheduled_start),
                t(close),
                t(x.scheduled_end),
                duration(secs_between(open, close))
            );
        }
        (Some(open), None) => {
            let _ = writeln!(
                out,
                "Opened {} (scheduled {}); not adjourned yet.\n",
                t(open),
                t(x.scheduled_start)
            );
        }
        _ => {
            let _ = writeln!(out, "Not opened yet.\n");
        }
    }
    if !x.suspensions.is_empty() {
        let n = x.suspensions.len();
        let times = if n == 1 { "once" } else { "times" };
        let count = if n == 1 {
            String::new()
        } else {
            format!("{n} ")
        };
        let _ = writeln!(
            out,
            "Suspended {count}{times}, {} in all.\n",
            duration(suspensions::total(x))
        );
    }
    overrun_table(out, state, x);
    by_delegation_table(out, x);
}

/// Each delegation's speeches and speaking time, most first; a joint
/// statement is credited to each of its delegations, so the column does
/// not add up to the meeting's speaking time when there were any.
fn by_delegation_table(out: &mut String, x: &Export) {
    let mut totals: Vec<(&str, usize, i64)> = Vec::new();
    for i in &x.interventions {
        let credited =
            std::iter::once(i.delegation.as_str()).chain(i.joint.iter().map(String::as_str));
        for delegation in credited {
            match totals.iter_mut().find(|(d, ..)| *d == delegation) {
                Some((_, n, secs)) => {
                    *n += 1;
                    *secs += i.seconds_spoken;
                }
                None => totals.push((delegation, 1, i.seconds_spoken)),
            }
        }
    }
    if totals.is_empty() {
        return;
    }
    totals.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(b.0)));
    let _ = writeln!(out, "\nSpeaking time by delegation:\n");
    let _ = writeln!(out, "| Delegation | Speeches | Time |");
    let _ = writeln!(out, "| --- | ---: | ---: |");
    for (delegation, n, secs) in totals {
        let _ = writeln!(
            out,
            "| {} | {n} | {} |",
            table_cell(delegation),
            duration(secs)
        );
    }
    if x.interventions.iter().any(|i| !i.joint.is_empty()) {
        let _ = writeln!(
            out,
            "\nA joint statement counts for each delegation that made it."
        );
    }
}

/// Overruns shorter than this are counted, not listed: a table of every
/// speaker a few seconds over would bury the ones that matter.
const LISTED_OVER: i64 = 30;

/// How far speakers went over their limits: a count and a total for all,
/// and one table of those over by more than [`LISTED_OVER`].
fn overrun_table(out: &mut String, state: &State, x: &Export) {
    let over_by = |i: &Intervention| i.seconds_spoken - i64::from(i.limit);
    let over: Vec<&Intervention> = x.interventions.iter().filter(|i| over_by(i) > 0).collect();
    if over.is_empty() {
        let _ = writeln!(out, "No speaker went over the limit.");
        return;
    }
    let total: i64 = over.iter().map(|i| over_by(i)).sum();
    let _ = writeln!(
        out,
        "{} of {} speeches went over the limit, {} in all.",
        over.len(),
        x.interventions.len(),
        duration(total)
    );
    let listed: Vec<&&Intervention> = over.iter().filter(|i| over_by(i) > LISTED_OVER).collect();
    if listed.is_empty() {
        let _ = writeln!(out, "None by more than {}.", duration(LISTED_OVER));
        return;
    }
    let _ = writeln!(out, "\nOver by more than {}:\n", duration(LISTED_OVER));
    let _ = writeln!(out, "| Speaker | Segment | Spoke | Limit | Over |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: | ---: |");
    let title = |id: &str| {
        let i = state.meeting.segment_index(id);
        i.map_or(id.to_string(), |i| {
            state.meeting.segments[i].title.to_string()
        })
    };
    for i in &listed {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            table_cell(&i.heading),
            table_cell(&title(&i.segment)),
            duration(i.seconds_spoken),
            duration(i64::from(i.limit)),
            duration(over_by(i))
        );
    }
    let listed_total: i64 = listed.iter().map(|i| over_by(i)).sum();
    let _ = writeln!(out, "| **Total** | | | | **{}** |", duration(listed_total));
}

/// User text in a table cell: a `|` would end the cell.
fn table_cell(text: &str) -> String {
    markdown_text(text).replace('|', "\\|")
}

/// One row per intervention.
pub fn csv(x: &Export) -> String {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let mut row = |fields: [&str; 13]| {
        out.write_record(fields)
            .expect("writing to memory cannot fail");
    };
    row([
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
    ]);
    for i in &x.interventions {
        row([
            &spreadsheet_text(&i.delegation),
            &spreadsheet_text(&i.speaker),
            kind_word(i.kind),
            &spreadsheet_text(&i.segment),
            &i.start.to_string(),
            &i.end.to_string(),
            &i.seconds_spoken.to_string(),
            &i.limit.to_string(),
            &i.seconds_paused.to_string(),
            i.category.map_or("", Category::label),
            &spreadsheet_text(i.on_behalf_of.as_deref().unwrap_or("")),
            // `;` parts the names: a delegation's name may hold a comma.
            &spreadsheet_text(&i.joint.join("; ")),
            i.language.as_ref().map_or("", Language::code),
        ]);
    }
    if !x.complete {
        // A spreadsheet reads this as one more row, which is the point: it is seen.
        row([
            "(meeting in progress: not complete)",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]);
    }
    let bytes = out.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("the fields are text")
}

/// A cell that came from a person, made safe to open in a spreadsheet: one
/// that starts like a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a tab or a
/// carriage return) would be evaluated, quoted or not, so it gets a leading
/// `'`, which spreadsheets read as "text", as OWASP's advice on CSV injection
/// says. Cells gavel writes itself (times, numbers, kinds) are never touched.
fn spreadsheet_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

pub fn json(x: &Export) -> String {
    serde_json::to_string_pretty(x).expect("the export serialises") + "\n"
}

/// The draft co-chairs' summary in Markdown, as the meeting stands.
pub fn summary(state: &State) -> String {
    markdown(state, &gather(state))
}

/// The names of the three exports written beside the journal on
/// adjournment, each with its text.
/// The files adjourning leaves beside the journal, in the order of [`files`].
pub const NAMES: [&str; 3] = ["summary.md", "interventions.csv", "export.json"];

pub fn files(state: &State) -> [(&'static str, String); 3] {
    let x = gather(state);
    let [summary, interventions, export] = NAMES;
    [
        (summary, markdown(state, &x)),
        (interventions, csv(&x)),
        (export, json(&x)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of attendance leaves out what was undone, as if it never
    /// happened: a seating undone, and a release undone.
    #[test]
    fn attendance_leaves_out_what_was_undone() {
        use crate::domain::{Command, SeatOrDelegation, execute};
        use crate::text::Clean;
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config/mali-ministerial-2017.toml");
        let meeting = crate::config::load(&path)
            .expect("the seed meeting")
            .meeting;
        let mut state = State::new(std::sync::Arc::new(meeting));
        let now: Timestamp = "2017-09-20T19:05:00Z".parse().unwrap();
        let by = Clean::new("ben");
        let seat = |who: &str| Command::Seat {
            delegation: Clean::new(who),
            seat: None,
        };
        let release = Command::Release(SeatOrDelegation::Delegation(Clean::new("Brazil")));
        for command in [
            seat("Brazil"),
            seat("Mexico"),
            Command::Undo,
            release,
            Command::Undo,
        ] {
            execute(&mut state, command, now, &by).expect("carried out");
        }
        let x = gather(&state);
        assert_eq!(x.attendance.seated, ["Brazil"]);
        assert_eq!(x.attendance.peak_occupancy, 1);
        assert_eq!(state.seat_changes.len(), 1, "{:?}", state.seat_changes);
    }

    // --- attendance ---

    /// Who came, represented by whom, from when, who left and who sent
    /// regrets: in the summary's attendance section and in export.json.
    #[test]
    fn the_attendance_section_lists_who_came_and_who_did_not() {
        use crate::domain::{Command, execute};
        use crate::text::Clean;
        let mut state = seed();
        let t0: Timestamp = "2017-09-20T19:25:00Z".parse().unwrap();
        let by = Clean::new("ana");
        let at = |secs: i64| t0 + jiff::SignedDuration::from_secs(secs);
        let present = |who: &str, rep: Option<&str>| Command::Present {
            who: Clean::new(who),
            by: rep.map(Clean::new),
            at: None,
        };
        let absent = |who: &str| Command::Absent {
            who: Clean::new(who),
            at: None,
        };
        let steps = [
            (0, present("mali", None)),
            (60, present("france", Some("Mr. *Deputy* <b>"))),
            (120, absent("egypt")),
            (3600, absent("france")),
            (3700, present("sweden", None)),
        ];
        for (secs, command) in steps {
            execute(&mut state, command, at(secs), &by).expect("carried out");
        }
        let summary = summary_of(&state);
        let section = summary
            .split("## Attendance\n\n")
            .nth(1)
            .and_then(|rest| rest.split("## Time-keeping").next())
            .expect("an attendance section");
        let delegations = section.split("### Observers").next().unwrap();
        assert_eq!(
            delegations,
            "### Delegations\n\n\
             3 delegations recorded present; 2 present at the last record, 1 left.\n\n\
             - Mali — H.E. Mr. Ibrahim Boubacar Keïta, present from 15:25\n\
             - France — Mr. \\*Deputy\\* \\<b>, present from 15:26 (left 16:25)\n\
             - Sweden, present from 16:26\n\n\
             Recorded absent, not present: Egypt.\n\n"
        );
        assert!(section.contains("### Observers\n\n0 observer delegations seated"));
        let json: serde_json::Value = serde_json::from_str(&json(&gather(&state))).unwrap();
        let first = &json["attendance"]["delegations"][1];
        assert_eq!(first["delegation"], "France");
        assert_eq!(first["key"], "france");
        assert_eq!(first["representative"], "Mr. *Deputy* <b>");
        assert_eq!(first["present"], false);
        assert_eq!(first["since"], "2017-09-20T19:26:00Z");
        assert_eq!(first["left"], "2017-09-20T20:25:00Z");
        let regrets = &json["attendance"]["delegations"][2];
        assert_eq!(regrets["since"], serde_json::Value::Null);
        assert_eq!(regrets["key"], "egypt");
    }

    #[test]
    fn with_no_attendance_recorded_the_summary_says_so() {
        let summary = summary_of(&seed());
        assert!(summary.contains("## Attendance\n\n### Delegations\n\nNo attendance of delegations was recorded.\n\n### Observers\n"));
    }

    #[test]
    fn a_cell_that_starts_like_a_formula_is_written_as_text() {
        for formula in [
            "=HYPERLINK(\"http://evil.example\",\"Mali\")",
            "+1+1",
            "-2+3",
            "@SUM(A1:A9)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(spreadsheet_text(formula), format!("'{formula}"));
        }
        assert_eq!(spreadsheet_text("Mali"), "Mali");
        assert_eq!(
            spreadsheet_text("Bolivia (Plurinational State of)"),
            "Bolivia (Plurinational State of)"
        );
    }
    fn seed() -> State {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("config/mali-ministerial-2017.toml");
        let meeting = crate::config::load(&path)
            .expect("the seed meeting")
            .meeting;
        State::new(std::sync::Arc::new(meeting))
    }

    fn summary_of(state: &State) -> String {
        markdown(state, &gather(state))
    }

    /// The summary is named as the meeting file says, else after who chairs.
    #[test]
    fn the_summary_is_named_after_its_chairs_unless_the_meeting_file_names_it() {
        let mut state = seed();
        assert!(summary_of(&state).contains("Draft co-chairs' summary · "));
        let mut meeting = (*state.meeting).clone();
        for segment in &mut meeting.segments {
            segment.chairs.truncate(1);
            segment.chairs[0] = "mali-president".into();
        }
        assert_eq!(meeting.summary_title(), "chair's summary");
        meeting.segments[1].chairs[0] = "algeria".into();
        assert_eq!(meeting.summary_title(), "summary");
        meeting.summary_title = Some("President's summary".into());
        state = State::new(std::sync::Arc::new(meeting));
        assert!(summary_of(&state).contains("Draft President's summary · "));
    }

    /// Before adjournment the summary says the meeting is in progress, not
    /// "adjourned not adjourned".
    #[test]
    fn a_summary_before_adjournment_says_the_meeting_is_in_progress() {
        use crate::domain::{Command, execute};
        let mut state = seed();
        assert!(summary_of(&state).contains("; not opened yet.\n"));
        let now: Timestamp = "2017-09-20T19:33:00Z".parse().unwrap();
        let by = crate::text::Clean::new("ben");
        execute(&mut state, Command::Open { at: None }, now, &by).expect("opened");
        let summary = summary_of(&state);
        assert!(
            summary.contains("; opened 15:33, in progress (not yet adjourned).\n"),
            "{summary}"
        );
        assert!(!summary.contains("adjourned not adjourned"), "{summary}");
    }
    /// A note taken between two speeches stands between them; those left
    /// listed when the meeting moves on are named; overruns are one table.
    #[test]
    fn a_segment_reads_in_the_order_it_happened_and_names_who_was_not_heard() {
        use crate::domain::{Command, SegmentTarget, execute};
        let mut state = seed();
        let t0: Timestamp = "2017-09-20T19:30:00Z".parse().unwrap();
        let by = crate::text::Clean::new("ben");
        let at = |secs: i64| t0 + jiff::SignedDuration::from_secs(secs);
        let mut run = |command: Command, secs: i64| {
            execute(&mut state, command, at(secs), &by).expect("carried out");
        };
        run(Command::Open { at: None }, 0);
        run(Command::Next { at: None }, 0);
        run(Command::End { at: None }, 200);
        let note = |text: &str| Command::Note {
            text: crate::text::Clean::new(text),
        };
        run(note("the room applauds #summary"), 210);
        run(Command::Next { at: None }, 220);
        run(Command::End { at: None }, 220 + 225);
        run(Command::Segment(SegmentTarget::Next), 460);
        let summary = summary_of(&state);
        let first = summary.find("1. ").expect("a first speech");
        let between = summary.find("- the room applauds").expect("the note");
        let second = summary.find("2. ").expect("a second speech");
        assert!(first < between && between < second, "{summary}");
        assert!(summary.contains("\nInscribed, not heard: "), "{summary}");
        assert!(
            summary.contains("2 of 2 speeches went over the limit, 1m05s in all."),
            "{summary}"
        );
        assert!(summary.contains("| 3m45s | 3m | 45s |"), "{summary}");
        assert!(
            summary.contains("| **Total** | | | | **45s** |"),
            "{summary}"
        );
        let x = gather(&state);
        assert!(!x.not_heard.is_empty());
        assert!(x.not_heard.iter().all(|n| n.segment == "opening"));
    }
    /// A `|` in a name would end its table cell and shift the columns.
    #[test]
    fn a_name_in_a_table_cell_keeps_to_its_cell() {
        assert_eq!(table_cell("A | B"), "A \\| B");
        assert_eq!(table_cell("*Mali*"), "\\*Mali\\*");
    }
}

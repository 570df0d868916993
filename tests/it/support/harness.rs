//! Support for the tests that run many writer processes against one journal:
//! a reproducible random source, one clock shared by every process, a
//! realistic mix of officers' commands, and checks on the files.

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::Path;

use gavel::domain::State;
use jiff::{SignedDuration, Timestamp};

pub const JOURNAL: &str = "journal.jsonl";
pub const SESSION_LOG: &str = "session.log";

/// Reports are computed for one instant in every process, so that equal
/// states give equal hashes whatever the wall clock did meanwhile.
pub const FIXED_NOW: &str = "2017-09-20T21:00:00Z";

/// Commands are recorded from 15:25 in New York on the meeting's day onwards.
const MEETING_CLOCK_START: &str = "2017-09-20T19:25:00Z";

/// Carries the parent's real start instant to every child, so all of them
/// stamp commands on one clock and the journal's times only move forwards
/// as far as the system clock does.
pub const CLOCK_ENV: &str = "GAVEL_TEST_REAL_START";

pub fn fixed_now() -> Timestamp {
    FIXED_NOW.parse().unwrap()
}

/// splitmix64: tiny, good enough to vary timings and commands, and
/// reproducible from a printed seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// From `var` if set, so a failing run can be replayed; else from the clock.
    pub fn seed_from_env(var: &str) -> u64 {
        match env::var(var) {
            Ok(s) => s.trim().parse().unwrap_or_else(|_| panic!("{var}={s:?}")),
            Err(_) => Timestamp::now().as_nanosecond() as u64,
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    pub fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len() as u64) as usize]
    }
}

/// The meeting's afternoon, at real speed, on the system clock: the same in
/// every process that was given the same real start.
#[derive(Debug, Clone, Copy)]
pub struct MeetingClock {
    offset: SignedDuration,
}

impl MeetingClock {
    pub fn starting_now() -> (MeetingClock, String) {
        let real = Timestamp::now();
        (MeetingClock::from_real_start(real), real.to_string())
    }

    pub fn from_env() -> MeetingClock {
        let real: Timestamp = env::var(CLOCK_ENV).unwrap().parse().unwrap();
        MeetingClock::from_real_start(real)
    }

    fn from_real_start(real: Timestamp) -> MeetingClock {
        let start: Timestamp = MEETING_CLOCK_START.parse().unwrap();
        MeetingClock {
            offset: start.duration_since(real),
        }
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::now().checked_add(self.offset).unwrap()
    }
}

/// Observer delegations for the door officer: more than the 38 free seats,
/// so seats fill, the waitlist grows and some seatings are refused.
pub const OBSERVERS: &[&str] = &[
    "Brazil",
    "Canada",
    "Norway",
    "Switzerland",
    "Morocco",
    "Tunisia",
    "Spain",
    "Belgium",
    "Denmark",
    "Ghana",
    "Côte d'Ivoire",
    "Holy See",
    "State of Palestine",
    "India",
    "Indonesia",
    "Pakistan",
    "Türkiye",
    "Qatar",
    "Saudi Arabia",
    "Portugal",
    "Austria",
    "Finland",
    "Ireland",
    "Luxembourg",
    "Cameroon",
    "Gabon",
    "Guinea-Bissau",
    "Liberia",
    "Sierra Leone",
    "Gambia",
    "Cabo Verde",
    "Mexico",
    "Argentina",
    "Chile",
    "Colombia",
    "Peru",
    "Republic of Korea",
    "Australia",
    "New Zealand",
    "Poland",
    "Czechia",
    "Hungary",
    "Romania",
    "Greece",
    // Not a name gavel knows: refused, as a typo would be.
    "Tchad",
];

const WORDS: &[&str] = &[
    "the",
    "co-chairs",
    "welcome",
    "progress",
    "on",
    "the",
    "Agreement",
    "timelines",
    "for",
    "reforms",
    "G5",
    "Sahel",
    "Joint",
    "Force",
    "MINUSMA",
    "mandate",
    "Kidal",
    "interim",
    "authorities",
    "elections",
    "décentralisation",
    "sécurité",
    "Côte d'Ivoire",
    "Comité de Suivi",
    "—",
    "«accord»",
    "2017",
    "humanitarian",
    "access",
    "和平与和解协议",
    "осуществление Соглашения",
    "اتفاق السلام",
    "acuerdo de paz",
];

/// Phrases in the official languages with the widest characters, so a note of
/// 4,000 characters becomes a line of two or three pages.
const WIDE: &[&str] = &[
    "马里和平与和解协议的执行情况",
    "联合国马里多层面综合稳定团",
    "осуществление Соглашения о мире",
    "تنفيذ اتفاق السلام والمصالحة في مالي",
];

const TAGS: &[&str] = &["#summary", "#action", "#decision"];

/// What the commands may contain beyond plain typing.
#[derive(Debug, Clone, Copy)]
pub struct Mix {
    /// Notes of a few thousand characters, so that one append spans several
    /// pages and a kill can cut the write short.
    pub long_notes: bool,
    /// Escape sequences and bidi overrides in notes, which must never reach
    /// the session log.
    pub hostile_text: bool,
}

/// One command line an officer might type now, mostly one that `state`
/// allows; about one in six is refused, as slips are in a real meeting.
pub fn command(rng: &mut Rng, state: &State, mix: Mix) -> String {
    if state.phase == gavel::domain::Phase::Scheduled && rng.chance(60) {
        return "open".into();
    }
    // A slip: whatever the state, any command at all.
    let sensible = !rng.chance(15);
    let roster: Vec<&str> = state.meeting.roster.iter().map(|p| p.id.as_str()).collect();
    let segment = state.segment();
    let listed: Vec<String> = segment
        .queue
        .iter()
        .map(|l| {
            let key = l.speech.delegate.key.as_str();
            key.strip_prefix("state:").unwrap_or(key).to_string()
        })
        .collect();
    let someone = |rng: &mut Rng| -> String {
        if !listed.is_empty() && (sensible || rng.chance(70)) {
            rng.pick(&listed).clone()
        } else {
            rng.pick(&roster).to_string()
        }
    };
    let floor = state.floor();
    let seats = &state.seats;
    let free = state.free_seats().count();
    let occupied: Vec<String> = seats.occupied.values().map(|d| d.to_string()).collect();
    let blocked: Vec<String> = seats.blocked.iter().map(|s| s.to_string()).collect();
    let seated = |d: &str| seats.occupied.values().any(|o| o.as_str() == d);
    let unseated: Vec<&str> = OBSERVERS
        .iter()
        .copied()
        .filter(|d| !seated(d) && seats.waiting_position(d).is_none())
        .collect();
    let observer = |rng: &mut Rng| -> String {
        if sensible && !unseated.is_empty() {
            rng.pick(&unseated).to_string()
        } else {
            rng.pick(OBSERVERS).to_string()
        }
    };
    let live_notes: Vec<u32> = state
        .notes
        .values()
        .filter(|n| n.retracted.is_none())
        .map(|n| n.id)
        .collect();
    let note_id = |rng: &mut Rng| -> u32 {
        if sensible && !live_notes.is_empty() {
            *rng.pick(&live_notes)
        } else {
            rng.below(state.notes.len() as u64 + 2).max(1) as u32
        }
    };
    let seat = |rng: &mut Rng| {
        let row = ['A', 'B', 'C', 'D'][rng.below(4) as usize];
        format!("{row}{}", rng.below(10) + 1)
    };
    let roll = rng.below(100);
    match roll {
        // The floor officer's work: inscriptions and timing.
        0..=17 => {
            let who = if segment.closed && sensible {
                return "reopen list".into();
            } else if rng.chance(85) {
                rng.pick(&roster).to_string()
            } else {
                rng.pick(OBSERVERS).to_string()
            };
            match rng.below(20) {
                0 if floor.is_some() || !sensible => format!("add {who} order"),
                1 | 2 => format!("add {who} reply"),
                3 => format!("add {who} limit 2m"),
                _ => format!("add {who}"),
            }
        }
        18..=45 if sensible => match floor {
            _ if floor.is_none() && listed.is_empty() => format!("add {}", rng.pick(&roster)),
            None => "next".into(),
            Some(f) => match rng.below(10) {
                0..=1 if f.paused_since.is_some() => "resume".into(),
                0..=1 => "pause".into(),
                2..=4 => "end".into(),
                5 => "extend 30s".into(),
                6 if !listed.is_empty() => format!("floor {}", someone(rng)),
                _ if listed.is_empty() => "end".into(),
                _ if rng.chance(5) => "next at -1s".into(),
                _ => "next".into(),
            },
        },
        18..=27 => "next".into(),
        28..=29 => format!("floor {}", someone(rng)),
        30..=34 => "pause".into(),
        35..=39 => "resume".into(),
        40..=44 => "end".into(),
        45 => "extend 30s".into(),
        46..=49 => {
            let to = *rng.pick(&["up", "down", "top", "bottom", "2"]);
            format!("move {} {to}", someone(rng))
        }
        50..=51 => format!("pass {}", someone(rng)),
        52 => format!("remove {}", someone(rng)),
        53 if sensible && segment.closed => "reopen list".into(),
        53 if sensible => "close list".into(),
        53 => (*rng.pick(&["close list", "reopen list"])).into(),
        // The door officer's.
        54..=59 if sensible && free == 0 => format!("wait {}", observer(rng)),
        54..=59 if rng.chance(20) => format!("seat {} {}", observer(rng), seat(rng)),
        54..=59 => format!("seat {}", observer(rng)),
        60..=62 if sensible && !occupied.is_empty() => {
            if rng.chance(30) {
                let taken: Vec<String> = seats.occupied.keys().map(|s| s.to_string()).collect();
                format!("release {}", rng.pick(&taken))
            } else {
                format!("release {}", rng.pick(&occupied))
            }
        }
        60..=62 => format!("release {}", rng.pick(OBSERVERS)),
        63..=64 => format!("wait {}", observer(rng)),
        65 if sensible && !seats.waitlist.is_empty() => {
            format!("unwait {}", rng.pick(&seats.waitlist))
        }
        65 => format!("unwait {}", rng.pick(OBSERVERS)),
        66 if sensible && !blocked.is_empty() && rng.chance(70) => {
            format!("unblock {}", rng.pick(&blocked))
        }
        66 => format!("block {}", seat(rng)),
        67 => format!("unblock {}", seat(rng)),
        // The note-taker's.
        68..=80 => format!("note {}", note_text(rng, mix)),
        81..=85 => format!("amend {} {}", note_id(rng), note_text(rng, mix)),
        86 => format!("retract {}", note_id(rng)),
        87..=93 => "undo".into(),
        _ if sensible && floor.is_some() => "end".into(),
        _ if sensible && state.current + 1 < state.meeting.segments.len() => "segment next".into(),
        _ if sensible => format!("segment {}", state.meeting.segments[0].id),
        _ => (*rng.pick(&["segment next", "segment opening", "segment co-chaired"])).into(),
    }
}

/// A note as long as a note may be, in wide characters: about 45 KB of JSON.
pub fn huge_note(rng: &mut Rng) -> String {
    let mut text = String::from("note ");
    let mut chars = 0;
    loop {
        let phrase = rng.word(WIDE);
        let n = phrase.chars().count() + 1;
        if chars + n > gavel::domain::MAX_NOTE_CHARS {
            return text;
        }
        text.push_str(phrase);
        text.push(' ');
        chars += n;
    }
}

fn note_text(rng: &mut Rng, mix: Mix) -> String {
    // Long ones run to 3,900 characters, well under what a note may hold.
    let target = if mix.long_notes && rng.chance(30) {
        1_500 + rng.below(2_400) as usize
    } else {
        10 + rng.below(80) as usize
    };
    let mut text = String::new();
    while text.chars().count() < target {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(rng.word(WORDS));
    }
    if mix.hostile_text && rng.chance(10) {
        text.push_str(rng.word(&[
            " \u{1b}[2J\u{1b}[31mred",
            " \u{202e}evil",
            " bell\u{7}",
            " \u{9b}31m",
        ]));
    }
    if rng.chance(60) {
        text.push(' ');
        text.push_str(rng.word(TAGS));
    }
    text
}

/// A state's fingerprint: its `gavel state --json` view at [`FIXED_NOW`].
pub fn state_json(state: &State) -> String {
    serde_json::to_string(&gavel::status::of(state, fixed_now())).unwrap()
}

pub fn hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The journal's lines without their newlines; panics on an unfinished last line.
pub fn journal_lines(bytes: &[u8]) -> Vec<&[u8]> {
    if bytes.is_empty() {
        return Vec::new();
    }
    assert_eq!(bytes.last(), Some(&b'\n'), "the journal ends mid-line");
    bytes[..bytes.len() - 1].split(|&b| b == b'\n').collect()
}

/// `42` from `15:42:10 #0042 floor  …`.
pub fn session_seq(line: &str) -> Option<u64> {
    let (_, rest) = line.split_once(" #")?;
    rest.split(' ').next()?.parse().ok()
}

/// Checks the session log holds one line per journal line, in seq order, and
/// nothing a terminal would act on; returns its lines.
pub fn check_session_log(dir: &Path, journal_lines: usize) -> Vec<String> {
    let text = fs::read_to_string(dir.join(SESSION_LOG)).unwrap_or_default();
    if let Some(c) = text
        .chars()
        .find(|&c| c != '\n' && (c.is_control() || is_bidi(c)))
    {
        panic!("the session log holds {c:?}");
    }
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let seqs: Vec<Option<u64>> = lines.iter().map(|l| session_seq(l)).collect();
    let expected: Vec<Option<u64>> = (1..=journal_lines as u64).map(Some).collect();
    if seqs != expected {
        let first = seqs
            .iter()
            .zip(&expected)
            .position(|(a, b)| a != b)
            .unwrap_or(seqs.len().min(expected.len()));
        panic!(
            "the session log has {} lines for {journal_lines} journal lines; first difference at line {}: {:?}",
            lines.len(),
            first + 1,
            lines.get(first)
        );
    }
    lines
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

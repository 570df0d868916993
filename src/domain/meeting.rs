//! The meeting as planned: what the meeting file says, already validated.
//! The domain never reads files; `config` builds these values.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::text::Clean;

/// Level of representation, highest first: protocol order sorts by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    HeadOfState,
    VicePresident,
    Minister,
    ViceMinister,
    HeadOfDelegation,
    Observer,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::HeadOfState,
        Level::VicePresident,
        Level::Minister,
        Level::ViceMinister,
        Level::HeadOfDelegation,
        Level::Observer,
    ];

    /// Each level by the name meeting files and lists received give it.
    pub const NAMED: [(&'static str, Level); 6] = [
        ("head_of_state", Level::HeadOfState),
        ("vice_president", Level::VicePresident),
        ("minister", Level::Minister),
        ("vice_minister", Level::ViceMinister),
        ("head_of_delegation", Level::HeadOfDelegation),
        ("observer", Level::Observer),
    ];

    /// As a protocol-ordered list shows it, in a narrow column.
    pub fn short(self) -> &'static str {
        match self {
            Level::HeadOfState => "HoS",
            Level::VicePresident => "VP",
            Level::Minister => "Min",
            Level::ViceMinister => "VMin",
            Level::HeadOfDelegation => "HoD",
            Level::Observer => "Obs",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::HeadOfState => "Head of State or Government",
            Level::VicePresident => "Vice-President",
            Level::Minister => "Minister",
            Level::ViceMinister => "Vice-Minister",
            Level::HeadOfDelegation => "head of delegation",
            Level::Observer => "observer",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CoChair,
    Participant,
    Observer,
}

/// Who a delegation speaks as, for the limit a segment gives it: the Human
/// Rights Council gives members 3 minutes and observers 2; a conference may
/// give groups longer than single delegations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Member,
    Observer,
    Group,
    Briefer,
    Participant,
}

impl Category {
    pub const ALL: [(&'static str, Category); 5] = [
        ("member", Category::Member),
        ("observer", Category::Observer),
        ("group", Category::Group),
        ("briefer", Category::Briefer),
        ("participant", Category::Participant),
    ];

    pub fn label(self) -> &'static str {
        Category::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("member", |(name, _)| name)
    }

    /// As a narrow column of the list shows it.
    pub fn short(self) -> &'static str {
        match self {
            Category::Member => "Mem",
            Category::Observer => "Obs",
            Category::Group => "Grp",
            Category::Briefer => "Brf",
            Category::Participant => "Part",
        }
    }

    /// What a roster entry that names no category speaks as.
    pub fn of_role(role: Role) -> Category {
        match role {
            Role::CoChair | Role::Participant => Category::Member,
            Role::Observer => Category::Observer,
        }
    }
}

/// How a segment orders its list of speakers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ordering {
    #[default]
    Inscription,
    Protocol,
}

/// Someone on the meeting's roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// Short stable id used in commands and the journal, e.g. `mali-president`.
    pub id: Clean,
    /// Member State or organization, e.g. `Mali`, `African Union Commission`.
    pub delegation: Clean,
    /// Name with honorific as it is read out, e.g. `H.E. Mr. Ibrahim Boubacar Keïta`.
    pub representative: Clean,
    /// Function, e.g. `President of the Republic of Mali`.
    pub title: Clean,
    pub level: Level,
    pub role: Role,
    pub category: Category,
    /// The language they usually speak in, for the interpreters.
    pub language: Option<super::language::Language>,
    /// Other names an officer may type for this participant.
    pub aliases: Vec<Clean>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentDef {
    pub id: Clean,
    pub title: Clean,
    /// Seconds each speaker may speak unless inscribed with another limit.
    pub speaking_limit: u32,
    /// Seconds for speakers of a category, in place of `speaking_limit`.
    pub limits: Vec<(Category, u32)>,
    /// Roster ids of those who chair this segment.
    pub chairs: Vec<Clean>,
    /// Roster ids inscribed before the meeting opens, in order.
    pub speakers: Vec<Clean>,
    pub ordering: Ordering,
}

impl SegmentDef {
    /// A statement's limit here: its category's, where the segment gives
    /// one, else the segment's.
    pub fn limit_for(&self, category: Category) -> u32 {
        self.limits
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(self.speaking_limit, |(_, secs)| *secs)
    }
}

/// A seat in the observer area: row letter(s) and number, e.g. `B7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatId {
    /// 0-based row.
    pub row: u16,
    /// 0-based seat within the row.
    pub seat: u16,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seating {
    pub rows: u16,
    pub seats_per_row: u16,
    pub blocked: Vec<SeatId>,
    /// How many observer seats one delegation may hold.
    pub per_delegation: u16,
}

impl Seating {
    pub fn capacity(&self) -> usize {
        self.rows as usize * self.seats_per_row as usize
    }

    pub fn contains(&self, seat: SeatId) -> bool {
        seat.row < self.rows && seat.seat < self.seats_per_row
    }

    /// Seats in reading order: row A first, left to right.
    pub fn all(&self) -> impl Iterator<Item = SeatId> + '_ {
        (0..self.rows)
            .flat_map(move |row| (0..self.seats_per_row).map(move |seat| SeatId { row, seat }))
    }
}

/// Rights of reply as the meeting allows them: at most `max` for a
/// delegation in a segment, the first with the first limit, and so on (the
/// last limit for any after). The General Assembly's practice is two, of 10
/// and 5 minutes; gavel's default is two, of 5 and 3.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replies {
    pub max: u32,
    pub limits: Vec<u32>,
}

impl Default for Replies {
    fn default() -> Replies {
        Replies {
            max: 2,
            limits: vec![300, 180],
        }
    }
}

impl Replies {
    /// The limit of a delegation's reply after `had` replies.
    pub fn limit(&self, had: usize) -> u32 {
        let last = self.limits.len().saturating_sub(1);
        self.limits.get(had.min(last)).copied().unwrap_or(180)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: Clean,
    pub title: Clean,
    pub venue: Clean,
    pub room: Clean,
    pub date: Date,
    pub start: Time,
    pub end: Time,
    /// IANA name, kept for display; `tz` is the resolved zone.
    pub timezone: String,
    pub tz: TimeZone,
    /// Seconds before the limit at which the timer turns amber.
    pub warn_before: u32,
    /// Ring the terminal bell once when a speaker passes the limit.
    pub bell: bool,
    /// What the summary is called ("President's summary"); when not given,
    /// it is named after who chairs (see [`Meeting::summary_title`]).
    pub summary_title: Option<Clean>,
    /// Seconds a point of order may take, in every segment.
    pub order_limit: u32,
    pub replies: Replies,
    pub segments: Vec<SegmentDef>,
    pub roster: Vec<Participant>,
    pub seating: Seating,
    /// Scheduled breaks (lunch), times of day in `tz`, in order and apart:
    /// the projected end steps over those still ahead.
    pub breaks: Vec<(Time, Time)>,
}

impl Meeting {
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.roster.iter().find(|p| p.id.as_str() == id)
    }

    /// The summary's name: the meeting file's, or the chairs': co-chairs'
    /// when a segment has two or more, the chair's when every segment has
    /// the same one, else a plain summary.
    pub fn summary_title(&self) -> String {
        if let Some(title) = &self.summary_title {
            return title.to_string();
        }
        let chairs: std::collections::BTreeSet<&str> = self
            .segments
            .iter()
            .flat_map(|s| s.chairs.iter().map(Clean::as_str))
            .collect();
        if self.segments.iter().any(|s| s.chairs.len() > 1) {
            "co-chairs' summary".into()
        } else if chairs.len() == 1 {
            "chair's summary".into()
        } else {
            "summary".into()
        }
    }

    pub fn segment_index(&self, id: &str) -> Option<usize> {
        self.segments.iter().position(|s| s.id.as_str() == id)
    }
}

impl SeatId {
    /// Rows are lettered A–Z, so a seat map has at most 26 rows.
    pub const MAX_ROWS: u16 = 26;

    /// Parses `B7` (row B, seat 7), case-insensitively.
    pub fn parse(text: &str) -> Option<SeatId> {
        let text = text.trim();
        let mut chars = text.chars();
        let letter = chars.next()?.to_ascii_uppercase();
        if !letter.is_ascii_uppercase() {
            return None;
        }
        let digits = chars.as_str();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u16 = digits.parse().ok()?;
        if number == 0 {
            return None;
        }
        Some(SeatId {
            row: letter as u16 - 'A' as u16,
            seat: number - 1,
        })
    }
}

impl std::fmt::Display for SeatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let letter = char::from(b'A' + (self.row.min(25) as u8));
        write!(f, "{}{}", letter, u32::from(self.seat) + 1)
    }
}

//! The screen's controller: a key becomes a change of focus, cursor or input
//! line, or a command for the journal; the journal's answers are folded into
//! the screen's copy of the state. No I/O here: the loop does that.

use std::collections::VecDeque;

use jiff::Timestamp;
use unicode_normalization::char::is_combining_mark;

use crate::domain::event::Delegate;
use crate::domain::{
    Command, Place, SeatId, SeatOrDelegation, SegmentTarget, SpeechKind, State, apply,
};
use crate::text::Clean;

use super::keys::{self, Action, Key};
use super::search::search;
use super::theme::Theme;
use super::ui::{Health, Input, InputKind, Intent, Message, Pane, Purpose, Tone, Ui};
use super::worker::Update;

/// What the loop must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Execute(Command),
    /// Ask the journal's thread for the summary as it stands.
    Preview,
    Quit,
}

/// Where a command sent to the journal came from. The journal answers in the
/// order commands were sent, so the answer to each is known.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Origin {
    /// A pane's key or a confirmed question: nothing to give back.
    Key,
    /// The input line, still open and waiting for the answer.
    Line,
    /// The input line's command, its line closed with Esc before the answer
    /// came: a refusal is said in the status line, naming it.
    Closed(String),
}

/// What was typed while the input line waited for the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Held {
    Key(Key),
    Paste(String),
}

/// Keys held while the input line waits, at most: a bound on memory, far
/// beyond what an officer types while the disk answers.
const HELD_AT_MOST: usize = 10_000;

pub struct App {
    pub state: State,
    pub ui: Ui,
    pub theme: Theme,
    /// Commands sent and not yet answered, oldest first.
    sent: VecDeque<Origin>,
    /// Keys typed while the input line waits for its answer, in order. They are
    /// taken once it comes: after a refusal they go to the line given back,
    /// never to a pane the officer did not mean.
    held: VecDeque<Held>,
    /// The speech the bell rang for, so it rings once.
    rung_for: Option<u32>,
}

impl App {
    pub fn new(state: State, ui: Ui, theme: Theme) -> App {
        App {
            state,
            ui,
            theme,
            sent: VecDeque::new(),
            held: VecDeque::new(),
            rung_for: None,
        }
    }

    pub fn key(&mut self, key: Key) -> Vec<Effect> {
        if key == Key::Ctrl('c') {
            return vec![Effect::Quit];
        }
        if self.ui.help {
            self.ui.help = false;
            return Vec::new();
        }
        if let Some((_, scroll)) = self.ui.summary.as_mut() {
            match key {
                Key::Up | Key::Char('k') => *scroll = scroll.saturating_sub(1),
                Key::Down | Key::Char('j') => *scroll = scroll.saturating_add(1),
                Key::PageUp => *scroll = scroll.saturating_sub(10),
                Key::PageDown | Key::Char(' ') => *scroll = scroll.saturating_add(10),
                Key::Home => *scroll = 0,
                _ => self.ui.summary = None,
            }
            return Vec::new();
        }
        if self.ui.input.is_some() {
            return self.edit(key);
        }
        self.ui.message = None;
        match keys::action(self.ui.focus, key) {
            Some(action) => self.act(action),
            None => Vec::new(),
        }
    }

    /// Pasted text goes into the open input line, cleaned to one line; with
    /// no input line open it is not taken as keys.
    pub fn paste(&mut self, text: &str) {
        if self.waiting() {
            self.hold(Held::Paste(text.to_string()));
            return;
        }
        let Some(input) = self
            .ui
            .input
            .as_mut()
            .filter(|i| !matches!(i.kind, InputKind::Confirm { .. }))
        else {
            self.say(Tone::Info, "paste into the : prompt or a note");
            return;
        };
        for c in crate::text::sanitise(text).chars() {
            edit_text(input, Key::Char(c));
        }
        input.error = None;
        if let InputKind::Search(_) = input.kind {
            let text = input.text.clone();
            let choices = self.found(&text);
            if let Some(input) = self.ui.input.as_mut() {
                input.choices = choices;
                input.chosen = 0;
            }
        }
    }

    /// Folds the journal's answer in. An answer to the input line releases
    /// the keys held meanwhile, and what they do is returned.
    pub fn update(&mut self, update: Update) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(update, Update::Waiting { .. }) {
            self.ui.lock_wait = None;
        }
        match update {
            Update::Others(seen) => {
                // Another officer's action is the latest news: it replaces our own
                // "done", so the status line says who did what last.
                if !seen.is_empty()
                    && self
                        .ui
                        .message
                        .as_ref()
                        .is_some_and(|m| matches!(m.tone, Tone::Done | Tone::Info))
                {
                    self.ui.message = None;
                }
                self.fold(seen)
            }
            Update::Done(ours) => {
                let origin = self.answered(true);
                let line = ours.last().map(|d| d.line.clone());
                self.fold(ours);
                if let Some(line) = line {
                    self.say(Tone::Done, line);
                }
                if origin == Origin::Line {
                    self.ui.input = None;
                    effects = self.take_held();
                }
            }
            Update::Refused(why) => {
                let origin = self.answered(false);
                effects = self.not_done(origin, Tone::Refused, why);
            }
            Update::Failed(why) => {
                let origin = self.answered(false);
                self.ui.health = Health::Failed(why.clone());
                effects = self.not_done(origin, Tone::Error, why);
            }
            Update::Warning(why) => self.say(Tone::Error, why),
            Update::Preview(text) => self.ui.summary = Some((text, 0)),
            Update::FollowFailed(why) => {
                self.say(Tone::Error, format!("cannot follow the journal: {why}"))
            }
            Update::Waiting { secs, holder } => {
                // Keys typed ahead of a save that waits on another process
                // would land long after, on a meeting that has moved on.
                self.held.clear();
                self.ui.lock_wait = Some(secs);
                if let Some(holder) = holder {
                    self.say(
                        Tone::Error,
                        format!("the journal's lock is held by {holder}"),
                    );
                }
            }
            Update::Reopened(state) => {
                self.state = *state;
                if self
                    .ui
                    .message
                    .as_ref()
                    .is_some_and(|m| m.tone == Tone::Error)
                {
                    self.ui.message = None;
                }
            }
        }
        self.clamp_cursors();
        effects
    }

    /// A command refused, or not written: the input line it came from, if
    /// still open, is given back with its text and the reason, and the keys
    /// held meanwhile go to it.
    fn not_done(&mut self, origin: Origin, tone: Tone, why: String) -> Vec<Effect> {
        match origin {
            Origin::Line => {
                if let Some(input) = self.ui.input.as_mut() {
                    input.sending = false;
                    input.error = Some(why.clone());
                }
                self.say(tone, why);
                self.take_held()
            }
            Origin::Closed(line) => {
                self.say(tone, format!("{line} — {why}"));
                Vec::new()
            }
            Origin::Key => {
                self.say(tone, why);
                Vec::new()
            }
        }
    }

    /// Whether the input line is waiting for the journal's answer.
    fn waiting(&self) -> bool {
        self.ui.input.as_ref().is_some_and(|i| i.sending)
    }

    fn hold(&mut self, held: Held) {
        if self.ui.lock_wait.is_none() && self.held.len() < HELD_AT_MOST {
            self.held.push_back(held);
        }
    }

    /// The keys held while the line waited, taken in order now that it has
    /// its answer. One that sends the line again holds the rest anew.
    fn take_held(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        for held in std::mem::take(&mut self.held) {
            match held {
                Held::Key(key) => effects.extend(self.key(key)),
                Held::Paste(text) => self.paste(&text),
            }
        }
        effects
    }

    /// Once a second: whether the bell should ring now.
    pub fn bell_due(&mut self, now: Timestamp) -> bool {
        if !self.state.meeting.bell {
            return false;
        }
        let Some(floor) = self.state.floor() else {
            return false;
        };
        if floor.remaining(now) >= 0 || self.rung_for == Some(floor.speech.id) {
            return false;
        }
        self.rung_for = Some(floor.speech.id);
        true
    }

    fn fold(&mut self, entries: Vec<crate::domain::Described>) {
        for crate::domain::Described { entry, line } in entries {
            if entry.seq <= self.state.seq {
                continue;
            }
            if let Err(e) = apply(&mut self.state, &entry) {
                self.say(Tone::Error, format!("{e}; restart gavel"));
                return;
            }
            self.ui.last_line = Some(line);
        }
    }

    /// One answer from the journal, and where its command came from. `saved`
    /// when it was a success: a save that works again clears an earlier NOT SAVED.
    fn answered(&mut self, saved: bool) -> Origin {
        let origin = self.sent.pop_front().unwrap_or(Origin::Key);
        let failed = matches!(self.ui.health, Health::Failed(_));
        if saved || !failed {
            self.ui.health = match self.sent.len() {
                0 => Health::Saved,
                n => Health::Saving(n),
            };
        }
        origin
    }

    fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.ui.message = Some(Message {
            tone,
            text: text.into(),
        });
    }

    fn run(&mut self, command: Command) -> Vec<Effect> {
        self.send(command, Origin::Key)
    }

    fn send(&mut self, command: Command, origin: Origin) -> Vec<Effect> {
        if self.ui.read_only {
            self.say(Tone::Refused, "read-only: this screen never writes");
            return Vec::new();
        }
        self.sent.push_back(origin);
        if !matches!(self.ui.health, Health::Failed(_)) {
            self.ui.health = Health::Saving(self.sent.len());
        }
        vec![Effect::Execute(command)]
    }

    fn ask(&mut self, question: impl Into<String>, intent: Intent) -> Vec<Effect> {
        self.ui.input = Some(Input::new(
            InputKind::Confirm {
                question: question.into(),
                intent,
            },
            "",
        ));
        Vec::new()
    }

    fn open_input(&mut self, kind: InputKind, text: &str) -> Vec<Effect> {
        let mut input = Input::new(kind, text);
        if let InputKind::Search(_) = input.kind {
            input.choices = self.found(text);
        }
        self.ui.input = Some(input);
        Vec::new()
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::FocusNext => self.focus(self.ui.focus.next()),
            Action::FocusPrevious => self.focus(self.ui.focus.previous()),
            Action::Focus(pane) => self.focus(pane),
            Action::Prompt => self.open_input(InputKind::Command, ""),
            Action::Help => {
                self.ui.help = true;
                Vec::new()
            }
            Action::QuitNow => vec![Effect::Quit],
            Action::Summary => vec![Effect::Preview],
            Action::Quit => self.ask(
                "Quit gavel? The meeting goes on in the journal",
                Intent::Quit,
            ),
            Action::Undo => self.undo(),
            Action::Open => self.ask(
                "Open the meeting now?",
                Intent::Run(Command::Open { at: None }),
            ),
            Action::Adjourn => {
                let question = match self.state.floor() {
                    Some(f) => format!(
                        "{} still has the floor: end the speech and adjourn the meeting?",
                        f.speech.delegate.delegation
                    ),
                    None => "Adjourn the meeting?".to_string(),
                };
                self.ask(question, Intent::Run(Command::Adjourn { at: None }))
            }
            Action::SegmentNext => self.segment_next(),
            Action::Next => self.run(Command::Next { at: None }),
            Action::Add => {
                self.open_input(InputKind::Search(Purpose::Add(SpeechKind::Statement)), "")
            }
            Action::Reply => {
                self.open_input(InputKind::Search(Purpose::Add(SpeechKind::Reply)), "")
            }
            Action::Order => {
                self.open_input(InputKind::Search(Purpose::Add(SpeechKind::Order)), "")
            }
            Action::PauseResume => match self.state.floor() {
                Some(f) if f.paused_since.is_some() => self.run(Command::Resume { at: None }),
                _ => self.run(Command::Pause { at: None }),
            },
            Action::End => self.run(Command::End { at: None }),
            Action::Extend => self.open_input(InputKind::Extend, "30s"),
            Action::Up | Action::Down | Action::Left | Action::Right => {
                self.cursor(action);
                Vec::new()
            }
            Action::FloorSelected
            | Action::MoveUp
            | Action::MoveDown
            | Action::MoveTop
            | Action::Remove
            | Action::Pass => self.on_selected_speaker(action),
            Action::ToggleList => self.toggle_list(),
            Action::SeatHere => self.seat_here(),
            Action::Release => self.release(),
            Action::Wait => self.open_input(InputKind::Search(Purpose::Wait), ""),
            Action::Unwait => self.open_input(InputKind::Search(Purpose::Unwait), ""),
            Action::Block => self.block(),
            Action::NewNote => self.open_input(InputKind::Note, ""),
            Action::Amend => match self.selected_note() {
                Some((id, text)) => self.open_input(InputKind::Amend(id), &text),
                None => self.nothing("no note to amend"),
            },
            Action::Retract => match self.selected_note() {
                Some((id, _)) => self.ask(
                    format!("Retract note {id}?"),
                    Intent::Run(Command::Retract { note: id }),
                ),
                None => self.nothing("no note to retract"),
            },
        }
    }

    fn nothing(&mut self, why: &str) -> Vec<Effect> {
        self.say(Tone::Info, why);
        Vec::new()
    }

    fn focus(&mut self, pane: Pane) -> Vec<Effect> {
        self.ui.focus = pane;
        Vec::new()
    }

    fn undo(&mut self) -> Vec<Effect> {
        match self.state.undoable(self.ui.operator.as_str()) {
            Some((seq, verb)) => self.ask(
                format!("Undo your #{seq:04} ({verb})?"),
                Intent::Run(Command::Undo),
            ),
            None => self.nothing("nothing of yours to undo"),
        }
    }

    fn segment_next(&mut self) -> Vec<Effect> {
        match self.state.meeting.segments.get(self.state.current + 1) {
            Some(next) => {
                let question = format!("Move on to {}?", next.title);
                self.ask(question, Intent::Run(Command::Segment(SegmentTarget::Next)))
            }
            None => self.nothing("this is the last segment"),
        }
    }

    fn toggle_list(&mut self) -> Vec<Effect> {
        if self.state.segment().closed {
            self.ask(
                "Reopen the list of speakers?",
                Intent::Run(Command::ReopenList),
            )
        } else {
            self.ask(
                "Close the list of speakers?",
                Intent::Run(Command::CloseList),
            )
        }
    }

    fn selected_speaker(&self) -> Option<&Delegate> {
        self.state
            .segment()
            .queue
            .get(self.ui.queue_cursor)
            .map(|l| &l.speech.delegate)
    }

    fn on_selected_speaker(&mut self, action: Action) -> Vec<Effect> {
        let Some(delegate) = self.selected_speaker() else {
            return self.nothing("nobody is listed");
        };
        let who = name_of(delegate);
        let name = delegate.delegation.to_string();
        let last = self.state.segment().queue.len().saturating_sub(1);
        let cursor = &mut self.ui.queue_cursor;
        match action {
            Action::FloorSelected => self.run(Command::Floor { who, at: None }),
            Action::MoveUp => {
                *cursor = cursor.saturating_sub(1);
                self.run(Command::Move { who, to: Place::Up })
            }
            Action::MoveDown => {
                *cursor = (*cursor + 1).min(last);
                self.run(Command::Move {
                    who,
                    to: Place::Down,
                })
            }
            Action::MoveTop => {
                *cursor = 0;
                self.run(Command::Move {
                    who,
                    to: Place::Top,
                })
            }
            Action::Pass => self.run(Command::Pass { who }),
            _ => self.ask(
                format!("Remove {name} from the list?"),
                Intent::Run(Command::Remove { who }),
            ),
        }
    }

    /// A free seat offered to a waiting delegation starts the search with that
    /// delegation, so Enter seats the one the seat is held for.
    fn seat_here(&mut self) -> Vec<Effect> {
        let seat = self.ui.seat_cursor;
        let here = !self.state.seats.occupied.contains_key(&seat)
            && !self.state.seats.blocked.contains(&seat);
        let offered = self
            .state
            .offers()
            .into_iter()
            .find(|(s, _)| *s == seat)
            .map(|(_, d)| d.to_string());
        self.open_input(
            InputKind::Search(Purpose::Seat(here.then_some(seat))),
            offered.as_deref().unwrap_or(""),
        )
    }

    fn release(&mut self) -> Vec<Effect> {
        let seat = self.ui.seat_cursor;
        match self.state.seats.occupied.get(&seat) {
            Some(by) => {
                let question = format!("Release {seat} ({by})?");
                self.ask(
                    question,
                    Intent::Run(Command::Release(SeatOrDelegation::Seat(seat))),
                )
            }
            None => self.nothing(&format!("{seat} is not taken")),
        }
    }

    fn block(&mut self) -> Vec<Effect> {
        let seat = self.ui.seat_cursor;
        if self.state.seats.blocked.contains(&seat) {
            self.ask(
                format!("Unblock {seat}?"),
                Intent::Run(Command::Unblock(seat)),
            )
        } else {
            self.ask(format!("Block {seat}?"), Intent::Run(Command::Block(seat)))
        }
    }

    fn selected_note(&self) -> Option<(u32, String)> {
        let live = |n: &&crate::domain::state::Note| n.retracted.is_none();
        let note = match self.ui.note_cursor {
            Some(id) => self.state.notes.get(&id).filter(live),
            None => self.state.notes.values().rev().find(live),
        }?;
        Some((note.id, note.current().text.to_string()))
    }

    fn cursor(&mut self, action: Action) {
        match self.ui.focus {
            Pane::Speakers => {
                let last = self.state.segment().queue.len().saturating_sub(1);
                let c = &mut self.ui.queue_cursor;
                *c = match action {
                    Action::Up => c.saturating_sub(1),
                    Action::Down => (*c + 1).min(last),
                    _ => *c,
                };
            }
            Pane::Seats => self.move_seat(action),
            Pane::Notes => self.move_note(action),
            Pane::Clock => {}
        }
    }

    fn move_seat(&mut self, action: Action) {
        let map = &self.state.meeting.seating;
        let SeatId { row, seat } = self.ui.seat_cursor;
        self.ui.seat_cursor = match action {
            Action::Up => SeatId {
                row: row.saturating_sub(1),
                seat,
            },
            Action::Down => SeatId {
                row: (row + 1).min(map.rows.saturating_sub(1)),
                seat,
            },
            Action::Left => SeatId {
                row,
                seat: seat.saturating_sub(1),
            },
            Action::Right => SeatId {
                row,
                seat: (seat + 1).min(map.seats_per_row.saturating_sub(1)),
            },
            _ => self.ui.seat_cursor,
        };
    }

    fn move_note(&mut self, action: Action) {
        let ids: Vec<u32> = self.state.notes.keys().copied().collect();
        let Some(&newest) = ids.last() else { return };
        let at = self
            .ui
            .note_cursor
            .and_then(|id| ids.iter().position(|n| *n == id))
            .unwrap_or(ids.len() - 1);
        let at = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => (at + 1).min(ids.len() - 1),
            _ => at,
        };
        // Back on the newest, the cursor follows new notes again.
        self.ui.note_cursor = (ids[at] != newest).then_some(ids[at]);
    }

    fn clamp_cursors(&mut self) {
        let last = self.state.segment().queue.len().saturating_sub(1);
        self.ui.queue_cursor = self.ui.queue_cursor.min(last);
        if self
            .ui
            .note_cursor
            .is_some_and(|id| !self.state.notes.contains_key(&id))
        {
            self.ui.note_cursor = None;
        }
    }

    fn found(&self, text: &str) -> Vec<String> {
        search(&self.state.meeting, text)
            .into_iter()
            .map(|f| f.shown)
            .collect()
    }

    /// Keys while the input line is open.
    fn edit(&mut self, key: Key) -> Vec<Effect> {
        let input = self.ui.input.as_mut().expect("checked by the caller");
        if input.sending {
            return self.while_waiting(key);
        }
        if let InputKind::Confirm { intent, .. } = &input.kind {
            let intent = intent.clone();
            self.ui.input = None;
            return match (key, intent) {
                (Key::Char('y' | 'Y'), Intent::Quit) => vec![Effect::Quit],
                (Key::Char('y' | 'Y'), Intent::Run(command)) => self.run(command),
                _ => self.nothing("cancelled"),
            };
        }
        match key {
            Key::Esc => {
                self.ui.input = None;
                Vec::new()
            }
            Key::Enter => self.submit(),
            Key::Tab => {
                self.complete();
                Vec::new()
            }
            Key::Up | Key::Down => {
                let n = input.choices.len().max(1);
                input.chosen = if key == Key::Up {
                    (input.chosen + n - 1) % n
                } else {
                    (input.chosen + 1) % n
                };
                Vec::new()
            }
            _ => {
                edit_text(input, key);
                input.error = None;
                if let InputKind::Search(_) = input.kind {
                    let text = input.text.clone();
                    let choices = self.found(&text);
                    let input = self.ui.input.as_mut().expect("still open");
                    input.choices = choices;
                    input.chosen = 0;
                }
                Vec::new()
            }
        }
    }

    /// Keys while the line waits for the journal: Esc closes it (the command
    /// is sent all the same) and drops what was typed meanwhile; an Enter
    /// straight after the one that sent it is a second press, not a key for
    /// the panes; the rest wait for the answer.
    fn while_waiting(&mut self, key: Key) -> Vec<Effect> {
        match key {
            Key::Esc => {
                if let Some(input) = self.ui.input.take() {
                    let line = format!("{}{}", input.label(), input.text.trim());
                    if let Some(origin) = self.sent.iter_mut().find(|o| **o == Origin::Line) {
                        *origin = Origin::Closed(line);
                    }
                }
                self.held.clear();
                self.say(
                    Tone::Info,
                    "line closed; its command was sent, and a refusal will show here",
                );
            }
            Key::Enter if self.held.is_empty() => {}
            key => self.hold(Held::Key(key)),
        }
        Vec::new()
    }

    fn submit(&mut self) -> Vec<Effect> {
        let input = self.ui.input.clone().expect("checked by the caller");
        let text = input.text.trim().to_string();
        let parsed = match &input.kind {
            InputKind::Command => crate::lang::parse(&text).map_err(|e| e.to_string()),
            InputKind::Extend => {
                crate::lang::parse(&format!("extend {text}")).map_err(|e| e.to_string())
            }
            InputKind::Note if text.is_empty() => Err("the note is empty: type it, or Esc".into()),
            InputKind::Note => Ok(Command::Note {
                text: Clean::new(&text),
            }),
            InputKind::Amend(note) => Ok(Command::Amend {
                note: *note,
                text: Clean::new(&text),
            }),
            InputKind::Search(purpose) => self.searched(*purpose, &input),
            InputKind::Confirm { .. } => unreachable!("handled in edit"),
        };
        match parsed {
            Ok(_) if self.ui.read_only => {
                self.ui.input = None;
                self.say(Tone::Refused, "read-only: this screen never writes");
                Vec::new()
            }
            // The line stays, waiting, until the journal answers: given back
            // on a refusal, closed once saved.
            Ok(command) => {
                if let Some(input) = self.ui.input.as_mut() {
                    input.sending = true;
                    input.error = None;
                }
                self.send(command, Origin::Line)
            }
            Err(why) => {
                if let Some(input) = self.ui.input.as_mut() {
                    input.error = Some(why);
                }
                Vec::new()
            }
        }
    }

    fn searched(&self, purpose: Purpose, input: &Input) -> Result<Command, String> {
        let found = search(&self.state.meeting, &input.text);
        let who = match found.get(input.chosen) {
            Some(f) => Clean::new(&f.name),
            None if input.text.trim().is_empty() => return Err("type a name to search".into()),
            None => return Err(format!("no one called \"{}\"", input.text.trim())),
        };
        Ok(match purpose {
            Purpose::Add(kind) => Command::Add {
                who,
                kind,
                limit: None,
            },
            Purpose::Floor => Command::Floor { who, at: None },
            Purpose::Seat(seat) => Command::Seat {
                delegation: who,
                seat,
            },
            Purpose::Wait => Command::Wait { delegation: who },
            Purpose::Unwait => Command::Unwait { delegation: who },
        })
    }

    /// Tab in the `:` prompt: the command word, then what that command takes
    /// (a name, a segment); Tab again goes on to the next candidate.
    fn complete(&mut self) {
        let meeting = self.state.meeting.clone();
        let input = self.ui.input.as_mut().expect("checked by the caller");
        if let InputKind::Search(_) = input.kind {
            let n = input.choices.len().max(1);
            input.chosen = (input.chosen + 1) % n;
            return;
        }
        if input.kind != InputKind::Command {
            return;
        }
        if let Some(at) = input.choices.iter().position(|c| *c == input.text) {
            let next = (at + 1) % input.choices.len();
            input.text = input.choices[next].clone();
            input.cursor = input.text.chars().count();
            input.chosen = next;
            return;
        }
        let options = completions(&meeting, &input.text);
        let Some(first) = options.first() else { return };
        input.text = first.clone();
        input.cursor = input.text.chars().count();
        input.choices = options;
        input.chosen = 0;
    }
}

/// What Tab offers for the text typed so far at the `:` prompt.
fn completions(meeting: &crate::domain::Meeting, text: &str) -> Vec<String> {
    let Some((word, rest)) = text.split_once(' ') else {
        let mut words: Vec<&str> = crate::lang::commands()
            .iter()
            .map(|c| c.word)
            .filter(|w| w.starts_with(text))
            .collect();
        words.sort_unstable();
        words.dedup();
        return words.into_iter().map(|w| format!("{w} ")).collect();
    };
    let word = word.to_lowercase();
    let fixed = |options: Vec<String>| -> Vec<String> {
        options
            .into_iter()
            .filter(|o| o.starts_with(rest))
            .map(|o| format!("{word} {o}"))
            .collect()
    };
    match word.as_str() {
        "add" | "floor" | "move" | "remove" | "pass" | "seat" | "release" | "wait" | "unwait" => {
            search(meeting, rest)
                .into_iter()
                .map(|f| format!("{word} {}", f.name))
                .collect()
        }
        "segment" => fixed(
            std::iter::once("next".to_string())
                .chain(meeting.segments.iter().map(|s| s.id.to_string()))
                .collect(),
        ),
        "close" | "reopen" => fixed(vec!["list".into()]),
        _ => Vec::new(),
    }
}

/// The name that resolves to exactly this speaker: the roster id, or the
/// Member State's name.
fn name_of(delegate: &Delegate) -> Clean {
    match delegate.key.as_str().strip_prefix("state:") {
        Some(state) => Clean::new(state),
        None => delegate.key.clone(),
    }
}

/// Edits in place, by byte offsets: a line grown by a long paste without
/// brackets costs the same for each key as a short one.
fn edit_text(input: &mut Input, key: Key) {
    let text = &mut input.text;
    let len = text.chars().count();
    let at = input.cursor.min(len);
    let byte = |text: &str, char_at: usize| {
        text.char_indices()
            .nth(char_at)
            .map_or(text.len(), |(b, _)| b)
    };
    match key {
        // No pile of combining marks on the screen; characters that cannot be
        // shown are kept for the command (it sanitises) but never drawn.
        Key::Char(c)
            if is_combining_mark(c)
                && text[..byte(text, at)]
                    .chars()
                    .rev()
                    .take_while(|c| is_combining_mark(*c))
                    .count()
                    >= 3 => {}
        Key::Char(c) => {
            let b = if at == len {
                text.len()
            } else {
                byte(text, at)
            };
            text.insert(b, c);
            input.cursor = at + 1;
        }
        Key::Backspace if at > 0 => {
            text.remove(byte(text, at - 1));
            input.cursor = at - 1;
        }
        Key::Delete if at < len => {
            text.remove(byte(text, at));
        }
        Key::Left => input.cursor = at.saturating_sub(1),
        Key::Right => input.cursor = (at + 1).min(len),
        Key::Home | Key::Ctrl('a') => input.cursor = 0,
        Key::End | Key::Ctrl('e') => input.cursor = len,
        Key::Ctrl('u') => {
            text.clear();
            input.cursor = 0;
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(keys: &[Key]) -> Input {
        let mut input = Input::new(InputKind::Command, "");
        for key in keys {
            edit_text(&mut input, *key);
        }
        input
    }

    fn chars(s: &str) -> Vec<Key> {
        s.chars().map(Key::Char).collect()
    }

    #[test]
    fn editing_moves_by_characters_not_bytes() {
        let mut keys = chars("Côte");
        keys.extend([Key::Left, Key::Left, Key::Backspace, Key::Char('o')]);
        keys.extend([
            Key::Home,
            Key::Delete,
            Key::Char('c'),
            Key::End,
            Key::Char('!'),
        ]);
        let input = typed(&keys);
        assert_eq!(input.text, "cote!");
        assert_eq!(input.cursor, 5);
    }

    #[test]
    fn at_most_three_combining_marks_are_kept_on_a_letter() {
        let mut keys = chars("z");
        keys.extend(std::iter::repeat_n(Key::Char('\u{301}'), 10));
        keys.push(Key::Char('a'));
        assert_eq!(typed(&keys).text, "z\u{301}\u{301}\u{301}a");
    }

    #[test]
    fn ctrl_u_clears_the_line() {
        let mut keys = chars("note hello");
        keys.push(Key::Ctrl('u'));
        let input = typed(&keys);
        assert_eq!((input.text.as_str(), input.cursor), ("", 0));
    }
}

//! The screen's controller: a key becomes a change of focus, cursor or input
//! line, or a command for the journal; the journal's answers are folded into
//! the screen's copy of the state. No I/O here: the loop does that.

use std::collections::VecDeque;

use jiff::Timestamp;

use crate::domain::event::Delegate;
use crate::domain::{
    Command, Place, SeatId, SeatOrDelegation, SegmentTarget, SpeechKind, State, apply,
};
use crate::text::Clean;

use super::complete;
use super::keys::{Action, Key, Scope};
use super::message::Update;
use super::prompt::{Edit, Prompt, PromptKind, Purpose};
use super::search::{search, search_for_seat};
use super::theme::Theme;
use super::view::{Confirm, Health, Intent, Notice, Overlay, Pane, Tone, Ui};

/// How a failure to follow the journal is said, so that it can be taken
/// back once following works again.
const FOLLOW_FAILED: &str = "cannot follow the journal: ";

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
    /// The keys in force: the shipped table with the officer's own.
    pub keys: std::sync::Arc<super::keymap::Keymap>,
    /// Commands sent and not yet answered, oldest first.
    sent: VecDeque<Origin>,
    /// Keys typed while the input line waits for its answer, in order. They are
    /// taken once it comes: after a refusal they go to the line given back,
    /// never to a pane the officer did not mean.
    held: VecDeque<Held>,
    /// The speech the bell rang for, so it rings once.
    rung_for: Option<u32>,
    /// The instant of the key being handled, given by the loop: a command is
    /// judged on the screen's state before the officer is asked about it.
    now: Option<Timestamp>,
}

impl App {
    pub fn new(state: State, ui: Ui, theme: Theme) -> App {
        App {
            state,
            ui,
            theme,
            keys: std::sync::Arc::default(),
            sent: VecDeque::new(),
            held: VecDeque::new(),
            rung_for: None,
            now: None,
        }
    }

    /// A key, through the key table, to whatever has it: the line waiting
    /// for the journal holds it, an overlay takes it, or the focused pane.
    pub fn key(&mut self, key: Key) -> Vec<Effect> {
        let action = self.keys.action(self.scope(), key);
        if action == Some(Action::QuitNow) {
            return vec![Effect::Quit];
        }
        if self.waiting() {
            return self.while_waiting(key, action);
        }
        match &mut self.ui.overlay {
            None => {
                self.ui.notice = None;
                action.map_or_else(Vec::new, |action| self.act(action))
            }
            Some(Overlay::Help { scroll } | Overlay::Summary { scroll, .. }) => {
                match action.and_then(|action| scrolled(*scroll, action)) {
                    Some(to) => *scroll = to,
                    None => self.ui.overlay = None,
                }
                Vec::new()
            }
            Some(Overlay::Confirm(_)) => self.answer(action),
            Some(Overlay::Prompt(_)) => action.map_or_else(Vec::new, |action| self.edit(action)),
        }
    }

    /// The instant keys are handled at from now on.
    pub fn at(&mut self, now: Timestamp) {
        self.now = Some(now);
    }

    /// Where keys go now, for the key table.
    fn scope(&self) -> Scope {
        match &self.ui.overlay {
            None => Scope::Pane(self.ui.focus),
            Some(Overlay::Help { .. }) => Scope::Help,
            Some(Overlay::Summary { .. }) => Scope::Summary,
            Some(Overlay::Prompt(_)) => Scope::Prompt,
            Some(Overlay::Confirm(_)) => Scope::Confirm,
        }
    }

    /// Pasted text goes into the open input line, cleaned to one line; with
    /// no input line open it is not taken as keys.
    pub fn paste(&mut self, text: &str) {
        if self.waiting() {
            self.hold(Held::Paste(text.to_string()));
            return;
        }
        let Some(prompt) = self.ui.prompt_mut() else {
            self.say(Tone::Info, "paste into the : prompt or a note");
            return;
        };
        for c in crate::text::sanitise(text).chars() {
            prompt.edit(Edit::Insert(c));
        }
        self.edited();
    }

    /// After the line's text changed: the reason for the last refusal no
    /// longer applies, and a search looks again.
    fn edited(&mut self) {
        let Some(prompt) = self.ui.prompt() else {
            return;
        };
        let found = match prompt.kind {
            PromptKind::Search(purpose) => Some(self.found(purpose, &prompt.text)),
            _ => None,
        };
        let prompt = self.ui.prompt_mut().expect("still open");
        prompt.error = None;
        if let Some(choices) = found {
            prompt.choices = choices;
            prompt.chosen = 0;
        }
    }

    /// Folds the journal's answer in. An answer to the input line releases
    /// the keys held meanwhile, and what they do is returned.
    pub fn update(&mut self, update: Update) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(update, Update::Waiting { .. }) {
            self.ui.lock_wait = None;
        }
        if !matches!(update, Update::Slow(_)) {
            self.ui.store_wait = None;
        }
        match update {
            Update::Others(seen) => {
                // Another officer's action is the latest news: it replaces our own
                // "done", so the status line says who did what last.
                if !seen.is_empty()
                    && self
                        .ui
                        .notice
                        .as_ref()
                        .is_some_and(|m| matches!(m.tone, Tone::Done | Tone::Info))
                {
                    self.ui.notice = None;
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
                    if self.ui.prompt().is_some() {
                        self.ui.overlay = None;
                    }
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
            Update::Unconfirmed(why) => {
                let origin = self.answered(false);
                self.ui.health = Health::Unconfirmed(why.clone());
                effects = self.not_done(origin, Tone::Error, why);
            }
            Update::Slow(slow) => self.ui.store_wait = Some(slow),
            Update::CannotWrite(why) => {
                self.ui.read_only = true;
                self.ui.health = Health::Failed(why.clone());
                self.say(Tone::Error, why);
            }
            Update::Warning(why) => self.say(Tone::Error, why),
            Update::Preview(text) => self.preview(text),
            Update::FollowFailed(why) => self.say(Tone::Error, format!("{FOLLOW_FAILED}{why}")),
            Update::FollowResumed => {
                let following =
                    |m: &Notice| m.tone == Tone::Error && m.text.starts_with(FOLLOW_FAILED);
                if self.ui.notice.as_ref().is_some_and(following) {
                    self.ui.notice = None;
                }
            }
            Update::Waiting { secs, holder } => {
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
                    .notice
                    .as_ref()
                    .is_some_and(|m| m.tone == Tone::Error)
                {
                    self.ui.notice = None;
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
                if let Some(prompt) = self.ui.prompt_mut() {
                    prompt.sending = false;
                    prompt.error = Some(why.clone());
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

    /// The summary asked for with `P`, when it comes. It never covers what
    /// was opened meanwhile (a line being typed, a question, the help): the
    /// officer is told it is ready, and `P` shows it then. A summary already
    /// open shows the newer draft.
    fn preview(&mut self, text: String) {
        match self.ui.overlay {
            None | Some(Overlay::Summary { .. }) => {
                self.ui.overlay = Some(Overlay::Summary { text, scroll: 0 })
            }
            Some(_) => self.say(Tone::Info, "summary ready: P shows it"),
        }
    }

    /// Commands still waiting for the journal are named in the question: a
    /// quit lets an append under way finish, but gives up waiting for the
    /// lock, and those behind it are not saved.
    fn quit_question(&self) -> String {
        if let Some(slow) = self.ui.store_wait {
            let behind = match self.sent.len().saturating_sub(1) {
                0 => String::new(),
                1 => "; 1 command behind it would not be saved".into(),
                n => format!("; {n} commands behind it would not be saved"),
            };
            return format!(
                "Quit gavel? The store has not confirmed the command under way for {} s: it may \
                 yet be saved after gavel quits (`gavel state` tells){behind}",
                slow.waited.as_secs()
            );
        }
        match self.sent.len() {
            0 => "Quit gavel? The meeting goes on in the journal".into(),
            1 => "Quit gavel? 1 command still waits for the journal and may not be saved".into(),
            n => {
                format!("Quit gavel? {n} commands still wait for the journal and may not be saved")
            }
        }
    }

    /// Commands sent to the journal and not yet answered.
    pub fn unanswered(&self) -> usize {
        self.sent.len()
    }

    /// Whether the input line is waiting for the journal's answer.
    fn waiting(&self) -> bool {
        self.ui.prompt().is_some_and(|p| p.sending)
    }

    fn hold(&mut self, held: Held) {
        if self.held.len() < HELD_AT_MOST {
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
        let selected = self.selected_speech();
        for crate::domain::Described { entry, line } in entries {
            if entry.seq <= self.state.seq {
                continue;
            }
            if let Err(e) = apply(&mut self.state, &entry) {
                self.say(Tone::Error, format!("{e}; restart gavel"));
                break;
            }
            self.ui.last_line = Some(line);
        }
        self.keep_selection(selected);
    }

    /// The segment and the speech under the list's cursor.
    fn selected_speech(&self) -> (usize, Option<u32>) {
        let queue = &self.state.segment().queue;
        let speech = queue.get(self.ui.queue_cursor).map(|l| l.speech.id);
        (self.state.current, speech)
    }

    /// The cursor stays on the speaker it was on, wherever the list moved
    /// them, so Enter never gives the floor to whoever a change put on that
    /// row. Once they have left the list, or the segment changed, it goes
    /// back to the top.
    fn keep_selection(&mut self, (segment, speech): (usize, Option<u32>)) {
        let Some(speech) = speech else {
            return;
        };
        let still = (segment == self.state.current)
            .then(|| self.state.segment().position(speech))
            .flatten();
        self.ui.queue_cursor = still.unwrap_or(0);
    }

    /// One answer from the journal, and where its command came from. `saved`
    /// when it was a success: a save that works again clears an earlier NOT SAVED.
    fn answered(&mut self, saved: bool) -> Origin {
        let origin = self.sent.pop_front().unwrap_or(Origin::Key);
        let failed = matches!(self.ui.health, Health::Failed(_) | Health::Unconfirmed(_));
        if saved || !failed {
            self.ui.health = match self.sent.len() {
                0 => Health::Saved,
                n => Health::Saving(n),
            };
        }
        origin
    }

    fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.ui.notice = Some(Notice {
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
        if !matches!(self.ui.health, Health::Failed(_) | Health::Unconfirmed(_)) {
            self.ui.health = Health::Saving(self.sent.len());
        }
        vec![Effect::Execute(command)]
    }

    /// Asks before running `command`, unless it would be refused: then the
    /// refusal is said at once, and there is nothing to ask. The journal
    /// judges it again when it is sent, on whatever others did meanwhile.
    fn ask_to_run(&mut self, question: impl Into<String>, command: Command) -> Vec<Effect> {
        // Read-only, there is nothing to ask: the answer would be refused.
        if self.ui.read_only {
            return self.send(command, Origin::Key);
        }
        if let Some(now) = self.now {
            let by = self.ui.operator.as_str();
            if let Err(refusal) = crate::domain::decide(&self.state, command.clone(), now, by) {
                self.say(Tone::Refused, refusal.to_string());
                return Vec::new();
            }
        }
        self.ask(question, Intent::Run(command))
    }

    /// `B`: suspend the meeting, or reconvene it, asking first. A reason is
    /// given at the prompt: `:suspend consultations`.
    fn suspension(&mut self) -> Vec<Effect> {
        match self.state.suspended() {
            Some(s) => {
                let since = local_hh_mm(&self.state, s.from);
                self.ask_to_run(
                    format!("Reconvene the meeting, suspended since {since}?"),
                    Command::Reconvene { at: None },
                )
            }
            None => self.ask_to_run(
                "Suspend the meeting? (a reason: :suspend <reason>)",
                Command::Suspend {
                    reason: crate::text::Clean::default(),
                    at: None,
                },
            ),
        }
    }

    fn ask(&mut self, question: impl Into<String>, intent: Intent) -> Vec<Effect> {
        self.ui.overlay = Some(Overlay::Confirm(Confirm {
            question: question.into(),
            intent,
        }));
        Vec::new()
    }

    /// A question's answer: `y` does it, any other key cancels.
    fn answer(&mut self, action: Option<Action>) -> Vec<Effect> {
        let Some(Overlay::Confirm(confirm)) = self.ui.overlay.take() else {
            return Vec::new();
        };
        match (action, confirm.intent) {
            (Some(Action::Yes), Intent::Quit) => vec![Effect::Quit],
            (Some(Action::Yes), Intent::Run(command)) => self.run(command),
            _ => self.nothing("cancelled"),
        }
    }

    fn open_prompt(&mut self, kind: PromptKind, text: &str) -> Vec<Effect> {
        let mut prompt = Prompt::new(kind, text);
        if let PromptKind::Search(purpose) = prompt.kind {
            prompt.choices = self.found(purpose, text);
        }
        self.ui.overlay = Some(Overlay::Prompt(prompt));
        Vec::new()
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        if self.ui.attendance_view && self.ui.focus == Pane::Speakers && on_selection(action) {
            // The selection is on the list of speakers: it must be seen to be acted on.
            self.ui.attendance_view = false;
            return self.nothing("the list of speakers again: the selection acts on it");
        }
        match action {
            Action::FocusNext => self.focus(self.ui.focus.next()),
            Action::FocusPrevious => self.focus(self.ui.focus.previous()),
            Action::Focus(pane) => self.focus(pane),
            Action::Prompt => self.open_prompt(PromptKind::Command, ""),
            Action::Help => {
                self.ui.overlay = Some(Overlay::Help { scroll: 0 });
                Vec::new()
            }
            Action::QuitNow => vec![Effect::Quit],
            Action::Summary => vec![Effect::Preview],
            Action::Quit => self.ask(self.quit_question(), Intent::Quit),
            Action::Undo => self.undo(),
            Action::Open => self.ask_to_run("Open the meeting now?", Command::Open { at: None }),
            Action::Adjourn => {
                let mut question = match self.state.floor() {
                    Some(f) => format!(
                        "{} still has the floor: end the speech and adjourn the meeting?",
                        f.speech.delegate.delegation
                    ),
                    None => "Adjourn the meeting?".to_string(),
                };
                question.push_str(&self.not_to_be_heard());
                self.ask_to_run(question, Command::Adjourn { at: None })
            }
            Action::SegmentNext => self.segment_next(),
            Action::Suspension => self.suspension(),
            Action::Next => self.run(Command::Next { at: None }),
            Action::Add => {
                self.open_prompt(PromptKind::Search(Purpose::Add(SpeechKind::Statement)), "")
            }
            Action::Reply => {
                self.open_prompt(PromptKind::Search(Purpose::Add(SpeechKind::Reply)), "")
            }
            Action::Order => {
                self.open_prompt(PromptKind::Search(Purpose::Add(SpeechKind::Order)), "")
            }
            Action::PauseResume => match self.state.floor() {
                Some(f) if f.paused_since.is_some() => self.run(Command::Resume { at: None }),
                _ => self.run(Command::Pause { at: None }),
            },
            Action::End => self.run(Command::End { at: None }),
            Action::Extend => self.open_prompt(PromptKind::Extend, "30s"),
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
            Action::Present => self.open_prompt(PromptKind::Search(Purpose::Present), ""),
            Action::Absent => self.open_prompt(PromptKind::Search(Purpose::Absent), ""),
            Action::ShowAttendance => {
                self.ui.attendance_view = !self.ui.attendance_view;
                Vec::new()
            }
            Action::SeatHere => self.seat_here(),
            Action::Release => self.release(),
            Action::Wait => self.open_prompt(PromptKind::Search(Purpose::Wait), ""),
            Action::Unwait => self.open_prompt(PromptKind::Search(Purpose::Unwait), ""),
            Action::Block => self.block(),
            Action::NewNote => self.open_prompt(PromptKind::Note, ""),
            Action::Amend => match self.selected_note() {
                Some((id, text)) => self.open_prompt(PromptKind::Amend(id), &text),
                None => self.nothing("no note to amend"),
            },
            Action::Retract => match self.selected_note() {
                Some((id, _)) => {
                    self.ask_to_run(format!("Retract note {id}?"), Command::Retract { note: id })
                }
                None => self.nothing("no note to retract"),
            },
            // The keys of what is open over the panes, taken there.
            Action::Close
            | Action::Submit
            | Action::Complete
            | Action::Edit(_)
            | Action::Yes
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::View => Vec::new(),
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
            Some((seq, verb)) => {
                self.ask_to_run(format!("Undo your #{seq:04} ({verb})?"), Command::Undo)
            }
            None => self.nothing("nothing of yours to undo"),
        }
    }

    fn segment_next(&mut self) -> Vec<Effect> {
        match self.state.meeting.segments.get(self.state.current + 1) {
            Some(next) => {
                let question = format!("Move on to {}?{}", next.title, self.not_to_be_heard());
                self.ask_to_run(question, Command::Segment(SegmentTarget::Next))
            }
            None => self.nothing("this is the last segment"),
        }
    }

    /// What leaving the segment costs, for the question that asks: those
    /// still listed are recorded as not heard.
    fn not_to_be_heard(&self) -> String {
        match self.state.segment().queue.len() {
            0 => String::new(),
            1 => " 1 still listed will not be heard".into(),
            n => format!(" {n} still listed will not be heard"),
        }
    }

    fn toggle_list(&mut self) -> Vec<Effect> {
        if self.state.segment().closed {
            self.ask_to_run("Reopen the list of speakers?", Command::ReopenList)
        } else {
            self.ask_to_run("Close the list of speakers?", Command::CloseList)
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
            _ => self.ask_to_run(
                format!("Remove {name} from the list?"),
                Command::Remove { who },
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
        self.open_prompt(
            PromptKind::Search(Purpose::Seat(here.then_some(seat))),
            offered.as_deref().unwrap_or(""),
        )
    }

    fn release(&mut self) -> Vec<Effect> {
        let seat = self.ui.seat_cursor;
        match self.state.seats.occupied.get(&seat) {
            Some(by) => {
                let question = format!("Release {seat} ({by})?");
                self.ask_to_run(question, Command::Release(SeatOrDelegation::Seat(seat)))
            }
            None => self.nothing(&format!("{seat} is not taken")),
        }
    }

    fn block(&mut self) -> Vec<Effect> {
        let seat = self.ui.seat_cursor;
        if self.state.seats.blocked.contains(&seat) {
            self.ask_to_run(format!("Unblock {seat}?"), Command::Unblock(seat))
        } else {
            self.ask_to_run(format!("Block {seat}?"), Command::Block(seat))
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

    fn found(&self, purpose: Purpose, text: &str) -> Vec<String> {
        self.search(purpose, text)
            .into_iter()
            .map(|f| f.shown)
            .collect()
    }

    /// A search for a seat offers first those who may have one.
    fn search(&self, purpose: Purpose, text: &str) -> Vec<super::search::Found> {
        match purpose {
            Purpose::Seat(_) | Purpose::Wait => search_for_seat(&self.state.meeting, text),
            _ => search(&self.state.meeting, text),
        }
    }

    /// Keys while the input line is open.
    fn edit(&mut self, action: Action) -> Vec<Effect> {
        let prompt = self.ui.prompt_mut().expect("checked by the caller");
        match action {
            Action::Close => self.ui.overlay = None,
            Action::Submit => return self.submit(),
            Action::Complete => self.complete(),
            Action::Up => prompt.choose(false),
            Action::Down => prompt.choose(true),
            Action::Edit(edit) => {
                prompt.edit(edit);
                self.edited();
            }
            _ => {}
        }
        Vec::new()
    }

    /// Keys while the line waits for the journal: Esc closes it (the command
    /// is sent all the same) and drops what was typed meanwhile; an Enter
    /// straight after the one that sent it is a second press, not a key for
    /// the panes; the rest wait for the answer.
    fn while_waiting(&mut self, key: Key, action: Option<Action>) -> Vec<Effect> {
        match action {
            Some(Action::Close) => {
                if let Some(Overlay::Prompt(prompt)) = self.ui.overlay.take() {
                    let line = format!("{}{}", prompt.label(), prompt.text.trim());
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
            Some(Action::Submit) if self.held.is_empty() => {}
            _ => self.hold(Held::Key(key)),
        }
        Vec::new()
    }

    fn submit(&mut self) -> Vec<Effect> {
        let prompt = self.ui.prompt().expect("checked by the caller");
        let text = prompt.text.trim().to_string();
        let parsed = match &prompt.kind {
            PromptKind::Command => crate::lang::parse(&text).map_err(|e| e.to_string()),
            PromptKind::Extend => {
                crate::lang::parse(&format!("extend {text}")).map_err(|e| e.to_string())
            }
            PromptKind::Note if text.is_empty() => Err("the note is empty: type it, or Esc".into()),
            PromptKind::Note => Ok(Command::Note {
                text: Clean::new(&text),
            }),
            PromptKind::Amend(note) => Ok(Command::Amend {
                note: *note,
                text: Clean::new(&text),
            }),
            PromptKind::Search(purpose) => self.searched(*purpose, prompt),
        };
        match parsed {
            Ok(_) if self.ui.read_only => {
                self.ui.overlay = None;
                self.say(Tone::Refused, "read-only: this screen never writes");
                Vec::new()
            }
            // The line stays, waiting, until the journal answers: given back
            // on a refusal, closed once saved.
            Ok(command) => {
                if let Some(prompt) = self.ui.prompt_mut() {
                    prompt.sending = true;
                    prompt.error = None;
                }
                self.send(command, Origin::Line)
            }
            Err(why) => {
                if let Some(prompt) = self.ui.prompt_mut() {
                    prompt.error = Some(why);
                }
                Vec::new()
            }
        }
    }

    fn searched(&self, purpose: Purpose, prompt: &Prompt) -> Result<Command, String> {
        let found = self.search(purpose, &prompt.text);
        let who = match found.get(prompt.chosen) {
            Some(f) => Clean::new(&f.name),
            None if prompt.text.trim().is_empty() => return Err("type a name to search".into()),
            None => return Err(format!("no one called \"{}\"", prompt.text.trim())),
        };
        Ok(match purpose {
            Purpose::Add(kind) => Command::add(who, kind, None),
            Purpose::Floor => Command::Floor { who, at: None },
            Purpose::Seat(seat) => Command::Seat {
                delegation: who,
                seat,
            },
            Purpose::Wait => Command::Wait { delegation: who },
            Purpose::Unwait => Command::Unwait { delegation: who },
            Purpose::Present => Command::Present {
                who,
                by: None,
                at: None,
            },
            Purpose::Absent => Command::Absent { who, at: None },
        })
    }

    /// Tab in the `:` prompt: the command word, then what that command takes
    /// (a name, a segment); Tab again goes on to the next candidate.
    fn complete(&mut self) {
        let meeting = self.state.meeting.clone();
        let prompt = self.ui.prompt_mut().expect("checked by the caller");
        if let PromptKind::Search(_) = prompt.kind {
            prompt.choose(true);
            return;
        }
        if prompt.kind != PromptKind::Command {
            return;
        }
        if let Some(at) = prompt.choices.iter().position(|c| *c == prompt.text) {
            let next = (at + 1) % prompt.choices.len();
            prompt.set_text(prompt.choices[next].clone());
            prompt.chosen = next;
            return;
        }
        let options = complete::offers(&meeting, &prompt.text);
        let Some(first) = options.first() else { return };
        prompt.set_text(first.clone());
        prompt.choices = options;
        prompt.chosen = 0;
    }
}

/// How far the summary is scrolled after `action`; `None`: it closes.
fn scrolled(scroll: u16, action: Action) -> Option<u16> {
    /// Lines a page key moves.
    const PAGE: u16 = 10;
    match action {
        Action::Up => Some(scroll.saturating_sub(1)),
        Action::Down => Some(scroll.saturating_add(1)),
        Action::PageUp => Some(scroll.saturating_sub(PAGE)),
        Action::PageDown => Some(scroll.saturating_add(PAGE)),
        Action::Top => Some(0),
        _ => None,
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

/// The speakers pane's keys that act on the selected speaker, or move the selection.
fn on_selection(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::FloorSelected
            | Action::MoveUp
            | Action::MoveDown
            | Action::MoveTop
            | Action::Remove
            | Action::Pass
    )
}

/// `16:05` in the meeting's zone.
fn local_hh_mm(state: &State, at: jiff::Timestamp) -> String {
    at.to_zoned_datetime(state.meeting.tz.clone())
        .strftime("%H:%M")
        .to_string()
}

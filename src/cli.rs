//! The command line: `gavel check | init | do | state | tail | verify`.
//! Exit codes: 0 done · 1 runtime failure · 2 bad usage or bad meeting file ·
//! 3 command refused.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::config::{self, Loaded};
use crate::domain::Entry;
use crate::domain::times::{Suspicious, TimeCheck};
use crate::journal::{self, Mode};
use crate::live::{Live, LiveError};
use crate::now::WallClock;
use crate::text::Clean;
use crate::tui::run::{Exit, Kind};

#[derive(Parser)]
#[command(
    name = "gavel",
    version,
    about = "Live meeting operations in the terminal: speakers, observer seats, clock and notes."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Subcommand)]
enum Sub {
    /// The full-screen TUI.
    Run {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
        /// Who is doing it (default: $USER).
        #[arg(long)]
        operator: Option<String>,
        /// Watch only: never write.
        #[arg(long)]
        read_only: bool,
    },
    /// The chair's read-only screen: a big clock, the floor with a big countdown, the next speakers.
    Board {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
    },
    /// Validate a meeting file; every error as file:line:col: message (exit 2).
    Check { meeting: PathBuf },
    /// Write a commented template meeting file.
    Init {
        #[arg(default_value = "meeting.toml")]
        path: PathBuf,
    },
    /// Apply one command headlessly, e.g. `gavel do m.toml add France`.
    Do {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
        /// Who is doing it (default: $USER).
        #[arg(long)]
        operator: Option<String>,
        /// How long to wait for another officer's gavel to let go of the journal
        /// (e.g. `5s`, `1m`); then it gives up, saying who holds it.
        #[arg(long, default_value = "5s", value_parser = wait_duration)]
        wait: std::time::Duration,
        /// The command, in the language of the `:` prompt.
        #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
    },
    /// The state replayed from the journal.
    State {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
        /// The stable JSON contract (schema 1; see the README).
        #[arg(long)]
        json: bool,
    },
    /// Print, or follow with -f, the session log.
    Tail {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
        #[arg(short, long)]
        follow: bool,
        /// The journal's lines instead of the session log.
        #[arg(long)]
        json: bool,
    },
    /// The draft co-chairs' summary and the speaking-time record, from the journal alone.
    Export {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Write to this file instead of standard output (never over an existing one).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// With -o: replace the file if it exists.
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Check the journal's integrity without changing it.
    Verify {
        meeting: PathBuf,
        #[command(flatten)]
        place: Place,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A draft co-chairs' summary in Markdown.
    Md,
    /// One row per intervention.
    Csv,
    /// The same, for other tools (with a schema version).
    Json,
}

#[derive(Args, Clone)]
struct Place {
    /// Where meeting journals live (default: the meeting file's log_dir, else the user's data dir).
    #[arg(long, env = "GAVEL_LOG_DIR")]
    log_dir: Option<PathBuf>,
}

/// A line on stderr. The terminal may be gone (a dropped connection): failing
/// to say something is not a reason to panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// A failure, with the exit code it maps to.
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<LiveError> for Failure {
    fn from(e: LiveError) -> Failure {
        let code = match e {
            LiveError::Refused(_) => 3,
            _ => 1,
        };
        Failure::new(code, e.to_string())
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                let _ = writeln!(std::io::stderr(), "gavel: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Sub::Run {
            meeting,
            place,
            operator,
            read_only,
        } => tui(&meeting, &place, operator, read_only, Kind::Run),
        Sub::Board { meeting, place } => tui(&meeting, &place, None, true, Kind::Board),
        Sub::Check { meeting } => check(&meeting),
        Sub::Init { path } => init(&path),
        Sub::Do {
            meeting,
            place,
            operator,
            wait,
            words,
        } => do_command(&meeting, &place, operator, wait, &words),
        Sub::State {
            meeting,
            place,
            json,
        } => state(&meeting, &place, json),
        Sub::Tail {
            meeting,
            place,
            follow,
            json,
        } => tail(&meeting, &place, follow, json),
        Sub::Verify { meeting, place } => verify(&meeting, &place),
        Sub::Export {
            meeting,
            place,
            format,
            output,
            force,
        } => export(&meeting, &place, format, output.as_deref(), force),
    }
}

fn load(path: &Path) -> Result<Loaded, Failure> {
    config::load(path).map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        Failure::new(
            2,
            format!("{} has errors:\n{}", path.display(), lines.join("\n")),
        )
    })
}

fn check(path: &Path) -> Result<(), Failure> {
    match config::load(path) {
        Ok(loaded) => {
            let m = &loaded.meeting;
            println!(
                "{}: ok — {}; {} segments, {} on the roster, {} observer seats",
                path.display(),
                m.title,
                m.segments.len(),
                m.roster.len(),
                m.seating.capacity().saturating_sub(m.seating.blocked.len())
            );
            Ok(())
        }
        Err(diagnostics) => {
            // One write for them all: a generated file can have thousands,
            // and stderr writes each piece of each line at once otherwise.
            let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
            say!("{}", lines.join("\n"));
            let n = diagnostics.len();
            Err(Failure::new(
                2,
                format!(
                    "{n} error{} in {}",
                    if n == 1 { "" } else { "s" },
                    path.display()
                ),
            ))
        }
    }
}

fn init(path: &Path) -> Result<(), Failure> {
    let written =
        crate::files::write_new(path, config::template().as_bytes(), crate::files::FILE_MODE);
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Failure::new(
                2,
                format!("{} exists already; it was left as it is", path.display()),
            ));
        }
        Err(e) => {
            return Err(Failure::new(
                1,
                format!("cannot write {}: {e}", path.display()),
            ));
        }
    }
    println!(
        "wrote {}; check it with: gavel check {}",
        path.display(),
        path.display()
    );
    Ok(())
}

/// `<log dir>/<meeting id>`: the flag or GAVEL_LOG_DIR, else the meeting file's
/// log_dir, else the user's data folder.
fn meeting_dir(loaded: &Loaded, place: &Place) -> Result<PathBuf, Failure> {
    let base = match (&place.log_dir, &loaded.log_dir) {
        (Some(dir), _) | (None, Some(dir)) => dir.clone(),
        (None, None) => directories::ProjectDirs::from("org", "gavel", "gavel")
            .map(|d| d.data_dir().to_path_buf())
            .ok_or_else(|| {
                Failure::new(
                    1,
                    "no home folder to keep logs in: pass --log-dir or set GAVEL_LOG_DIR",
                )
            })?,
    };
    Ok(base.join(loaded.meeting.id.as_str()))
}

fn open(path: &Path, place: &Place, mode: Mode) -> Result<Live, Failure> {
    let live = open_quietly(path, place, mode)?;
    say_torn(&live);
    Ok(live)
}

/// Opens without saying what was found at the end of the journal.
fn open_quietly(path: &Path, place: &Place, mode: Mode) -> Result<Live, Failure> {
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, place)?;
    Ok(Live::open(Arc::new(loaded.meeting), &dir, mode)?)
}

fn say_torn(live: &Live) {
    if let Some(torn) = &live.recovery.torn {
        say!("gavel: {torn}");
    }
}

fn clock() -> Result<WallClock, Failure> {
    WallClock::from_env().map_err(|e| Failure::new(2, e))
}

/// The officer's settings, if any; a broken file stops with its reason.
fn settings() -> Result<config::settings::Settings, Failure> {
    match config::settings::path() {
        Some(path) => config::settings::load(&path).map_err(|e| Failure::new(2, e)),
        None => Ok(config::settings::Settings::default()),
    }
}

/// `--operator`, else the settings file's, else `$USER`.
fn operator(flag: Option<String>) -> Result<Clean, Failure> {
    let from_settings = || settings().map(|s| s.operator);
    let name = match flag {
        Some(name) => Some(name),
        None => from_settings()?,
    };
    let name = Clean::new(
        &name
            .or_else(|| std::env::var("USER").ok())
            .unwrap_or_default(),
    );
    // It goes into every journal and session-log line.
    const LONGEST: usize = 64;
    if name.as_str().chars().count() > LONGEST {
        return Err(Failure::new(
            2,
            format!("an operator name is at most {LONGEST} characters"),
        ));
    }
    Ok(if name.is_empty() {
        Clean::new("officer")
    } else {
        name
    })
}

fn wait_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (write it as 5s, 30s or 2m)"))
}

fn do_command(
    path: &Path,
    place: &Place,
    op: Option<String>,
    wait: std::time::Duration,
    words: &[String],
) -> Result<(), Failure> {
    let command =
        crate::lang::parse(&words.join(" ")).map_err(|e| Failure::new(2, e.to_string()))?;
    let now = clock()?.now();
    let by = operator(op)?;
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, place)?;
    let wait = crate::journal::LockWait::at_most(wait);
    // Nothing is written, not even the folder of a meeting not begun, until
    // the command is carried out: a refused command leaves no trace.
    let mut live = Live::open_write_later(Arc::new(loaded.meeting), &dir, wait)?;
    let executed = live.execute(command, &by, now);
    // A torn tail is said once: left as it is when the command was refused,
    // cut off and kept aside when it was carried out.
    say_torn(&live);
    if let Some(warning) = &executed.warning {
        say!("gavel: done, but {warning}");
    }
    match &executed.exports {
        Some(Ok(files)) => files
            .iter()
            .for_each(|f| say!("gavel: wrote {}", f.display())),
        Some(Err(e)) => say!("gavel: adjourned, but the export was not written: {e}"),
        None => {}
    }
    let ours = executed.into_ours()?;
    for described in &ours {
        println!("{}", described.line);
    }
    Ok(())
}

fn tui(
    path: &Path,
    place: &Place,
    op: Option<String>,
    read_only: bool,
    kind: Kind,
) -> Result<(), Failure> {
    use crate::tui::{app::App, theme::Theme, ui::Ui, worker::Worker};
    let clock = clock()?;
    let mode = if read_only {
        Mode::ReadOnly
    } else {
        Mode::ReadWrite
    };
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, place)?;
    let meeting = Arc::new(loaded.meeting);
    let operator = operator(op)?;
    let (updates, received) = tokio::sync::mpsc::unbounded_channel();
    let (live, opener) = open_for_screen(meeting, &dir, mode)?;
    say_torn(&live);
    let mut ui = Ui::new(operator.clone(), read_only);
    if let Some(torn) = &live.recovery.torn {
        ui.message = Some(crate::tui::ui::Message {
            tone: crate::tui::ui::Tone::Info,
            text: torn.to_string(),
        });
    }
    let mut theme = Theme::from_env();
    if settings()?.color == Some(false) {
        theme = Theme::PLAIN;
    }
    let mut app = App::new(live.state.clone(), ui, theme);
    let worker = match opener {
        None => Worker::start(live, operator, updates),
        Some(open) => {
            app.update(crate::tui::worker::Update::Waiting {
                secs: 0,
                holder: None,
            });
            Worker::start_opening(live, open, operator, updates)
        }
    };
    let exit = crate::tui::run::on_terminal(&mut app, Some(&worker), received, clock, kind);
    // Waits for an append under way: what was sent is on disk or not begun.
    drop(worker);
    match exit {
        Ok(Exit::Quit) => Ok(()),
        Ok(Exit::Signal(signal)) => {
            say!("gavel: {signal}: stopped; everything shown as saved is in the journal");
            Ok(())
        }
        Ok(Exit::InputEnded(why)) => {
            let why = why.map(|w| format!(" ({w})")).unwrap_or_default();
            say!("gavel: the terminal went away{why}; everything shown as saved is in the journal");
            Ok(())
        }
        Err(e) => Err(Failure::new(1, format!("the terminal failed: {e}"))),
    }
}

/// The journal for a screen. When another process holds its lock, the screen
/// does not wait blank: it shows the journal read-only at once, and the
/// returned opener takes the lock once it is let go.
fn open_for_screen(
    meeting: Arc<crate::domain::Meeting>,
    dir: &Path,
    mode: Mode,
) -> Result<(Live, Option<crate::tui::worker::Opener>), Failure> {
    use crate::journal::LockWait;
    if mode == Mode::ReadOnly {
        return Ok((Live::open(meeting, dir, mode)?, None));
    }
    let now = LockWait::at_most(std::time::Duration::ZERO);
    match Live::open_waiting(meeting.clone(), dir, mode, now) {
        Ok(live) => Ok((live, None)),
        Err(e) if e.is_locked() => {
            let viewer = Live::open(meeting.clone(), dir, Mode::ReadOnly)?;
            let dir = dir.to_path_buf();
            let open: crate::tui::worker::Opener =
                Box::new(move |wait| Live::open_waiting(meeting, &dir, Mode::ReadWrite, wait));
            Ok((viewer, Some(open)))
        }
        Err(e) => Err(e.into()),
    }
}

fn state(path: &Path, place: &Place, json: bool) -> Result<(), Failure> {
    let now = clock()?.now();
    let live = open(path, place, Mode::ReadOnly)?;
    let report = crate::report::report(&live.state, now);
    if json {
        let text =
            serde_json::to_string_pretty(&report).map_err(|e| Failure::new(1, e.to_string()))?;
        println!("{text}");
    } else {
        print!("{}", crate::report::text(&live.state, now));
    }
    Ok(())
}

fn tail(path: &Path, place: &Place, follow: bool, json: bool) -> Result<(), Failure> {
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, place)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    let io = |e: std::io::Error| Failure::new(1, format!("cannot read {}: {e}", dir.display()));
    if json {
        return tail_journal(&dir, follow, &mut out).map_err(|e| Failure::new(1, e));
    }
    crate::files::check_folder(&dir, crate::files::Access::Read).map_err(io)?;
    let path = dir.join(journal::session_log::SESSION_LOG_FILE);
    if !follow {
        return print_file(&path, &mut out).map_err(io);
    }
    journal::session_log::follow(&path, true, &mut out, &|| false).map_err(io)
}

/// A file printed as it is at the start, stripped of what a terminal acts on,
/// a bounded piece at a time.
fn print_file(path: &Path, out: &mut impl Write) -> std::io::Result<()> {
    use std::io::Read;
    let Some(file) = crate::files::open_existing(path)? else {
        return Ok(());
    };
    let len = file.metadata()?.len();
    let mut reader = std::io::BufReader::new(file.take(len));
    let mut line = Vec::new();
    loop {
        line.clear();
        if std::io::BufRead::read_until(&mut reader, b'\n', &mut line)? == 0 {
            return Ok(());
        }
        out.write_all(&crate::text::printable(&line))?;
    }
}

/// The journal's lines as they are, each checked and re-encoded, so nothing but
/// well-formed JSON reaches the terminal.
fn tail_journal(dir: &Path, follow: bool, out: &mut impl Write) -> Result<(), String> {
    let opened = journal::Journal::<Entry>::open(dir, Mode::ReadOnly).map_err(|e| e.to_string())?;
    let mut journal = opened.journal;
    let mut print = |lines: &[Entry]| -> Result<(), String> {
        for line in lines {
            let text = serde_json::to_string(line).map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())
    };
    print(&opened.lines)?;
    if !follow {
        return Ok(());
    }
    loop {
        std::thread::sleep(std::time::Duration::from_millis(150));
        print(&journal.poll().map_err(|e| e.to_string())?)?;
    }
}

fn export(
    path: &Path,
    place: &Place,
    format: Format,
    output: Option<&Path>,
    force: bool,
) -> Result<(), Failure> {
    let live = open_quietly(path, place, Mode::ReadOnly)?;
    let text = render(&live.state, format);
    match output {
        Some(file) => write_output(file, text.as_bytes(), force),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Failure::new(1, e.to_string())),
    }
}

/// The export in one format.
pub fn render(state: &crate::domain::State, format: Format) -> String {
    let gathered = crate::export::gather(state);
    match format {
        Format::Md => crate::export::markdown(state, &gathered),
        Format::Csv => crate::export::csv(&gathered),
        Format::Json => crate::export::json(&gathered),
    }
}

/// `-o FILE`: a new file, or with `--force` one that replaces what is there
/// (a link included, which is replaced and never written through).
fn write_output(file: &Path, bytes: &[u8], force: bool) -> Result<(), Failure> {
    let written = if force {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| Failure::new(2, format!("{} does not name a file", file.display())))?;
        let dir = crate::files::parent(file);
        crate::files::write_replacing(dir, name, bytes, crate::files::FILE_MODE).map(|_| ())
    } else {
        crate::files::write_new(file, bytes, crate::files::FILE_MODE)
    };
    written.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Failure::new(
            2,
            format!(
                "{} exists already; it was left as it is (--force replaces it)",
                file.display()
            ),
        ),
        _ => Failure::new(1, format!("cannot write {}: {e}", file.display())),
    })
}

fn verify(path: &Path, place: &Place) -> Result<(), Failure> {
    let loaded = load(path)?;
    let dir = meeting_dir(&loaded, place)?;
    let file = dir.join(journal::JOURNAL_FILE);
    let report = journal::verify::<Entry>(&file).map_err(|e| Failure::new(1, e.to_string()))?;
    println!(
        "{}: {} line{}, last seq {}, {} bytes",
        file.display(),
        report.lines,
        if report.lines == 1 { "" } else { "s" },
        report.last_seq.unwrap_or(0),
        report.bytes
    );
    if let Some(torn) = &report.torn {
        println!("torn tail: {torn}");
    }
    if let Some(bad) = &report.bad {
        println!("bad line: {bad}");
    }
    if !report.is_sound() {
        return Err(Failure::new(1, "the journal is damaged (see above)"));
    }
    // Lines that read well must also fit the meeting, event after event.
    let live = Live::open(Arc::new(loaded.meeting), &dir, Mode::ReadOnly).map_err(Failure::from)?;
    println!("replay: ok, {} events fit the meeting file", live.state.seq);
    let found = suspicious_times(&file, clock()?.now())?;
    for s in &found {
        println!("suspicious time: line {} (#{}): {}", s.line, s.seq, s.why);
    }
    if found.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(
            1,
            "the journal's times cannot be right (see above)",
        ))
    }
}

/// The journal's lines read once more, each checked against the one before
/// and against `now`: times a start-up accepts, since refusing them would
/// stop a meeting, but that only a clock gone wrong or a hand could write.
fn suspicious_times(file: &Path, now: jiff::Timestamp) -> Result<Vec<Suspicious>, Failure> {
    struct Checked(TimeCheck);
    impl journal::Sink<Entry> for Checked {
        type Error = std::convert::Infallible;
        fn take(&mut self, entry: Entry) -> Result<(), Self::Error> {
            self.0.take(&entry);
            Ok(())
        }
    }
    let failed = |e: journal::JournalError| Failure::new(1, e.to_string());
    let disk = journal::DiskFile::open(file, Mode::ReadOnly)
        .map_err(journal::JournalError::io("open", file))
        .map_err(failed)?;
    let mut checked = Checked(TimeCheck::new(now));
    journal::Journal::attach_each(disk, file.to_path_buf(), Mode::ReadOnly, &mut checked).map_err(
        |stopped| match stopped {
            journal::Stopped::Journal(e) => failed(e),
            journal::Stopped::Sink(never) => match never {},
        },
    )?;
    Ok(checked.0.findings())
}

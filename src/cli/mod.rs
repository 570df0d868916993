//! The command line: `gavel run | board | check | init | do | import | state |
//! tail | export | verify | completions | man`. Each subcommand's body is in the file for its kind of
//! work; each ends in a [`Code`] for the shell.

mod args;
mod command;
mod completions;
mod context;
mod export;
mod file;
mod import;
mod man;
mod read;
mod rooms;
mod screen;
mod serve;
mod settings;
mod store;
mod verify;
mod waiting;
mod write;

use std::io::Write;
use std::process::ExitCode;

use clap::FromArgMatches;

use crate::live::LiveError;
use args::{Cli, Sub};

/// A line on stderr. The terminal may be gone (a dropped connection): failing
/// to say something is not a reason to panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// A line on stdout for whoever reads it. A reader that stopped early
/// (`| head`) has what it wanted: the rest is dropped without a panic.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::print(&format!("{}\n", format_args!($($arg)*)))?
    };
}
pub(crate) use out;

/// What gavel tells the shell when it ends, as the README lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Done = 0,
    /// The journal unreadable or damaged, a disk error: something at run time.
    Failure = 1,
    /// Bad usage or a bad meeting file.
    Usage = 2,
    /// The command was refused, with the reason on stderr; nothing changed.
    Refused = 3,
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> ExitCode {
        ExitCode::from(code as u8)
    }
}

/// Why a subcommand stopped, and the code it ends with.
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    fn new(code: Code, message: impl Into<String>) -> Failure {
        Failure {
            code,
            message: message.into(),
        }
    }
}

impl From<LiveError> for Failure {
    fn from(e: LiveError) -> Failure {
        let code = match e {
            LiveError::Refused(_) => Code::Refused,
            _ => Code::Failure,
        };
        Failure::new(code, e.to_string())
    }
}

pub fn main() -> ExitCode {
    let args = export::join_format_words(std::env::args_os().collect());
    let parsed = args.and_then(|args| {
        match Cli::from_arg_matches(&command::command().get_matches_from(args)) {
            Ok(cli) => Ok(cli),
            Err(e) => e.exit(),
        }
    });
    match parsed.and_then(run) {
        Ok(()) => Code::Done.into(),
        Err(f) => {
            if !f.message.is_empty() {
                say!("gavel: {}", f.message);
            }
            f.code.into()
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Sub::Run {
            meeting,
            log_dir,
            operator,
            read_only,
        } => screen::tui(&meeting, &log_dir, operator, read_only, screen::Kind::Run),
        Sub::Board { meeting, log_dir } => {
            screen::tui(&meeting, &log_dir, None, true, screen::Kind::Board)
        }
        Sub::Check { meeting } => file::check(&meeting),
        Sub::Init { path } => file::init(&path),
        Sub::Do {
            meeting,
            log_dir,
            operator,
            wait,
            words,
        } => write::do_command(&meeting, &log_dir, operator, wait, &words),
        Sub::Keys => print(&crate::tui::keymap::Keymap::default().as_settings()),
        Sub::Settings { check } => settings::show(check),
        Sub::Import {
            meeting,
            list,
            log_dir,
            operator,
            dry_run,
            wait,
        } => import::import(&meeting, &list, &log_dir, operator, dry_run, wait),
        Sub::State {
            meeting,
            log_dir,
            json,
        } => read::state(&meeting, &log_dir, json),
        Sub::Tail {
            meeting,
            log_dir,
            follow,
            json,
        } => read::tail(&meeting, &log_dir, follow, json),
        Sub::Verify { meeting, log_dir } => verify::verify(&meeting, &log_dir),
        Sub::Serve {
            meetings,
            log_dir,
            listen,
            token,
        } => serve::serve(&meetings, &log_dir, &listen, token.as_deref()),
        Sub::Export {
            meeting,
            log_dir,
            format,
            output,
            force,
        } => export::export(&meeting, &log_dir, format, output.as_deref(), force),
        Sub::Completions { shell } => print(&completions::script(shell)),
        Sub::Store { action } => store::run(action),
        Sub::Rooms {
            places,
            meetings,
            log_dir,
            json,
            once,
        } => rooms::rooms(&places, &meetings, &log_dir, json, once),
        Sub::Man => print(&man::page()),
    }
}

/// Text for another program (a shell, `man`), all at once on stdout. A reader
/// that stopped early (`| head`) has what it wanted: that is no failure.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::new(
            Code::Failure,
            format!("cannot write to standard output: {e}"),
        )),
        _ => Ok(()),
    }
}

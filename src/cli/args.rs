//! What the command line takes: the subcommands, their arguments and flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "gavel",
    version,
    about = "Live meeting operations in the terminal: speakers, observer seats, clock and notes."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Subcommand)]
pub enum Sub {
    /// The full-screen TUI.
    Run {
        meeting: PathBuf,
        #[command(flatten)]
        log_dir: LogDir,
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
        log_dir: LogDir,
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
        log_dir: LogDir,
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
    /// Inscribe a list of speakers received as CSV (header row required; UTF-8):
    /// every row, or none if any is refused.
    Import {
        meeting: PathBuf,
        /// The list: columns delegation (required), representative, title, level,
        /// category, kind, on_behalf_of, language, limit, joint, in any order.
        list: PathBuf,
        #[command(flatten)]
        log_dir: LogDir,
        /// Who is doing it (default: $USER).
        #[arg(long)]
        operator: Option<String>,
        /// Print what would be inscribed; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// How long to wait for another officer's gavel to let go of the journal.
        #[arg(long, default_value = "5s", value_parser = wait_duration)]
        wait: std::time::Duration,
    },
    /// The state replayed from the journal.
    State {
        meeting: PathBuf,
        #[command(flatten)]
        log_dir: LogDir,
        /// The stable JSON contract (schema 1; see the README).
        #[arg(long)]
        json: bool,
    },
    /// Print, or follow with -f, the session log.
    Tail {
        meeting: PathBuf,
        #[command(flatten)]
        log_dir: LogDir,
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
        log_dir: LogDir,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Write to this file instead of standard output (never over an existing one).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// With -o: replace the file if it exists.
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// The default key bindings, in the settings' `[keys]` form, ready to copy.
    Keys,
    /// Where the settings file is, whether it was read, and the values in force.
    Settings {
        /// Only check the file, as `gavel check` checks a meeting file (exit 2 on a mistake).
        #[arg(long)]
        check: bool,
    },
    /// The board as a read-only web page for the room's screens, live over
    /// Server-Sent Events: an index at /, each board at /m/<meeting id>.
    Serve {
        #[arg(required = true)]
        meetings: Vec<PathBuf>,
        #[command(flatten)]
        log_dir: LogDir,
        /// The address to listen on; one other than loopback needs --token.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: String,
        /// What every page and event stream then needs (`?token=` or
        /// `Authorization: Bearer`); GAVEL_TOKEN keeps it out of `ps`.
        #[arg(long, env = "GAVEL_TOKEN", hide_env_values = true)]
        token: Option<String>,
    },
    /// Check the journal's integrity without changing it.
    Verify {
        meeting: PathBuf,
        #[command(flatten)]
        log_dir: LogDir,
    },
    /// Print the shell's completion script (see the README for where it goes).
    Completions {
        #[arg(value_enum)]
        shell: ShellName,
    },
    /// Print the manual page (roff), every subcommand in one page.
    Man,
    /// Every meeting in a store or log folder, sorted by what needs attention (for meeting services).
    Rooms {
        /// PostgreSQL URLs or log folders (default: --store / GAVEL_STORE, else the log folder).
        places: Vec<String>,
        /// A meeting file, or a folder of them, so that its meetings are shown in full (repeatable).
        #[arg(long = "meeting")]
        meetings: Vec<PathBuf>,
        #[command(flatten)]
        log_dir: LogDir,
        /// One JSON array, a meeting an element (printed once).
        #[arg(long)]
        json: bool,
        /// Print the table once instead of the live screen (as when not on a terminal).
        #[arg(long)]
        once: bool,
    },
    /// A PostgreSQL store: `init` its tables, `copy` a meeting's journal between stores.
    Store {
        #[command(subcommand)]
        action: super::store::StoreAction,
    },
}

/// The shells `gavel completions` writes for: the three whose scripts are tested.
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub enum ShellName {
    Bash,
    Zsh,
    Fish,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A draft co-chairs' summary in Markdown.
    Md,
    /// One row per intervention.
    Csv,
    /// The same, for other tools (with a schema version).
    Json,
    /// The list of speakers for the chair's brief, in Markdown (`--format list md` too).
    #[value(alias = "list-md")]
    List,
    /// The same list as CSV (`--format list csv`).
    ListCsv,
}

/// `--log-dir`: where the meeting's folder is looked for.
#[derive(Args, Clone)]
pub struct LogDir {
    /// Where meeting journals live (default: the meeting file's log_dir, else the user's data dir).
    #[arg(long, env = "GAVEL_LOG_DIR")]
    pub log_dir: Option<PathBuf>,
    /// Where the journal is kept: `files` (the default) or postgres://user@host:port/database
    /// (default: the meeting file's store).
    #[arg(long, env = "GAVEL_STORE", value_parser = Secret(store_location))]
    pub store: Option<crate::store::Location>,
}

/// A value that may hold a password (a store's URL): read by the function
/// it holds, and when refused, said without the value, which clap would
/// otherwise print whole. The reason names the URL with its password hidden.
#[derive(Clone)]
pub(super) struct Secret<T>(pub fn(&str) -> Result<T, String>);

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Secret<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let arg = arg.map(|a| format!(" for '{a}'")).unwrap_or_default();
        let refused = |why: String| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!("invalid value{arg}: {why}\n"),
            )
            .with_cmd(cmd)
        };
        let text = value
            .to_str()
            .ok_or_else(|| refused("it is not UTF-8".into()))?;
        (self.0)(text).map_err(refused)
    }
}

pub(super) fn store_location(text: &str) -> Result<crate::store::Location, String> {
    crate::store::Location::parse(text)
}

/// A PostgreSQL URL, and nothing else.
pub(super) fn store_url(text: &str) -> Result<String, String> {
    match crate::store::Location::parse(text)? {
        crate::store::Location::Postgres(url) => Ok(url),
        crate::store::Location::Files => {
            Err("give a PostgreSQL URL: postgres://user@host:port/database".into())
        }
    }
}

fn wait_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (write it as 5s, 30s or 2m)"))
}

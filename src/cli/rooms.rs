//! `gavel rooms`: every meeting in some stores and log folders, for meeting
//! services, sorted by what needs attention: live on a screen of its own
//! on a terminal, printed once otherwise (`--once`, `--json`, a pipe).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::args::LogDir;
use super::context::{clock, load, meeting_dir, settings};
use super::{Code, Failure, say};
use crate::config::Loaded;
use crate::rooms::{MeetingFile, Seen, Watch, Where};
use crate::store::Location;
use crate::tui::rooms::Rooms;
use crate::tui::rooms::run::Exit;

pub(super) fn rooms(
    places: &[String],
    meetings: &[PathBuf],
    log_dir: &LogDir,
    json: bool,
    once: bool,
) -> Result<(), Failure> {
    let (loaded, passed_over) = meeting_files(meetings)?;
    let wheres = wheres(places, log_dir, loaded.first().map(|(l, _)| l))?;
    let watch = Watch::new(wheres, loaded.into_iter().map(|(_, f)| f).collect());
    if json || once || !std::io::stdout().is_terminal() {
        for why in &passed_over {
            say!("gavel: {why}");
        }
        return print_once(watch, json);
    }
    live(watch, passed_over.first().cloned())
}

/// How long one look may take when printed once, before gavel gives up
/// naming the place that does not answer.
const ONCE_LIMIT: std::time::Duration = std::time::Duration::from_secs(20);

fn print_once(mut watch: Watch, json: bool) -> Result<(), Failure> {
    let now = clock()?.now();
    let looking_at = watch.looking_at();
    let (sender, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(watch.refresh(now)));
    let seen = answer.recv_timeout(ONCE_LIMIT).map_err(|_| {
        let place = looking_at.lock().map(|p| p.clone()).ok().flatten();
        Failure::new(
            Code::Failure,
            format!(
                "{} did not answer within {} s",
                place.unwrap_or_else(|| "a place".into()),
                ONCE_LIMIT.as_secs()
            ),
        )
    })?;
    if json {
        let rooms: Vec<_> = seen.rooms.iter().map(|(_, r)| r).collect();
        let text = serde_json::to_string_pretty(&rooms)
            .map_err(|e| Failure::new(Code::Failure, e.to_string()))?;
        super::print(&format!("{text}\n"))?;
    } else {
        super::print(&crate::rooms::table::text(&seen))?;
    }
    unreadable(&seen)
}

/// A place that could not be read fails the command, after what could be.
fn unreadable(seen: &Seen) -> Result<(), Failure> {
    match seen.troubles.as_slice() {
        [] => Ok(()),
        troubles => Err(Failure::new(Code::Failure, troubles.join("\n"))),
    }
}

/// The rooms screen until the officer quits it; Enter shows a meeting's own
/// screen, and quitting that comes back here.
fn live(mut watch: Watch, notice: Option<String>) -> Result<(), Failure> {
    let settings = settings()?;
    let theme = super::screen::theme(&settings)?;
    let clock = clock()?;
    let mut rooms = Rooms {
        notice,
        ..Rooms::default()
    };
    loop {
        let ended = crate::tui::rooms::on_terminal(&mut rooms, watch, &settings.keys, theme, clock)
            .map_err(|e| Failure::new(Code::Failure, format!("the terminal failed: {e}")))?;
        let (exit, back) = ended;
        match exit {
            Exit::Quit => return Ok(()),
            Exit::Signal(signal) => {
                say!("gavel: {signal}: stopped");
                return Ok(());
            }
            Exit::InputEnded(_) => {
                say!("gavel: the terminal went away");
                return Ok(());
            }
            Exit::View(key) => match back.as_ref().and_then(|w| w.open(&key)) {
                None => {
                    rooms.notice = Some(format!(
                        "{} has no meeting file here: give it with --meeting FILE to open it",
                        key.meeting
                    ));
                }
                Some(Err(why)) => rooms.notice = Some(why),
                Some(Ok(live)) => {
                    if !super::screen::read_only(live, &settings)? {
                        return Ok(());
                    }
                }
            },
        }
        // Only Enter comes back here, and it comes with the watch.
        watch = back.expect("the screen gives the watch back with Enter");
    }
}

/// A meeting file given, as loaded and as the watch takes it.
type Given = (Loaded, MeetingFile);

/// Each `--meeting`: a meeting file, or a folder whose meeting files are
/// all taken; the files there that are no meeting file are passed over,
/// each said with its first mistake.
fn meeting_files(paths: &[PathBuf]) -> Result<(Vec<Given>, Vec<String>), Failure> {
    let mut files = Vec::new();
    let mut passed_over = Vec::new();
    for path in paths {
        if path.is_dir() {
            for file in toml_files(path)? {
                match crate::config::load(&file) {
                    Ok(loaded) => files.push(meeting_file(&file, loaded)?),
                    Err(mistakes) => passed_over.push(format!(
                        "passed over, not a meeting file: {}",
                        mistakes
                            .first()
                            .map_or_else(|| file.display().to_string(), ToString::to_string)
                    )),
                }
            }
        } else {
            files.push(meeting_file(path, load(path)?)?);
        }
    }
    Ok((files, passed_over))
}

fn meeting_file(path: &Path, loaded: Loaded) -> Result<(Loaded, MeetingFile), Failure> {
    let text = std::fs::read(path)
        .map_err(|e| Failure::new(Code::Usage, format!("cannot read {}: {e}", path.display())))?;
    let file = MeetingFile::new(loaded.meeting.clone(), &text);
    Ok((loaded, file))
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Failure::new(Code::Usage, format!("cannot read {}: {e}", dir.display())))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

/// The places given; none given, the store or log folder in force.
fn wheres(
    places: &[String],
    log_dir: &LogDir,
    first: Option<&Loaded>,
) -> Result<Vec<Where>, Failure> {
    if !places.is_empty() {
        return Ok(places.iter().map(|p| Where::parse(p)).collect());
    }
    if let Some(Location::Postgres(url)) = &log_dir.store {
        return Ok(vec![Where::Store(url.clone())]);
    }
    let folder = match (&log_dir.log_dir, first) {
        (Some(dir), _) => dir.clone(),
        (None, Some(loaded)) => crate::files::parent(&meeting_dir(loaded, log_dir)?).to_path_buf(),
        (None, None) => {
            return Err(Failure::new(
                Code::Usage,
                "say where the meetings are: a log folder, a PostgreSQL URL, --log-dir or GAVEL_STORE",
            ));
        }
    };
    Ok(vec![Where::Folder(folder)])
}

//! A short General Assembly debate, end to end through the binary, as an
//! officer would run it with `gavel import` and `gavel do`: a list received
//! with one bad row, corrected and imported again; a statement on behalf of
//! a group and a joint one; two rights of reply by one delegation and a third
//! refused; an exchange of places; a suspension and reconvening. Then the
//! state, the session log and the summary are read as the room reads them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::GAVEL;

const MEETING: &str = "config/general-assembly-debate.toml";
const ID: &str = "ga-plenary-example";

/// Thirty delegations inscribed through e-Speakers, none of them among those
/// the debate adds by hand. One of them, the fifth, speaks for a group.
const LISTED: [&str; 30] = [
    "Argentina",
    "Australia",
    "Bangladesh",
    "Brazil",
    "Egypt",
    "Canada",
    "Chile",
    "China",
    "Colombia",
    "Ethiopia",
    "France",
    "Germany",
    "Ghana",
    "India",
    "Indonesia",
    "Ireland",
    "Italy",
    "Japan",
    "Kenya",
    "Mexico",
    "Morocco",
    "Nepal",
    "Netherlands",
    "Nigeria",
    "Peru",
    "Republic of Korea",
    "Rwanda",
    "Senegal",
    "South Africa",
    "Uruguay",
];

struct Debate {
    dir: tempfile::TempDir,
}

impl Debate {
    fn new() -> Debate {
        let dir = tempfile::tempdir().unwrap();
        let top = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::create_dir_all(dir.path().join("config")).unwrap();
        fs::copy(top.join(MEETING), dir.path().join(MEETING)).unwrap();
        Debate { dir }
    }

    fn meeting_dir(&self) -> PathBuf {
        self.dir.path().join("logs").join(ID)
    }

    fn gavel(&self, hms: &str, args: &[&str]) -> Output {
        Command::new(GAVEL)
            .current_dir(self.dir.path())
            .env("GAVEL_LOG_DIR", self.dir.path().join("logs"))
            .env("GAVEL_NOW", format!("2017-11-20T{hms}-05:00"))
            .env("USER", "tomas")
            .env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/.config"))
            .stdin(Stdio::null())
            .args(args)
            .output()
            .unwrap()
    }

    /// `gavel do`, which must be carried out: its session-log line.
    fn do_(&self, hms: &str, line: &str) -> String {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut args = vec!["do", MEETING];
        args.extend(&words);
        let out = self.gavel(hms, &args);
        assert!(out.status.success(), "do {line} at {hms}: {out:#?}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// `gavel do`, which must be refused (exit 3) saying `why`.
    fn refused(&self, hms: &str, line: &str, why: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let mut args = vec!["do", MEETING];
        args.extend(&words);
        let out = self.gavel(hms, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "do {line}: {out:#?}");
        assert!(stderr.contains(why), "do {line}: {stderr:?} lacks {why:?}");
    }

    fn import(&self, hms: &str, list: &str, dry_run: bool) -> Output {
        let path = self.dir.path().join("list.csv");
        fs::write(&path, list).unwrap();
        let mut args = vec!["import", MEETING, "list.csv"];
        if dry_run {
            args.push("--dry-run");
        }
        self.gavel(hms, &args)
    }

    fn state(&self, hms: &str) -> Value {
        let out = self.gavel(hms, &["state", MEETING, "--json"]);
        assert!(out.status.success(), "{out:#?}");
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// The e-Speakers list as received: Egypt for the Arab Group, in Arabic;
/// France in French; the others plain. `bad` puts a delegation that does not
/// exist in the seventeenth row, file line 18.
fn list(bad: bool) -> String {
    let mut csv = String::from(
        "delegation,representative,title,level,category,kind,on_behalf_of,language,limit\n",
    );
    for (n, name) in LISTED.iter().enumerate() {
        let name = if bad && n == 16 {
            "Republic of Narnia"
        } else {
            name
        };
        let row = match name {
            "Egypt" => {
                "Egypt,H.E. Mr. Example,Permanent Representative,,,,the Group of Arab States,ar,"
                    .to_string()
            }
            "France" => "France,,,,,,,fr,".to_string(),
            other => format!("\"{other}\",,,,,,,,"),
        };
        csv.push_str(&row);
        csv.push('\n');
    }
    csv
}

#[test]
fn a_general_assembly_debate_from_the_list_received_to_the_summary() {
    let d = Debate::new();
    let journal = d.meeting_dir().join("journal.jsonl");

    // The list as received has a delegation that does not exist: nothing is
    // inscribed, and the officer is told which line to correct.
    let out = d.import("09:40:00", &list(true), false);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{out:#?}");
    assert!(stderr.contains("nothing was inscribed, as 1 of the list's rows is refused"));
    assert!(
        stderr.contains("list.csv:18: no one called \"Republic of Narnia\""),
        "{stderr}"
    );
    assert!(!journal.exists(), "a refused import writes nothing");

    // Corrected, it is tried first, then imported: thirty inscriptions.
    let out = d.import("09:41:00", &list(false), true);
    assert!(out.status.success(), "{out:#?}");
    let dry = String::from_utf8(out.stdout).unwrap();
    assert!(dry.starts_with("would inscribe 30 "), "{dry}");
    assert!(!journal.exists(), "a dry run writes nothing");
    let out = d.import("09:42:00", &list(false), false);
    assert!(out.status.success(), "{out:#?}");
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed.lines().count(), 30, "{printed}");
    assert!(printed.contains(
        "Egypt, on behalf of the Group of Arab States — H.E. Mr. Example inscribed 6th \
         (statement in Arabic, limit 10m) · tomas"
    ));
    // The same list again inscribes nobody twice.
    let out = d.import("09:43:00", &list(false), false);
    assert_eq!(out.status.code(), Some(3), "{out:#?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("30 of the list's rows are refused"));

    d.do_("10:00:00", "open");
    d.do_("10:00:10", "next");
    let joint = d.do_(
        "10:01:00",
        "add Sweden with Denmark, Finland, Iceland, Norway",
    );
    assert!(
        joint.contains("Sweden, with Denmark, Finland, Iceland and Norway inscribed 31st (statement, limit 10m)"),
        "{joint}"
    );
    let group = d.do_(
        "10:01:10",
        "add Uganda for \"the Group of African States\" in en",
    );
    assert!(
        group.contains("Uganda, on behalf of the Group of African States inscribed 32nd (statement in English, limit 10m)"),
        "{group}"
    );
    let swap = d.do_("10:01:20", "swap Uganda with Sweden");
    assert!(
        swap.contains("Uganda and Sweden exchanged places: 32nd ↔ 31st"),
        "{swap}"
    );

    // Pakistan's two replies, the first of 10 minutes, the second of 5; a
    // third is refused.
    let reply = d.do_("10:06:00", "add Pakistan reply");
    assert!(reply.contains("(right of reply, limit 10m)"), "{reply}");
    d.do_("10:06:10", "floor Pakistan");
    d.do_("10:09:10", "end");
    let second = d.do_("10:09:20", "add Pakistan reply");
    assert!(second.contains("(right of reply, limit 5m)"), "{second}");
    d.do_("10:09:30", "floor Pakistan");
    d.do_("10:11:30", "end");
    d.refused(
        "10:11:40",
        "add Pakistan reply",
        "Pakistan has had its 2 rights of reply in this segment, the most the meeting allows",
    );

    // Argentina speaks; the meeting is suspended for consultations in the
    // middle of it, and the floor's timer waits.
    d.do_("10:12:00", "next");
    d.do_("10:14:00", "suspend informal consultations");
    d.do_(
        "10:20:00",
        "note The President consults the groups on the draft #summary",
    );
    d.refused("10:25:00", "next", "the meeting is suspended since 10:14");
    let back = d.do_("10:34:00", "reconvene");
    assert!(back.contains("after 20m"), "{back}");
    let s = d.state("10:35:00");
    assert_eq!(s["floor"]["delegation"], "Argentina");
    assert_eq!(
        s["floor"]["elapsed"],
        3 * 60,
        "two minutes before, one after"
    );
    d.do_("10:37:00", "next");
    d.do_("10:40:00", "adjourn");

    let s = d.state("10:41:00");
    check_state(&s);
    check_log(&fs::read_to_string(d.meeting_dir().join("session.log")).unwrap());
    check_summary(&fs::read_to_string(d.meeting_dir().join("summary.md")).unwrap());
}

fn check_state(s: &Value) {
    assert_eq!(s["phase"], "adjourned");
    let suspensions = s["suspensions"].as_array().unwrap();
    assert_eq!(suspensions.len(), 1, "{suspensions:?}");
    assert_eq!(suspensions[0]["seconds"], 20 * 60);
    assert_eq!(suspensions[0]["reason"], "informal consultations");
    let not_heard = s["not_heard"].as_array().unwrap();
    let find = |name: &str| {
        not_heard
            .iter()
            .find(|n| n["delegation"] == name)
            .unwrap_or_else(|| panic!("{name} not heard: {not_heard:?}"))
    };
    let sweden = find("Sweden");
    assert_eq!(sweden["category"], "group");
    assert_eq!(
        sweden["joint"],
        serde_json::json!(["Denmark", "Finland", "Iceland", "Norway"])
    );
    let uganda = find("Uganda");
    assert_eq!(uganda["on_behalf_of"], "the Group of African States");
    assert_eq!(uganda["language"], "en");
    assert_eq!(find("France")["language"], "fr");
    let replies: Vec<&Value> = s["spoken"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["delegation"] == "Pakistan")
        .collect();
    let limits: Vec<&Value> = replies.iter().map(|r| &r["limit"]).collect();
    assert_eq!(limits, [600, 300]);
}

fn check_log(log: &str) {
    for line in [
        "10:14:00 #0043 suspend The meeting is suspended (informal consultations); Argentina's timer stops at 2m · tomas",
        "10:34:00 #0045 reconvene The meeting reconvenes after 20m; Argentina resumes at 2m · tomas",
        "10:01:20 #0035 swap   Uganda and Sweden exchanged places: 32nd ↔ 31st · tomas",
    ] {
        assert!(log.contains(line), "the session log lacks {line:?}:\n{log}");
    }
    assert_eq!(log.lines().count(), 47, "{log}");
}

fn check_summary(summary: &str) {
    for words in [
        "1. Chair of the Peacebuilding Commission — 6m",
        "Pakistan (right of reply) — 3m",
        "Pakistan (right of reply) — 2m",
        "*Suspended 10:14–10:34 (20m): informal consultations.*",
        "The President consults the groups on the draft",
        "Uganda, on behalf of the Group of African States",
        "Sweden, with Denmark, Finland, Iceland and Norway",
        "Egypt, on behalf of the Group of Arab States",
    ] {
        assert!(
            summary.contains(words),
            "the summary lacks {words:?}:\n{summary}"
        );
    }
}

//! File modes are set explicitly, not left to the umask. The umask is the
//! whole process's and every other test shares this binary, so the test runs
//! in a child of its own.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use gavel::journal::{Journal, Mode, SessionLog};

use crate::support;
use crate::support::journal_common::*;

fn mode(path: &Path) -> String {
    format!(
        "{:o}",
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    )
}

#[test]
fn folder_is_0750_and_files_0640_whatever_the_umask() {
    if support::ran_in_a_child(
        module_path!(),
        "folder_is_0750_and_files_0640_whatever_the_umask",
    ) {
        return;
    }
    let base = tempfile::tempdir().unwrap();
    for (umask, name) in [(0o077, "strict"), (0o000, "loose")] {
        // SAFETY: umask only swaps the process's file-creation mask.
        unsafe { libc::umask(umask) };
        let dir = base.path().join(name).join("mali-2017");
        Journal::<Line>::open(&dir, Mode::ReadWrite).unwrap();
        fs::write(
            journal_path(&dir),
            [good_bytes(1, 1), b"torn".to_vec()].concat(),
        )
        .unwrap();
        let torn = Journal::<Line>::open(&dir, Mode::ReadWrite)
            .unwrap()
            .recovery
            .torn;
        SessionLog::open(&dir).unwrap();

        assert_eq!(mode(&dir), "750", "folder, umask {umask:o}");
        assert_eq!(mode(&journal_path(&dir)), "640", "journal, umask {umask:o}");
        assert_eq!(
            mode(&torn.unwrap().kept_in.unwrap()),
            "640",
            "torn, umask {umask:o}"
        );
        assert_eq!(
            mode(&dir.join("session.log")),
            "640",
            "session log, umask {umask:o}"
        );
    }
}

//! A throwaway PostgreSQL cluster of the tests' own: `initdb` in a temporary
//! folder, a free loopback port, `pg_ctl start -w`; stopped and removed when
//! the test process ends, however it ends.
//!
//! PostgreSQL refuses to run as root, and the tests may run as root (CI
//! does): the cluster then belongs to `nobody` and its programs are run
//! through `runuser`. A test that needs the server fails when PostgreSQL is
//! not installed: `.ci/run` installs it.
//!
//! A cluster in a static is never dropped, so each one is watched by a
//! guard: a shell whose standard input is a pipe only this process holds.
//! When the process ends, a panic or SIGKILL included, the pipe closes and
//! the guard stops the server and removes its folder, so clusters do not
//! pile up. Clusters a test makes for itself (the failover test's) are also
//! stopped on drop.

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The user a cluster runs as when the tests run as root.
const UNPRIVILEGED: &str = "nobody";
/// The cluster's superuser, and the only role the tests use.
pub const ROLE: &str = "gavel";

/// The server's programs: `GAVEL_PG_BIN`, else the newest Debian
/// `/usr/lib/postgresql/<version>/bin`, else whatever `initdb` is on PATH.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GAVEL_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    let on_path = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match on_path {
        Some(initdb) => Path::new(&initdb).parent().unwrap().to_path_buf(),
        None => panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on \
             PATH): these tests need a real server; `apt-get install postgresql` or run .ci/run"
        ),
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// `program args…` as the cluster's owner.
fn as_owner(program: &Path) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", UNPRIVILEGED, "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(mut command: Command, what: &str) {
    let out = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A loopback port nobody listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// One running cluster.
pub struct Cluster {
    pub port: u16,
    pub data: PathBuf,
    root: PathBuf,
    bin: PathBuf,
    /// Held open so that the guard sees its end only when we end.
    _guard: Option<(Child, ChildStdin)>,
    stopped: bool,
}

impl Cluster {
    /// A new cluster, initialised and started. `settings` are added to its
    /// postgresql.conf (a standby's, a primary's replication settings).
    pub fn start(settings: &str) -> Cluster {
        let mut cluster = Cluster::init(settings);
        cluster.pg_ctl_start();
        cluster
    }

    /// Initialised, not started.
    pub fn init(settings: &str) -> Cluster {
        let root = Cluster::folder();
        let data = root.join("data");
        let bin = bin_dir();
        let mut initdb = as_owner(&bin.join("initdb"));
        initdb.arg("-D").arg(&data).args([
            "-U",
            ROLE,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        ]);
        run(initdb, "initdb");
        Cluster::configured(root, data, bin, settings)
    }

    /// A standby of `primary`, copied by pg_basebackup, not started.
    pub fn standby_of(primary: &Cluster, settings: &str) -> Cluster {
        let root = Cluster::folder();
        let data = root.join("data");
        let bin = bin_dir();
        let mut backup = as_owner(&bin.join("pg_basebackup"));
        backup
            .args(["-h", "127.0.0.1", "-U", ROLE, "-p"])
            .arg(primary.port.to_string())
            .arg("-D")
            .arg(&data)
            .args(["-R", "-X", "stream", "--no-sync", "--checkpoint=fast"]);
        run(backup, "pg_basebackup");
        Cluster::configured(root, data, bin, settings)
    }

    fn configured(root: PathBuf, data: PathBuf, bin: PathBuf, settings: &str) -> Cluster {
        let port = free_port();
        let conf = format!(
            "\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n\
             max_connections = 60\nfsync = on\n{settings}\n"
        );
        let owner_writes = format!("cat >> {}/postgresql.conf", data.display());
        let mut append = as_owner(Path::new("sh"));
        append.args(["-c", &owner_writes]);
        let mut child = append
            .stdin(Stdio::piped())
            .spawn()
            .expect("append to postgresql.conf");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(conf.as_bytes())
            .unwrap();
        assert!(
            child.wait().unwrap().success(),
            "postgresql.conf not written"
        );
        let guard = Cluster::guard(&root, &data, &bin);
        Cluster {
            port,
            data,
            root,
            bin,
            _guard: Some(guard),
            stopped: true,
        }
    }

    /// A temporary folder the cluster's owner can write.
    fn folder() -> PathBuf {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "gavel-pg-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let root = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&root).unwrap();
        if is_root() {
            run(
                {
                    let mut c = Command::new("chown");
                    c.arg(format!("{UNPRIVILEGED}:")).arg(&root);
                    c
                },
                "chown",
            );
        }
        root
    }

    /// The shell that stops the server and removes its folder once this
    /// process is gone (its standard input reaches end of file).
    fn guard(root: &Path, data: &Path, bin: &Path) -> (Child, ChildStdin) {
        let pg_ctl = bin.join("pg_ctl");
        let stop = if is_root() {
            format!(
                "runuser -u {UNPRIVILEGED} -- {} -D {} -m immediate stop",
                pg_ctl.display(),
                data.display()
            )
        } else {
            format!(
                "{} -D {} -m immediate stop",
                pg_ctl.display(),
                data.display()
            )
        };
        let script = format!(
            "cat > /dev/null; {stop} > /dev/null 2>&1; rm -rf {}",
            root.display()
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the cluster's guard");
        let stdin = child.stdin.take().unwrap();
        (child, stdin)
    }

    pub fn pg_ctl_start(&mut self) {
        let mut start = as_owner(&self.bin.join("pg_ctl"));
        start
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.root.join("server.log"))
            .args(["-w", "-t", "60", "start"]);
        run(start, "pg_ctl start");
        self.stopped = false;
    }

    /// Stops the server (`fast`: sessions ended, a clean shutdown).
    pub fn stop(&mut self) {
        self.pg_ctl(&["-m", "fast", "-w", "stop"]);
        self.stopped = true;
    }

    /// The server and every process of it killed at once (SIGKILL), as a
    /// power cut leaves it: no shutdown, no last word to the standby.
    pub fn kill(&mut self) {
        let pid = std::fs::read_to_string(self.data.join("postmaster.pid"))
            .ok()
            .and_then(|s| s.lines().next()?.trim().parse::<i32>().ok())
            .expect("the postmaster's pid");
        let children = children_of(pid);
        // SAFETY: kill has no memory preconditions.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        for child in children {
            unsafe { libc::kill(child, libc::SIGKILL) };
        }
        self.stopped = true;
    }

    pub fn promote(&self) {
        self.pg_ctl(&["-w", "promote"]);
    }

    pub fn pg_ctl(&self, args: &[&str]) {
        let mut c = as_owner(&self.bin.join("pg_ctl"));
        c.arg("-D").arg(&self.data).args(args);
        run(c, "pg_ctl");
    }

    /// The folder the cluster is in, removed with it: room for a test's own
    /// files beside it (a CA's certificate).
    pub fn folder_path(&self) -> &Path {
        &self.root
    }

    /// `contents` as `name` in the data folder, the owner's alone (0600),
    /// as the server asks of its TLS key.
    pub fn write_private(&self, name: &str, contents: &[u8]) {
        let path = self.data.join(name);
        let owner_writes = format!("umask 077; cat > {}", path.display());
        let mut write = as_owner(Path::new("sh"));
        write.args(["-c", &owner_writes]);
        let mut child = write.stdin(Stdio::piped()).spawn().expect("sh");
        child.stdin.take().unwrap().write_all(contents).unwrap();
        assert!(child.wait().unwrap().success(), "{name} not written");
    }

    /// The URL of database `db` on this cluster.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{ROLE}@127.0.0.1:{}/{db}", self.port)
    }

    /// A new, empty database of its own for one test, and its URL.
    pub fn database(&self) -> String {
        static N: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
        self.url(&name)
    }

    /// Runs `sql` in database `db` with psql, and what it printed.
    pub fn sql(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(self.url(db))
            .arg("-c")
            .arg(sql)
            .stdin(Stdio::null())
            .output()
            .expect("psql");
        assert!(
            out.status.success(),
            "psql {sql:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if !self.stopped {
            let mut c = as_owner(&self.bin.join("pg_ctl"));
            c.arg("-D")
                .arg(&self.data)
                .args(["-m", "immediate", "-w", "stop"]);
            let _ = c.stdin(Stdio::null()).output();
        }
        // Dropping the guard's pipe lets it remove the folder.
        if let Some((mut child, stdin)) = self._guard.take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

/// The processes whose parent is `pid`.
fn children_of(pid: i32) -> Vec<i32> {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    procs
        .flatten()
        .filter_map(|e| {
            let child: i32 = e.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // `pid (name) state ppid …`: the name may hold spaces, so after the last ')'.
            let ppid: i32 = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == pid).then_some(child)
        })
        .collect()
}

/// A primary with `synchronous_commit = on` and a hot standby of it,
/// streaming and synchronous (`synchronous_standby_names = '*'`), with a
/// database `gavel` that has gavel's tables; and that database's URL.
pub fn synchronous_pair() -> (Cluster, Cluster, String) {
    let primary = Cluster::start("synchronous_commit = on\n");
    primary.sql("postgres", "CREATE DATABASE gavel");
    let url = primary.url("gavel");
    gavel::store::migrate::init(&mut gavel::store::postgres::connect(&url).unwrap()).unwrap();
    let mut standby = Cluster::standby_of(&primary, "hot_standby = on\n");
    standby.pg_ctl_start();
    // Only once the standby is there: with no standby, a synchronous
    // primary waits for one at every commit.
    primary.sql(
        "postgres",
        "ALTER SYSTEM SET synchronous_standby_names = '*'",
    );
    primary.sql("postgres", "SELECT pg_reload_conf()");
    wait_for_sync(&primary);
    (primary, standby, url)
}

/// Waits until the primary has its standby streaming, and synchronous.
pub fn wait_for_sync(primary: &Cluster) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let state = primary.sql(
            "postgres",
            "SELECT string_agg(sync_state, ',') FROM pg_stat_replication",
        );
        if state == "sync" {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the standby never became synchronous ({state:?})"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The cluster every test of this process shares, started on first use.
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(|| Cluster::start(""))
}

/// A fresh database on the shared cluster.
pub fn database() -> String {
    shared().database()
}

/// How many server processes serve the client's database besides its own.
pub fn other_backends(client: &mut postgres::Client) -> i64 {
    client
        .query_one(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

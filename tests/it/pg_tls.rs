//! TLS to PostgreSQL, through the binary as an officer types it: a cluster
//! of the tests' own with `ssl = on` and a certificate for `db.example`
//! signed by a CA the test makes (rcgen), reached on loopback by
//! `hostaddr`. verify-full with the right CA connects and appends; a wrong CA
//! or a host name the certificate lacks is refused saying which; `require`
//! against a server without TLS is refused saying so; the default uses TLS
//! when the server offers it and checks nothing. The server's log
//! (`log_connections`) tells which connections were encrypted.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};

use crate::support::{self, GAVEL, pg};

/// The host name on the server's certificate; it resolves nowhere, so the
/// URLs give `hostaddr=127.0.0.1` with it.
const HOST: &str = "db.example";

struct Secure {
    cluster: pg::Cluster,
    /// The CA that signed the server's certificate, and another.
    ca: PathBuf,
    other_ca: PathBuf,
}

fn secure() -> &'static Secure {
    static SECURE: OnceLock<Secure> = OnceLock::new();
    SECURE.get_or_init(|| {
        let mut cluster = pg::Cluster::init(
            "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n\
             log_connections = on\n",
        );
        let (ca_pem, issuer) = ca("gavel test CA");
        let (other_pem, _) = ca("another CA");
        let mut params = CertificateParams::new(vec![HOST.to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, HOST);
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();
        cluster.write_private("server.crt", cert.pem().as_bytes());
        cluster.write_private("server.key", key.serialize_pem().as_bytes());
        cluster.pg_ctl_start();
        let ca = cluster.folder_path().join("ca.pem");
        let other_ca = cluster.folder_path().join("other-ca.pem");
        std::fs::write(&ca, ca_pem).unwrap();
        std::fs::write(&other_ca, other_pem).unwrap();
        Secure {
            cluster,
            ca,
            other_ca,
        }
    })
}

fn ca(name: &str) -> (String, Issuer<'static, KeyPair>) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), Issuer::new(params, key))
}

/// A new database on the TLS cluster with gavel's tables: its name, and
/// its URL by the certificate's host name (`?hostaddr=…` already there).
fn database() -> (String, String) {
    let s = secure();
    let by_ip = s.cluster.database();
    let name = by_ip.rsplit('/').next().unwrap().to_string();
    let mut client = gavel::store::postgres::connect(&by_ip).unwrap();
    gavel::store::migrate::init(&mut client).unwrap();
    let url = format!(
        "postgres://{}:s3cret@{HOST}:{}/{name}?hostaddr=127.0.0.1",
        pg::ROLE,
        s.cluster.port
    );
    (name, url)
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn gavel(home: &Path, store: &str, args: &[&str]) -> Out {
    let out = Command::new(GAVEL)
        .args(args)
        .env("GAVEL_LOG_DIR", home.join("logs"))
        .env("GAVEL_NOW", support::local_time("15:41:20"))
        .env("USER", "ana")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GAVEL_STORE", store)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Out {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn opened(home: &Path, store: &str) -> Out {
    gavel(home, store, &["do", support::SEED_FILE, "open"])
}

/// A refusal: exit 1, no password printed, and `why` said.
fn refused(out: &Out, why: &str) {
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains(why), "{why:?} not in: {}", out.stderr);
    assert!(!out.stderr.contains("s3cret"), "{}", out.stderr);
}

/// How many events the meeting has in database `db` of the TLS cluster.
fn events(db: &str) -> String {
    secure()
        .cluster
        .sql(db, "SELECT count(*) FROM gavel_events")
}

/// The server's log so far, its length marking where a test's own lines begin.
fn server_log() -> String {
    std::fs::read_to_string(secure().cluster.folder_path().join("server.log")).unwrap()
}

/// Whether the server logged gavel's connections to `db` after `from` as
/// encrypted: `Some(true)` all of them, `Some(false)` none, `None` none logged.
fn encrypted(db: &str, from: usize) -> Option<bool> {
    let log = server_log();
    let ours: Vec<&str> = log[from..]
        .lines()
        .filter(|l| l.contains(&format!("database={db} application_name=gavel")))
        .collect();
    let tls = ours.iter().filter(|l| l.contains("SSL enabled")).count();
    match (ours.len(), tls) {
        (0, _) => None,
        (n, t) if n == t => Some(true),
        (_, 0) => Some(false),
        _ => panic!("some connections encrypted, some not: {ours:#?}"),
    }
}

#[test]
fn verify_full_with_the_right_ca_connects_over_tls_and_appends() {
    let home = tempfile::tempdir().unwrap();
    let (db, url) = database();
    let store = format!(
        "{url}&sslmode=verify-full&sslrootcert={}",
        secure().ca.display()
    );
    let from = server_log().len();
    let out = opened(home.path(), &store);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("open"), "{}", out.stdout);
    assert_eq!(events(&db), "1");
    assert_eq!(encrypted(&db, from), Some(true));
}

#[test]
fn a_wrong_ca_is_refused_saying_so() {
    let home = tempfile::tempdir().unwrap();
    let (db, url) = database();
    let other = secure().other_ca.display().to_string();
    let store = format!("{url}&sslmode=verify-full&sslrootcert={other}");
    refused(
        &opened(home.path(), &store),
        &format!(
            "TLS (sslmode=verify-full): the server's certificate is not signed by a CA of \
             sslrootcert {other}"
        ),
    );
    // verify-ca checks the CA too, and require does once one is given.
    for mode in ["verify-ca", "require"] {
        let store = format!("{url}&sslmode={mode}&sslrootcert={other}");
        refused(&opened(home.path(), &store), "is not signed by a CA of");
    }
    assert_eq!(events(&db), "0");
}

#[test]
fn a_host_name_the_certificate_does_not_have_is_refused_but_verify_ca_takes_it() {
    let home = tempfile::tempdir().unwrap();
    let (db, url) = database();
    let by_ip = url.replace(&format!("@{HOST}:"), "@127.0.0.1:");
    let ca = secure().ca.display().to_string();
    refused(
        &opened(
            home.path(),
            &format!("{by_ip}&sslmode=verify-full&sslrootcert={ca}"),
        ),
        "the server's certificate is not for the host 127.0.0.1 (it is for db.example)",
    );
    assert_eq!(events(&db), "0");
    let out = opened(
        home.path(),
        &format!("{by_ip}&sslmode=verify-ca&sslrootcert={ca}"),
    );
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(events(&db), "1");
}

#[test]
fn require_against_a_server_without_tls_is_refused_plainly() {
    let home = tempfile::tempdir().unwrap();
    let plain = pg::database();
    let mut client = gavel::store::postgres::connect(&plain).unwrap();
    gavel::store::migrate::init(&mut client).unwrap();
    let with_password = plain.replace(&format!("{}@", pg::ROLE), &format!("{}:s3cret@", pg::ROLE));
    for mode in ["require", "verify-full"] {
        let store = format!(
            "{with_password}?sslmode={mode}&sslrootcert={}",
            secure().ca.display()
        );
        refused(
            &opened(home.path(), &store),
            &format!(
                "the server does not offer TLS (its `ssl` setting is off), and sslmode={mode} asks for it"
            ),
        );
    }
    // The default, prefer, takes a server without TLS as it is.
    let out = opened(home.path(), &plain);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
}

#[test]
fn the_default_uses_tls_when_offered_and_checks_nothing_and_disable_does_not() {
    let home = tempfile::tempdir().unwrap();
    // By address, with no CA: verify-full would refuse it twice over.
    let (db, url) = database();
    let by_ip = url.replace(&format!("@{HOST}:"), "@127.0.0.1:");
    let from = server_log().len();
    let out = opened(home.path(), &by_ip);
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(encrypted(&db, from), Some(true));

    let (db, url) = database();
    let from = server_log().len();
    let out = opened(home.path(), &format!("{url}&sslmode=disable"));
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert_eq!(encrypted(&db, from), Some(false));
}

#[test]
fn a_check_without_a_ca_says_how_to_give_one() {
    let home = tempfile::tempdir().unwrap();
    let (_, url) = database();
    refused(
        &opened(home.path(), &format!("{url}&sslmode=verify-full")),
        "give sslrootcert=/path/to/ca.pem",
    );
}

//! The tests' own PostgreSQL cluster: it starts, answers, runs as an
//! unprivileged user, and gives each test a database of its own.

use crate::support::pg;

#[test]
fn the_shared_cluster_answers_on_loopback_as_an_unprivileged_user() {
    let cluster = pg::shared();
    assert_eq!(cluster.sql("postgres", "SELECT 1 + 1"), "2");
    let owner = cluster.sql("postgres", "SHOW data_directory");
    assert!(owner.contains("gavel-pg-"), "{owner}");
    let listen = cluster.sql("postgres", "SHOW listen_addresses");
    assert_eq!(listen, "127.0.0.1");
    // The server never runs as root: its postmaster (a backend psql used
    // is gone once psql is, so the postmaster is the one to look at).
    let pid = std::fs::read_to_string(cluster.data.join("postmaster.pid")).unwrap();
    let pid = pid.lines().next().unwrap().trim();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let uid = status.lines().find(|l| l.starts_with("Uid:")).unwrap();
    assert!(!uid.split_whitespace().skip(1).any(|u| u == "0"), "{uid}");
}

#[test]
fn each_test_gets_a_database_of_its_own() {
    let (a, b) = (pg::database(), pg::database());
    assert_ne!(a, b);
    let db = a.rsplit('/').next().unwrap();
    let cluster = pg::shared();
    cluster.sql(db, "CREATE TABLE t (x int)");
    assert_eq!(cluster.sql(db, "SELECT count(*) FROM t"), "0");
}

#[test]
fn a_cluster_of_a_tests_own_is_stopped_and_removed_when_dropped() {
    let cluster = pg::Cluster::start("");
    let root = cluster.data.parent().unwrap().to_path_buf();
    assert_eq!(cluster.sql("postgres", "SELECT 'up'"), "up");
    let port = cluster.port;
    drop(cluster);
    assert!(!root.exists(), "{} was left behind", root.display());
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn a_stopped_cluster_starts_again_with_its_data() {
    let mut cluster = pg::Cluster::start("");
    cluster.sql(
        "postgres",
        "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)",
    );
    cluster.stop();
    assert!(std::net::TcpStream::connect(("127.0.0.1", cluster.port)).is_err());
    cluster.pg_ctl_start();
    assert_eq!(cluster.sql("postgres", "SELECT x FROM kept"), "7");
}

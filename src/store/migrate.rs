//! The schema in a PostgreSQL store, versioned: `gavel store init` applies
//! what is missing, in order, each in its own transaction; opening a
//! meeting only checks that the schema is the one this gavel reads.

use postgres::Client;

/// Every migration, in order; the version is its place, from 1. A new one
/// is added at the end, never changed once released.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "one table of every meeting's events, and a notice on each insert",
        "CREATE TABLE gavel_events (
         meeting_id   text        NOT NULL,
         seq          bigint      NOT NULL CHECK (seq > 0),
         v            smallint    NOT NULL,
         at           timestamptz NOT NULL,
         -- What timestamptz (microseconds) cannot hold of the time recorded.
         at_ns        smallint    NOT NULL DEFAULT 0 CHECK (at_ns BETWEEN 0 AND 999),
         by           text        NOT NULL,
         event        jsonb       NOT NULL,
         meeting_hash text        NOT NULL,
         PRIMARY KEY (meeting_id, seq)
     );
     CREATE FUNCTION gavel_notify() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
         PERFORM pg_notify(
             'gavel_' || left(encode(sha256(convert_to(NEW.meeting_id, 'UTF8')), 'hex'), 16),
             NEW.seq::text);
         RETURN NULL;
     END $$;
     CREATE TRIGGER gavel_events_notify AFTER INSERT ON gavel_events
         FOR EACH ROW EXECUTE FUNCTION gavel_notify();",
    ),
    (
        "the meeting files the events were recorded with, by hash, for gavel rooms",
        "CREATE TABLE gavel_meeting_files (
             hash       text        PRIMARY KEY,
             meeting_id text        NOT NULL,
             file       text        NOT NULL,
             stored_at  timestamptz NOT NULL DEFAULT now()
         );",
    ),
];

/// The schema version this gavel reads and writes.
pub const LATEST: i32 = MIGRATIONS.len() as i32;

/// Ties `store init` runs on one database together, so that two at once
/// do not both apply the same migration.
const INIT_LOCK: i64 = 0x6761_7665_6c00;

/// Applies the migrations the store lacks; the versions applied, none when
/// it was up to date.
pub fn init(client: &mut Client) -> Result<Vec<(i32, &'static str)>, postgres::Error> {
    let mut applied = Vec::new();
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&INIT_LOCK])?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS gavel_migrations (
             version    integer     PRIMARY KEY,
             name       text        NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now()
         )",
    )?;
    let have: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM gavel_migrations",
            &[],
        )?
        .get(0);
    for (version, (name, sql)) in (1..).zip(MIGRATIONS).skip(have.max(0) as usize) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO gavel_migrations (version, name) VALUES ($1, $2)",
            &[&version, name],
        )?;
        applied.push((version, *name));
    }
    tx.commit()?;
    Ok(applied)
}

/// The store's schema version: 0 when `store init` never ran on it.
pub fn version(client: &mut Client) -> Result<i32, postgres::Error> {
    let table: Option<String> = client
        .query_one("SELECT to_regclass('gavel_migrations')::text", &[])?
        .get(0);
    if table.is_none() {
        return Ok(0);
    }
    client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM gavel_migrations",
            &[],
        )
        .map(|row| row.get(0))
}

/// Why a store at `version` cannot be used by this gavel, if it cannot.
pub fn unusable(version: i32, store: &str) -> Option<String> {
    match version {
        0 => Some(format!(
            "{store} has no gavel tables yet: run `gavel store init {store}` once first"
        )),
        v if v < LATEST => Some(format!(
            "{store} is at schema version {v} and this gavel needs {LATEST}: run \
             `gavel store init {store}` to bring it up to date"
        )),
        v if v > LATEST => Some(format!(
            "{store} is at schema version {v}, made by a newer gavel than this one (which \
             reads {LATEST}): use that gavel"
        )),
        _ => None,
    }
}

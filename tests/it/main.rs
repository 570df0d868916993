//! Every integration test in one binary: linking the crate, ratatui and
//! tokio once instead of once a file is most of what `cargo test` costs.
//!
//! A test's name is its module path, `kill::killed_writers_lose_nothing_they_acknowledged`,
//! so `cargo test --test it kill::` runs one file's tests.

mod support;

mod cli;
mod concurrency;
mod config_fixtures;
mod export_escaping;
mod general_assembly;
mod hostile;
mod journal_append;
mod journal_faults;
mod journal_modes;
mod journal_processes;
mod journal_recovery;
mod journal_session_log;
mod kill;
mod perf_smoke;
mod permissions;
mod pg_cli;
mod pg_cluster;
mod pg_failover;
mod pg_journal;
mod pg_kill;
mod pg_serve;
mod pg_standby;
mod pg_tls;
mod pg_walkthrough;
mod replay;
mod seat_offers;
mod serve;
mod serve_browser;
mod shared_host;
mod shell;
mod tui_loop;
mod tui_officer;
mod tui_panes;
mod tui_pty;
mod tui_rooms;
mod tui_screen;
mod tui_themes;
mod walkthrough;

//! gavel: live meeting operations in the terminal.
//!
//! The domain core (`domain`) is pure; `config`, `journal` and `cli` do the I/O
//! around it. Every front end goes command → decide → append (fsync) → apply.

pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod files;
pub mod import;
pub mod journal;
pub mod lang;
pub mod live;
pub mod now;
pub mod rooms;
pub mod status;
pub mod store;
pub mod text;
pub mod tui;
pub mod web;

//! The full-screen terminal interface: `gavel run` and `gavel board`.

pub mod app;
pub mod keys;
pub mod panes;
pub mod search;
pub mod theme;
pub mod ui;
pub mod worker;

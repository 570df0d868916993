//! The full-screen terminal interface: `gavel run` and `gavel board`.

pub mod app;
pub mod input;
pub mod keys;
pub mod layout;
pub mod panes;
pub mod run;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod ui;
pub mod worker;

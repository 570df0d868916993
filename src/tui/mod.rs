//! The full-screen terminal interface: `gavel run` and `gavel board`.

pub mod app;
pub mod columns;
pub mod draw;
pub mod input;
pub mod keys;
pub mod message;
pub mod panes;
pub mod prompt;
pub mod run;
pub mod search;
pub mod terminal;
pub mod theme;
pub mod view;
pub mod worker;

//! The four panes and the board, each a pure function from a `View` to a frame area.

pub mod board;
pub mod clock;
pub mod notes;
pub mod seats;
pub mod speakers;

//! The append-only journal on disk and the session log beside it.

//! Why a command was not carried out, shared by every part of `decide`.

/// Why a command was not carried out. Nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// The outcome of judging a command: the events that record it, or why not.
pub(super) type Decided = Result<Vec<super::event::Event>, Refusal>;

pub(super) fn refuse<T>(why: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal(why.into()))
}

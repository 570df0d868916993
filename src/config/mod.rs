//! The meeting file: TOML in, a validated `domain::Meeting` out.

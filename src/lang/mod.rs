//! The command language of the `:` prompt and `gavel do`, parsed in one place.

//! The token a non-loopback board asks for: given as `?token=` or
//! `Authorization: Bearer`, compared in constant time.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Shorter tokens are refused at start-up: a board on a network is guessed at.
pub const SHORTEST: usize = 16;

#[derive(Clone)]
pub struct Token {
    digest: [u8; 32],
}

/// Never shows the digest, in a log or an error.
impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

impl Token {
    /// A token of at least [`SHORTEST`] visible ASCII characters, else why not.
    pub fn new(text: &str) -> Result<Token, String> {
        if text.chars().count() < SHORTEST {
            return Err(format!(
                "--token must be at least {SHORTEST} characters (e.g. `openssl rand -hex 16`)"
            ));
        }
        if !text.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "--token must be visible ASCII characters only, without spaces (e.g. `openssl rand -hex 16`)"
                    .into(),
            );
        }
        Ok(Token {
            digest: Sha256::digest(text.as_bytes()).into(),
        })
    }

    /// Whether `given` is the token. Digests of equal length are compared
    /// byte for byte in constant time, so neither the length nor the first
    /// wrong byte shows in the time taken.
    pub fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        self.digest.ct_eq(&given).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_matches() {
        let token = Token::new("0123456789abcdef").unwrap();
        assert!(token.matches("0123456789abcdef"));
        assert!(!token.matches("0123456789abcdeF"));
        assert!(!token.matches("0123456789abcdef0"));
        assert!(!token.matches(""));
    }

    #[test]
    fn short_or_spaced_tokens_are_refused() {
        assert!(Token::new("short").unwrap_err().contains("at least 16"));
        assert!(
            Token::new("0123456789 abcdef")
                .unwrap_err()
                .contains("visible")
        );
    }
}

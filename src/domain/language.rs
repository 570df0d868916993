//! The language a statement is delivered in, for the interpreters.

use serde::{Deserialize, Serialize};

use crate::text::quoted;

/// The six official languages of the United Nations, by code and English name.
const OFFICIAL: [(&str, &str); 6] = [
    ("ar", "Arabic"),
    ("zh", "Chinese"),
    ("en", "English"),
    ("fr", "French"),
    ("ru", "Russian"),
    ("es", "Spanish"),
];

/// A language as an ISO 639 code, lower case: `fr`, or `pt` for a language
/// interpreted by relay. Kept as a code so every output shows it the same way.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(String);

impl Language {
    /// `fr`, `FR`, `French` or `french`; any other language by its two- or
    /// three-letter code. Anything else is refused, saying what is accepted.
    pub fn parse(text: &str) -> Result<Language, String> {
        let text = text.trim();
        if let Some((code, _)) = OFFICIAL
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(text))
        {
            return Ok(Language((*code).to_string()));
        }
        let is_code =
            (2..=3).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphabetic());
        if is_code {
            return Ok(Language(text.to_ascii_lowercase()));
        }
        Err(format!(
            "{} is not a language: give one of the official languages \
             (ar, zh, en, fr, ru, es, or its name, like French) or another by its \
             two- or three-letter code, like pt",
            quoted(text)
        ))
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    /// `French` for an official language, else the code: `pt`.
    pub fn name(&self) -> &str {
        OFFICIAL
            .iter()
            .find(|(code, _)| *code == self.0)
            .map_or(self.0.as_str(), |(_, name)| name)
    }

    /// `FR`, as a narrow column of a list shows it.
    pub fn tag(&self) -> String {
        self.0.to_ascii_uppercase()
    }
}

impl TryFrom<String> for Language {
    type Error = String;

    fn try_from(text: String) -> Result<Language, String> {
        let language = Language::parse(&text)?;
        // The journal keeps the code itself: a name or capitals there was not written by gavel.
        if language.0 != text {
            return Err(format!(
                "\"{text}\" is not a language code as gavel writes it"
            ));
        }
        Ok(language)
    }
}

impl From<Language> for String {
    fn from(language: Language) -> String {
        language.0
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn official_languages_are_known_by_code_or_name_and_others_by_code() {
        for (typed, code, name) in [
            ("fr", "fr", "French"),
            ("FR", "fr", "French"),
            ("french", "fr", "French"),
            ("Arabic", "ar", "Arabic"),
            ("pt", "pt", "pt"),
            ("swa", "swa", "swa"),
        ] {
            let language = Language::parse(typed).expect(typed);
            assert_eq!((language.code(), language.name()), (code, name), "{typed}");
        }
        for bad in ["", "f", "fran", "Europe", "f1", "fr-CA", "été"] {
            let refused = Language::parse(bad).expect_err(bad);
            assert!(refused.contains("is not a language"), "{bad}: {refused}");
        }
    }

    #[test]
    fn the_journal_reads_only_codes_as_written() {
        assert!(serde_json::from_str::<Language>("\"fr\"").is_ok());
        assert!(serde_json::from_str::<Language>("\"French\"").is_err());
        assert!(serde_json::from_str::<Language>("\"FR\"").is_err());
        assert_eq!(
            serde_json::to_string(&Language::parse("es").unwrap()).unwrap(),
            "\"es\""
        );
    }
}

//! How long a cookie lives, as a site owner writes it in the configuration
//! (`"session"`, `"30 days"`, `"13 months"`), so the widget can say it in any language.

use std::fmt;

/// Read from and written as the text a site owner writes (`"13 months"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "String", into = "String"))]
pub enum CookieDuration {
    Session,
    Span { amount: u32, unit: TimeUnit },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Minute,
    Hour,
    Day,
    Month,
    Year,
}

impl TimeUnit {
    /// The locale key under `duration.` that names this unit.
    pub fn key(self) -> &'static str {
        match self {
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
        }
    }

    fn parse(word: &str) -> Option<Self> {
        match word {
            "minute" | "minutes" => Some(TimeUnit::Minute),
            "hour" | "hours" => Some(TimeUnit::Hour),
            "day" | "days" => Some(TimeUnit::Day),
            "month" | "months" => Some(TimeUnit::Month),
            "year" | "years" => Some(TimeUnit::Year),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurationError(String);

impl std::error::Error for DurationError {}

impl fmt::Display for DurationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a duration: write \"session\" or a number and a unit, e.g. \"30 days\" (units: minutes, hours, days, months, years)",
            self.0
        )
    }
}

impl TryFrom<String> for CookieDuration {
    type Error = DurationError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let trimmed = text.trim().to_ascii_lowercase();
        if trimmed == "session" {
            return Ok(CookieDuration::Session);
        }
        let mut words = trimmed.split_whitespace();
        let parsed = match (words.next(), words.next(), words.next()) {
            (Some(number), Some(unit), None) => {
                number.parse::<u32>().ok().filter(|amount| *amount > 0).zip(TimeUnit::parse(unit))
            }
            _ => None,
        };
        parsed.map(|(amount, unit)| CookieDuration::Span { amount, unit }).ok_or(DurationError(text))
    }
}

/// `"session"`, `"1 day"`, `"13 months"`: the form serde writes.
#[cfg(feature = "serde")]
impl From<CookieDuration> for String {
    fn from(duration: CookieDuration) -> String {
        match duration {
            CookieDuration::Session => "session".to_string(),
            CookieDuration::Span { amount, unit } => {
                format!("{amount} {}{}", unit.key(), if amount == 1 { "" } else { "s" })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<CookieDuration, DurationError> {
        CookieDuration::try_from(text.to_string())
    }

    #[test]
    fn reads_session_and_spans() {
        assert_eq!(parse("session"), Ok(CookieDuration::Session));
        assert_eq!(parse(" 13 Months "), Ok(CookieDuration::Span { amount: 13, unit: TimeUnit::Month }));
        assert_eq!(parse("1 day"), Ok(CookieDuration::Span { amount: 1, unit: TimeUnit::Day }));
        assert_eq!(parse("30 minutes"), Ok(CookieDuration::Span { amount: 30, unit: TimeUnit::Minute }));
    }

    #[test]
    fn rejects_what_it_cannot_say() {
        for bad in ["", "forever", "0 days", "-1 days", "3", "3 weeks", "3 days ago"] {
            let error = parse(bad).unwrap_err();
            assert!(error.to_string().contains("not a duration"), "{bad}");
        }
    }
}

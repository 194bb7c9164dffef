//! The period the dashboard shows: whole UTC days, `from` to `to` included, as chosen in its
//! form (`?from=2026-11-01&to=2026-11-30`); the last 30 days when none is.

use crate::store::daily::DAY_MILLIS;
use serde::Deserialize;
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Days shown when the form names no period.
const DEFAULT_DAYS: i64 = 30;
/// The longest period: ten years of bars still draw at once.
pub const MAX_DAYS: i64 = 3660;

/// The form's fields, as sent.
#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Days since 1970-01-01 (UTC), both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from_day: i64,
    pub to_day: i64,
}

impl Period {
    /// The period the query names, with `today` (a day number) for what it leaves out; or why
    /// it names none.
    pub fn from_query(query: &PeriodQuery, today: i64) -> Result<Period, String> {
        let read = |field: &str, text: &Option<String>| -> Result<Option<i64>, String> {
            match text.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => {
                    day_of(text).map(Some).ok_or_else(|| format!("{field} must be a date such as 2026-11-30"))
                }
            }
        };
        let to_day = read("To", &query.to)?.unwrap_or(today);
        let from_day = read("From", &query.from)?.unwrap_or(to_day - (DEFAULT_DAYS - 1));
        if from_day > to_day {
            return Err("From must not come after To".to_string());
        }
        if to_day - from_day >= MAX_DAYS {
            return Err(format!("a period spans at most {MAX_DAYS} days"));
        }
        Ok(Period { from_day, to_day })
    }

    pub fn today() -> i64 {
        crate::time::now_millis().div_euclid(DAY_MILLIS)
    }

    pub fn days(&self) -> impl Iterator<Item = i64> {
        self.from_day..=self.to_day
    }
}

/// `2026-11-30` as its day number.
pub fn day_of(text: &str) -> Option<i64> {
    let date = Date::parse(text, format_description!("[year]-[month]-[day]")).ok()?;
    Some(date.midnight().assume_utc().unix_timestamp().div_euclid(86_400))
}

/// A day number as `2026-11-30`.
pub fn date(day: i64) -> String {
    OffsetDateTime::from_unix_timestamp(day * 86_400)
        .map(|time| time.date().format(format_description!("[year]-[month]-[day]")).unwrap_or_default())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(from: &str, to: &str) -> PeriodQuery {
        PeriodQuery { from: Some(from.to_string()), to: Some(to.to_string()) }
    }

    #[test]
    fn dates_are_utc_day_numbers_both_ends_included() {
        let day = day_of("2026-11-30").unwrap();
        assert_eq!(day, 20_787);
        assert_eq!(date(day), "2026-11-30");
        let period = Period::from_query(&query("2026-11-01", "2026-11-30"), 0).unwrap();
        assert_eq!(period.days().count(), 30);
        assert_eq!(
            Period::from_query(&PeriodQuery::default(), day).unwrap(),
            Period { from_day: day - 29, to_day: day }
        );
    }

    #[test]
    fn a_period_backwards_too_long_or_unreadable_is_refused() {
        assert!(Period::from_query(&query("2026-12-01", "2026-11-30"), 0).is_err());
        assert!(Period::from_query(&query("2000-01-01", "2026-11-30"), 0).is_err());
        assert!(Period::from_query(&query("yesterday", "2026-11-30"), 0).is_err());
        assert!(Period::from_query(&query("2026-11-31", "2026-12-01"), 0).is_err());
    }
}

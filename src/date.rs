//! Calendar dates as plans use them (start, evaluation, due dates) and the reference date
//! of a command. Hand-written rather than a date crate: planboek needs only civil dates and
//! day arithmetic, which Hinnant's two small algorithms give exactly, and no time zones.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date without time or zone; ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A valid date, or None (month 13, 30 February, …).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Date { year, month, day })
    }

    /// The civil date `days` days after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// The reference date of a command: `pinned` (`--today`) if given, else the day (UTC) of
    /// `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention), else today by the
    /// clock. Commands call this once and pass the date down, so that a run that crosses
    /// midnight uses one date. A malformed `SOURCE_DATE_EPOCH` is an error, as its spec asks.
    pub fn reference(pinned: Option<Date>) -> Result<Date, String> {
        if let Some(date) = pinned {
            return Ok(date);
        }
        let secs = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(s) => s
                .trim()
                .parse::<i64>()
                .map_err(|_| format!("SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not `{s}`"))?,
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        };
        Ok(Date::from_unix_days(secs.div_euclid(86_400)))
    }

    /// The date `days` days later (or earlier, for a negative count).
    pub fn add_days(self, days: i64) -> Date {
        Date::from_unix_days(self.unix_days() + days)
    }

    /// `YYYY-MM-DD`, as `Display` writes it: by hand for the years plans have (0–9999), since
    /// every page shows a dozen dates and the formatter's padding is most of their cost.
    pub fn iso(self) -> String {
        if !(0..=9999).contains(&self.year) || self.month > 99 || self.day > 99 {
            return self.to_string();
        }
        let (y, m, d) = (self.year as u32, u32::from(self.month), u32::from(self.day));
        let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10, m / 10 % 10, m % 10, d / 10 % 10, d % 10];
        let mut out = String::with_capacity(10);
        for (i, digit) in digits.into_iter().enumerate() {
            if i == 4 || i == 6 {
                out.push('-');
            }
            out.push(char::from(b'0' + digit as u8));
        }
        out
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn unix_days(self) -> i64 {
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;

    /// Parses `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date of the form YYYY-MM-DD");
        let mut parts = s.splitn(3, '-');
        let (y, m, d) = (parts.next(), parts.next(), parts.next());
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            return Err(bad());
        };
        // Digits only: `parse` would also take a sign (`+202`, `+1`).
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
            return Err(bad());
        }
        let (y, m, d) = (y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
        Date::new(y, m, d).ok_or_else(|| format!("`{s}` is not a valid calendar date"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// Accepts a TOML local date (`2026-03-01`) or a string holding one.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let raw = Raw::deserialize(d).map_err(|_| de::Error::custom("expected a date such as 2026-03-01"))?;
        match raw {
            Raw::Text(s) => s.parse().map_err(de::Error::custom),
            Raw::Toml(dt) => match (dt.date, dt.time) {
                (Some(date), None) => Date::new(i32::from(date.year), date.month, date.day)
                    .ok_or_else(|| de::Error::custom(format!("`{dt}` is not a valid calendar date"))),
                _ => Err(de::Error::custom(format!("`{dt}` has a time; a date such as 2026-03-01 is expected"))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_is_what_display_writes() {
        for days in (-800_000..2_932_896).step_by(997).chain([-719_529, -719_528, 0, 2_932_896, 2_932_897]) {
            let d = Date::from_unix_days(days);
            assert_eq!(d.iso(), d.to_string(), "{d:?}");
        }
        for d in [
            Date { year: -5, month: 1, day: 2 },
            Date { year: 10_000, month: 12, day: 31 },
            Date { year: 7, month: 123, day: 200 },
        ] {
            assert_eq!(d.iso(), d.to_string(), "{d:?}");
        }
    }

    #[test]
    fn unix_days_round_trip_known_dates() {
        assert_eq!(Date::from_unix_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_unix_days(20_513).to_string(), "2026-03-01");
        assert_eq!(Date::from_unix_days(-1).to_string(), "1969-12-31");
        for days in [-800_000, -1, 0, 59, 20_513, 2_932_896] {
            assert_eq!(Date::from_unix_days(days).unix_days(), days);
        }
        let d = Date::new(2026, 2, 27).expect("date");
        assert_eq!(d.add_days(2).to_string(), "2026-03-01");
        assert_eq!(d.add_days(-58).to_string(), "2025-12-31");
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!("2024-02-29".parse::<Date>().map(|d| d.day), Ok(29));
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2023-2-1".parse::<Date>().is_err());
        assert!("morgen".parse::<Date>().is_err());
        assert!("+202-01-01".parse::<Date>().is_err() && "2026-+1-+5".parse::<Date>().is_err(), "no signs");
    }
}

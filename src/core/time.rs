//! Wall-clock instants as Unix milliseconds, and their formatting (UTC, no time-zone database).

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// RFC 3339 in UTC, always with milliseconds.
const RFC3339_MILLIS: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");

/// Milliseconds since the Unix epoch.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct UnixMillis(pub i64);

impl UnixMillis {
    /// The current wall-clock time.
    pub fn now() -> Self {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self(i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
    }

    /// From whole seconds (a JWT NumericDate).
    pub fn from_secs(secs: i64) -> Self {
        Self(secs.saturating_mul(1000))
    }

    /// Whole seconds since the epoch.
    pub fn as_secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn millis_since(self, earlier: Self) -> i64 {
        self.0.saturating_sub(earlier.0)
    }

    /// `HH:MM:SS.mmm` in UTC.
    pub fn time_of_day(self) -> String {
        let ms = self.0.rem_euclid(86_400_000);
        let (h, m, s, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        format!("{h:02}:{m:02}:{s:02}.{milli:03}")
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2026-11-23T01:02:03.004Z`. An instant RFC
    /// 3339 cannot write (a year before 0000 or after 9999, from a hostile `exp`, say) is told
    /// as its milliseconds from the epoch.
    pub fn rfc3339(self) -> String {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(self.0) * 1_000_000)
            .ok()
            .filter(|at| (0..=9999).contains(&at.year()))
            .and_then(|at| at.format(RFC3339_MILLIS).ok())
            .unwrap_or_else(|| format!("{} ms from 1970-01-01T00:00:00.000Z", self.0))
    }
}

/// A duration in words a person reads at a glance: `850 ms`, `12 s`, `4m 12s`, `3h 05m`.
pub fn human_duration(millis: i64) -> String {
    let millis = millis.max(0);
    if millis < 1000 {
        return format!("{millis} ms");
    }
    let secs = millis / 1000;
    match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{}m {:02}s", secs / 60, secs % 60),
        _ => format!("{}h {:02}m", secs / 3600, secs / 60 % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(UnixMillis(0).rfc3339(), "1970-01-01T00:00:00.000Z");
        // 2026-11-23T01:25:10.123Z
        assert_eq!(
            UnixMillis(1_795_397_110_123).rfc3339(),
            "2026-11-23T01:25:10.123Z"
        );
        assert_eq!(
            UnixMillis(951_782_400_000).rfc3339(),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn instants_rfc_3339_cannot_write_are_told_in_milliseconds() {
        assert_eq!(
            UnixMillis(253_402_300_799_999).rfc3339(),
            "9999-12-31T23:59:59.999Z"
        );
        assert_eq!(
            UnixMillis(-62_167_219_200_000).rfc3339(),
            "0000-01-01T00:00:00.000Z"
        );
        assert_eq!(
            UnixMillis(i64::MAX).rfc3339(),
            "9223372036854775807 ms from 1970-01-01T00:00:00.000Z"
        );
        assert_eq!(
            UnixMillis(-62_167_219_200_001).rfc3339(),
            "-62167219200001 ms from 1970-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(850), "850 ms");
        assert_eq!(human_duration(12_000), "12 s");
        assert_eq!(human_duration(252_000), "4m 12s");
        assert_eq!(human_duration(3_600_000 * 3 + 5 * 60_000), "3h 05m");
    }
}

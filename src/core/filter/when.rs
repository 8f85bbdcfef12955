//! `after:` / `before:` values: an RFC 3339 instant (`2026-11-23T09:00:00Z`, offsets and
//! fractions too; no offset means UTC), a date (`2026-11-23`, its midnight UTC), or a time ago
//! (`-30s`, `-15m`, `-2h`, `-3d`, `-1w`) counted back from the evaluation's `now`.

use time::{Date, Month};

use super::super::time::UnixMillis;

/// A time bound of a term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum When {
    /// A fixed instant.
    At(UnixMillis),
    /// This many milliseconds before `now`.
    Ago(i64),
}

impl When {
    /// The instant, given the evaluation's `now`.
    pub fn instant(self, now: UnixMillis) -> UnixMillis {
        match self {
            Self::At(at) => at,
            Self::Ago(millis) => UnixMillis(now.0.saturating_sub(millis)),
        }
    }
}

const HINT: &str = "write an RFC 3339 time (2026-11-23T09:00:00Z), a date (2026-11-23) or a time \
                    ago (-30s, -15m, -2h, -3d)";

/// Parse a time value; the error is the message.
pub(super) fn parse(value: &str) -> Result<When, String> {
    let bad = |why: &str| format!("bad time `{}`: {why}{HINT}", super::fold::clip(value));
    if let Some(ago) = value.strip_prefix('-') {
        return relative(ago).map(When::Ago).ok_or_else(|| bad(""));
    }
    if value.len() < 10 {
        if relative(value).is_some() {
            return Err(bad(&format!("a time ago takes a minus, -{value}; ")));
        }
        return Err(bad(""));
    }
    absolute(value).map(When::At).map_err(bad)
}

/// `15m` → milliseconds.
fn relative(text: &str) -> Option<i64> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = text.split_at(split);
    if digits.is_empty() || digits.len() > 12 {
        return None;
    }
    let count: i64 = digits.parse().ok()?;
    let unit_ms = match unit.to_ascii_lowercase().as_str() {
        "s" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => return None,
    };
    count.checked_mul(unit_ms)
}

/// `YYYY-MM-DD[THH:MM[:SS[.fff]][Z|±HH:MM]]` → an instant.
fn absolute(text: &str) -> Result<UnixMillis, &'static str> {
    let b = text.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0_i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let sep = |at: usize, c: u8| b.get(at) == Some(&c);
    let (Some(year), Some(month), Some(day)) = (num(0, 4), num(5, 2), num(8, 2)) else {
        return Err("");
    };
    if !sep(4, b'-') || !sep(7, b'-') {
        return Err("");
    }
    let date = calendar_date(year, month, day).ok_or("no such date; ")?;
    let date = date.midnight().assume_utc().unix_timestamp() * 1000;
    if b.len() == 10 {
        return Ok(UnixMillis(date));
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return Err("");
    }
    let (Some(hour), Some(minute)) = (num(11, 2), num(14, 2)) else {
        return Err("");
    };
    if !sep(13, b':') {
        return Err("");
    }
    let mut at = 16;
    let mut second = 0;
    if sep(at, b':') {
        second = num(at + 1, 2).ok_or("")?;
        at += 3;
    }
    let mut millis = 0;
    if sep(at, b'.') {
        let digits = b.get(at + 1..).unwrap_or_default();
        let n = digits.iter().take_while(|d| d.is_ascii_digit()).count();
        if n == 0 {
            return Err("");
        }
        let mut scale = 100;
        for d in digits.iter().take(n.min(3)) {
            millis += i64::from(d - b'0') * scale;
            scale /= 10;
        }
        at += 1 + n;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err("no such time of day; ");
    }
    let offset = offset_minutes(b.get(at..).unwrap_or_default()).ok_or("")?;
    let time = ((hour * 60 + minute - offset) * 60 + second.min(59)) * 1000 + millis;
    Ok(UnixMillis(date + time))
}

/// `Z`, `+HH:MM`, `-HH:MM` or nothing (UTC) → minutes east of UTC.
fn offset_minutes(rest: &[u8]) -> Option<i64> {
    match rest {
        [] | [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let [h1, h2, m1, m2] = digits.map(|d| i64::from(d - b'0'));
            let (hours, minutes) = (h1 * 10 + h2, m1 * 10 + m2);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let total = hours * 60 + minutes;
            Some(if *sign == b'-' { -total } else { total })
        }
        _ => None,
    }
}

/// The proleptic Gregorian date, when there is one.
fn calendar_date(year: i64, month: i64, day: i64) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_instants_dates_and_times_ago() {
        let at = |text: &str| match parse(text) {
            Ok(When::At(at)) => at.rfc3339(),
            other => format!("{other:?}"),
        };
        assert_eq!(at("2026-11-23T09:00:00Z"), "2026-11-23T09:00:00.000Z");
        assert_eq!(at("2026-11-23"), "2026-11-23T00:00:00.000Z");
        assert_eq!(
            at("2026-11-23t10:30:15.1234+01:30"),
            "2026-11-23T09:00:15.123Z"
        );
        assert_eq!(at("2000-02-29T23:59"), "2000-02-29T23:59:00.000Z");
        assert_eq!(at("1969-12-31T23:59:59-00:00"), "1969-12-31T23:59:59.000Z");
        assert_eq!(parse("-15m"), Ok(When::Ago(900_000)));
        assert_eq!(parse("-3d"), Ok(When::Ago(259_200_000)));
        assert_eq!(parse("-30S"), Ok(When::Ago(30_000)));
    }

    #[test]
    fn says_what_is_wrong() {
        for bad in [
            "2026-13-01",
            "2026-02-29",
            "2026-11-23T24:00Z",
            "2026-11-23T09:00+1",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse("15m").unwrap_err().contains("-15m"));
        assert!(parse("-15x").is_err());
        assert!(parse("-999999999999999w").is_err());
        assert!(parse("2026-02-29").unwrap_err().contains("no such date"));
    }
}

//! One term of a filter: which field it asks about, the value as written, and the matcher made
//! from it at compile time (lower-cased needles, resolved event URIs, parsed times).

use strum::VariantArray as _;

use super::super::events::Family;
use super::super::lint::Level;
use super::super::record::Transport;
use super::super::verify::Verdict;
use super::FilterError;
use super::event_type;
use super::field::Field;
use super::fold;
use super::when::{self, When};

/// Whether a verdict passes a `verdict:` term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum VerdictIs {
    Valid,
    Invalid,
    Exactly(Verdict),
}

/// A term compiled for evaluation.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Matcher {
    Text(String),
    Events(Vec<String>),
    Family(Family),
    Subject(String),
    Stream(String),
    Iss(String),
    Jti(String),
    Verdict(VerdictIs),
    Finding(String),
    Severity(Level),
    Transport(Transport),
    Redelivered,
    Rejected,
    Accepted,
    After(When),
    Before(When),
}

/// One term: its field, its value as written (without quotes) and its matcher.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    field: Field,
    value: String,
    pub(super) matcher: Matcher,
}

impl Term {
    /// The field it asks about.
    pub fn field(&self) -> Field {
        self.field
    }

    /// The value as written, without quotes or escapes.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// For a `type:` term, the event-type URIs it matches (legacy spellings included).
    pub fn event_uris(&self) -> &[String] {
        match &self.matcher {
            Matcher::Events(uris) => uris,
            _ => &[],
        }
    }

    /// True for a time relative to the evaluation's `now`.
    pub(super) fn is_relative(&self) -> bool {
        matches!(
            self.matcher,
            Matcher::After(When::Ago(_)) | Matcher::Before(When::Ago(_))
        )
    }

    /// Free text or a quoted phrase.
    pub(super) fn text(value: &str) -> Self {
        Self {
            field: Field::Text,
            value: value.to_owned(),
            matcher: Matcher::Text(fold::lower(value)),
        }
    }

    /// The bare `redelivered` flag.
    pub(super) fn redelivered() -> Self {
        Self {
            field: Field::Is,
            value: "redelivered".to_owned(),
            matcher: Matcher::Redelivered,
        }
    }
}

/// Where a `field:value` pair is in the text: the name starts at `start`, the value (with its
/// quotes, if any) spans `value_start..value_end`.
pub(super) struct Spans {
    pub start: usize,
    pub value_start: usize,
    pub value_end: usize,
}

/// Compile `name:value`.
pub(super) fn field_term(
    text: &str,
    name: &str,
    value: &str,
    at: &Spans,
) -> Result<Term, FilterError> {
    let name_end = at.start + name.len();
    let Some(field) = Field::from_name(name) else {
        return Err(FilterError::new(
            text,
            at.start,
            name_end,
            unknown_field(name),
        ));
    };
    let value_error =
        |message: String| FilterError::new(text, at.value_start, at.value_end, message);
    if value.trim().is_empty() {
        return Err(FilterError::new(
            text,
            at.start,
            at.value_end.max(name_end + 1),
            format!(
                "empty `{0}:`: write a value right after the colon, e.g. {0}:{1}",
                field.name(),
                field.example()
            ),
        ));
    }
    let matcher = match field {
        Field::Text => Matcher::Text(fold::lower(value)),
        Field::Type => Matcher::Events(event_type::resolve(value).map_err(|e| {
            // A name inside a comma list is pointed at by itself (unquoted values only).
            let quoted = at.value_end - at.value_start != value.len();
            let (from, to) = if quoted {
                (at.value_start, at.value_end)
            } else {
                (at.value_start + e.start, at.value_start + e.end)
            };
            FilterError::new(text, from, to, e.message)
        })?),
        Field::Family => Matcher::Family(family(value).ok_or_else(|| {
            value_error(one_of(
                "family",
                value,
                "ssf, caep, risc, scim, oidc, unknown",
            ))
        })?),
        Field::Subject => Matcher::Subject(fold::lower(value)),
        Field::Stream => Matcher::Stream(fold::lower(value)),
        Field::Iss => Matcher::Iss(value.to_owned()),
        Field::Jti => Matcher::Jti(value.to_owned()),
        Field::Verdict => Matcher::Verdict(verdict(value).ok_or_else(|| {
            let names: Vec<&str> = VERDICTS.iter().map(|v| v.as_str()).collect();
            let listed = format!("valid, invalid (anything not valid), {}", names.join(", "));
            value_error(one_of("verdict", value, &listed))
        })?),
        Field::Finding => Matcher::Finding(fold::lower(value)),
        Field::Severity => Matcher::Severity(
            severity(value)
                .ok_or_else(|| value_error(one_of("severity", value, "error, warning, info")))?,
        ),
        Field::Transport => Matcher::Transport(
            transport(value)
                .ok_or_else(|| value_error(one_of("transport", value, "push, poll, file")))?,
        ),
        Field::Is => flag(value)
            .ok_or_else(|| value_error(one_of("is", value, "redelivered, rejected, accepted")))?,
        Field::After => Matcher::After(when::parse(value).map_err(value_error)?),
        Field::Before => Matcher::Before(when::parse(value).map_err(value_error)?),
    };
    Ok(Term {
        field,
        value: value.to_owned(),
        matcher,
    })
}

fn unknown_field(name: &str) -> String {
    let names: Vec<&str> = Field::NAMED.iter().map(|f| f.name()).collect();
    let close = fold::closest(name, names.iter().copied());
    let hint = close.map_or_else(String::new, |c| format!("did you mean `{c}:`? "));
    format!(
        "unknown field `{name}:`: {hint}the fields are {} (put text with a colon in quotes to \
         search for it)",
        names.join(", ")
    )
}

fn one_of(field: &str, value: &str, listed: &str) -> String {
    format!(
        "unknown {field} `{}`: write one of {listed}",
        fold::clip(value)
    )
}

/// Every verdict, for messages and `verdict:` names.
const VERDICTS: &[Verdict] = Verdict::ALL;

fn verdict(value: &str) -> Option<VerdictIs> {
    let snake = value.to_ascii_lowercase().replace('-', "_");
    match snake.as_str() {
        "valid" => Some(VerdictIs::Valid),
        "invalid" => Some(VerdictIs::Invalid),
        _ => VERDICTS
            .iter()
            .copied()
            .find(|v| v.as_str() == snake)
            .map(VerdictIs::Exactly),
    }
}

fn family(value: &str) -> Option<Family> {
    Family::VARIANTS
        .iter()
        .copied()
        .filter(|f| *f != Family::Unknown)
        .find(|f| f.tag().eq_ignore_ascii_case(value))
        .or_else(|| {
            value
                .eq_ignore_ascii_case("unknown")
                .then_some(Family::Unknown)
        })
}

fn severity(value: &str) -> Option<Level> {
    match value.to_ascii_lowercase().as_str() {
        "error" | "errors" => Some(Level::Error),
        "warning" | "warn" | "warnings" => Some(Level::Warning),
        "info" => Some(Level::Info),
        _ => None,
    }
}

fn transport(value: &str) -> Option<Transport> {
    Transport::VARIANTS
        .iter()
        .copied()
        .find(|t| t.as_str().eq_ignore_ascii_case(value))
}

fn flag(value: &str) -> Option<Matcher> {
    match value.to_ascii_lowercase().as_str() {
        "redelivered" => Some(Matcher::Redelivered),
        "rejected" | "refused" => Some(Matcher::Rejected),
        "accepted" => Some(Matcher::Accepted),
        _ => None,
    }
}

//! The filter language of the timeline and `watch` (issue 13): free text, quoted phrases and
//! `field:value` terms joined by `and`, `or`, `not` / `-` and parentheses.
//!
//! A filter is compiled once ([`Filter::parse`]): field names and enumerated values are checked,
//! event-type names resolved to their URIs (legacy spellings included), needles lower-cased and
//! times parsed. Evaluating it ([`Filter::matches`]) then allocates nothing. It runs against
//! anything that implements [`Filterable`]: a [`SetRecord`](super::record::SetRecord), or a
//! compact index row that keeps interned ids instead of the claims. Such a row cannot answer
//! free text; [`Filter::needs_full_record`] says whether a filter has free text, and
//! [`Filter::check`] answers "cannot tell" instead of guessing.
//!
//! Errors ([`FilterError`]) carry the offending span (bytes and characters) and say what to
//! write instead. Parsing never panics and takes time linear in the input; a filter has at most
//! [`MAX_FILTER_CHARS`] characters and [`MAX_TERMS`] terms, and parentheses nest at most
//! [`MAX_DEPTH`] deep, so checking one SET costs a bounded number of terms.
//!
//! Evaluation stops an `and` at its first false part and an `or` at its first true one, and
//! asks the parts that need no free text first: a field term decides before any text (claims,
//! or a compact row that cannot tell) is looked for.

mod eval;
mod event_type;
mod field;
mod fold;
mod lex;
mod parse;
mod record;
mod render;
mod term;
mod when;

use std::fmt;
use std::str::FromStr;

use super::time::UnixMillis;

pub use eval::Filterable;
pub use field::Field;
pub(crate) use fold::{contains_folded, eq_folded};
pub(crate) use record::claims_contain;
pub use render::with_term;
pub use term::Term;

/// A time as `after:` and `before:` take it (RFC 3339, a date, or a time ago such as `-2h`
/// counted back from `now`), for bounds given outside a filter (`export --since`); the error
/// says what to write.
pub fn instant(text: &str, now: UnixMillis) -> Result<UnixMillis, String> {
    when::parse(text).map(|when| when.instant(now))
}

/// How deep parentheses may nest.
pub const MAX_DEPTH: usize = 64;

/// The most terms (words, quoted phrases, `field:value`) a filter may have: each is checked
/// against every SET the filter is applied to.
pub const MAX_TERMS: usize = 64;

/// The most characters a filter text may have.
pub const MAX_FILTER_CHARS: usize = 4096;

/// Where in the filter text an error is: byte offsets for slicing the text, character counts
/// for a text editor's cursor (both from the start of the text, 0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// Byte offset of the span's start.
    pub offset: usize,
    /// Length of the span in bytes (0 at the end of the text).
    pub len: usize,
    /// Character index of the span's start (0-based).
    pub column: usize,
    /// Length of the span in characters.
    pub char_len: usize,
}

impl Position {
    /// The position of the bytes `start..end` of `text` (clamped to the text, and to
    /// character boundaries).
    pub(crate) fn of(text: &str, start: usize, end: usize) -> Self {
        let start = floor_boundary(text, start.min(text.len()));
        let end = floor_boundary(text, end.clamp(start, text.len()));
        let count = |from: usize, to: usize| text.get(from..to).map_or(0, |s| s.chars().count());
        Self {
            offset: start,
            len: end - start,
            column: count(0, start),
            char_len: count(start, end),
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A filter that does not parse: what is wrong, what to write instead, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("column {}: {message}", position.column + 1)]
pub struct FilterError {
    /// What is wrong and what to write instead.
    pub message: String,
    /// The offending span.
    pub position: Position,
}

impl FilterError {
    pub(crate) fn new(text: &str, start: usize, end: usize, message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            position: Position::of(text, start, end),
        }
    }
}

/// The expression tree; terms are indices into [`Filter::terms`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Expr {
    Term(usize),
    Not(Box<Self>),
    And(Vec<Self>),
    Or(Vec<Self>),
}

/// A compiled filter. The default filter is empty and matches everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    /// As written (for writing it back).
    expr: Option<Expr>,
    /// The same, in the order it is evaluated ([`plan`]).
    plan: Option<Expr>,
    terms: Vec<Term>,
}

impl Filter {
    /// Compile a filter text. Empty or white-space text gives the empty filter. A text over
    /// [`MAX_FILTER_CHARS`] characters, or with more than [`MAX_TERMS`] terms, is refused.
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        if let Some((over, _)) = text.char_indices().nth(MAX_FILTER_CHARS) {
            return Err(FilterError::new(
                text,
                over,
                text.len(),
                format!(
                    "the filter has {} characters; it may have at most {MAX_FILTER_CHARS}: \
                     shorten it (fields such as type: or subject: say more in fewer words)",
                    text.chars().count()
                ),
            ));
        }
        let tokens = lex::lex(text)?;
        let mut terms = Vec::new();
        let expr = parse::parse(text, &tokens, &mut terms)?;
        let plan = expr.as_ref().map(|expr| plan(expr, &terms));
        Ok(Self { expr, plan, terms })
    }

    /// True when the filter has no terms (it matches everything).
    pub fn is_empty(&self) -> bool {
        self.expr.is_none()
    }

    /// The terms, in the order they were written.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    /// True when some term is free text, which only a full record (with its claims) can answer;
    /// a compact row answers the others.
    pub fn needs_full_record(&self) -> bool {
        self.terms.iter().any(|t| t.field() == Field::Text)
    }

    /// The lower-cased needles of the free-text terms.
    pub fn text_needles(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().filter_map(|t| match &t.matcher {
            term::Matcher::Text(needle) => Some(needle.as_str()),
            _ => None,
        })
    }

    /// The lower-cased needles of the `subject:` terms.
    pub fn subject_needles(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().filter_map(|t| match &t.matcher {
            term::Matcher::Subject(needle) => Some(needle.as_str()),
            _ => None,
        })
    }

    /// True when the result depends on the `now` given to evaluation (`after:-15m`): a cached
    /// result goes stale as time passes.
    pub fn depends_on_now(&self) -> bool {
        self.terms.iter().any(Term::is_relative)
    }

    /// Whether `item` passes. An item that cannot answer a free-text term (see
    /// [`Filterable::text_contains`]) does not pass; use [`Self::check`] to tell that apart.
    pub fn matches<T: Filterable + ?Sized>(&self, item: &T, now: UnixMillis) -> bool {
        self.check(item, now) == Some(true)
    }

    /// Whether `item` passes, or `None` when that depends on free text the item cannot answer
    /// (then ask again with the full record). Never `None` for a [`SetRecord`](super::record::SetRecord).
    pub fn check<T: Filterable + ?Sized>(&self, item: &T, now: UnixMillis) -> Option<bool> {
        match &self.plan {
            None => Some(true),
            Some(plan) => eval::eval(plan, &self.terms, item, now),
        }
    }

    pub(crate) fn expr(&self) -> Option<&Expr> {
        self.expr.as_ref()
    }
}

/// `expr` in the order it is evaluated: within each `and` and `or`, the parts that need no free
/// text first (otherwise as written). Kleene's three-valued `and` and `or` do not depend on the
/// order of their parts, so the answer is the same; the cost is not, since free text is the
/// one term that reads claims, or that a compact row cannot answer.
fn plan(expr: &Expr, terms: &[Term]) -> Expr {
    let ordered = |parts: &[Expr]| {
        let mut planned: Vec<(bool, Expr)> = parts
            .iter()
            .map(|part| (asks_text(part, terms), plan(part, terms)))
            .collect();
        planned.sort_by_key(|(text, _)| *text);
        planned.into_iter().map(|(_, part)| part).collect()
    };
    match expr {
        Expr::Term(i) => Expr::Term(*i),
        Expr::Not(inner) => Expr::Not(Box::new(plan(inner, terms))),
        Expr::And(all) => Expr::And(ordered(all)),
        Expr::Or(any) => Expr::Or(ordered(any)),
    }
}

/// Whether `expr` has a free-text term.
fn asks_text(expr: &Expr, terms: &[Term]) -> bool {
    match expr {
        Expr::Term(i) => terms.get(*i).is_some_and(|t| t.field() == Field::Text),
        Expr::Not(inner) => asks_text(inner, terms),
        Expr::And(parts) | Expr::Or(parts) => parts.iter().any(|p| asks_text(p, terms)),
    }
}

impl FromStr for Filter {
    type Err = FilterError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl fmt::Display for Filter {
    /// The filter written back in a normal form (`and` implicit, `-` for `not`, quotes where
    /// needed); it parses to the same filter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.expr {
            None => Ok(()),
            Some(expr) => render::write_expr(f, expr, &self.terms),
        }
    }
}

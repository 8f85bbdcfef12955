//! What a filter asks of a SET ([`Filterable`]) and the evaluation itself: three-valued, so an
//! item that cannot answer free text makes only the parts that depend on it unknown
//! (`unknown and false` is false, `unknown or true` is true).

use super::super::events::Family;
use super::super::lint::Level;
use super::super::record::Transport;
use super::super::time::UnixMillis;
use super::super::verify::Verdict;
use super::Expr;
use super::fold::{contains_folded, eq_folded};
use super::term::{Matcher, Term, VerdictIs};

/// What the terms of a filter read from a SET. Implemented by
/// [`SetRecord`](super::super::record::SetRecord); a compact index row (interned ids, no claims)
/// can implement it as well and answer `None` to [`Self::text_contains`].
///
/// The `any_*` methods call `visit` for each item until it returns true, and return whether it
/// did; nothing needs to be collected or allocated.
pub trait Filterable {
    /// Each event as (URI as sent, family).
    fn any_event(&self, visit: &mut dyn FnMut(&str, Family) -> bool) -> bool;
    /// Each string member value of the subject identifiers (`sub_id`, complex subjects' inner
    /// identifiers, legacy in-event `subject` members).
    fn any_subject_value(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool;
    /// The subject on one line, as the timeline shows it.
    fn subject_line(&self) -> &str;
    /// The local stream name.
    fn stream(&self) -> &str;
    /// `iss`, when present.
    fn iss(&self) -> Option<&str>;
    /// `jti`, when present.
    fn jti(&self) -> Option<&str>;
    /// The signature verdict.
    fn verdict(&self) -> Verdict;
    /// Each lint finding as (rule id, severity).
    fn any_finding(&self, visit: &mut dyn FnMut(&str, Level) -> bool) -> bool;
    /// How it arrived.
    fn transport(&self) -> Transport;
    /// The same (`iss`, `jti`) arrived before.
    fn redelivered(&self) -> bool;
    /// The receiver refused it (an error answer, or no ack).
    fn rejected(&self) -> bool;
    /// When it arrived.
    fn received_at(&self) -> UnixMillis;
    /// Whether any of its texts contains `needle_lowercase` ignoring case (the needle is already
    /// lower-cased, character by character); `None` when this item cannot tell (it does not
    /// hold the texts).
    fn text_contains(&self, needle_lowercase: &str) -> Option<bool>;

    /// Whether a `subject:` term matches: a member value equals `needle_lowercase` ignoring
    /// case, or the subject line contains it. An item may answer from a cache.
    fn subject_matches(&self, needle_lowercase: &str) -> bool {
        self.any_subject_value(&mut |value| eq_folded(value, needle_lowercase))
            || contains_folded(self.subject_line(), needle_lowercase)
    }
}

/// Evaluate `expr`; `None` when the answer depends on text the item cannot tell.
pub(super) fn eval<T: Filterable + ?Sized>(
    expr: &Expr,
    terms: &[Term],
    item: &T,
    now: UnixMillis,
) -> Option<bool> {
    match expr {
        Expr::Term(i) => match terms.get(*i) {
            Some(term) => term_matches(&term.matcher, item, now),
            None => Some(false),
        },
        Expr::Not(inner) => eval(inner, terms, item, now).map(|b| !b),
        Expr::And(all) => {
            let mut answer = Some(true);
            for e in all {
                match eval(e, terms, item, now) {
                    Some(false) => return Some(false),
                    Some(true) => {}
                    None => answer = None,
                }
            }
            answer
        }
        Expr::Or(any) => {
            let mut answer = Some(false);
            for e in any {
                match eval(e, terms, item, now) {
                    Some(true) => return Some(true),
                    Some(false) => {}
                    None => answer = None,
                }
            }
            answer
        }
    }
}

fn term_matches<T: Filterable + ?Sized>(
    matcher: &Matcher,
    item: &T,
    now: UnixMillis,
) -> Option<bool> {
    let hit = match matcher {
        Matcher::Text(needle) => return item.text_contains(needle),
        Matcher::Events(uris) => item.any_event(&mut |uri, _| uris.iter().any(|u| u == uri)),
        Matcher::Family(family) => item.any_event(&mut |_, f| f == *family),
        Matcher::Subject(needle) => item.subject_matches(needle),
        Matcher::Stream(name) => eq_folded(item.stream(), name),
        Matcher::Iss(iss) => item.iss() == Some(iss.as_str()),
        Matcher::Jti(jti) => item.jti() == Some(jti.as_str()),
        Matcher::Verdict(wanted) => {
            let verdict = item.verdict();
            match wanted {
                VerdictIs::Valid => verdict.is_valid(),
                VerdictIs::Invalid => !verdict.is_valid(),
                VerdictIs::Exactly(v) => verdict == *v,
            }
        }
        Matcher::Finding(rule) => item.any_finding(&mut |r, _| eq_folded(r, rule)),
        Matcher::Severity(level) => item.any_finding(&mut |_, l| l == *level),
        Matcher::Transport(transport) => item.transport() == *transport,
        Matcher::Redelivered => item.redelivered(),
        Matcher::Rejected => item.rejected(),
        Matcher::Accepted => !item.rejected(),
        Matcher::After(when) => item.received_at() >= when.instant(now),
        Matcher::Before(when) => item.received_at() < when.instant(now),
    };
    Some(hit)
}

//! Filters written back as text: [`Filter`]'s `Display` (a normal form that parses to the same
//! filter) and [`with_term`], which adds one term to a filter text the user is editing.

use std::fmt::{self, Write as _};

use super::field::Field;
use super::term::Term;
use super::{Expr, Filter};

/// Write `expr` in normal form: `and` implicit, `-` for `not`, parentheses only around groups.
pub(super) fn write_expr(f: &mut fmt::Formatter<'_>, expr: &Expr, terms: &[Term]) -> fmt::Result {
    match expr {
        Expr::Term(i) => match terms.get(*i) {
            Some(term) => f.write_str(&term_text(term)),
            None => Ok(()),
        },
        Expr::Not(inner) => {
            f.write_char('-')?;
            grouped(f, inner, terms, true)
        }
        Expr::And(all) => {
            for (n, e) in all.iter().enumerate() {
                if n > 0 {
                    f.write_char(' ')?;
                }
                grouped(f, e, terms, matches!(e, Expr::And(_) | Expr::Or(_)))?;
            }
            Ok(())
        }
        Expr::Or(any) => {
            for (n, e) in any.iter().enumerate() {
                if n > 0 {
                    f.write_str(" or ")?;
                }
                grouped(f, e, terms, matches!(e, Expr::Or(_)))?;
            }
            Ok(())
        }
    }
}

/// `expr`, in parentheses when it is a group and `paren` asks for them.
fn grouped(f: &mut fmt::Formatter<'_>, expr: &Expr, terms: &[Term], paren: bool) -> fmt::Result {
    if paren && !matches!(expr, Expr::Term(_)) {
        f.write_char('(')?;
        write_expr(f, expr, terms)?;
        f.write_char(')')
    } else {
        write_expr(f, expr, terms)
    }
}

/// One term as it is written.
fn term_text(term: &Term) -> String {
    term_literal(term.field().name(), term.value())
}

/// `field:value` with the value quoted when it must be, or free text (`field` empty).
fn term_literal(field: &str, value: &str) -> String {
    if field.is_empty() {
        text_literal(value)
    } else {
        format!("{}:{}", field.to_ascii_lowercase(), value_literal(value))
    }
}

/// A field value: quoted when empty or when it holds white space, quotes or parentheses.
fn value_literal(value: &str) -> String {
    let plain = !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '(' | ')'));
    if plain {
        value.to_owned()
    } else {
        quote(value)
    }
}

/// Free text: quoted also when it would read as an operator, a flag, a `-` or a field.
fn text_literal(value: &str) -> String {
    let special = ["and", "or", "not", "redelivered"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(value));
    if special || value.starts_with('-') || value.contains(':') {
        quote(value)
    } else {
        value_literal(value)
    }
}

fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// `text` with the term `field:value` added, so that the filter keeps what it matched and also
/// requires the term (a click on a subject or an event type in the details). `field` is a
/// field name such as `subject` or `type`, or empty for free text; the value is quoted when it
/// needs to be. A text whose top level is an `or` is put in parentheses first; a text that
/// already requires the term is returned as it is.
pub fn with_term(text: &str, field: &str, value: &str) -> String {
    let term = term_literal(field, value);
    let current = text.trim();
    if current.is_empty() {
        return term;
    }
    if let Ok(filter) = Filter::parse(current) {
        if requires(&filter, field, value) {
            return text.to_owned();
        }
        if matches!(filter.expr(), Some(Expr::Or(_))) {
            return format!("({current}) {term}");
        }
    }
    format!("{current} {term}")
}

/// True when the filter's top level already requires `field:value`.
fn requires(filter: &Filter, field: &str, value: &str) -> bool {
    let wanted = if field.is_empty() {
        Some(Field::Text)
    } else {
        Field::from_name(field)
    };
    let is_it = |e: &Expr| match e {
        Expr::Term(i) => filter
            .terms()
            .get(*i)
            .is_some_and(|t| Some(t.field()) == wanted && t.value() == value),
        _ => false,
    };
    match filter.expr() {
        Some(Expr::And(all)) => all.iter().any(is_it),
        Some(one) => is_it(one),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_quoted_only_when_needed() {
        assert_eq!(
            term_literal("subject", "alice@example.com"),
            "subject:alice@example.com"
        );
        assert_eq!(
            term_literal("subject", "user: email a@b"),
            "subject:\"user: email a@b\""
        );
        assert_eq!(term_literal("", "or"), "\"or\"");
        assert_eq!(term_literal("", "say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(term_literal("Type", "-x"), "type:-x");
        assert_eq!(term_literal("", "-x"), "\"-x\"");
    }
}

//! Tokens → expression, by recursive descent: `or` binds loosest, then `and` (or two terms side
//! by side), then `not` / `-`. Only parentheses recurse, and at most [`MAX_DEPTH`] deep; a
//! run of `not`s is counted, not nested.

use super::lex::{Tok, Token};
use super::term::{self, Spans, Term};
use super::{Expr, FilterError, MAX_DEPTH, MAX_TERMS};

const OR_HINT: &str = "e.g. type:session-revoked or type:credential-change";

/// Parse the tokens; `None` when there are none. Terms are appended to `terms` and referred
/// to by index.
pub(super) fn parse(
    text: &str,
    tokens: &[Token],
    terms: &mut Vec<Term>,
) -> Result<Option<Expr>, FilterError> {
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut parser = Parser {
        text,
        tokens,
        at: 0,
        depth: 0,
        terms,
    };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(Some(expr)),
        // `or` stops only before `)` (or the end).
        Some(extra) => Err(parser.error(extra, unclosed_close())),
    }
}

fn unclosed_close() -> &'static str {
    "unbalanced parenthesis: this `)` closes nothing; remove it or add a `(` before it"
}

struct Parser<'a> {
    text: &'a str,
    tokens: &'a [Token],
    at: usize,
    depth: usize,
    terms: &'a mut Vec<Term>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<&'a Token> {
        let token = self.tokens.get(self.at);
        self.at += 1;
        token
    }

    fn error(&self, token: &Token, message: impl Into<String>) -> FilterError {
        FilterError::new(self.text, token.start, token.end, message)
    }

    /// True when no term can start here: the end, `)`, `and` or `or`.
    fn no_term_next(&self) -> bool {
        self.peek()
            .is_none_or(|t| t.tok == Tok::Close || t.is_keyword("and") || t.is_keyword("or"))
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut any = vec![self.and()?];
        while let Some(token) = self.peek().filter(|t| t.is_keyword("or")) {
            self.at += 1;
            if self.no_term_next() {
                return Err(self.error(token, format!("`or` needs a term on each side, {OR_HINT}")));
            }
            any.push(self.and()?);
        }
        Ok(one_or(any, Expr::Or))
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut all = vec![self.unary()?];
        while let Some(token) = self.peek() {
            if token.tok == Tok::Close || token.is_keyword("or") {
                break;
            }
            if token.is_keyword("and") {
                self.at += 1;
                if self.no_term_next() {
                    return Err(self.error(
                        token,
                        "`and` needs a term on each side, e.g. type:session-revoked and \
                         verdict:invalid (or leave `and` out: terms side by side must all match)",
                    ));
                }
            }
            all.push(self.unary()?);
        }
        Ok(one_or(all, Expr::And))
    }

    fn unary(&mut self) -> Result<Expr, FilterError> {
        let mut negate = false;
        while let Some(token) = self.peek() {
            if token.is_keyword("not") {
                self.at += 1;
                if self.no_term_next() {
                    return Err(
                        self.error(token, "`not` needs a term after it, e.g. not redelivered")
                    );
                }
            } else if token.tok == Tok::Minus {
                self.at += 1;
                let touching = self.peek().is_some_and(|next| next.start == token.end);
                if !touching || self.no_term_next() {
                    return Err(self.error(
                        token,
                        "`-` excludes the term right after it, with no space: write -redelivered \
                         or -(type:verification or type:stream-updated); put a lone - in quotes \
                         to search for it",
                    ));
                }
            } else {
                break;
            }
            negate = !negate;
        }
        let expr = self.primary()?;
        Ok(if negate {
            Expr::Not(Box::new(expr))
        } else {
            expr
        })
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        let Some(token) = self.next() else {
            let end = self.text.len();
            return Err(FilterError::new(
                self.text,
                end,
                end,
                "a term is missing at the end",
            ));
        };
        let starts_term = !matches!(token.tok, Tok::Open | Tok::Close | Tok::Minus);
        if starts_term && self.terms.len() >= MAX_TERMS {
            return Err(self.error(
                token,
                format!(
                    "more than {MAX_TERMS} terms: a filter may have at most {MAX_TERMS} words, \
                     phrases and field:value terms; say more with fewer, e.g. \
                     type:session-revoked subject:alice@example.com instead of many words"
                ),
            ));
        }
        let term = match &token.tok {
            Tok::Open => return self.group(token),
            Tok::Close => return Err(self.error(token, unclosed_close())),
            Tok::Minus => return Err(self.error(token, "`-` needs a term right after it")),
            Tok::Word {
                text,
                quoted: false,
            } if is_operator(text) => {
                let op = text.to_ascii_lowercase();
                return Err(self.error(
                    token,
                    format!(
                        "`{op}` needs a term on each side, {OR_HINT} (put it in quotes to \
                         search for the word)"
                    ),
                ));
            }
            Tok::Word {
                text,
                quoted: false,
            } if text.eq_ignore_ascii_case("redelivered") => Term::redelivered(),
            Tok::Word { text, quoted: true } if text.is_empty() => {
                return Err(self.error(
                    token,
                    "empty quotes: put the text to search for between them, or remove them",
                ));
            }
            Tok::Word { text, .. } => Term::text(text),
            Tok::Field {
                name,
                value,
                value_start,
                value_end,
            } => {
                let spans = Spans {
                    start: token.start,
                    value_start: *value_start,
                    value_end: *value_end,
                };
                term::field_term(self.text, name, value, &spans)?
            }
        };
        self.terms.push(term);
        Ok(Expr::Term(self.terms.len() - 1))
    }

    /// After `(`: the expression inside and its `)`.
    fn group(&mut self, open: &Token) -> Result<Expr, FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                open,
                format!(
                    "parentheses nested more than {MAX_DEPTH} deep: remove some (terms side by \
                     side need none)"
                ),
            ));
        }
        if let Some(close) = self.peek().filter(|t| t.tok == Tok::Close) {
            return Err(FilterError::new(
                self.text,
                open.start,
                close.end,
                "empty parentheses: put a term inside them, or remove them",
            ));
        }
        let inner = self.or()?;
        match self.next() {
            Some(close) if close.tok == Tok::Close => {}
            _ => {
                return Err(self.error(
                    open,
                    "unbalanced parenthesis: this `(` is never closed; add a `)`",
                ));
            }
        }
        self.depth -= 1;
        Ok(inner)
    }
}

fn is_operator(word: &str) -> bool {
    ["and", "or", "not"]
        .iter()
        .any(|op| op.eq_ignore_ascii_case(word))
}

/// The one expression of a list, else the list joined by `join`.
fn one_or(mut list: Vec<Expr>, join: fn(Vec<Expr>) -> Expr) -> Expr {
    if list.len() == 1
        && let Some(one) = list.pop()
    {
        return one;
    }
    join(list)
}

//! Filter text → tokens: parentheses, `-`, words, quoted phrases and `field:value` pairs, each
//! with its byte span. One pass, no backtracking.

use super::FilterError;

/// What a token is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    /// `(`
    Open,
    /// `)`
    Close,
    /// `-` at the start of a term.
    Minus,
    /// A bare word (keywords included) or a quoted phrase.
    Word { text: String, quoted: bool },
    /// `name:value` or `name:"quoted value"`.
    Field {
        name: String,
        value: String,
        value_start: usize,
        value_end: usize,
    },
}

/// A token and its byte span in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// True for an unquoted word equal to `keyword` in any case.
    pub fn is_keyword(&self, keyword: &str) -> bool {
        matches!(&self.tok, Tok::Word { text, quoted: false } if text.eq_ignore_ascii_case(keyword))
    }
}

/// Split the text into tokens.
pub(super) fn lex(text: &str) -> Result<Vec<Token>, FilterError> {
    let mut tokens = Vec::new();
    let mut at = 0;
    while let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) {
        let start = at;
        let single = |tok| Token {
            tok,
            start,
            end: start + 1,
        };
        match c {
            _ if c.is_whitespace() => {
                at += c.len_utf8();
                continue;
            }
            '(' => tokens.push(single(Tok::Open)),
            ')' => tokens.push(single(Tok::Close)),
            '-' => tokens.push(single(Tok::Minus)),
            '"' => {
                let (text, end) = quoted(text, start)?;
                tokens.push(Token {
                    tok: Tok::Word { text, quoted: true },
                    start,
                    end,
                });
            }
            _ => tokens.push(word(text, start)?),
        }
        at = tokens.last().map_or(start + c.len_utf8(), |t| t.end);
    }
    Ok(tokens)
}

/// True for the characters that end a bare word.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// A bare word starting at `start`, or a `field:value` pair.
fn word(text: &str, start: usize) -> Result<Token, FilterError> {
    let rest = text.get(start..).unwrap_or_default();
    let len = rest.find(ends_word).unwrap_or(rest.len());
    let chunk = rest.get(..len).unwrap_or_default();
    let end = start + len;
    let plain = || Token {
        tok: Tok::Word {
            text: chunk.to_owned(),
            quoted: false,
        },
        start,
        end,
    };
    let Some((name, value)) = chunk.split_once(':') else {
        return Ok(plain());
    };
    // `https://…` and `urn:…` are text (a pasted URI), not a field.
    if !is_field_name(name) || value.starts_with("//") || name.eq_ignore_ascii_case("urn") {
        return Ok(plain());
    }
    let field = |value: String, value_start: usize, value_end: usize| Token {
        tok: Tok::Field {
            name: name.to_owned(),
            value,
            value_start,
            value_end,
        },
        start,
        end: value_end,
    };
    if value.is_empty() && text.get(end..).is_some_and(|after| after.starts_with('"')) {
        let (value, value_end) = quoted(text, end)?;
        return Ok(field(value, end, value_end));
    }
    Ok(field(value.to_owned(), end - value.len(), end))
}

/// A letter, then letters, digits or `_`.
fn is_field_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The phrase of a quote opening at `start`, and the byte after its closing quote. `\"` is a
/// quote inside it and `\\` a backslash; any other backslash is kept as written.
fn quoted(text: &str, start: usize) -> Result<(String, usize), FilterError> {
    let body = text.get(start + 1..).unwrap_or_default();
    let mut phrase = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((phrase, start + 1 + i + 1)),
            '\\' => match chars.next() {
                Some((_, next @ ('"' | '\\'))) => phrase.push(next),
                Some((_, next)) => {
                    phrase.push('\\');
                    phrase.push(next);
                }
                None => phrase.push('\\'),
            },
            _ => phrase.push(c),
        }
    }
    Err(FilterError::new(
        text,
        start,
        text.len(),
        "unterminated quote: add a closing \" (write \\\" for a quote inside a phrase)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        lex(text)
            .unwrap_or_default()
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn splits_words_fields_quotes_and_parentheses() {
        let tokens = lex("-(type:\"a b\" https://x/y) \"say \\\"hi\\\"\"").unwrap();
        let spans: Vec<(usize, usize)> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(
            spans,
            [(0, 1), (1, 2), (2, 12), (13, 24), (24, 25), (26, 38)]
        );
        assert_eq!(
            tokens[2].tok,
            Tok::Field {
                name: "type".to_owned(),
                value: "a b".to_owned(),
                value_start: 7,
                value_end: 12
            }
        );
        assert!(
            matches!(&tokens[3].tok, Tok::Word { text, quoted: false } if text == "https://x/y")
        );
        assert!(matches!(&tokens[5].tok, Tok::Word { text, quoted: true } if text == "say \"hi\""));
    }

    #[test]
    fn only_word_like_names_make_fields() {
        assert!(matches!(&kinds("10:30")[0], Tok::Word { .. }));
        assert!(matches!(&kinds("urn:ietf:x")[0], Tok::Word { .. }));
        assert!(matches!(&kinds("after:-15m")[0], Tok::Field { value, .. } if value == "-15m"));
        assert!(matches!(&kinds("a-b")[0], Tok::Word { text, .. } if text == "a-b"));
    }

    #[test]
    fn an_open_quote_is_an_error_at_the_quote() {
        let err = lex("ok \"never closed").unwrap_err();
        assert_eq!((err.position.offset, err.position.len), (3, 13));
    }
}

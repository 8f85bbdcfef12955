//! Reading a capture a line at a time: the header first (a newer format is refused, saying
//! so), then one typed item per line. A line that is not an item is reported with its number
//! and why, and skipped; a last line cut short (a crash, a copy cut off) is reported as such.
//! Nothing is held but the line being read.

use std::io::BufRead;

use serde_json::{Map, Value};

use super::header::{FORMAT_VERSION, HEADER_KIND, Header};
use super::lines::{Item, item};

/// The longest line read (a SET with its raw token, an exchange with its bodies); a longer one
/// is reported and skipped, never held whole.
pub const LINE_LIMIT: usize = 16 * 1024 * 1024;

/// Why a capture cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// Nothing in it.
    #[error("the file is empty: it is not a capture")]
    Empty,
    /// The first line is not a capture header.
    #[error("the first line is not a capture header ({0})")]
    NotACapture(String),
    /// Written by a newer version in a format this one does not know.
    #[error(
        "the capture is in format {found}, written by ssf-inspector {app_version}; this version \
         reads format {FORMAT_VERSION} and older: open it with a newer ssf-inspector"
    )]
    Newer {
        /// The format it says.
        found: u64,
        /// The version that wrote it.
        app_version: String,
    },
    /// The file could not be read.
    #[error("cannot read the capture: {0}")]
    Io(#[from] std::io::Error),
}

/// A line that is not an item: reported and skipped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The last line ends without its newline and does not parse: cut short.
    #[error("line {line} is cut short (the file ends in the middle of it): the rest was read")]
    Truncated {
        /// Its number, counting from 1 (the header).
        line: usize,
    },
    /// A line that is not a capture item.
    #[error("line {line} is skipped: {why}")]
    Corrupt {
        /// Its number, counting from 1 (the header).
        line: usize,
        /// What is wrong with it.
        why: String,
    },
}

impl Problem {
    /// The line's number.
    pub fn line(&self) -> usize {
        match self {
            Self::Truncated { line } | Self::Corrupt { line, .. } => *line,
        }
    }
}

/// A capture being read.
pub struct Reader<R> {
    input: R,
    header: Header,
    line: usize,
    buffer: Vec<u8>,
    failed: bool,
}

/// One line: its bytes without the newline, whether it had one, and whether it was longer
/// than [`LINE_LIMIT`] (then only the start is kept). `None` at the end.
fn next_line(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
) -> std::io::Result<Option<(bool, bool)>> {
    buffer.clear();
    let mut too_long = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok((!buffer.is_empty() || too_long).then_some((false, too_long)));
        }
        let (taken, ended) = match available.iter().position(|b| *b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let content = &available[..if ended { taken - 1 } else { taken }];
        let room = LINE_LIMIT.saturating_sub(buffer.len());
        if content.len() > room {
            too_long = true;
        }
        buffer.extend_from_slice(&content[..content.len().min(room)]);
        input.consume(taken);
        if ended {
            if buffer.last() == Some(&b'\r') {
                buffer.pop();
            }
            return Ok(Some((true, too_long)));
        }
    }
}

/// The line's JSON object and its `kind`.
fn object(bytes: &[u8]) -> Result<(String, Map<String, Value>), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    let value: Value = serde_json::from_str(text).map_err(|err| format!("not JSON ({err})"))?;
    let Value::Object(object) = value else {
        return Err("not a JSON object".to_owned());
    };
    let kind = object
        .get("kind")
        .and_then(Value::as_str)
        .ok_or_else(|| "it has no \"kind\" member".to_owned())?
        .to_owned();
    Ok((kind, object))
}

impl<R: BufRead> Reader<R> {
    /// Read the header; a file that is no capture, or one in a newer format, is refused.
    pub fn open(mut input: R) -> Result<Self, OpenError> {
        let mut buffer = Vec::new();
        let Some((_, too_long)) = next_line(&mut input, &mut buffer)? else {
            return Err(OpenError::Empty);
        };
        if too_long {
            return Err(OpenError::NotACapture("it is too long".to_owned()));
        }
        let (kind, object) = object(&buffer).map_err(OpenError::NotACapture)?;
        if kind != HEADER_KIND {
            return Err(OpenError::NotACapture(format!("its kind is {kind:?}")));
        }
        let found = object.get("format").and_then(Value::as_u64).unwrap_or(0);
        if found > u64::from(FORMAT_VERSION) {
            let app_version = object
                .get("app_version")
                .and_then(Value::as_str)
                .unwrap_or("(unknown)")
                .to_owned();
            return Err(OpenError::Newer { found, app_version });
        }
        let header: Header = serde_json::from_value(Value::Object(object))
            .map_err(|err| OpenError::NotACapture(err.to_string()))?;
        Ok(Self {
            input,
            header,
            line: 1,
            buffer,
            failed: false,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Read on from the start of line `line` of a capture whose header was read before (the
    /// window reads one SET again at the place it was found).
    pub fn resume(input: R, header: Header, line: usize) -> Self {
        Self {
            input,
            header,
            line: line.saturating_sub(1),
            buffer: Vec::new(),
            failed: false,
        }
    }

    /// What it reads from (to tell where in the file the next line begins).
    pub fn input(&self) -> &R {
        &self.input
    }

    /// The number of the line read last (the header is line 1).
    pub fn line(&self) -> usize {
        self.line
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Item, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.failed {
                return None;
            }
            let read = next_line(&mut self.input, &mut self.buffer);
            self.line += 1;
            let line = self.line;
            let (ended, too_long) = match read {
                Ok(Some(found)) => found,
                Ok(None) => return None,
                Err(err) => {
                    self.failed = true;
                    let why = format!("the file could not be read from here on ({err})");
                    return Some(Err(Problem::Corrupt { line, why }));
                }
            };
            if too_long {
                let why = format!("it is longer than {LINE_LIMIT} bytes");
                return Some(Err(Problem::Corrupt { line, why }));
            }
            if self.buffer.iter().all(u8::is_ascii_whitespace) {
                // A blank line, or blanks at the very end: nothing to read.
                continue;
            }
            return Some(match object(&self.buffer) {
                Ok((kind, members)) => {
                    item(&kind, members).map_err(|why| Problem::Corrupt { line, why })
                }
                Err(_) if !ended => Err(Problem::Truncated { line }),
                Err(why) => Err(Problem::Corrupt { line, why }),
            });
        }
    }
}

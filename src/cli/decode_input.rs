//! The input of `decode` and `lint`, read as it comes: an input up to [`WHOLE_INPUT_BYTES`] is
//! read whole (a line-wrapped token or a pretty-printed claims object needs all of it); a longer
//! one is JSON Lines and is read line by line, so a file of any size is decoded in bounded memory
//! and the first SETs are printed before the last are read. A line longer than [`LINE_BYTES`] is
//! reported as such, not held.

use std::io::{BufRead, Read as _};

use crate::core::input::{self, InputItem};

/// Inputs up to this size are read whole and may hold one wrapped token or claims object.
pub const WHOLE_INPUT_BYTES: usize = 1024 * 1024;

/// Longest line read in JSON Lines input (a push body is at most 1 MiB too).
pub const LINE_BYTES: usize = 1024 * 1024;

/// The input's items, in order; an error is a failure to read the input at all.
pub(super) enum Items<R> {
    /// The whole input was short: its items.
    Whole(std::vec::IntoIter<InputItem>),
    /// JSON Lines, read as they come.
    Lines { reader: R, line: usize },
}

/// Start reading `reader`.
pub(super) fn items<R: BufRead>(
    mut reader: R,
) -> std::io::Result<Items<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>> {
    let mut start = Vec::new();
    let limit = u64::try_from(WHOLE_INPUT_BYTES + 1).unwrap_or(u64::MAX);
    reader.by_ref().take(limit).read_to_end(&mut start)?;
    if start.len() <= WHOLE_INPUT_BYTES {
        let text = String::from_utf8(start).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the input is not UTF-8 text",
            )
        })?;
        return Ok(Items::Whole(input::split(&text).into_iter()));
    }
    Ok(Items::Lines {
        reader: std::io::Cursor::new(start).chain(reader),
        line: 0,
    })
}

impl<R: BufRead> Iterator for Items<R> {
    type Item = std::io::Result<InputItem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Whole(items) => items.next().map(Ok),
            Self::Lines { reader, line } => loop {
                *line += 1;
                let read = match next_line(reader) {
                    Ok(None) => return None,
                    Ok(Some(read)) => read,
                    Err(err) => return Some(Err(err)),
                };
                let set = match read {
                    Line::Text(bytes) => match std::str::from_utf8(&bytes) {
                        Ok(text) if text.trim().is_empty() => continue,
                        Ok(text) => input::parse_line(text.trim()),
                        Err(_) => Err("the line is not UTF-8 text".to_owned()),
                    },
                    Line::TooLong(length) => Err(format!(
                        "the line is {length} bytes long; at most {LINE_BYTES} are read"
                    )),
                };
                return Some(Ok(InputItem { line: *line, set }));
            },
        }
    }
}

/// A line as read: its bytes, or only its length when it is too long to keep.
enum Line {
    Text(Vec<u8>),
    TooLong(usize),
}

/// Read one line (without its end), keeping at most [`LINE_BYTES`] of it.
fn next_line(reader: &mut impl BufRead) -> std::io::Result<Option<Line>> {
    let mut kept = Vec::new();
    let mut length = 0_usize;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            if length == 0 {
                return Ok(None);
            }
            break;
        }
        let (part, ended) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (&available[..at], Some(at + 1)),
            None => (available, None),
        };
        length += part.len();
        if length <= LINE_BYTES {
            kept.extend_from_slice(part);
        }
        let used = ended.unwrap_or(available.len());
        reader.consume(used);
        if ended.is_some() {
            break;
        }
    }
    Ok(Some(if length > LINE_BYTES {
        Line::TooLong(length)
    } else {
        Line::Text(kept)
    }))
}

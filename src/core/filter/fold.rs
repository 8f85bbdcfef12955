//! String helpers of the filter: case-insensitive comparison against a needle lower-cased once
//! (no allocation per comparison), edit distance for "did you mean", values clipped for messages.

/// Lower-case `text` character by character, the way [`eq_folded`] and [`contains_folded`]
/// fold the text they compare.
pub(super) fn lower(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// `text` equals the lower-cased `needle`, ignoring case.
pub(crate) fn eq_folded(text: &str, needle: &str) -> bool {
    if text.is_ascii() && needle.is_ascii() {
        return text.eq_ignore_ascii_case(needle);
    }
    text.chars().flat_map(char::to_lowercase).eq(needle.chars())
}

/// `text` contains the lower-cased `needle`, ignoring case.
pub(crate) fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if text.is_ascii() && needle.is_ascii() {
        let needle = needle.as_bytes();
        return text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle));
    }
    text.char_indices().any(|(i, _)| {
        text.get(i..)
            .is_some_and(|rest| starts_folded(rest, needle))
    })
}

fn starts_folded(text: &str, needle: &str) -> bool {
    let mut folded = text.chars().flat_map(char::to_lowercase);
    needle.chars().all(|n| folded.next() == Some(n))
}

/// Values longer than this are not compared for suggestions (the work is quadratic).
const SUGGEST_MAX: usize = 64;

/// The candidate closest to `word` by edit distance (ignoring case), when close enough to be a
/// likely typo: at most 2 edits, or a third of the word's length.
pub(super) fn closest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    ranked(word, candidates).into_iter().next()
}

/// The candidates close to `word` (see [`closest`]), closest first, each once.
pub(super) fn ranked<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let word = lower(word);
    let len = word.chars().count();
    if len == 0 || len > SUGGEST_MAX {
        return Vec::new();
    }
    let limit = (len / 3).max(2);
    let mut close: Vec<(usize, &str)> = candidates
        .filter(|c| c.chars().count() <= SUGGEST_MAX)
        .map(|c| (distance(&word, &lower(c)), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    close.sort_by_key(|(d, _)| *d);
    let mut out: Vec<&str> = Vec::new();
    for (_, c) in close {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// A value quoted back in a message: at most 40 characters.
pub(super) fn clip(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        return value.to_owned();
    }
    let mut short: String = value.chars().take(MAX).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_without_allocating_the_text() {
        assert!(eq_folded("Alice@Example.COM", "alice@example.com"));
        assert!(eq_folded("ÄRGER", "ärger"));
        assert!(!eq_folded("alice", "alic"));
        assert!(contains_folded("Session Revoked", "on rev"));
        assert!(contains_folded("Grüße AUS Köln", "aus k"));
        assert!(!contains_folded("short", "longer than it"));
    }

    #[test]
    fn suggests_close_words_only() {
        let names = ["type", "family", "subject", "stream"];
        assert_eq!(closest("tpye", names.into_iter()), Some("type"));
        assert_eq!(closest("subjet", names.into_iter()), Some("subject"));
        assert_eq!(closest("zzzzzz", names.into_iter()), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}

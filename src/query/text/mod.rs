//! The search language: words, "phrases", prefix*, AND/OR/NOT and parentheses, or a regex.
//! Parses what a person types into a query that the store can run through FTS5 and that can also
//! be checked against a text directly (for the not-yet-indexed tail, the file fallback and
//! highlighting). No IO.
//!
//! | module       | owns                                                              |
//! |--------------|-------------------------------------------------------------------|
//! | `unicode`    | which characters are word characters and how they fold, as FTS5   |
//! | `tokens`     | splitting a text into tokens and comparing them with query words  |
//! | `fts_syntax` | writing FTS5 query strings                                        |
//! | `words`      | the words language: parsing, matching, FTS5 expressions           |
//! | `pattern`    | the regex mode: smart case, error columns, FTS5 prefilter         |

mod fts_syntax;
mod pattern;
mod tokens;
mod unicode;
mod words;

#[cfg(test)]
mod fts5_tests;

use std::ops::Range;

pub use pattern::RegexQuery;
pub use words::WordQuery;

/// A search that cannot be understood, with the 1-based character column where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at column {column})")]
pub struct SearchError {
    pub message: String,
    pub column: usize,
}

impl SearchError {
    pub(crate) fn new(message: impl Into<String>, column: usize) -> SearchError {
        SearchError {
            message: message.into(),
            column,
        }
    }
}

/// Which language a search string is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchMode {
    #[default]
    Words,
    Regex,
}

#[derive(Debug, Clone)]
pub enum TextQuery {
    Words(WordQuery),
    Regex(RegexQuery),
}

impl TextQuery {
    pub fn parse(mode: SearchMode, input: &str) -> Result<TextQuery, SearchError> {
        match mode {
            SearchMode::Words => WordQuery::parse(input).map(TextQuery::Words),
            SearchMode::Regex => RegexQuery::parse(input).map(TextQuery::Regex),
        }
    }

    pub fn mode(&self) -> SearchMode {
        match self {
            TextQuery::Words(_) => SearchMode::Words,
            TextQuery::Regex(_) => SearchMode::Regex,
        }
    }

    pub fn source(&self) -> &str {
        match self {
            TextQuery::Words(w) => w.source(),
            TextQuery::Regex(r) => r.source(),
        }
    }

    /// Whether `text` (one entry's message) satisfies the search.
    pub fn matches(&self, text: &str) -> bool {
        match self {
            TextQuery::Words(w) => w.matches(text),
            TextQuery::Regex(r) => r.matches(text),
        }
    }

    /// Byte ranges of `text` to colour: sorted, non-overlapping, merged.
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            TextQuery::Words(w) => w.highlights(text),
            TextQuery::Regex(r) => r.highlights(text),
        }
    }

    /// An FTS5 expression whose matches include every text this search matches: the words
    /// expression, or the regex prefilter. None when the index cannot narrow the search.
    pub fn fts_expression(&self) -> Option<String> {
        match self {
            TextQuery::Words(w) => w.fts_expression(),
            TextQuery::Regex(r) => r.fts_prefilter(),
        }
    }

    /// True when the rows that `fts_expression` selects are exactly the matches, so they need
    /// no check with `matches`.
    pub fn fts_is_exact(&self) -> bool {
        match self {
            TextQuery::Words(w) => w.fts_is_exact(),
            TextQuery::Regex(_) => false,
        }
    }
}

/// Two searches are the same when they are written the same in the same mode.
impl PartialEq for TextQuery {
    fn eq(&self, other: &TextQuery) -> bool {
        self.mode() == other.mode() && self.source() == other.source()
    }
}

impl Eq for TextQuery {}

/// Sorts ranges and merges those that overlap or touch.
pub(crate) fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.retain(|r| r.start < r.end);
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// A small xorshift generator for the randomised tests: they need variety, not quality.
#[cfg(test)]
pub(crate) fn next_random(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(ranges: Vec<Range<usize>>) -> Vec<(usize, usize)> {
        ranges.into_iter().map(|r| (r.start, r.end)).collect()
    }

    #[test]
    fn merging() {
        assert_eq!(
            merge_ranges(vec![5..7, 0..2, 1..3, 3..4, 9..9]),
            [0..4, 5..7]
        );
        assert_eq!(merge_ranges(vec![]), Vec::<Range<usize>>::new());
    }

    #[test]
    fn dispatch() {
        let q = TextQuery::parse(SearchMode::Words, "timeout -retry").unwrap();
        assert_eq!(q.mode(), SearchMode::Words);
        assert_eq!(q.source(), "timeout -retry");
        assert!(q.matches("upstream timeout"));
        assert!(!q.matches("timeout, retry"));
        assert_eq!(spans(q.highlights("a timeout")), [(2, 9)]);
        assert_eq!(
            q.fts_expression().as_deref(),
            Some(r#"("timeout" NOT "retry")"#)
        );
        assert!(q.fts_is_exact());

        let q = TextQuery::parse(SearchMode::Regex, r"timeout after \d+s").unwrap();
        assert_eq!(q.mode(), SearchMode::Regex);
        assert!(q.matches("upstream timeout after 30s"));
        assert_eq!(
            q.highlights("x timeout after 3s"),
            merge_ranges(vec![2..9, 9..18])
        );
        assert_eq!(q.fts_expression().as_deref(), Some(r#""after""#));
        assert!(!q.fts_is_exact());

        let again = TextQuery::parse(SearchMode::Regex, r"timeout after \d+s").unwrap();
        assert_eq!(q, again);
        assert_ne!(q, TextQuery::parse(SearchMode::Words, "timeout").unwrap());

        let e = TextQuery::parse(SearchMode::Regex, "").unwrap_err();
        assert_eq!(e.to_string(), "the search is empty (at column 1)");
    }
}

//! The search language: words, "phrases", prefix*, AND/OR/NOT and parentheses, or a regex.
//! Parses what a person types into a query that the store can run through FTS5 and that can also
//! be checked against a text directly (for the not-yet-indexed tail, the file fallback and
//! highlighting). No IO.

use std::ops::Range;

/// A search that cannot be understood, with the 1-based character column where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at column {column})")]
pub struct SearchError {
    pub message: String,
    pub column: usize,
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

#[derive(Debug, Clone)]
pub struct WordQuery {
    source: String,
}

#[derive(Debug, Clone)]
pub struct RegexQuery {
    source: String,
}

impl TextQuery {
    pub fn parse(_mode: SearchMode, _input: &str) -> Result<TextQuery, SearchError> {
        todo!()
    }

    pub fn source(&self) -> &str {
        match self {
            TextQuery::Words(w) => &w.source,
            TextQuery::Regex(r) => &r.source,
        }
    }

    pub fn matches(&self, _text: &str) -> bool {
        todo!()
    }

    pub fn highlights(&self, _text: &str) -> Vec<Range<usize>> {
        todo!()
    }
}

impl RegexQuery {
    pub fn fts_prefilter(&self) -> Option<String> {
        todo!()
    }
}

impl WordQuery {
    pub fn fts_expression(&self) -> Option<String> {
        todo!()
    }

    pub fn fts_is_exact(&self) -> bool {
        todo!()
    }
}

//! The words language: terms tokenised like the index (`user-42` is the phrase `user 42`),
//! "quoted phrases", `prefix*`, `AND`/`OR`/`NOT` in capitals, `-term`, and parentheses.
//! Everything is worked out once at parse time; matching only walks the text's tokens.

mod ast;
mod eval;
mod fts;
mod lexer;
mod parser;
mod screen;

#[cfg(test)]
mod tests;

use std::ops::Range;

use super::SearchError;
use eval::Program;

#[derive(Debug, Clone)]
pub struct WordQuery {
    source: String,
    program: Program,
    fts: Option<String>,
    exact: bool,
}

impl WordQuery {
    pub fn parse(input: &str) -> Result<WordQuery, SearchError> {
        let (atoms, root) = parser::parse(input)?;
        let t = fts::translate(&root, &atoms);
        Ok(WordQuery {
            source: input.to_owned(),
            exact: t.exact && t.upper.is_some(),
            fts: t.upper,
            program: Program::new(atoms, root),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn matches(&self, text: &str) -> bool {
        self.program.matches(text)
    }

    /// Byte ranges of the text's tokens and phrases that satisfy the non-negated terms.
    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        self.program.highlights(text)
    }

    /// A self-contained FTS5 expression (for a `detail=none` table with the same tokenizer)
    /// that selects every matching row; None when the query includes rows that contain none of
    /// its terms (`-debug`, `a OR -b`), which an index cannot select.
    pub fn fts_expression(&self) -> Option<String> {
        self.fts.clone()
    }

    /// True when `fts_expression` selects exactly the matching rows; false when it may select
    /// more (phrases become the AND of their tokens), so each row must pass `matches`.
    pub fn fts_is_exact(&self) -> bool {
        self.exact
    }
}

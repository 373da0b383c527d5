//! Cuts a words query into lexemes (parentheses, keywords, negation, terms), each with the
//! 1-based character column where it starts. Terms leave here already tokenised and folded, so
//! every problem with a single term is reported from this file.

use crate::query::text::SearchError;
use crate::query::text::tokens::{folded_words, tokens};

use super::ast::Atom;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lexeme {
    Open,
    Close,
    And,
    Or,
    Not,
    /// A `-` directly in front of a term, a quote or a parenthesis.
    Minus,
    Term(Atom),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Spanned {
    pub lexeme: Lexeme,
    pub column: usize,
}

pub(crate) struct Lexer {
    chars: Vec<char>,
    pos: usize,
    /// The term that follows a `-` already read.
    pending: Option<Spanned>,
}

const STAR_HINT: &str = "as in time*";

impl Lexer {
    pub fn new(input: &str) -> Lexer {
        Lexer {
            chars: input.chars().collect(),
            pos: 0,
            pending: None,
        }
    }

    /// The column just past the end of the input, where a missing closing character belongs.
    pub fn end_column(&self) -> usize {
        self.chars.len() + 1
    }

    pub fn next_lexeme(&mut self) -> Result<Option<Spanned>, SearchError> {
        if let Some(p) = self.pending.take() {
            return Ok(Some(p));
        }
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
        let start = self.pos;
        let column = start + 1;
        let Some(&c) = self.chars.get(start) else {
            return Ok(None);
        };
        let lexeme = match c {
            '(' => {
                self.pos += 1;
                Lexeme::Open
            }
            ')' => {
                self.pos += 1;
                Lexeme::Close
            }
            '"' => self.quoted()?,
            _ => return self.bare().map(Some),
        };
        Ok(Some(Spanned { lexeme, column }))
    }

    fn quoted(&mut self) -> Result<Lexeme, SearchError> {
        let open = self.pos;
        let Some(len) = self.chars[open + 1..].iter().position(|&c| c == '"') else {
            return Err(SearchError::new(
                format!("missing closing quote for the one at column {}", open + 1),
                self.end_column(),
            ));
        };
        let close = open + 1 + len;
        let content: String = self.chars[open + 1..close].iter().collect();
        self.pos = close + 1;
        if content.trim().is_empty() {
            return Err(SearchError::new("empty quotes", open + 1));
        }
        let star = if self.chars.get(self.pos) == Some(&'*') {
            self.pos += 1;
            Some(close + 2)
        } else {
            None
        };
        let shown = format!("the quoted phrase \"{content}\"");
        term(&content, star, &shown, open + 1).map(Lexeme::Term)
    }

    /// A run of characters up to whitespace, a parenthesis or a quote: a keyword, a `-`, or a
    /// term.
    fn bare(&mut self) -> Result<Spanned, SearchError> {
        let start = self.pos;
        let mut end = start;
        while let Some(&c) = self.chars.get(end) {
            if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
                break;
            }
            end += 1;
        }
        self.pos = end;
        let word: String = self.chars[start..end].iter().collect();
        let column = start + 1;
        let keyword = match word.as_str() {
            "AND" => Some(Lexeme::And),
            "OR" => Some(Lexeme::Or),
            "NOT" => Some(Lexeme::Not),
            _ => None,
        };
        if let Some(lexeme) = keyword {
            return Ok(Spanned { lexeme, column });
        }
        let minus = Spanned {
            lexeme: Lexeme::Minus,
            column,
        };
        if word == "-" {
            return match self.chars.get(end) {
                Some('(' | '"') => Ok(minus),
                _ => Err(SearchError::new(
                    "\"-\" needs a term right after it, as in -debug",
                    column,
                )),
            };
        }
        // `--dry-run` is something to find, not the negation of `-dry-run`.
        let (body, body_start) = match word.strip_prefix('-') {
            Some(rest) if !rest.starts_with('-') => (rest, start + 1),
            _ => (word.as_str(), start),
        };
        let shown = format!("the term \"{word}\"");
        let atom = self.bare_term(body, body_start, &shown, column)?;
        let lexeme = Lexeme::Term(atom);
        if body_start == start {
            return Ok(Spanned { lexeme, column });
        }
        self.pending = Some(Spanned {
            lexeme,
            column: body_start + 1,
        });
        Ok(minus)
    }

    /// A term typed without quotes, which may end in `*` and nowhere else.
    fn bare_term(
        &self,
        body: &str,
        body_start: usize,
        shown: &str,
        column: usize,
    ) -> Result<Atom, SearchError> {
        let stars: Vec<usize> = body
            .chars()
            .enumerate()
            .filter(|&(_, c)| c == '*')
            .map(|(i, _)| body_start + i + 1)
            .collect();
        let last_column = body_start + body.chars().count();
        match stars.first() {
            Some(&col) if body == "*" => Err(SearchError::new(
                format!("\"*\" needs letters or digits before it, {STAR_HINT}"),
                col,
            )),
            Some(&col) if col != last_column => Err(SearchError::new(
                format!("\"*\" can only end a term, {STAR_HINT}"),
                col,
            )),
            Some(&col) => term(&body[..body.len() - 1], Some(col), shown, column),
            None => term(body, None, shown, column),
        }
    }
}

/// The atom for `text` (quote content or a bare word without its `*`); `star` is the column of
/// a trailing `*`.
fn term(text: &str, star: Option<usize>, shown: &str, column: usize) -> Result<Atom, SearchError> {
    let words = folded_words(text);
    if words.is_empty() {
        return Err(SearchError::new(
            format!("{shown} has no letters or digits to search for"),
            column,
        ));
    }
    if let Some(star) = star {
        // "foo-*" would silently search for foo*: say so instead.
        let ends_in_token = tokens(text).last().is_some_and(|t| t.end == text.len());
        if !ends_in_token {
            return Err(SearchError::new(
                format!("\"*\" must come right after a letter or digit, {STAR_HINT}"),
                star,
            ));
        }
    }
    Ok(Atom {
        words,
        prefix: star.is_some(),
    })
}

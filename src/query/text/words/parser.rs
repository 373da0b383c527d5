//! Builds the boolean tree of a words query from its lexemes, with the precedence NOT, then AND
//! (written or implied by juxtaposition), then OR, and reports misplaced operators and
//! parentheses. Lexemes are pulled one at a time so the leftmost problem is the one reported.

use crate::query::text::SearchError;

use super::ast::{Atom, Node};
use super::lexer::{Lexeme, Lexer, Spanned};

/// Deeper nesting is never needed by a person, and would let a pasted string exhaust the stack
/// here or the (much smaller) parser stack of FTS5.
const MAX_DEPTH: usize = 16;

pub(crate) fn parse(input: &str) -> Result<(Vec<Atom>, Node), SearchError> {
    if input.trim().is_empty() {
        return Err(SearchError::new("the search is empty", 1));
    }
    let mut p = Parser {
        lexer: Lexer::new(input),
        peeked: None,
        atoms: Vec::new(),
        depth: 0,
    };
    let root = p.or()?;
    match p.next()? {
        None => Ok((p.atoms, root)),
        Some(s) => Err(unexpected(&s)),
    }
}

struct Parser {
    lexer: Lexer,
    peeked: Option<Spanned>,
    atoms: Vec<Atom>,
    depth: usize,
}

/// The operator that a term must follow, for "needs a term after it" messages.
type After = Option<(&'static str, usize)>;

impl Parser {
    fn peek(&mut self) -> Result<Option<&Spanned>, SearchError> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next_lexeme()?;
        }
        Ok(self.peeked.as_ref())
    }

    fn next(&mut self) -> Result<Option<Spanned>, SearchError> {
        match self.peeked.take() {
            Some(s) => Ok(Some(s)),
            None => self.lexer.next_lexeme(),
        }
    }

    fn or(&mut self) -> Result<Node, SearchError> {
        let mut items = vec![self.and(None)?];
        while let Some(Spanned {
            lexeme: Lexeme::Or,
            column,
        }) = self.peek()?
        {
            let column = *column;
            self.next()?;
            items.push(self.and(Some(("OR", column)))?);
        }
        Ok(Node::or(items))
    }

    fn and(&mut self, after: After) -> Result<Node, SearchError> {
        let mut items = vec![self.unary(after)?];
        while let Some(s) = self.peek()? {
            match s.lexeme {
                Lexeme::And => {
                    let column = s.column;
                    self.next()?;
                    items.push(self.unary(Some(("AND", column)))?);
                }
                Lexeme::Term(_) | Lexeme::Open | Lexeme::Not | Lexeme::Minus => {
                    items.push(self.unary(None)?);
                }
                Lexeme::Or | Lexeme::Close => break,
            }
        }
        Ok(Node::and(items))
    }

    fn unary(&mut self, mut after: After) -> Result<Node, SearchError> {
        let mut negated = false;
        while let Some(s) = self.peek()? {
            let op = match s.lexeme {
                Lexeme::Not => "NOT",
                Lexeme::Minus => "\"-\"",
                _ => break,
            };
            after = Some((op, s.column));
            negated = !negated;
            self.next()?;
        }
        let node = match self.next()? {
            Some(Spanned {
                lexeme: Lexeme::Term(atom),
                ..
            }) => {
                self.atoms.push(atom);
                Node::Atom(self.atoms.len() - 1)
            }
            Some(Spanned {
                lexeme: Lexeme::Open,
                column,
            }) => self.group(column)?,
            other => return Err(self.missing_term(other, after)),
        };
        Ok(if negated { Node::not(node) } else { node })
    }

    fn group(&mut self, open: usize) -> Result<Node, SearchError> {
        if self.depth >= MAX_DEPTH {
            return Err(SearchError::new(
                format!("parentheses nested too deeply (more than {MAX_DEPTH} levels)"),
                open,
            ));
        }
        match self.peek()? {
            Some(Spanned {
                lexeme: Lexeme::Close,
                ..
            }) => return Err(SearchError::new("empty parentheses", open)),
            None => return Err(self.unclosed(open)),
            _ => {}
        }
        self.depth += 1;
        let inner = self.or()?;
        self.depth -= 1;
        match self.next()? {
            Some(Spanned {
                lexeme: Lexeme::Close,
                ..
            }) => Ok(inner),
            None => Err(self.unclosed(open)),
            Some(s) => Err(unexpected(&s)),
        }
    }

    fn unclosed(&self, open: usize) -> SearchError {
        SearchError::new(
            format!("missing closing parenthesis for the one at column {open}"),
            self.lexer.end_column(),
        )
    }

    /// The error for a place where a term was expected but `found` came instead.
    fn missing_term(&self, found: Option<Spanned>, after: After) -> SearchError {
        if let Some((op, column)) = after {
            return SearchError::new(format!("{op} needs a term after it"), column);
        }
        match found {
            Some(s) => match s.lexeme {
                Lexeme::And => SearchError::new("AND needs a term before it", s.column),
                Lexeme::Or => SearchError::new("OR needs a term before it", s.column),
                _ => unexpected(&s),
            },
            // Only reachable on empty input, which `parse` turns away first.
            None => SearchError::new("the search is empty", 1),
        }
    }
}

/// A lexeme that cannot stand where it is; in practice only a `)` without its `(`.
fn unexpected(s: &Spanned) -> SearchError {
    match s.lexeme {
        Lexeme::Close => SearchError::new("unmatched closing parenthesis", s.column),
        _ => SearchError::new("unexpected text", s.column),
    }
}

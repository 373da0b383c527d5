//! Checks a words query against a text in one pass over its tokens, and finds the byte ranges
//! to highlight. This is the per-row hot path of every scan, so it folds only non-ASCII
//! tokens, into one reused buffer.

use std::ops::Range;

use crate::query::text::merge_ranges;
use crate::query::text::tokens::{Folded, Token, tokens};

use super::ast::{Atom, Node};
use super::screen::screen;

/// A parsed query prepared for matching.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub atoms: Vec<Atom>,
    pub root: Node,
    monotone: bool,
    /// Where each atom's slice of phrase progress starts.
    offsets: Vec<usize>,
    total_words: usize,
    positive: Vec<bool>,
    /// Literal text every match contains, to turn most rows away cheaply.
    screen: Option<regex::Regex>,
}

impl Program {
    pub fn new(atoms: Vec<Atom>, root: Node) -> Program {
        let mut offsets = Vec::with_capacity(atoms.len());
        let mut total = 0;
        for a in &atoms {
            offsets.push(total);
            total += a.words.len();
        }
        let mut positive = vec![false; atoms.len()];
        root.mark_positive(false, &mut positive);
        Program {
            screen: screen(&atoms, &root),
            monotone: root.is_monotone(),
            atoms,
            root,
            offsets,
            total_words: total,
            positive,
        }
    }

    pub fn matches(&self, text: &str) -> bool {
        if self.screen.as_ref().is_some_and(|s| !s.is_match(text)) {
            return false;
        }
        self.walk(text)
    }

    /// The real check, one pass over the tokens of `text`.
    pub fn walk(&self, text: &str) -> bool {
        let n = self.atoms.len();
        // hit[..n]: atoms seen; the rest: for each atom word i, whether the previous token
        // completed the atom's first i+1 words (shift-and over the token stream).
        let needed = n + self.total_words;
        let mut on_stack = [false; 64];
        let mut on_heap = Vec::new();
        let state = if needed <= on_stack.len() {
            &mut on_stack[..needed]
        } else {
            on_heap.resize(needed, false);
            &mut on_heap[..]
        };
        let (hit, progress) = state.split_at_mut(n);
        let mut buf = String::new();
        for tok in tokens(text) {
            let view = Folded::new(text, tok, &mut buf);
            let mut new_hit = false;
            for (ai, atom) in self.atoms.iter().enumerate() {
                if hit[ai] {
                    continue;
                }
                let Some(p) =
                    progress.get_mut(self.offsets[ai]..self.offsets[ai] + atom.words.len())
                else {
                    continue;
                };
                for i in (0..p.len()).rev() {
                    p[i] = (i == 0 || p[i - 1]) && atom.word_matches(i, &view);
                }
                if p.last() == Some(&true) {
                    hit[ai] = true;
                    new_hit = true;
                }
            }
            if new_hit && self.monotone && self.root.eval(hit) {
                return true;
            }
        }
        self.root.eval(hit)
    }

    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        let toks: Vec<Token> = tokens(text).collect();
        let mut buf = String::new();
        let mut out = Vec::new();
        for (atom, _) in self.atoms.iter().zip(&self.positive).filter(|(_, p)| **p) {
            let Some(last_word) = atom.words.last() else {
                continue;
            };
            for window in toks.windows(atom.words.len()) {
                let all = window
                    .iter()
                    .enumerate()
                    .all(|(i, &t)| atom.word_matches(i, &Folded::new(text, t, &mut buf)));
                let (Some(first), Some(&last)) = (window.first(), window.last()) else {
                    continue;
                };
                if !all {
                    continue;
                }
                let end = if atom.prefix {
                    prefix_end(text, last, last_word.chars().count())
                } else {
                    last.end
                };
                out.push(first.start..end);
            }
        }
        merge_ranges(out)
    }
}

/// The byte just past the first `chars` characters of `tok`: folding maps one character to
/// one, so a folded prefix covers exactly that many characters of the original.
fn prefix_end(text: &str, tok: Token, chars: usize) -> usize {
    let s = text.get(tok.range()).unwrap_or("");
    s.char_indices()
        .nth(chars)
        .map_or(tok.end, |(i, _)| tok.start + i)
}

//! A quick necessary condition for a words query: literal text that every matching row must
//! contain, searched case-insensitively by the `regex` engine (which skips through text far
//! faster than tokenising it), so most rows of a scan are turned away before tokenisation.

use regex::{Regex, RegexBuilder};

use super::ast::{Atom, Node};

/// More alternatives than this make the screen slower than it is worth.
const MAX_LITERALS: usize = 32;

/// A regex that matches every text the query matches (and more), if the query requires any
/// literal text at all.
pub(crate) fn screen(atoms: &[Atom], root: &Node) -> Option<Regex> {
    let literals = required(root, atoms)?;
    let pattern = literals
        .iter()
        .map(|w| regex_syntax::escape(w))
        .collect::<Vec<_>>()
        .join("|");
    // Unicode simple case folding relates every pair of characters that the index's folding
    // equates (the tests check each one), so a folded word finds its token's text.
    RegexBuilder::new(&pattern)
        .case_insensitive(true)
        .size_limit(1 << 20)
        .build()
        .ok()
}

/// Words of which a matching text must contain at least one; None if nothing is required.
fn required<'a>(node: &Node, atoms: &'a [Atom]) -> Option<Vec<&'a str>> {
    match node {
        Node::Atom(i) => {
            let longest = atoms
                .get(*i)?
                .words
                .iter()
                .max_by_key(|w| w.chars().count())?;
            Some(vec![longest.as_str()])
        }
        Node::Not(_) => None,
        Node::Or(children) => {
            let mut all = Vec::new();
            for c in children {
                all.extend(required(c, atoms)?);
            }
            (all.len() <= MAX_LITERALS).then_some(all)
        }
        // Any one child's requirement will do; prefer few and long literals.
        Node::And(children) => children
            .iter()
            .filter_map(|c| required(c, atoms))
            .min_by_key(|lits| {
                let shortest = lits.iter().map(|w| w.chars().count()).min().unwrap_or(0);
                (lits.len(), usize::MAX - shortest)
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::text::unicode::{continues_token, fold};

    fn pattern(q: &str) -> Option<String> {
        let (atoms, root) = super::super::parser::parse(q).ok()?;
        screen(&atoms, &root).map(|r| r.as_str().to_owned())
    }

    #[test]
    fn picks_literals_every_match_needs() {
        assert_eq!(pattern("timeout").as_deref(), Some("timeout"));
        assert_eq!(pattern("a timeout").as_deref(), Some("timeout"));
        assert_eq!(pattern("user-42").as_deref(), Some("user"));
        assert_eq!(pattern("a OR bb").as_deref(), Some("a|bb"));
        assert_eq!(pattern("(a OR bb) ccc").as_deref(), Some("ccc"));
        assert_eq!(pattern("time* -retry").as_deref(), Some("time"));
        assert_eq!(pattern("e.g.").as_deref(), Some("g"));
        assert_eq!(pattern("-a"), None);
        assert_eq!(pattern("a OR -b"), None);
    }

    #[test]
    fn case_insensitive_search_covers_folding() {
        // For every character the index folds to something else, a case-insensitive search
        // for the folded form must find the original.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let f = fold(c);
            if f == c || !continues_token(c) {
                continue;
            }
            let re = RegexBuilder::new(&regex_syntax::escape(&f.to_string()))
                .case_insensitive(true)
                .build()
                .unwrap();
            assert!(
                re.is_match(&c.to_string()),
                "{:X} folds to {:X}",
                c as u32,
                f as u32
            );
        }
    }
}

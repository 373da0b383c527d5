//! Translates a words query into an FTS5 expression for a `detail=none` index, which knows
//! single tokens, prefixes, AND, OR, binary NOT and parentheses, but no phrases.
//!
//! Each subtree gets two translations: a superset (what the store may fetch and then check with
//! `matches`) and a subset (what a NOT may safely exclude). A phrase becomes the AND of its
//! tokens in the superset and has no subset; a lone negation has no superset at all.

use super::ast::{Atom, Node};
use crate::query::text::fts_syntax::{join, minus, prefix, token};

pub(crate) struct Translation {
    /// An expression whose matches include all of the subtree's; None means every row.
    pub upper: Option<String>,
    /// An expression whose matches all belong to the subtree's; None means no row.
    lower: Option<String>,
    /// Both of the above are the same expression and mean exactly the subtree.
    pub exact: bool,
}

pub(crate) fn translate(node: &Node, atoms: &[Atom]) -> Translation {
    match node {
        Node::Atom(i) => match atoms.get(*i) {
            Some(a) => atom(a),
            None => nothing_known(),
        },
        Node::Or(children) => {
            let parts: Vec<Translation> = children.iter().map(|c| translate(c, atoms)).collect();
            let upper: Option<Vec<String>> = parts.iter().map(|p| p.upper.clone()).collect();
            let lower: Vec<String> = parts.iter().filter_map(|p| p.lower.clone()).collect();
            Translation {
                upper: upper.map(|u| join(u, "OR")),
                lower: (!lower.is_empty()).then(|| join(lower, "OR")),
                exact: parts.iter().all(|p| p.exact),
            }
        }
        Node::Not(_) | Node::And(_) => {
            let (mut pos, mut neg) = (Vec::new(), Vec::new());
            split(node, true, &mut pos, &mut neg);
            conjunction(&pos, &neg, atoms)
        }
    }
}

/// Sorts the parts of a conjunction into those that must match and those that must not,
/// pushing negation inwards where that yields more of either (NOT NOT x is x; NOT (x OR y) is
/// NOT x AND NOT y; NOT (NOT x AND NOT y) is x OR y), since FTS5 can only express negation as
/// "this, NOT that".
fn split(node: &Node, positive: bool, pos: &mut Vec<Node>, neg: &mut Vec<Node>) {
    match (node, positive) {
        (Node::Not(inner), _) => split(inner, !positive, pos, neg),
        (Node::And(children), true) | (Node::Or(children), false) => {
            for c in children {
                split(c, positive, pos, neg);
            }
        }
        (Node::And(children), false) if children.iter().all(|c| matches!(c, Node::Not(_))) => {
            pos.push(Node::or(children.iter().cloned().map(Node::not).collect()));
        }
        (other, true) => pos.push(other.clone()),
        (other, false) => neg.push(other.clone()),
    }
}

fn conjunction(pos: &[Node], neg: &[Node], atoms: &[Atom]) -> Translation {
    let pos: Vec<Translation> = pos.iter().map(|n| translate(n, atoms)).collect();
    let neg: Vec<Translation> = neg.iter().map(|n| translate(n, atoms)).collect();
    // A row excluded by the superset must really fail: subtract only what surely matches a
    // negated part. The subset may subtract anything that might.
    let ups: Vec<String> = pos.iter().filter_map(|p| p.upper.clone()).collect();
    let upper = (!ups.is_empty()).then(|| {
        let sure: Vec<String> = neg.iter().filter_map(|n| n.lower.clone()).collect();
        minus(join(ups, "AND"), sure)
    });
    let lows: Option<Vec<String>> = pos.iter().map(|p| p.lower.clone()).collect();
    let maybe: Option<Vec<String>> = neg.iter().map(|n| n.upper.clone()).collect();
    let lower = match (lows, maybe) {
        (Some(l), Some(m)) if !l.is_empty() => Some(minus(join(l, "AND"), m)),
        _ => None,
    };
    Translation {
        upper,
        lower,
        exact: !pos.is_empty() && pos.iter().chain(&neg).all(|p| p.exact),
    }
}

fn nothing_known() -> Translation {
    Translation {
        upper: None,
        lower: None,
        exact: false,
    }
}

fn atom(a: &Atom) -> Translation {
    let last = a.words.len().saturating_sub(1);
    let terms: Vec<String> = a
        .words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if a.prefix && i == last {
                prefix(w)
            } else {
                token(w)
            }
        })
        .collect();
    if terms.len() == 1 {
        let t = terms.into_iter().next();
        Translation {
            upper: t.clone(),
            lower: t,
            exact: true,
        }
    } else {
        Translation {
            upper: Some(join(terms, "AND")),
            lower: None,
            exact: false,
        }
    }
}

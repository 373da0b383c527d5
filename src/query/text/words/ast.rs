//! The parsed shape of a words query: a boolean tree over atoms (a word, a prefix, a phrase).
//! Built only through the constructors here, which keep it flat and free of double negation.

/// One searchable term: consecutive folded tokens, the last one possibly a prefix.
/// A plain word is a phrase of one token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Atom {
    pub words: Vec<String>,
    pub prefix: bool,
}

impl Atom {
    /// True if token `i` of the atom is `tok`.
    pub fn word_matches(&self, i: usize, tok: &crate::query::text::tokens::Folded<'_>) -> bool {
        let Some(w) = self.words.get(i) else {
            return false;
        };
        if self.prefix && i + 1 == self.words.len() {
            tok.starts_with(w)
        } else {
            tok.is(w)
        }
    }
}

/// A boolean tree whose leaves index into the atom list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Atom(usize),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

impl Node {
    pub fn not(node: Node) -> Node {
        match node {
            Node::Not(inner) => *inner,
            other => Node::Not(Box::new(other)),
        }
    }

    pub fn and(nodes: Vec<Node>) -> Node {
        Node::flat(nodes, true)
    }

    pub fn or(nodes: Vec<Node>) -> Node {
        Node::flat(nodes, false)
    }

    fn flat(nodes: Vec<Node>, and: bool) -> Node {
        let mut out = Vec::with_capacity(nodes.len());
        for n in nodes {
            match n {
                Node::And(inner) if and => out.extend(inner),
                Node::Or(inner) if !and => out.extend(inner),
                other => out.push(other),
            }
        }
        if out.len() == 1
            && let Some(only) = out.pop()
        {
            return only;
        }
        if and { Node::And(out) } else { Node::Or(out) }
    }

    /// The value of the tree given which atoms occur.
    pub fn eval(&self, hit: &[bool]) -> bool {
        match self {
            Node::Atom(i) => hit.get(*i).copied().unwrap_or(false),
            Node::Not(n) => !n.eval(hit),
            Node::And(ns) => ns.iter().all(|n| n.eval(hit)),
            Node::Or(ns) => ns.iter().any(|n| n.eval(hit)),
        }
    }

    /// True if the tree has no negation, so once true it stays true as more atoms occur.
    pub fn is_monotone(&self) -> bool {
        match self {
            Node::Atom(_) => true,
            Node::Not(_) => false,
            Node::And(ns) | Node::Or(ns) => ns.iter().all(Node::is_monotone),
        }
    }

    /// Marks in `positive` the atoms that stand under an even number of negations: those are
    /// the ones a match is made of, and the ones worth highlighting.
    pub fn mark_positive(&self, negated: bool, positive: &mut [bool]) {
        match self {
            Node::Atom(i) => {
                if let Some(p) = positive.get_mut(*i) {
                    *p |= !negated;
                }
            }
            Node::Not(n) => n.mark_positive(!negated, positive),
            Node::And(ns) | Node::Or(ns) => {
                for n in ns {
                    n.mark_positive(negated, positive);
                }
            }
        }
    }
}

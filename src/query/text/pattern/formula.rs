//! A positive boolean condition on a text's tokens (whole tokens and token prefixes under AND
//! and OR), kept small and rendered as an FTS5 expression. Weakening a part to `True` always
//! keeps it a superset, which is how its size is bounded.

use crate::query::text::fts_syntax;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Formula {
    True,
    Token(String),
    Prefix(String),
    And(Vec<Formula>),
    Or(Vec<Formula>),
}

/// Past this many nodes a formula is weakened: a prefilter that long helps nobody.
const MAX_NODES: usize = 64;

impl Formula {
    pub fn and(parts: impl IntoIterator<Item = Formula>) -> Formula {
        let mut out: Vec<Formula> = Vec::new();
        for p in parts {
            let items = match p {
                Formula::True => continue,
                Formula::And(inner) => inner,
                other => vec![other],
            };
            for i in items {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        match out.len() {
            0 => Formula::True,
            1 => out.pop().unwrap_or(Formula::True),
            _ => Formula::And(out),
        }
        .bounded()
    }

    pub fn or(parts: impl IntoIterator<Item = Formula>) -> Formula {
        let mut branches: Vec<Formula> = Vec::new();
        for p in parts {
            let items = match p {
                Formula::True => return Formula::True,
                Formula::Or(inner) => inner,
                other => vec![other],
            };
            for i in items {
                if !branches.contains(&i) {
                    branches.push(i);
                }
            }
        }
        if branches.len() <= 1 {
            return branches.pop().unwrap_or(Formula::True);
        }
        // Pull out what every branch requires, so repeated alternatives in a pattern do not
        // multiply the formula: (a AND b) OR (a AND c) is a AND (b OR c).
        let common: Vec<Formula> = conjuncts(&branches[0])
            .into_iter()
            .filter(|c| branches[1..].iter().all(|b| conjuncts(b).contains(c)))
            .collect();
        if common.is_empty() {
            return Formula::Or(branches).bounded();
        }
        let rests: Vec<Formula> = branches
            .into_iter()
            .map(|b| Formula::and(conjuncts(&b).into_iter().filter(|c| !common.contains(c))))
            .collect();
        Formula::and(common.into_iter().chain([Formula::or(rests)]))
    }

    fn size(&self) -> usize {
        match self {
            Formula::And(v) | Formula::Or(v) => 1 + v.iter().map(Formula::size).sum::<usize>(),
            _ => 1,
        }
    }

    /// The formula itself, or a weaker one within `MAX_NODES`.
    fn bounded(self) -> Formula {
        if self.size() <= MAX_NODES {
            return self;
        }
        match self {
            Formula::And(v) => {
                let mut kept = Vec::new();
                let mut size = 1;
                for f in v {
                    let s = f.size();
                    if size + s <= MAX_NODES {
                        size += s;
                        kept.push(f);
                    }
                }
                match kept.len() {
                    0 => Formula::True,
                    1 => kept.pop().unwrap_or(Formula::True),
                    _ => Formula::And(kept),
                }
            }
            _ => Formula::True,
        }
    }

    /// The FTS5 expression; None for `True`, which would select every row.
    pub fn to_fts(&self) -> Option<String> {
        match self {
            Formula::True => None,
            Formula::Token(w) => Some(fts_syntax::token(w)),
            Formula::Prefix(w) => Some(fts_syntax::prefix(w)),
            Formula::And(v) => render(v, "AND"),
            Formula::Or(v) => render(v, "OR"),
        }
    }

    /// Whether a text whose folded tokens are `tokens` satisfies the formula.
    #[cfg(test)]
    pub fn holds(&self, tokens: &[String]) -> bool {
        match self {
            Formula::True => true,
            Formula::Token(w) => tokens.iter().any(|t| t == w),
            Formula::Prefix(w) => tokens.iter().any(|t| t.starts_with(w.as_str())),
            Formula::And(v) => v.iter().all(|f| f.holds(tokens)),
            Formula::Or(v) => v.iter().any(|f| f.holds(tokens)),
        }
    }
}

fn conjuncts(f: &Formula) -> Vec<Formula> {
    match f {
        Formula::And(v) => v.clone(),
        Formula::True => Vec::new(),
        other => vec![other.clone()],
    }
}

fn render(parts: &[Formula], op: &str) -> Option<String> {
    let rendered: Option<Vec<String>> = parts.iter().map(Formula::to_fts).collect();
    Some(fts_syntax::join(rendered?, op))
}

#[cfg(test)]
mod tests {
    use super::Formula::{self, *};
    use super::MAX_NODES;

    fn t(s: &str) -> Formula {
        Token(s.into())
    }

    #[test]
    fn constructors_simplify() {
        assert_eq!(Formula::and([True, t("a"), t("a")]), t("a"));
        assert_eq!(Formula::or([t("a"), True]), True);
        assert_eq!(Formula::and([]), True);
        let f = Formula::or([
            Formula::and([t("a"), t("b")]),
            Formula::and([t("a"), t("c")]),
        ]);
        assert_eq!(f.to_fts().as_deref(), Some(r#"(("b" OR "c") AND "a")"#));
        let g = Formula::or([Formula::and([t("a"), t("b")]), t("a")]);
        assert_eq!(g, t("a"));
        assert_eq!(
            Formula::and([Prefix("ab".into()), t("c")])
                .to_fts()
                .as_deref(),
            Some(r#"("ab" * AND "c")"#)
        );
    }

    #[test]
    fn size_is_bounded() {
        let many = Formula::or((0..100).map(|i| t(&i.to_string())));
        assert_eq!(many, True);
        let long = Formula::and((0..100).map(|i| t(&i.to_string())));
        assert!(long.size() <= MAX_NODES);
        assert!(long.to_fts().is_some());
    }
}

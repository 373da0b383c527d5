//! Writing FTS5 query syntax: quoted tokens, prefixes, and parenthesised groups laid out so
//! that FTS5's parser, whose stack is small and fixed, can read deep expressions.

/// A token as an FTS5 string: quoted, so no character in it can be read as syntax.
pub(crate) fn token(word: &str) -> String {
    format!("\"{}\"", word.replace('"', "\"\""))
}

/// Tokens that start with `word`.
pub(crate) fn prefix(word: &str) -> String {
    token(word) + " *"
}

/// Joins with a commutative operator (AND, OR), deepest part first: the parser reduces a group
/// on the left before reading on, but holds every operator to the left of a nested group on
/// its stack.
pub(crate) fn join(mut parts: Vec<String>, op: &str) -> String {
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    parts.sort_by_key(|p| std::cmp::Reverse(nesting(p)));
    format!("({})", parts.join(&format!(" {op} ")))
}

/// `base` without the rows of any of `excluded`.
pub(crate) fn minus(base: String, excluded: Vec<String>) -> String {
    if excluded.is_empty() {
        base
    } else {
        format!("({base} NOT {})", join(excluded, "OR"))
    }
}

/// How deeply parentheses nest in an expression built here (a token never contains one).
fn nesting(expr: &str) -> usize {
    let mut depth = 0_usize;
    let mut max = 0;
    for b in expr.bytes() {
        match b {
            b'(' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax() {
        assert_eq!(token("a\"b"), r#""a""b""#);
        assert_eq!(prefix("ab"), r#""ab" *"#);
        let parts = vec![token("a"), join(vec![token("b"), token("c")], "OR")];
        assert_eq!(join(parts, "AND"), r#"(("b" OR "c") AND "a")"#);
        assert_eq!(minus(token("a"), vec![]), r#""a""#);
        assert_eq!(
            minus(token("a"), vec![token("b"), token("c")]),
            r#"("a" NOT ("b" OR "c"))"#
        );
    }
}

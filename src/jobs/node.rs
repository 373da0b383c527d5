//! A YAML document as a tree whose every node knows its line and column, read with
//! `serde-saphyr`. Validation walks this tree, so one pass can report every problem of a file
//! (unknown and repeated keys included) rather than stopping at the first the way a derived
//! deserializer does.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use serde_saphyr::options::{DuplicateKeyPolicy, Options};

use super::Problem;

/// 1-based line and column, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub fn problem(self, message: impl Into<String>) -> Problem {
        Problem::new(self.line, self.column, message)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in file order, repeated keys kept.
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// What the value is, for messages ("a list", "a number").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        let s = Spanned::<Value>::deserialize(d)?;
        Ok(Node {
            value: s.value,
            pos: Pos {
                line: s.referenced.line() as u32,
                column: s.referenced.column() as u32,
            },
        })
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Int(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Int(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Int(i128::try_from(v).unwrap_or(i128::MAX)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(n) = seq.next_element()? {
            out.push(n);
        }
        Ok(Value::Seq(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(k) = map.next_key()? {
            let v = map.next_value()?;
            out.push((k, v));
        }
        Ok(Value::Map(out))
    }
}

/// Reads one YAML document. Repeated keys reach the tree (the caller names them); `yes`/`no`
/// stay strings (YAML 1.2 booleans only); the parser's budget bounds depth, aliases and size.
pub fn load(text: &str) -> Result<Node, Problem> {
    let mut options = Options::default();
    options.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    options.strict_booleans = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
        Problem::new(
            line.max(1),
            column.max(1),
            syntax_message(&e.to_string(), line, column),
        )
    })
}

/// The parser's message without the position it appends (ours leads the line instead).
fn syntax_message(rendered: &str, line: u32, column: u32) -> String {
    let first = rendered.lines().next().unwrap_or("").trim();
    let suffix = format!(" at line {line}, column {column}");
    let message = first.strip_suffix(&suffix).unwrap_or(first);
    format!("invalid YAML: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_carry_their_positions_and_repeated_keys() {
        let n = load("a: 1\nb:\n  - x\n  - 'y'\na: true\n").unwrap();
        let Value::Map(entries) = n.value else {
            panic!("{n:?}")
        };
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].0.pos, Pos { line: 5, column: 1 });
        assert_eq!(entries[2].1.value, Value::Bool(true));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(items[1].pos, Pos { line: 4, column: 5 });
        assert_eq!(items[1].as_str(), Some("y"));
    }

    #[test]
    fn yaml_1_1_booleans_stay_strings() {
        let n = load("x: yes\n").unwrap();
        let Value::Map(entries) = n.value else {
            panic!()
        };
        assert_eq!(entries[0].1.as_str(), Some("yes"));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let p = load("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(
            p.line >= 1 && p.message.starts_with("invalid YAML: "),
            "{p}"
        );
        assert!(!p.message.contains(" at line "), "{p}");
    }
}

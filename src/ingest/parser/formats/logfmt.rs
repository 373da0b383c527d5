//! logfmt: `ts=… level=info msg="quoted \"text\"" job=etl k=v`. A line is a record when it is made
//! only of `key=value` pairs (and bare keys), starts with a pair, and has a time, level or message
//! key; so a Python traceback line in a logfmt file stays a continuation.

use std::borrow::Cow;

use super::Head;
use super::record::{Record, Value};
use crate::ingest::parser::scan::{is_blank, skip_blanks};

pub(super) fn parse(line: &str) -> Option<Head<'_>> {
    let b = line.as_bytes();
    let mut record = Record::default();
    let mut i = 0;
    let mut first = true;
    while i < b.len() {
        let start = i;
        while i < b.len() && is_key_byte(b[i]) {
            i += 1;
        }
        if i == start {
            return None;
        }
        let key = Cow::Borrowed(&line[start..i]);
        if b.get(i) == Some(&b'=') {
            i += 1;
            let value = if b.get(i) == Some(&b'"') {
                let (value, next) = quoted(line, i + 1);
                i = next;
                value
            } else {
                let from = i;
                while i < b.len() && !is_blank(b[i]) {
                    i += 1;
                }
                Cow::Borrowed(&line[from..i])
            };
            record.offer(key, Value::Str(value));
        } else if first {
            return None;
        } else {
            record.offer(key, Value::Null);
        }
        if i < b.len() && !is_blank(b[i]) {
            return None;
        }
        first = false;
        i = skip_blanks(b, i);
    }
    record.has_known().then(|| record.into_head(line))
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'@' | b'/')
}

/// A quoted value starting after its opening quote: the text with escapes resolved, and the
/// index after the closing quote (the end of the line if it never closes).
fn quoted(line: &str, start: usize) -> (Cow<'_, str>, usize) {
    let b = line.as_bytes();
    let mut i = start;
    while i < b.len() && b[i] != b'"' && b[i] != b'\\' {
        i += 1;
    }
    if i >= b.len() {
        return (Cow::Borrowed(&line[start..]), b.len());
    }
    if b[i] == b'"' {
        return (Cow::Borrowed(&line[start..i]), i + 1);
    }
    let mut out = String::with_capacity(i - start + 16);
    out.push_str(&line[start..i]);
    while i < b.len() {
        match b[i] {
            b'"' => return (Cow::Owned(out), i + 1),
            b'\\' => {
                i = unescape(line, i + 1, &mut out);
            }
            _ => {
                let from = i;
                while i < b.len() && b[i] != b'"' && b[i] != b'\\' {
                    i += 1;
                }
                out.push_str(&line[from..i]);
            }
        }
    }
    (Cow::Owned(out), b.len())
}

/// One escape after its backslash; returns the index after it. Unknown escapes stay as written.
fn unescape(line: &str, i: usize, out: &mut String) -> usize {
    let b = line.as_bytes();
    let Some(&c) = b.get(i) else {
        out.push('\\');
        return i;
    };
    let simple = match c {
        b'n' => Some('\n'),
        b't' => Some('\t'),
        b'r' => Some('\r'),
        b'"' => Some('"'),
        b'\\' => Some('\\'),
        _ => None,
    };
    if let Some(ch) = simple {
        out.push(ch);
        return i + 1;
    }
    if c == b'u' {
        let code = line
            .get(i + 1..i + 5)
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        if let Some(code) = code {
            out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            return i + 5;
        }
    }
    out.push('\\');
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::time::Stamp;
    use crate::model::Level;

    #[test]
    fn genlogs_shape() {
        let head = parse(
            r#"ts=2026-11-02T13:04:05.123Z level=warn msg="retrying after error attempt 2 of 5""#,
        )
        .expect("logfmt");
        assert!(matches!(head.stamp, Stamp::Civil(c, Some(0)) if c.milli == 123));
        assert_eq!(head.level.expect("level").level, Some(Level::Warn));
        assert_eq!(head.message, "retrying after error attempt 2 of 5");
        assert_eq!(head.fields, None);
        assert_eq!(head.job, None);
    }

    #[test]
    fn escapes_fields_and_job() {
        let line = r#"time="2026-11-02 13:04:05" lvl=ERROR msg="bad \"x\"\tq\u00e9" job=etl-orders rows=12 dry path="a b" flag"#;
        let head = parse(line).expect("logfmt");
        assert!(matches!(head.stamp, Stamp::Civil(c, None) if c.second == 5));
        assert_eq!(head.level.expect("level").level, Some(Level::Error));
        assert_eq!(head.message, "bad \"x\"\tqé");
        assert_eq!(head.job.as_deref(), Some("etl-orders"));
        assert_eq!(
            head.fields.as_deref(),
            Some(r#"{"rows":"12","dry":null,"path":"a b","flag":null}"#)
        );
    }

    #[test]
    fn lines_that_are_not_records() {
        assert!(parse("Traceback (most recent call last):").is_none());
        assert!(parse(r#"  File "/opt/jobs/x/main.py", line 3, in main"#).is_none());
        assert!(parse("    client.put_object(Bucket=bucket, Key=key, Body=fh)").is_none());
        assert!(
            parse(
                "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.acme.io', port=443)"
            )
            .is_none()
        );
        assert!(parse("a=1 b=2").is_none());
        assert!(parse(r#"msg="x"y"#).is_none());
        assert!(parse("").is_none());
        // An unterminated quote runs to the end of the line.
        let head = parse(r#"level=info msg="half"#).expect("lenient");
        assert_eq!(head.message, "half");
    }
}

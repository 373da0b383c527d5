//! What each field of a definition may hold. Each rule answers with a message, or for a schedule
//! with the character offset inside the expression of every field that does not parse, so the
//! caller can point at the exact column in the file.

use croner::parser::{CronParser, Seconds, Year};

/// Longest id and tag, in characters.
const MAX_KEY: usize = 128;

/// Ids and tags: short single words that are safe on a command line (`--job a,b`).
fn key_problem(what: &str, s: &str) -> Option<String> {
    if s.is_empty() {
        return Some(format!("{what} must not be empty"));
    }
    if s.chars().count() > MAX_KEY {
        return Some(format!("{what} is longer than {MAX_KEY} characters"));
    }
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || *c == ',')
    {
        return Some(format!(
            "{what} {s:?} contains {}; use letters, digits and punctuation such as - _ . : /",
            describe_char(c)
        ));
    }
    None
}

fn describe_char(c: char) -> String {
    match c {
        ',' => "a comma".into(),
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        '\n' | '\r' => "a line break".into(),
        c => format!("the character U+{:04X}", c as u32),
    }
}

pub fn id_problem(s: &str) -> Option<String> {
    key_problem("id", s)
}

pub fn tag_problem(s: &str) -> Option<String> {
    key_problem("tag", s)
}

/// A one-line text field (`name`, `log_path`): not empty, no line breaks or control characters.
pub fn line_problem(field: &str, s: &str) -> Option<String> {
    if s.trim().is_empty() {
        return Some(format!(
            "`{field}` must not be empty (leave the field out instead)"
        ));
    }
    s.chars().find(|c| c.is_control()).map(|c| {
        format!(
            "`{field}` must be one line without control characters (found {})",
            describe_char(c)
        )
    })
}

/// A text that may span lines (`description`, `command`): tabs and line breaks are fine, other
/// control characters (escape sequences) are not.
pub fn text_problem(field: &str, s: &str) -> Option<String> {
    if s.trim().is_empty() {
        return Some(format!("`{field}` must not be empty"));
    }
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
        .map(|c| {
            format!(
                "`{field}` contains a control character ({})",
                describe_char(c)
            )
        })
}

/// A log file or glob: absolute, one line, a valid pattern.
pub fn log_path_problem(s: &str) -> Option<String> {
    if let Some(p) = line_problem("log_path", s) {
        return Some(p);
    }
    if !s.starts_with('/') {
        return Some(format!(
            "`log_path` {s:?} must be absolute (start with /) so that it means the same file wherever logdex runs"
        ));
    }
    glob::Pattern::new(s)
        .err()
        .map(|e| format!("`log_path` {s:?} is not a valid glob: {}", e.msg))
}

fn parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Disallowed)
        .build()
}

/// The names and ranges of the fields of a five- or six-field expression.
pub fn cron_fields(n: usize) -> &'static [(&'static str, &'static str)] {
    const SIX: &[(&str, &str)] = &[
        ("second", "0-59"),
        ("minute", "0-59"),
        ("hour", "0-23"),
        ("day-of-month", "1-31"),
        ("month", "1-12 or JAN-DEC"),
        ("day-of-week", "0-7 or SUN-SAT"),
    ];
    if n == 6 { SIX } else { &SIX[1..] }
}

/// A problem inside a schedule: where it starts (characters into the expression) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronProblem {
    pub offset: usize,
    /// The text the problem is about (a field), to find it in the file.
    pub token: String,
    pub message: String,
}

/// Every field of `expr` that does not parse, or one problem about the whole expression.
pub fn schedule_problems(expr: &str) -> Vec<CronProblem> {
    let whole = |message: String| {
        vec![CronProblem {
            offset: 0,
            token: expr.to_string(),
            message,
        }]
    };
    if expr.trim().is_empty() {
        return whole("`schedule` must not be empty".into());
    }
    if expr.chars().any(char::is_control) {
        return whole(format!(
            "schedule {expr:?} must be one line without control characters"
        ));
    }
    let p = parser();
    let Err(err) = p.parse(expr) else {
        return Vec::new();
    };
    let fields: Vec<(usize, &str)> = split_fields(expr);
    if expr.trim_start().starts_with('@') {
        return whole(format!(
            "schedule {expr:?} is not a known nickname (@yearly, @annually, @monthly, @weekly, @daily, @hourly)"
        ));
    }
    if !(5..=6).contains(&fields.len()) {
        return whole(format!(
            "schedule {expr:?} has {} field{}; a cron expression has 5 (minute hour day-of-month month day-of-week), 6 with seconds first, or is a nickname such as @daily",
            fields.len(),
            if fields.len() == 1 { "" } else { "s" }
        ));
    }
    let names = cron_fields(fields.len());
    let mut out = Vec::new();
    for (i, (offset, text)) in fields.iter().enumerate() {
        let probe: Vec<&str> = (0..fields.len())
            .map(|j| if j == i { *text } else { "*" })
            .collect();
        if let Err(e) = p.parse(&probe.join(" ")) {
            let (name, range) = names[i];
            out.push(CronProblem {
                offset: *offset,
                token: text.to_string(),
                message: format!(
                    "schedule {expr:?}: the {name} field {text:?} is not valid ({range}; {})",
                    reason(&e)
                ),
            });
        }
    }
    if out.is_empty() {
        return whole(format!(
            "schedule {expr:?} is not a valid cron expression: {}",
            reason(&err)
        ));
    }
    out
}

/// The fields of an expression with their character offsets.
fn split_fields(expr: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (chars, (byte, c)) in expr.char_indices().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some((chars, byte)),
            (true, Some((ci, bi))) => {
                out.push((ci, &expr[bi..byte]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((ci, bi)) = start {
        out.push((ci, &expr[bi..]));
    }
    out
}

/// croner's explanation, short and in lower case ("number out of bounds").
fn reason(e: &croner::errors::CronError) -> String {
    use croner::errors::CronError;
    let text = match e {
        CronError::ComponentError(m) | CronError::InvalidPattern(m) => m.clone(),
        // "CronPattern contains illegal character 'F' in part '1,FOO'": the part is croner's
        // rewrite of the field (month names already turned into numbers), so leave it out.
        CronError::IllegalCharacters(m) => match m.find("illegal character") {
            Some(i) => m[i..]
                .split(" in part")
                .next()
                .unwrap_or(&m[i..])
                .to_string(),
            None => m.clone(),
        },
        other => other.to_string(),
    };
    let text = text.trim().trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "invalid".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_schedules_pass() {
        for s in [
            "0 2 * * *",
            "*/15 * * * *",
            "0 0 * * MON-FRI",
            "30 6 1 JAN,JUL *",
            "0 */5 * * * *",
            "@daily",
            "@hourly",
            "0 0 L * *",
        ] {
            assert_eq!(schedule_problems(s), vec![], "{s}");
        }
    }

    #[test]
    fn each_bad_field_is_named_with_its_offset() {
        let p = schedule_problems("0 25 * * 9");
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!((p[0].offset, p[0].token.as_str()), (2, "25"));
        assert!(p[0].message.contains("the hour field \"25\""), "{p:?}");
        assert_eq!((p[1].offset, p[1].token.as_str()), (9, "9"));
        assert!(p[1].message.contains("day-of-week"), "{p:?}");
    }

    #[test]
    fn wrong_shapes_are_explained() {
        assert!(
            schedule_problems("* * *")[0]
                .message
                .contains("has 3 fields")
        );
        assert!(
            schedule_problems("@sometimes")[0]
                .message
                .contains("nickname")
        );
        assert!(
            schedule_problems("")[0]
                .message
                .contains("must not be empty")
        );
        let p = schedule_problems("0 0 1 1 * 2030");
        assert_eq!((p[0].offset, p[0].token.as_str()), (10, "2030"), "{p:?}");
    }

    #[test]
    fn keys_are_single_words() {
        assert_eq!(id_problem("etl-orders"), None);
        assert_eq!(id_problem("team/etl:orders.v2"), None);
        assert!(id_problem("a b").unwrap().contains("a space"));
        assert!(id_problem("a,b").unwrap().contains("a comma"));
        assert!(id_problem("").unwrap().contains("empty"));
        assert!(id_problem(&"x".repeat(129)).unwrap().contains("longer"));
        assert!(tag_problem("x\u{1b}").unwrap().contains("U+001B"));
    }

    #[test]
    fn log_paths_are_absolute_globs() {
        assert_eq!(log_path_problem("/var/log/jobs/backup-*.log"), None);
        assert!(log_path_problem("logs/x.log").unwrap().contains("absolute"));
        assert!(
            log_path_problem("/var/log/[x.log")
                .unwrap()
                .contains("glob")
        );
        assert!(text_problem("command", "a\u{1b}[2J").is_some());
        assert_eq!(text_problem("command", "set -e\n\trun\n"), None);
    }
}

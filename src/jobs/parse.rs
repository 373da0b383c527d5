//! Reads a scheduler's jobs file: `jobs:` holding a list of jobs or a mapping by id (or the
//! top level itself a mapping by id), every field checked, every problem collected with its
//! line and column. Either every job is good and all are returned, or none is.

use std::collections::HashMap;

use super::node::{self, Node, Pos, Value};
use super::rules;
use super::{FIELDS, JobDef, Problem, Problems};

/// Parses a jobs file. JSON is YAML too, so an export in either format reads back.
pub fn parse(bytes: &[u8]) -> Result<Vec<JobDef>, Problems> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_column(&bytes[..e.valid_up_to()]);
            return Err(Problems::new(vec![Problem::new(
                line,
                column,
                "the file is not valid UTF-8",
            )]));
        }
    };
    let root = node::load(text).map_err(|p| Problems::new(vec![p]))?;
    let mut reader = Reader {
        lines: text.lines().collect(),
        problems: Vec::new(),
        ids: HashMap::new(),
    };
    let jobs = reader.document(&root);
    if reader.problems.is_empty() {
        Ok(jobs)
    } else {
        Err(Problems::new(reader.problems))
    }
}

/// Line and column just past `valid` (the first byte that is not UTF-8).
fn line_column(valid: &[u8]) -> (u32, u32) {
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, column as u32)
}

struct Reader<'t> {
    lines: Vec<&'t str>,
    problems: Vec<Problem>,
    /// Where each id was first defined.
    ids: HashMap<String, Pos>,
}

const SHAPE: &str = "expected `jobs:` holding a list of jobs or a mapping from id to job";

impl Reader<'_> {
    fn problem(&mut self, at: Pos, message: impl Into<String>) {
        self.problems.push(at.problem(message));
    }

    fn document(&mut self, root: &Node) -> Vec<JobDef> {
        let entries = match &root.value {
            Value::Map(entries) => entries,
            Value::Null => {
                self.problem(root.pos, format!("the file holds no jobs: {SHAPE}"));
                return Vec::new();
            }
            other => {
                self.problem(root.pos, format!("{SHAPE}, not {}", other.kind()));
                return Vec::new();
            }
        };
        let container: Vec<&(Node, Node)> = entries
            .iter()
            .filter(|(k, _)| k.as_str() == Some("jobs"))
            .collect();
        let Some((first_key, jobs)) = container.first().map(|entry| (&entry.0, &entry.1)) else {
            // No `jobs:` key: the top level is itself a mapping by id.
            let own: Vec<(Node, Node)> = entries
                .iter()
                .filter(|(k, _)| !is_extension(k))
                .cloned()
                .collect();
            return self.by_id(&own);
        };
        for (k, _) in container.iter().skip(1) {
            self.problem(
                k.pos,
                format!(
                    "`jobs` appears twice (first at line {})",
                    first_key.pos.line
                ),
            );
        }
        for (k, _) in entries {
            if k.as_str() != Some("jobs") && !is_extension(k) {
                let name = key_text(k);
                self.problem(
                    k.pos,
                    format!(
                        "unknown top-level field {name} (only `jobs`; keys starting with x- are ignored, for anchors)"
                    ),
                );
            }
        }
        match &jobs.value {
            Value::Seq(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.value {
                        Value::Map(fields) => out.extend(self.job(fields, item.pos, None)),
                        other => self.problem(
                            item.pos,
                            format!("each job must be a mapping of fields, not {}", other.kind()),
                        ),
                    }
                }
                out
            }
            Value::Map(entries) => self.by_id(entries),
            Value::Null => Vec::new(),
            other => {
                self.problem(jobs.pos, format!("{SHAPE}, not {}", other.kind()));
                Vec::new()
            }
        }
    }

    /// A mapping from id to job.
    fn by_id(&mut self, entries: &[(Node, Node)]) -> Vec<JobDef> {
        let mut jobs = Vec::new();
        for (key, value) in entries {
            let Some(id) = key.as_str() else {
                self.problem(
                    key.pos,
                    format!(
                        "a job id must be a string, not {}{}",
                        key.value.kind(),
                        quote_hint(&key.value)
                    ),
                );
                continue;
            };
            let fields: &[(Node, Node)] = match &value.value {
                Value::Map(fields) => fields,
                Value::Null => &[],
                other => {
                    self.problem(
                        value.pos,
                        format!(
                            "job {id:?} must be a mapping of fields, not {}",
                            other.kind()
                        ),
                    );
                    continue;
                }
            };
            let at = if fields.is_empty() {
                key.pos
            } else {
                value.pos
            };
            jobs.extend(self.job(fields, at, Some((id, key.pos))));
        }
        jobs
    }

    /// One job from its fields, or None when any of them has a problem; `key` is the id and its
    /// position in a mapping by id.
    fn job(
        &mut self,
        entries: &[(Node, Node)],
        at: Pos,
        key: Option<(&str, Pos)>,
    ) -> Option<JobDef> {
        let before = self.problems.len();
        let mut fields: HashMap<&str, (&Node, &Node)> = HashMap::new();
        let label_id = key.map(|(id, _)| id.to_string()).or_else(|| {
            entries
                .iter()
                .find(|(k, _)| k.as_str() == Some("id"))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_string)
        });
        let label = match &label_id {
            Some(id) => format!("job {id:?}: "),
            None => String::new(),
        };
        for (k, v) in entries {
            let Some(name) = k.as_str() else {
                self.problem(
                    k.pos,
                    format!("{label}field names must be strings, not {}", k.value.kind()),
                );
                continue;
            };
            let Some(known) = FIELDS.iter().find(|f| **f == name) else {
                let hint = suggest(name)
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_else(|| format!(" (known fields: {})", FIELDS.join(", ")));
                self.problem(k.pos, format!("{label}unknown field `{name}`{hint}"));
                continue;
            };
            if let Some((first, _)) = fields.get(known) {
                let first = first.pos;
                self.problem(
                    k.pos,
                    format!(
                        "{label}field `{name}` appears twice (first at line {}, column {})",
                        first.line, first.column
                    ),
                );
                continue;
            }
            fields.insert(known, (k, v));
        }
        let value = |name: &str| {
            fields
                .get(name)
                .map(|(_, v)| *v)
                .filter(|v| v.value != Value::Null)
        };
        // A required field written without a value (`schedule:`) is named where it is written.
        let missing = |name: &str| match fields.get(name) {
            Some((k, _)) => (k.pos, format!("{label}`{name}` has no value")),
            None => (at, format!("{label}missing required field `{name}`")),
        };

        let (id, id_pos) = match (key, value("id")) {
            (Some((id, pos)), Some(v)) => {
                if v.as_str() != Some(id) {
                    self.problem(
                        v.pos,
                        format!("{label}`id` differs from the key {id:?} it is listed under"),
                    );
                }
                (Some(id.to_string()), pos)
            }
            (Some((id, pos)), None) => (Some(id.to_string()), pos),
            (None, Some(v)) => (self.string(&label, "id", v), v.pos),
            (None, None) => {
                let (pos, message) = missing("id");
                self.problem(pos, message);
                (None, at)
            }
        };
        if let Some(id) = &id {
            match self.ids.get(id) {
                Some(first) => self.problems.push(id_pos.problem(format!(
                    "duplicate id {id:?} (first defined at line {}, column {})",
                    first.line, first.column
                ))),
                None => {
                    self.ids.insert(id.clone(), id_pos);
                }
            }
            if let Some(p) = rules::id_problem(id) {
                self.problem(id_pos, format!("{label}{p}"));
            }
        }
        let name = value("name").and_then(|v| self.checked(&label, "name", v, rules::line_problem));
        let description = value("description")
            .and_then(|v| self.checked(&label, "description", v, rules::text_problem));
        let schedule = match value("schedule") {
            Some(v) => self
                .string(&label, "schedule", v)
                .inspect(|s| self.schedule(&label, v, s)),
            None => {
                let (pos, message) = missing("schedule");
                self.problem(pos, message);
                None
            }
        };
        let command = match value("command") {
            Some(v) => self.checked(&label, "command", v, rules::text_problem),
            None => {
                let (pos, message) = missing("command");
                self.problem(pos, message);
                None
            }
        };
        let enabled = match value("enabled") {
            None => true,
            Some(Node {
                value: Value::Bool(b),
                ..
            }) => *b,
            Some(v) => {
                let found = match &v.value {
                    Value::Str(s) => format!("{s:?}"),
                    other => other.kind().to_string(),
                };
                self.problem(
                    v.pos,
                    format!("{label}`enabled` must be true or false, not {found}"),
                );
                true
            }
        };
        let log_path = value("log_path").and_then(|v| {
            let s = self.string(&label, "log_path", v)?;
            match rules::log_path_problem(&s) {
                Some(p) => {
                    self.problem(v.pos, format!("{label}{p}"));
                    None
                }
                None => Some(s),
            }
        });
        let tags = value("tags")
            .map(|v| self.tags(&label, v))
            .unwrap_or_default();
        if self.problems.len() > before {
            return None;
        }
        Some(JobDef {
            id: id?,
            name,
            description,
            schedule: schedule?,
            command: command?,
            enabled,
            log_path,
            tags,
        })
    }

    fn string(&mut self, label: &str, field: &str, v: &Node) -> Option<String> {
        match &v.value {
            Value::Str(s) => Some(s.clone()),
            other => {
                let hint = match other {
                    Value::Bool(_) | Value::Int(_) | Value::Float(_) => " (put it in quotes)",
                    _ => "",
                };
                self.problem(
                    v.pos,
                    format!(
                        "{label}`{field}` must be a string, not {}{hint}",
                        other.kind()
                    ),
                );
                None
            }
        }
    }

    fn checked(
        &mut self,
        label: &str,
        field: &str,
        v: &Node,
        rule: fn(&str, &str) -> Option<String>,
    ) -> Option<String> {
        let s = self.string(label, field, v)?;
        match rule(field, &s) {
            Some(p) => {
                self.problem(v.pos, format!("{label}{p}"));
                None
            }
            None => Some(s),
        }
    }

    fn schedule(&mut self, label: &str, v: &Node, expr: &str) {
        for p in rules::schedule_problems(expr) {
            let at = self.inside(v, expr, p.offset, &p.token);
            self.problem(at, format!("{label}{}", p.message));
        }
    }

    fn tags(&mut self, label: &str, v: &Node) -> Vec<String> {
        let items = match &v.value {
            Value::Seq(items) => items,
            other => {
                self.problem(
                    v.pos,
                    format!(
                        "{label}`tags` must be a list such as [nightly, etl], not {}",
                        other.kind()
                    ),
                );
                return Vec::new();
            }
        };
        let mut out: Vec<String> = Vec::new();
        for item in items {
            let Some(tag) = item.as_str() else {
                self.problem(
                    item.pos,
                    format!(
                        "{label}each tag must be a string, not {}",
                        item.value.kind()
                    ),
                );
                continue;
            };
            if let Some(p) = rules::tag_problem(tag) {
                self.problem(item.pos, format!("{label}{p}"));
            } else if out.iter().any(|t| t == tag) {
                self.problem(item.pos, format!("{label}tag {tag:?} is listed twice"));
            } else {
                out.push(tag.to_string());
            }
        }
        out
    }

    /// The position of `token`, `offset` characters into the string value `v`, when the file
    /// spells the value on one line (plain or quoted, without escapes before it); else the
    /// value's own position.
    fn inside(&self, v: &Node, value: &str, offset: usize, token: &str) -> Pos {
        if value.contains('\n') || token.is_empty() {
            return v.pos;
        }
        let Some(line) = self.lines.get((v.pos.line as usize).wrapping_sub(1)) else {
            return v.pos;
        };
        let chars: Vec<char> = line.chars().collect();
        let start = (v.pos.column as usize).saturating_sub(1);
        let quoted = matches!(chars.get(start), Some('"' | '\''));
        let column = start + usize::from(quoted) + offset;
        let found: String = chars
            .iter()
            .skip(column)
            .take(token.chars().count())
            .collect();
        if found == token {
            Pos {
                line: v.pos.line,
                column: column as u32 + 1,
            }
        } else {
            v.pos
        }
    }
}

/// Numbers and booleans become strings when quoted; say so.
fn quote_hint(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => " (put it in quotes)",
        _ => "",
    }
}

fn is_extension(k: &Node) -> bool {
    k.as_str().is_some_and(|s| s.starts_with("x-"))
}

fn key_text(k: &Node) -> String {
    match k.as_str() {
        Some(s) => format!("`{s}`"),
        None => format!("({})", k.value.kind()),
    }
}

/// The known field a misspelt or foreign field name most likely means.
fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase().replace('-', "_");
    let alias = match lower.as_str() {
        "cron" | "when" | "schedule_expression" => Some("schedule"),
        "cmd" | "run" | "exec" | "script" => Some("command"),
        "log" | "logfile" | "log_file" | "logpath" | "logs" | "log_glob" => Some("log_path"),
        "title" | "display_name" => Some("name"),
        "desc" | "summary" => Some("description"),
        "tag" | "labels" => Some("tags"),
        "disabled" | "active" => Some("enabled"),
        _ => None,
    };
    alias.or_else(|| {
        FIELDS
            .iter()
            .map(|f| (distance(&lower, f), *f))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, f)| f)
    })
}

/// Levenshtein distance, for short names.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

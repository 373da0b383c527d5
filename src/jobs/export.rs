//! The canonical text of a set of definitions: jobs sorted by id, fields in a fixed order,
//! absent fields left out, one formatting. Reading an export back and exporting again gives the
//! same bytes, so an export can be diffed, committed and used as a backup.

use serde::Serialize;

use super::JobDef;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Yaml,
    Json,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write the jobs as {format}: {message}")]
pub struct ExportError {
    format: &'static str,
    message: String,
}

#[derive(Serialize)]
struct File<'a> {
    jobs: Vec<&'a JobDef>,
}

fn sorted(jobs: &[JobDef]) -> File<'_> {
    let mut jobs: Vec<&JobDef> = jobs.iter().collect();
    jobs.sort_by(|a, b| a.id.cmp(&b.id));
    File { jobs }
}

const HEADER: &str = "# Scheduler job definitions, as exported by `logdex jobs export`.\n\
                      # Read back with `logdex jobs import FILE`.\n";

/// YAML: a list under `jobs:`, a blank line between jobs, multi-line text as literal blocks.
pub fn to_yaml(jobs: &[JobDef]) -> Result<String, ExportError> {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.compact_list_indent = false;
    // Long one-line values stay on one line: folding them would change nothing but the layout.
    options.folded_wrap_chars = usize::MAX;
    let body =
        serde_saphyr::to_string_with_options(&sorted(jobs), options).map_err(|e| ExportError {
            format: "YAML",
            message: e.to_string(),
        })?;
    let mut out = String::with_capacity(body.len() + jobs.len() + HEADER.len());
    out.push_str(HEADER);
    for (i, line) in body.lines().enumerate() {
        // Items of the top-level list are the only lines that start with exactly "  - ": every
        // field of a job, and every line of a block scalar inside one, is indented further.
        if i > 1 && line.starts_with("  - ") {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// JSON: `{"jobs": [...]}`, pretty-printed, ending with a newline.
pub fn to_json(jobs: &[JobDef]) -> Result<String, ExportError> {
    let mut out = serde_json::to_string_pretty(&sorted(jobs)).map_err(|e| ExportError {
        format: "JSON",
        message: e.to_string(),
    })?;
    out.push('\n');
    Ok(out)
}

impl ExportFormat {
    pub fn render(self, jobs: &[JobDef]) -> Result<String, ExportError> {
        match self {
            ExportFormat::Yaml => to_yaml(jobs),
            ExportFormat::Json => to_json(jobs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jobs::{parse, rules};

    fn job(id: &str, text: &str) -> JobDef {
        JobDef {
            id: id.into(),
            name: rules::line_problem("name", text)
                .is_none()
                .then(|| text.into()),
            description: Some(format!("{text}\nsecond line\n")),
            schedule: "*/5 * * * *".into(),
            command: text.into(),
            enabled: id.len().is_multiple_of(2),
            log_path: Some(format!("/var/log/{id}/*.log")),
            tags: if rules::tag_problem(text).is_none() && text != "t" {
                vec![text.into(), "t".into()]
            } else {
                vec!["t".into()]
            },
        }
    }

    /// Strings that YAML would read as something else unless quoted or escaped.
    const AWKWARD: &[&str] = &[
        "yes",
        "no",
        "on",
        "off",
        "null",
        "~",
        "true",
        "0755",
        "1e3",
        "0x1F",
        ".inf",
        "12:30",
        "2026-01-01",
        "@daily",
        "*/5 * * * *",
        "- x",
        "a: b",
        "#x",
        "x #y",
        "'q'",
        "\"dq\"",
        "[x]",
        "{x}",
        "%x",
        "!x",
        "&x",
        "|",
        ">",
        " lead",
        "trail ",
        "back\\slash",
        "ünï",
        "tab\there",
        "  - indented like an item",
        "a\u{2028}b",
    ];

    #[test]
    fn awkward_strings_survive_a_round_trip_in_both_formats() {
        let jobs: Vec<JobDef> = AWKWARD
            .iter()
            .enumerate()
            .map(|(i, s)| job(&format!("j{i:02}"), s))
            .collect();
        for format in [ExportFormat::Yaml, ExportFormat::Json] {
            let text = format.render(&jobs).unwrap();
            let back =
                parse(text.as_bytes()).unwrap_or_else(|p| panic!("{}\n{text}", p.render("x")));
            assert_eq!(back, jobs, "{format:?}:\n{text}");
            assert_eq!(format.render(&back).unwrap(), text);
        }
    }

    #[test]
    fn the_layout_is_fixed() {
        let mut b = job("b", "two");
        b.name = None;
        b.description = None;
        b.log_path = None;
        b.tags.clear();
        let jobs = vec![b, job("a", "one")];
        insta::assert_snapshot!(to_yaml(&jobs).unwrap(), @r#"
        # Scheduler job definitions, as exported by `logdex jobs export`.
        # Read back with `logdex jobs import FILE`.
        jobs:
          - id: a
            name: one
            description: |
              one
              second line
            schedule: "*/5 * * * *"
            command: one
            enabled: false
            log_path: /var/log/a/*.log
            tags:
              - one
              - t

          - id: b
            schedule: "*/5 * * * *"
            command: two
            enabled: false
        "#);
    }

    #[test]
    fn no_jobs_is_an_empty_list() {
        let text = to_yaml(&[]).unwrap();
        assert!(text.ends_with("jobs: []\n"), "{text}");
        assert_eq!(parse(text.as_bytes()).unwrap(), vec![]);
        assert_eq!(to_json(&[]).unwrap(), "{\n  \"jobs\": []\n}\n");
    }
}

//! `logdex jobs list`: every job (defined, or only seen in logs) with its schedule, state and
//! last 24 hours, as a table or JSON.

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::{ListArgs, open_for_reading};
use crate::cli::Ctx;
use crate::display::{escape, first_line, format_ts, format_ts_utc};
use crate::store::JobSummary;

pub fn run(ctx: &Ctx, a: &ListArgs) -> Result<()> {
    let store = open_for_reading(ctx)?;
    let jobs = store.jobs()?.summaries(crate::query::time::now_ms())?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.json {
        let items: Vec<serde_json::Value> = jobs.iter().map(summary_json).collect();
        serde_json::to_writer_pretty(&mut out, &items)?;
        writeln!(out)?;
    } else {
        write_table(&mut out, &jobs, &ctx.zone)?;
    }
    out.flush()?;
    Ok(())
}

fn summary_json(s: &JobSummary) -> serde_json::Value {
    let d = s.job.definition.as_ref();
    let act = &s.activity;
    json!({
        "id": s.job.name,
        "defined": d.is_some(),
        "name": d.and_then(|d| d.name.clone()),
        "description": d.and_then(|d| d.description.clone()),
        "schedule": d.map(|d| d.schedule.clone()),
        "command": d.map(|d| d.command.clone()),
        "enabled": d.map(|d| d.enabled),
        "log_path": d.and_then(|d| d.log_path.clone()),
        "tags": d.map(|d| d.tags.clone()).unwrap_or_default(),
        "created_at": s.job.created_at.map(format_ts_utc),
        "updated_at": s.job.updated_at.map(format_ts_utc),
        "last_entry": act.last_entry.map(format_ts_utc),
        "entries_24h": act.entries,
        "errors_24h": act.errors,
        "warnings_24h": act.warnings,
        "last_error": act.last_error.as_ref().map(|e| json!({
            "ts": format_ts_utc(e.ts),
            "level": e.level.map(|l| l.name()),
            "message": e.message,
        })),
    })
}

/// Cuts `s` to `width` characters, marking the cut.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn write_table(out: &mut impl Write, jobs: &[JobSummary], zone: &jiff::tz::TimeZone) -> Result<()> {
    if jobs.is_empty() {
        writeln!(
            out,
            "no jobs yet: import definitions (logdex jobs import FILE) or index logs"
        )?;
        return Ok(());
    }
    let name_w = jobs
        .iter()
        .map(|j| j.job.name.chars().count())
        .max()
        .unwrap_or(3)
        .clamp(3, 32);
    let sched_w = jobs
        .iter()
        .filter_map(|j| j.job.definition.as_ref())
        .map(|d| d.schedule.chars().count())
        .max()
        .unwrap_or(0)
        .clamp(11, 24);
    writeln!(
        out,
        "{:<name_w$}  {:<sched_w$}  {:<3}  {:<19}  {:>7}  {:>6}  {:>6}  LAST ERROR",
        "JOB", "SCHEDULE", "ON", "LAST ENTRY", "24H", "ERRORS", "WARN"
    )?;
    for j in jobs {
        let (schedule, on) = match &j.job.definition {
            Some(d) => (
                fit(&escape(&d.schedule, false), sched_w),
                if d.enabled { "yes" } else { "no" },
            ),
            None => ("(undefined)".to_string(), "-"),
        };
        let act = &j.activity;
        let last = act
            .last_entry
            .map(|t| format_ts(t, zone).chars().take(19).collect::<String>())
            .unwrap_or_else(|| "-".into());
        let error = act
            .last_error
            .as_ref()
            .map(|e| fit(&first_line(&e.message), 60))
            .unwrap_or_default();
        let line = format!(
            "{:<name_w$}  {:<sched_w$}  {:<3}  {:<19}  {:>7}  {:>6}  {:>6}  {error}",
            fit(&escape(&j.job.name, false), name_w),
            schedule,
            on,
            last,
            act.entries,
            act.errors,
            act.warnings,
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

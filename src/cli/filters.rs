//! Turns filter flags into the shared filter model.

use anyhow::{Context, Result, bail};

use super::args::FilterArgs;
use crate::model::Level;
use crate::query::{Filter, LevelSet, SearchMode, TextQuery, TimeRange, TimeSpec};

pub fn build(query: &str, args: &FilterArgs, zone: &jiff::tz::TimeZone) -> Result<Filter> {
    let text = if query.trim().is_empty() {
        None
    } else {
        let mode = if args.regex {
            SearchMode::Regex
        } else {
            SearchMode::Words
        };
        Some(TextQuery::parse(mode, query).map_err(|e| {
            anyhow::anyhow!(
                "bad {} {query:?}: {e}",
                if args.regex { "regex" } else { "search" }
            )
        })?)
    };
    let mut levels = LevelSet::all();
    if let Some(min) = &args.min_level {
        levels = LevelSet::at_least(
            parse_level(min)?.context("--min-level needs a level, not unknown")?,
        );
    } else if !args.levels.is_empty() {
        levels = LevelSet::none();
        for l in &args.levels {
            levels.insert(parse_level(l)?);
        }
    }
    let now = crate::query::time::now_ms();
    let at = |flag: &str, v: &Option<String>| -> Result<Option<i64>> {
        v.as_deref()
            .map(|s| TimeSpec::parse(s, zone).map(|t| t.resolve(now)))
            .transpose()
            .with_context(|| format!("--{flag}"))
    };
    let time = TimeRange {
        since: at("since", &args.since)?,
        until: at("until", &args.until)?,
    };
    if let (Some(s), Some(u)) = (time.since, time.until)
        && s >= u
    {
        bail!("--since must be before --until");
    }
    Ok(Filter {
        text,
        jobs: (!args.jobs.is_empty()).then(|| args.jobs.clone()),
        levels,
        time,
    })
}

/// A level name, or `unknown` for entries without one.
fn parse_level(s: &str) -> Result<Option<Level>> {
    if s.eq_ignore_ascii_case("unknown") || s.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match Level::parse_name(s) {
        Some(l) => Ok(Some(l)),
        None => bail!("unknown level {s:?}: use trace, debug, info, warn, error, fatal or unknown"),
    }
}

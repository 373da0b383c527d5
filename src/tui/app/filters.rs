//! The filters pane: which jobs and levels to show and the time range, as a list with a cursor.
//! Jobs are kept as the set switched off, so a job that appears later is shown.

use std::collections::BTreeSet;

use crate::model::Level;
use crate::query::time::format_duration_ms;
use crate::query::{LevelSet, TimeRange};
use crate::store::JobCount;

/// Time presets, as spans back from now (None: all of time).
pub const PRESETS: [Option<i64>; 5] = [
    Some(15 * 60_000),
    Some(3_600_000),
    Some(86_400_000),
    Some(7 * 86_400_000),
    None,
];

/// How a preset is called: `15m`, `1h`, `24h`, `7d`, `all time`.
pub fn preset_name(span: Option<i64>) -> String {
    match span {
        None => "all time".into(),
        Some(86_400_000) => "24h".into(),
        Some(604_800_000) => "7d".into(),
        Some(ms) => format_duration_ms(ms),
    }
}

/// Levels as listed, most severe first; None is "unknown".
pub const LEVEL_ROWS: [Option<Level>; 7] = [
    Some(Level::Fatal),
    Some(Level::Error),
    Some(Level::Warn),
    Some(Level::Info),
    Some(Level::Debug),
    Some(Level::Trace),
    None,
];

/// One selectable row of the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    Job(usize),
    Level(Option<Level>),
    Preset(Option<i64>),
    /// Type an absolute range.
    Range,
}

/// How the time range was chosen, for its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeChoice {
    All,
    Last(i64),
    Typed(String),
}

#[derive(Debug, Clone)]
pub struct FiltersPane {
    pub jobs: Vec<JobCount>,
    pub hidden_jobs: BTreeSet<String>,
    pub levels: LevelSet,
    pub time: TimeRange,
    pub time_choice: TimeChoice,
    pub cursor: usize,
}

impl Default for FiltersPane {
    fn default() -> Self {
        FiltersPane {
            jobs: Vec::new(),
            hidden_jobs: BTreeSet::new(),
            levels: LevelSet::all(),
            time: TimeRange::all(),
            time_choice: TimeChoice::All,
            cursor: 0,
        }
    }
}

impl FiltersPane {
    pub fn items(&self) -> Vec<Item> {
        (0..self.jobs.len())
            .map(Item::Job)
            .chain(LEVEL_ROWS.into_iter().map(Item::Level))
            .chain(PRESETS.into_iter().map(Item::Preset))
            .chain(std::iter::once(Item::Range))
            .collect()
    }

    pub fn item(&self) -> Option<Item> {
        self.items().get(self.cursor).copied()
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.items().len();
        self.cursor = self
            .cursor
            .saturating_add_signed(delta)
            .min(n.saturating_sub(1));
    }

    /// The jobs to keep, None for all.
    pub fn job_filter(&self) -> Option<Vec<String>> {
        if self.hidden_jobs.is_empty() {
            return None;
        }
        Some(
            self.jobs
                .iter()
                .filter(|j| !self.hidden_jobs.contains(&j.name))
                .map(|j| j.name.clone())
                .collect(),
        )
    }

    pub fn job_shown(&self, name: &str) -> bool {
        !self.hidden_jobs.contains(name)
    }

    /// Shows the job `name` alone: every other job switched off, the cursor on its row. A job
    /// the list has not heard of yet (it came with newer data) joins the list.
    pub fn only_job(&mut self, id: i64, name: &str) {
        let at = match self.jobs.iter().position(|j| j.name == name) {
            Some(i) => i,
            None => {
                let i = self.jobs.partition_point(|j| j.name.as_str() < name);
                self.jobs.insert(
                    i,
                    JobCount {
                        id,
                        name: name.to_string(),
                        entries: 0,
                    },
                );
                i
            }
        };
        self.hidden_jobs = self
            .jobs
            .iter()
            .filter(|j| j.name != name)
            .map(|j| j.name.clone())
            .collect();
        if let Some(i) = self.items().iter().position(|x| *x == Item::Job(at)) {
            self.cursor = i;
        }
    }

    pub fn set_jobs(&mut self, jobs: Vec<JobCount>) {
        let before = (!self.jobs.is_empty()).then(|| self.item()).flatten();
        self.jobs = jobs;
        // Keep the cursor on the same kind of row when jobs come or go.
        if let Some(item) = before
            && !matches!(item, Item::Job(_))
            && let Some(i) = self.items().iter().position(|x| *x == item)
        {
            self.cursor = i;
        }
        self.move_by(0);
    }

    /// Switches the row under the cursor; returns true when the filter changed. `now` is for
    /// presets; the range row is handled by the app (it opens a prompt).
    pub fn toggle(&mut self, now: i64) -> bool {
        match self.item() {
            Some(Item::Job(i)) => {
                let Some(name) = self.jobs.get(i).map(|j| j.name.clone()) else {
                    return false;
                };
                if !self.hidden_jobs.remove(&name) {
                    self.hidden_jobs.insert(name);
                }
                true
            }
            Some(Item::Level(l)) => {
                self.levels.toggle(l);
                true
            }
            Some(Item::Preset(span)) => {
                self.set_preset(span, now);
                true
            }
            Some(Item::Range) | None => false,
        }
    }

    pub fn set_preset(&mut self, span: Option<i64>, now: i64) {
        match span {
            Some(ms) => {
                self.time = TimeRange::last(now, ms);
                self.time_choice = TimeChoice::Last(ms);
            }
            None => {
                self.time = TimeRange::all();
                self.time_choice = TimeChoice::All;
            }
        }
    }

    /// All jobs or all levels, by where the cursor is.
    pub fn select_all(&mut self) -> bool {
        match self.item() {
            Some(Item::Job(_)) => !std::mem::take(&mut self.hidden_jobs).is_empty(),
            Some(Item::Level(_)) => {
                let was = self.levels;
                self.levels = LevelSet::all();
                was != self.levels
            }
            _ => false,
        }
    }

    /// No jobs or no levels, by where the cursor is.
    pub fn select_none(&mut self) -> bool {
        match self.item() {
            Some(Item::Job(_)) => {
                self.hidden_jobs = self.jobs.iter().map(|j| j.name.clone()).collect();
                true
            }
            Some(Item::Level(_)) => {
                self.levels = LevelSet::none();
                true
            }
            _ => false,
        }
    }

    /// The level under the cursor and everything above it.
    pub fn min_level_here(&mut self) -> bool {
        match self.item() {
            Some(Item::Level(Some(l))) => {
                self.levels = LevelSet::at_least(l);
                true
            }
            _ => false,
        }
    }

    /// One step up the minimum level: all → ≥debug → … → ≥fatal.
    pub fn raise_min_level(&mut self) -> bool {
        let lowest = self.levels.members().flatten().min();
        let next = match (self.levels.is_all(), lowest) {
            (true, _) => Some(Level::Debug),
            (false, Some(l)) if self.levels.minimum() == Some(l) => {
                Level::from_code(l.code() as i64 + 1)
            }
            (false, Some(l)) => Some(l),
            (false, None) => None,
        };
        match next {
            Some(l) => {
                self.levels = LevelSet::at_least(l);
                true
            }
            None => false,
        }
    }

    /// One step down: ≥fatal → … → ≥trace → all.
    pub fn lower_min_level(&mut self) -> bool {
        if self.levels.is_all() {
            return false;
        }
        let lower = self
            .levels
            .minimum()
            .and_then(|l| Level::from_code(l.code() as i64 - 1));
        self.levels = lower.map_or_else(LevelSet::all, LevelSet::at_least);
        true
    }

    /// A short description of the level filter.
    pub fn levels_label(&self) -> String {
        if self.levels.is_all() {
            return "all".into();
        }
        if let Some(min) = self.levels.minimum() {
            return format!("≥ {}", min.label());
        }
        if self.levels.is_empty() {
            return "none".into();
        }
        self.levels
            .members()
            .map(|l| l.map_or("unknown", |l| l.label()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn time_label(&self) -> String {
        match &self.time_choice {
            TimeChoice::All => "all".into(),
            TimeChoice::Last(ms) => format!("last {}", preset_name(Some(*ms))),
            TimeChoice::Typed(s) => s.clone(),
        }
    }
}

/// Reads a typed range: `FROM`, `FROM .. TO` or `.. TO`, each a duration ago (`2h`) or a date
/// and time read in `zone`.
pub fn parse_range(text: &str, zone: &jiff::tz::TimeZone, now: i64) -> Result<TimeRange, String> {
    let (from, to) = match text.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (text.trim(), ""),
    };
    let at = |s: &str| -> Result<Option<i64>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        crate::query::TimeSpec::parse(s, zone)
            .map(|t| Some(t.resolve(now)))
            .map_err(|e| e.to_string())
    };
    let range = TimeRange {
        since: at(from)?,
        until: at(to)?,
    };
    if range.is_all() {
        return Err(
            "type a start, an end or both: 2h, 2026-11-02T12:00 .. 2026-11-02T13:00".into(),
        );
    }
    if let (Some(s), Some(u)) = (range.since, range.until)
        && s >= u
    {
        return Err("the start must be before the end".into());
    }
    Ok(range)
}

//! The browser's state and its one transition function: [`App::update`] takes an [`Action`] and
//! returns the [`Effect`]s to run. It is the only place state changes, it does no IO and reads
//! no clock (time arrives in actions), so every behaviour is testable without a terminal.

mod commands;
mod detail;
mod filters;
mod find;
mod jobs;
mod logs;
mod navigation;
mod replies;
mod requests;
mod search;

use std::path::PathBuf;

use jiff::tz::TimeZone;
use ratatui::layout::Rect;
use ratatui::text::Span;

pub use detail::{ContextList, DetailView, Prompt};
pub use filters::{FiltersPane, Item, LEVEL_ROWS, PRESETS, TimeChoice, parse_range, preset_name};
pub use jobs::{JobsView, trouble_first};
pub use logs::{LogsWindow, cursor_above, cursor_below};
pub use search::SearchBox;

use super::action::{Action, Selection};
use super::effect::{Effect, Gen, Kind};
use super::keymap::{Keymap, Mode};
use super::layout::{LogColumns, Screen, Shape};
use crate::ingest::discover::Skipped;
use crate::model::LogEntry;
use crate::query::{Filter, Order};
use crate::store::Stats;

/// Longest a wrapped entry may grow, in rows.
pub const MAX_WRAP_ROWS: usize = 6;

/// The panes that take turns with Tab (the jobs pane takes the place of the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Logs,
    Filters,
    Stats,
    Jobs,
}

/// What the in-process indexer is doing.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Indexing {
    /// No indexer in this process.
    #[default]
    Off,
    Running {
        files: usize,
        bytes_total: u64,
        bytes: u64,
        entries: u64,
        rate: f64,
    },
    /// The first pass is done; files are watched for what they gain.
    Watching {
        files: usize,
        entries: u64,
    },
    Failed(String),
    /// Another process holds the writer; this one takes over when it ends.
    Waiting,
}

/// A one-line message in the footer until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Fixed facts about this session.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The database, as shown in the header.
    pub db_label: String,
    /// The configured zone (local, or the config's `timezone`).
    pub zone: TimeZone,
    /// Start in UTC.
    pub utc: bool,
    /// Where exports go unless a path says otherwise.
    pub export_dir: PathBuf,
    pub keymap: Keymap,
}

pub struct App {
    pub settings: Settings,
    pub utc: bool,
    pub now_ms: i64,
    pub size: (u16, u16),
    pub focus: Focus,
    /// Help is open, scrolled this far.
    pub help: Option<usize>,
    pub prompt: Option<Prompt>,
    pub search: SearchBox,
    pub filters: FiltersPane,
    pub logs: LogsWindow,
    pub wrap: bool,
    pub hscroll: usize,
    pub follow: bool,
    pub stats: Option<Stats>,
    /// The histogram bucket under the cursor.
    pub bucket: usize,
    pub detail: Option<DetailView>,
    pub jobs: JobsView,
    pub indexing: Indexing,
    pub skipped: Vec<Skipped>,
    pub status: Option<Status>,
    /// The database cannot be used, for this reason: the log files are read directly.
    pub degraded: Option<String>,
    /// What was done to recover a damaged database, when something was.
    pub recovered: Option<String>,
    gens: [Gen; Kind::COUNT],
    inflight: [bool; Kind::COUNT],
    busy_ticks: u32,
    /// New entries arrived while a follow reload was out: reload again when it lands.
    follow_again: bool,
    /// The list on screen is a quick partial answer; the complete one is on its way.
    pub list_partial: bool,
    /// The counts on screen are for an older search; new ones come when typing pauses.
    counts_wait: bool,
    /// Counts and jobs are out of date (new entries); reloaded on a later tick.
    counts_due: bool,
    last_stats_ms: i64,
    pub quitting: bool,
}

impl App {
    pub fn new(settings: Settings) -> App {
        App {
            utc: settings.utc,
            settings,
            now_ms: 0,
            size: (80, 24),
            focus: Focus::Logs,
            help: None,
            prompt: None,
            search: SearchBox::default(),
            filters: FiltersPane::default(),
            logs: LogsWindow::new(Order::OldestFirst),
            wrap: false,
            hscroll: 0,
            follow: true,
            stats: None,
            bucket: 0,
            detail: None,
            jobs: JobsView::default(),
            indexing: Indexing::Off,
            skipped: Vec::new(),
            status: None,
            degraded: None,
            recovered: None,
            gens: [0; Kind::COUNT],
            inflight: [false; Kind::COUNT],
            busy_ticks: 0,
            follow_again: false,
            counts_due: false,
            counts_wait: false,
            list_partial: false,
            last_stats_ms: i64::MIN / 2,
            quitting: false,
        }
    }

    /// The one transition: applies `action` and says what to do next.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut fx = Vec::new();
        match action {
            Action::Started {
                width,
                height,
                now_ms,
            } => {
                self.size = (width, height);
                self.now_ms = now_ms;
                self.reload_newest(&mut fx);
                self.load_stats(&mut fx);
                self.load_jobs(&mut fx);
            }
            Action::Run(c) => {
                self.status = None;
                self.run(c, &mut fx);
            }
            Action::Edit(req) => self.edit(req, &mut fx),
            Action::Resize { width, height } => {
                let wider = width != self.size.0;
                self.size = (width, height);
                if wider {
                    // The histogram has a bucket per column.
                    self.load_stats(&mut fx);
                }
            }
            Action::Click { column, row } => self.click(column, row, &mut fx),
            Action::Wheel { column, row, down } => self.wheel(column, row, down),
            Action::Tick { now_ms } => self.tick(now_ms, &mut fx),
            Action::SearchIdle { edit } => {
                if edit == self.search.edits {
                    self.reload_counts(&mut fx);
                }
            }
            Action::SearchSettled => {
                if self.search.settle() == search::Debounce::ApplyNow {
                    self.apply_search(&mut fx);
                }
            }
            Action::Loaded(l) => self.loaded(l, &mut fx),
            Action::Indexer(s) => self.indexer(s, &mut fx),
            Action::DataChanged => self.new_data(&mut fx),
        }
        self.fit(&mut fx);
        fx
    }

    /// Where keys land now.
    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            Mode::Help
        } else if self.prompt.is_some() {
            Mode::Prompt
        } else if self.search.editing {
            Mode::SearchBox
        } else if self.detail.is_some() {
            Mode::Detail
        } else {
            match self.focus {
                Focus::Logs => Mode::Logs,
                Focus::Filters => Mode::Filters,
                Focus::Stats => Mode::Stats,
                Focus::Jobs => Mode::Jobs,
            }
        }
    }

    pub fn zone(&self) -> TimeZone {
        if self.utc {
            TimeZone::UTC
        } else {
            self.settings.zone.clone()
        }
    }

    pub fn screen(&self) -> Screen {
        self.screen_in(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// The layout of `area` in the current state.
    pub fn screen_in(&self, area: Rect) -> Screen {
        Screen::new(
            area,
            Shape {
                filters_focused: self.focus == Focus::Filters && self.detail.is_none(),
                stats_focused: self.focus == Focus::Stats && self.detail.is_none(),
                banner: self.degraded.is_some(),
            },
        )
    }

    pub fn columns(&self) -> LogColumns {
        let longest = self
            .filters
            .jobs
            .iter()
            .map(|j| j.name.chars().count())
            .max();
        LogColumns::new(self.screen().log_rows().width, longest.unwrap_or(8))
    }

    /// Rows an entry takes in the logs pane.
    pub fn entry_rows(&self, e: &LogEntry, columns: &LogColumns) -> usize {
        if !self.wrap {
            return 1;
        }
        let width = Span::raw(crate::tui::text::raw_first_line(&e.message)).width();
        width
            .div_ceil(usize::from(columns.message).max(1))
            .clamp(1, MAX_WRAP_ROWS)
    }

    /// A query is out and has been for a while: show a spinner.
    pub fn busy(&self) -> bool {
        self.busy_ticks >= 2
    }

    /// The counts on screen are not yet those of the filter in effect.
    pub fn counting(&self) -> bool {
        self.counts_wait || self.loading(Kind::Stats) || self.loading(Kind::Matches)
    }

    /// Nothing that changes the list or its counts is being loaded.
    pub fn settled(&self) -> bool {
        [Kind::Window, Kind::Stats, Kind::Matches]
            .iter()
            .all(|k| !self.loading(*k))
    }

    /// Which frame of the spinner to show.
    pub fn busy_frame(&self) -> usize {
        self.busy_ticks as usize
    }

    pub fn loading(&self, kind: Kind) -> bool {
        self.inflight[kind.index()]
    }

    /// The filter of the list on screen.
    pub fn view_filter(&self) -> Filter {
        Filter {
            text: self.search.narrowing().cloned(),
            jobs: self.filters.job_filter(),
            levels: self.filters.levels,
            time: self.filters.time,
        }
    }

    pub(super) fn tell(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }
}

#[cfg(test)]
mod tests;

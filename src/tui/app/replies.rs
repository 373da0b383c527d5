//! The background's side of [`App::update`]: query replies (stale ones dropped by generation),
//! the indexer's signals, new data from other processes, the clock, and the mouse.

use super::{App, Focus, Indexing};
use crate::tui::action::{Command, IndexerSignal, Loaded, Placement};
use crate::tui::effect::{Effect, Kind};
use crate::tui::keymap::Mode;
use crate::tui::layout::row_in;

/// Least time between two reloads of the counts while entries stream in.
const STATS_EVERY_MS: i64 = 1_000;

impl App {
    pub(super) fn loaded(&mut self, l: Loaded, fx: &mut Vec<Effect>) {
        match l {
            Loaded::PageLoaded {
                seq,
                placement,
                page,
                partial,
            } => {
                // A partial answer is shown, but the window still waits for the complete one.
                let current = match placement {
                    Placement::Replace(_) if !partial => self.accept(Kind::Window, seq),
                    _ => seq == self.gens[Kind::Window.index()],
                };
                if !current {
                    return;
                }
                self.list_partial = partial;
                self.logs.place(placement, page);
                if partial {
                    return;
                }
                if matches!(placement, Placement::Replace(_))
                    && std::mem::take(&mut self.follow_again)
                    && self.follow
                {
                    self.reload_newest(fx);
                }
            }
            Loaded::MatchMissing { seq } => {
                if self.accept(Kind::Window, seq) {
                    self.warn("no more matches that way");
                }
            }
            Loaded::StatsLoaded { seq, stats } => {
                if self.accept(Kind::Stats, seq) {
                    self.stats = Some(*stats);
                    self.move_bucket(0);
                }
            }
            Loaded::MatchesCounted { seq, count } => {
                if self.accept(Kind::Matches, seq) {
                    self.search.matches = Some(count);
                }
            }
            Loaded::JobsLoaded { seq, jobs } => {
                if self.accept(Kind::Jobs, seq) {
                    self.filters.set_jobs(jobs);
                }
            }
            Loaded::SummariesLoaded { seq, jobs } => {
                if self.accept(Kind::Summaries, seq) {
                    self.jobs.set(jobs);
                }
            }
            Loaded::ContextLoaded { seq, entries } => {
                if self.accept(Kind::Context, seq)
                    && let Some(d) = &mut self.detail
                {
                    d.set_context(entries);
                }
            }
            Loaded::Exported { path, count } => {
                let noun = if count == 1 { "entry" } else { "entries" };
                self.tell(format!("exported {count} {noun} to {path}"));
            }
            Loaded::Copied { bytes } => {
                self.tell(format!("copied the entry ({bytes} bytes) to the clipboard"));
            }
            Loaded::Failed { kind, seq, message } => {
                if kind.is_none_or(|k| self.accept(k, seq)) {
                    if kind == Some(Kind::Window) {
                        self.logs.loading_above = false;
                        self.logs.loading_below = false;
                        self.list_partial = false;
                    }
                    self.warn(message);
                }
            }
        }
    }

    pub(super) fn indexer(&mut self, s: IndexerSignal, fx: &mut Vec<Effect>) {
        match s {
            IndexerSignal::Planned { files, bytes } => {
                let entries = match self.indexing {
                    Indexing::Watching { entries, .. } => entries,
                    _ => 0,
                };
                if bytes > 0 || !matches!(self.indexing, Indexing::Watching { .. }) {
                    self.indexing = Indexing::Running {
                        files,
                        bytes_total: bytes,
                        bytes: 0,
                        entries,
                        rate: 0.0,
                    };
                }
            }
            IndexerSignal::Committed {
                entries,
                bytes,
                rate,
            } => {
                if let Indexing::Running {
                    bytes: b,
                    entries: e,
                    rate: r,
                    ..
                } = &mut self.indexing
                {
                    *b = bytes;
                    *e = entries;
                    *r = rate;
                }
                self.new_data(fx);
            }
            IndexerSignal::Skipped(s) => self.skipped.push(s),
            IndexerSignal::Finished { entries, files } => {
                let total = match self.indexing {
                    Indexing::Watching { entries: e, .. } => e + entries,
                    _ => entries,
                };
                self.indexing = Indexing::Watching {
                    files,
                    entries: total,
                };
                self.counts_due = true;
                self.jobs.due = true;
            }
            IndexerSignal::Failed(m) => {
                self.warn(format!("indexing stopped: {m}"));
                self.indexing = Indexing::Failed(m);
            }
            IndexerSignal::Waiting(holder) => {
                self.tell(format!(
                    "another logdex process{holder} is indexing this database; its entries show here, and indexing resumes when it ends"
                ));
                self.indexing = Indexing::Waiting;
            }
            IndexerSignal::Recovered(m) => {
                self.warn(m.clone());
                self.recovered = Some(m);
            }
            IndexerSignal::Said(m) => self.tell(m),
        }
    }

    /// Entries were committed: the list follows them, the counts catch up on a later tick.
    pub(super) fn new_data(&mut self, fx: &mut Vec<Effect>) {
        self.counts_due = true;
        self.jobs.due = true;
        if self.follow {
            if self.loading(Kind::Window) {
                self.follow_again = true;
            } else {
                self.reload_newest(fx);
            }
        } else {
            self.logs.note_new_entries();
        }
    }

    pub(super) fn tick(&mut self, now: i64, fx: &mut Vec<Effect>) {
        self.now_ms = now;
        let busy = self.inflight.iter().any(|b| *b);
        self.busy_ticks = if busy { self.busy_ticks + 1 } else { 0 };
        if self.counts_due
            && !self.loading(Kind::Stats)
            && now - self.last_stats_ms >= STATS_EVERY_MS
        {
            self.counts_due = false;
            self.load_stats(fx);
            self.load_jobs(fx);
        }
        self.refresh_summaries(STATS_EVERY_MS, fx);
    }

    pub(super) fn click(&mut self, column: u16, row: u16, fx: &mut Vec<Effect>) {
        if self.help.is_some() || self.prompt.is_some() {
            return;
        }
        let s = self.screen();
        if self.detail.is_some() {
            return;
        }
        if self.focus == Focus::Jobs {
            let rows = crate::tui::panes::jobs::table_rows(s.body);
            if let Some(r) = row_in(rows, column, row) {
                let first = crate::tui::panes::jobs::first_row(&self.jobs, rows.height);
                if first + r < self.jobs.rows.len() {
                    self.jobs.cursor = first + r;
                }
            } else if row_in(s.search, column, row).is_some() {
                self.run(Command::StartSearch, fx);
            }
            return;
        }
        if let Some(r) = row_in(s.log_rows(), column, row) {
            self.focus = Focus::Logs;
            self.search.editing = false;
            let columns = self.columns();
            let mut y = 0;
            for (i, e) in self.logs.entries.iter().enumerate().skip(self.logs.top) {
                y += self.entry_rows(e, &columns);
                if r < y {
                    if i != self.logs.selected {
                        self.follow = false;
                    }
                    self.logs.selected = i;
                    break;
                }
            }
        } else if let Some(r) = s.filter_rows().and_then(|a| row_in(a, column, row)) {
            self.focus = Focus::Filters;
            let height = s.filter_rows().map_or(0, |a| usize::from(a.height));
            let lines = crate::tui::panes::filters::lines(&self.filters);
            let first = crate::tui::panes::filters::first_line(&self.filters, height);
            if let Some(crate::tui::panes::filters::ListLine::Item(i)) = lines.get(first + r) {
                self.filters.cursor = *i;
            }
        } else if row_in(s.stats_rows(), column, row).is_some() {
            self.focus = Focus::Stats;
            let area = crate::tui::panes::stats::histogram_area(s.stats_rows());
            let n = self.stats.as_ref().map_or(0, |st| st.buckets.len());
            let width = crate::tui::panes::stats::bucket_width(area, n);
            if let Some(x) = column.checked_sub(area.x) {
                self.bucket = 0;
                self.move_bucket((x / width) as isize);
            }
        } else if row_in(s.search, column, row).is_some() {
            self.run(Command::StartSearch, fx);
        }
    }

    pub(super) fn wheel(&mut self, column: u16, row: u16, down: bool) {
        let s = self.screen();
        let mode = match self.mode() {
            m @ (Mode::Help | Mode::Detail | Mode::Jobs) => m,
            _ if s
                .filter_rows()
                .and_then(|a| row_in(a, column, row))
                .is_some() =>
            {
                Mode::Filters
            }
            _ => Mode::Logs,
        };
        match mode {
            Mode::Filters => self.filters.move_by(if down { 3 } else { -3 }),
            m => self.navigate(m, if down { 3 } else { -3 }),
        }
    }
}

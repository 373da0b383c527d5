//! The jobs pane: every job (defined, or only seen in the logs) with its recent activity, most
//! trouble first, and a cursor. Enter narrows the logs to the job under the cursor.

use std::cmp::Ordering;

use super::{App, Focus};
use crate::store::{JobSummary, window_start};
use crate::tui::action::Command;
use crate::tui::effect::{Effect, Kind};
use crate::tui::keymap::Mode;

#[derive(Debug, Clone, Default)]
pub struct JobsView {
    /// Most trouble first (see [`trouble_first`]).
    pub rows: Vec<JobSummary>,
    pub cursor: usize,
    /// Summaries have arrived at least once.
    pub loaded: bool,
    /// The first hour of the window the last request counted (it moves on with the clock).
    pub window: Option<i64>,
    /// When the last request went out (ms), to space out reloads while entries stream in.
    pub asked_ms: i64,
    /// Entries arrived since the last request.
    pub due: bool,
}

/// The order of the pane: more errors in the last 24 hours first, then more warnings, then by
/// name.
pub fn trouble_first(a: &JobSummary, b: &JobSummary) -> Ordering {
    let (x, y) = (&a.activity, &b.activity);
    y.errors
        .cmp(&x.errors)
        .then(y.warnings.cmp(&x.warnings))
        .then_with(|| a.job.name.cmp(&b.job.name))
}

impl JobsView {
    /// New summaries, sorted; the cursor stays on the job it was on while that job is listed.
    pub fn set(&mut self, mut rows: Vec<JobSummary>) {
        let on = self.selected().map(|s| s.job.name.clone());
        rows.sort_by(trouble_first);
        self.rows = rows;
        self.loaded = true;
        if let Some(name) = on
            && let Some(i) = self.rows.iter().position(|s| s.job.name == name)
        {
            self.cursor = i;
        }
        self.move_by(0);
    }

    pub fn selected(&self) -> Option<&JobSummary> {
        self.rows.get(self.cursor)
    }

    pub fn move_by(&mut self, delta: isize) {
        self.cursor = self
            .cursor
            .saturating_add_signed(delta)
            .min(self.rows.len().saturating_sub(1));
    }

    /// How many jobs are listed without a definition.
    pub fn undefined(&self) -> usize {
        self.rows
            .iter()
            .filter(|s| s.job.definition.is_none())
            .count()
    }
}

impl App {
    /// Asks for the summaries as of the app's clock.
    pub(super) fn load_summaries(&mut self, fx: &mut Vec<Effect>) {
        let seq = self.next_gen(Kind::Summaries);
        self.jobs.window = Some(window_start(self.now_ms));
        self.jobs.asked_ms = self.now_ms;
        self.jobs.due = false;
        fx.push(Effect::LoadSummaries {
            seq,
            now_ms: self.now_ms,
        });
    }

    /// Opens the jobs pane (with fresh summaries) or closes it.
    pub(super) fn toggle_jobs(&mut self, fx: &mut Vec<Effect>) {
        self.toggle_focus(Focus::Jobs);
        if self.focus == Focus::Jobs {
            self.load_summaries(fx);
        }
    }

    /// On the clock: while the pane is open, reloads what is out of date (entries arrived, at
    /// most once every `every_ms`; or the 24-hour window moved on to a new hour).
    pub(super) fn refresh_summaries(&mut self, every_ms: i64, fx: &mut Vec<Effect>) {
        if self.focus != Focus::Jobs || self.loading(Kind::Summaries) {
            return;
        }
        let moved = self.jobs.window != Some(window_start(self.now_ms));
        let due = self.jobs.due && self.now_ms - self.jobs.asked_ms >= every_ms;
        if moved || due {
            self.load_summaries(fx);
        }
    }

    /// Enter on a job: the logs show that job alone (the other jobs switched off in the
    /// filters), newest entries first in view.
    pub(super) fn show_job(&mut self, fx: &mut Vec<Effect>) {
        let Some(s) = self.jobs.selected() else {
            return;
        };
        let (id, name) = (s.job.id, s.job.name.clone());
        self.filters.only_job(id, &name);
        self.focus = Focus::Logs;
        self.follow = true;
        self.reload_newest(fx);
        self.reload_counts(fx);
        let shown = crate::display::escape(&name, false).into_owned();
        let keys = &self.settings.keymap;
        let filters = keys.keys_for(Mode::Logs, Command::FocusFilters);
        let all = keys.keys_for(Mode::Filters, Command::SelectAll);
        match (filters.first(), all.first()) {
            (Some(f), Some(a)) => self.tell(format!(
                "showing only {shown}; {f} then {a} shows every job again"
            )),
            _ => self.tell(format!("showing only {shown}")),
        }
    }
}

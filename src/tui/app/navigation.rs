//! Moving around: rows, pages, the ends of the list (which may need a new window), sideways,
//! the histogram's buckets, and which pane has the keyboard.

use super::{App, Focus};
use crate::tui::action::Selection;
use crate::tui::effect::{Anchor, Effect};
use crate::tui::keymap::Mode;

impl App {
    /// Rows a page moves in the current mode.
    pub(super) fn page_rows(&self) -> usize {
        let s = self.screen();
        let rows = match self.mode() {
            Mode::Detail | Mode::Help => s.body.height.saturating_sub(1),
            Mode::Filters => s.filter_rows().map_or(1, |r| r.height),
            Mode::Jobs => crate::tui::panes::jobs::table_rows(s.body).height,
            _ => s.log_rows().height,
        };
        usize::from(rows).max(1)
    }

    pub(super) fn navigate(&mut self, mode: Mode, delta: isize) {
        match mode {
            Mode::Help => {
                let max = crate::tui::panes::help::max_scroll(self);
                if let Some(s) = &mut self.help {
                    *s = s.saturating_add_signed(delta).min(max);
                }
            }
            Mode::Detail => {
                let rows = self.page_rows();
                let lines = crate::tui::panes::detail::line_count(self);
                if let Some(d) = &mut self.detail {
                    d.move_by(delta, lines, rows);
                }
            }
            Mode::Filters => self.filters.move_by(delta),
            Mode::Stats => self.move_bucket(delta),
            Mode::Jobs => self.jobs.move_by(delta),
            _ => {
                if self.logs.move_by(delta) {
                    self.follow = false;
                }
            }
        }
    }

    pub(super) fn go_end(&mut self, mode: Mode, top: bool, fx: &mut Vec<Effect>) {
        let delta = if top { isize::MIN / 2 } else { isize::MAX / 2 };
        if mode != Mode::Logs {
            self.navigate(mode, delta);
            return;
        }
        let newest = top == self.logs.newest_on_top();
        let loaded_end = if top {
            self.logs.above.is_none()
        } else {
            self.logs.below.is_none()
        };
        self.follow = newest;
        if loaded_end && self.logs.loaded {
            self.logs.move_by(delta);
        } else {
            let anchor = if newest {
                Anchor::Newest
            } else {
                Anchor::Oldest
            };
            let sel = if top {
                Selection::First
            } else {
                Selection::Last
            };
            self.reload_window(anchor, sel, fx);
        }
    }

    pub(super) fn sideways(&mut self, mode: Mode, dir: isize) {
        match mode {
            Mode::Stats => self.move_bucket(dir),
            Mode::Logs if !self.wrap => {
                self.hscroll = self.hscroll.saturating_add_signed(dir * 8);
            }
            _ => {}
        }
    }

    pub(super) fn move_bucket(&mut self, delta: isize) {
        let n = self.stats.as_ref().map_or(0, |s| s.buckets.len());
        self.bucket = self
            .bucket
            .saturating_add_signed(delta)
            .min(n.saturating_sub(1));
    }

    pub(super) fn toggle_focus(&mut self, f: Focus) {
        self.detail = None;
        self.focus = if self.focus == f { Focus::Logs } else { f };
    }
}

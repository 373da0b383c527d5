//! The queries the app asks for, and the bookkeeping of their generations: a request bumps its
//! kind's counter, a reply counts only when it carries the newest one.

use super::logs::Want;
use super::{App, Filter, Selection};
use crate::tui::action::Placement;
use crate::tui::effect::{Anchor, Effect, Gen, Kind};

impl App {
    pub(super) fn next_gen(&mut self, kind: Kind) -> Gen {
        let i = kind.index();
        if kind == Kind::Window {
            // Pages asked for the window being replaced will be dropped on arrival.
            self.logs.loading_above = false;
            self.logs.loading_below = false;
        }
        self.gens[i] += 1;
        self.inflight[i] = true;
        self.gens[i]
    }

    /// True when `seq` is the newest request of its kind (which is then answered).
    pub(super) fn accept(&mut self, kind: Kind, seq: Gen) -> bool {
        let i = kind.index();
        if self.gens[i] != seq {
            return false;
        }
        self.inflight[i] = false;
        true
    }

    pub(super) fn page_limit(&self) -> usize {
        (usize::from(self.screen().log_rows().height) * 2).max(100)
    }

    /// Rows of the list in the filter and order on screen.
    fn window_request(&self, seq: Gen, anchor: Anchor, placement: Placement) -> Effect {
        Effect::LoadWindow {
            seq,
            filter: self.view_filter(),
            order: self.logs.order,
            anchor,
            limit: self.page_limit(),
            placement,
        }
    }

    pub(super) fn reload_window(
        &mut self,
        anchor: Anchor,
        selection: Selection,
        fx: &mut Vec<Effect>,
    ) {
        let seq = self.next_gen(Kind::Window);
        fx.push(self.window_request(seq, anchor, Placement::Replace(selection)));
    }

    pub(super) fn reload_newest(&mut self, fx: &mut Vec<Effect>) {
        let sel = if self.logs.newest_on_top() {
            Selection::First
        } else {
            Selection::Last
        };
        self.reload_window(Anchor::Newest, sel, fx);
    }

    /// The filter changed: the list, the counts and the match count follow.
    pub(super) fn refresh_view(&mut self, fx: &mut Vec<Effect>) {
        self.reload_list(fx);
        self.reload_counts(fx);
    }

    /// The list for a changed filter, around the selection unless following.
    pub(super) fn reload_list(&mut self, fx: &mut Vec<Effect>) {
        match self.logs.selected_entry().map(|e| e.id) {
            Some(id) if !self.follow => {
                self.reload_window(Anchor::Around(id), Selection::Entry(id), fx)
            }
            _ => self.reload_newest(fx),
        }
    }

    pub(super) fn reload_counts(&mut self, fx: &mut Vec<Effect>) {
        self.counts_wait = false;
        self.load_stats(fx);
        self.count_matches(fx);
    }

    pub(super) fn load_stats(&mut self, fx: &mut Vec<Effect>) {
        let seq = self.next_gen(Kind::Stats);
        self.last_stats_ms = self.now_ms;
        let buckets = usize::from(self.screen().stats_rows().width.saturating_sub(2)).max(10);
        fx.push(Effect::LoadStats {
            seq,
            filter: self.view_filter(),
            buckets,
        });
    }

    pub(super) fn load_jobs(&mut self, fx: &mut Vec<Effect>) {
        let seq = self.next_gen(Kind::Jobs);
        fx.push(Effect::LoadJobs { seq });
    }

    /// In jump mode, how many entries of the list match the search.
    pub(super) fn count_matches(&mut self, fx: &mut Vec<Effect>) {
        if !self.search.jump {
            return;
        }
        let Some(q) = self.search.applied.clone() else {
            return;
        };
        let seq = self.next_gen(Kind::Matches);
        fx.push(Effect::CountMatches {
            seq,
            filter: Filter {
                text: Some(q),
                ..self.view_filter()
            },
        });
    }

    /// After every action: keep the selection on screen and the window filled around it.
    pub(super) fn fit(&mut self, fx: &mut Vec<Effect>) {
        let columns = self.columns();
        let rows = usize::from(self.screen().log_rows().height);
        let heights: Vec<usize> = self
            .logs
            .entries
            .iter()
            .map(|e| self.entry_rows(e, &columns))
            .collect();
        self.logs.scroll_into_view(rows, &heights);
        if self.loading(Kind::Window) {
            return;
        }
        let seq = self.gens[Kind::Window.index()];
        for want in self.logs.wants() {
            let (anchor, placement) = match want {
                Want::Below(c) => (Anchor::Below(c), Placement::Append),
                Want::Above(c) => (Anchor::Above(c), Placement::Prepend),
            };
            fx.push(self.window_request(seq, anchor, placement));
        }
    }
}

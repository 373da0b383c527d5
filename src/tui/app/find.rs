//! Searching: edits of the search box and the debounce, putting a query into effect (the list
//! at once, the counts after a pause), and finding the next match or error from the selection.

use tui_input::InputRequest;

use super::App;
use super::detail::Prompt;
use super::search::Debounce;
use crate::model::Level;
use crate::query::{Filter, LevelSet};
use crate::tui::effect::{Effect, Kind};
use crate::tui::keymap::Mode;

impl App {
    pub(super) fn edit(&mut self, req: InputRequest, fx: &mut Vec<Effect>) {
        if let Some(p) = &mut self.prompt {
            p.input_mut().handle(req);
            if let Prompt::TimeRange { error, .. } = p {
                *error = None;
            }
            return;
        }
        if !self.search.editing {
            return;
        }
        if self.search.edit(req) == Debounce::ApplyNow {
            self.apply_search(fx);
        }
    }

    /// Puts the text of the search box into effect, if it parses.
    pub(super) fn apply_search(&mut self, fx: &mut Vec<Effect>) {
        if self.search.applied.is_none() && self.search.input.value().trim().is_empty() {
            // Nothing was in effect and nothing is typed.
            self.search.apply();
        } else if self.search.apply() {
            // The list at once; the counts, a pass over every match, once typing pauses.
            if self.search.jump {
                if let Some(id) = self.logs.selected_entry().map(|e| e.id) {
                    self.find(self.match_filter(), id.saturating_add(1), false, fx);
                }
            } else {
                self.reload_list(fx);
            }
            self.counts_wait = true;
            fx.push(Effect::Schedule {
                after_ms: super::search::COUNTS_AFTER_MS,
                action: Box::new(crate::tui::action::Action::SearchIdle {
                    edit: self.search.edits,
                }),
            });
        }
        fx.push(Effect::Schedule {
            after_ms: super::search::DEBOUNCE_MS,
            action: Box::new(crate::tui::action::Action::SearchSettled),
        });
    }

    pub(super) fn match_filter(&self) -> Filter {
        Filter {
            text: self.search.applied.clone(),
            ..self.view_filter()
        }
    }

    pub(super) fn next_match(&mut self, down: bool, fx: &mut Vec<Effect>) {
        if self.search.applied.is_none() {
            self.warn("no search: press / and type what to look for");
            return;
        }
        if !self.search.jump {
            // Every row matches: the next match is the next row.
            self.navigate(Mode::Logs, if down { 1 } else { -1 });
            return;
        }
        self.find_from_selection(self.match_filter(), down, fx);
    }

    pub(super) fn next_error(&mut self, down: bool, fx: &mut Vec<Effect>) {
        let mut filter = self.view_filter();
        let mut errors = LevelSet::none();
        for l in [Level::Error, Level::Fatal] {
            if filter.levels.contains(Some(l)) {
                errors.insert(Some(l));
            }
        }
        if errors.is_empty() {
            self.warn("errors are filtered out (see the levels in the filters pane)");
            return;
        }
        filter.levels = errors;
        self.find_from_selection(filter, down, fx);
    }

    pub(super) fn find_from_selection(&mut self, find: Filter, down: bool, fx: &mut Vec<Effect>) {
        let Some(id) = self.logs.selected_entry().map(|e| e.id) else {
            return;
        };
        let newer = down != self.logs.newest_on_top();
        self.find(find, id, newer, fx);
    }

    pub(super) fn find(&mut self, find: Filter, from: i64, newer: bool, fx: &mut Vec<Effect>) {
        self.follow = false;
        let seq = self.next_gen(Kind::Window);
        fx.push(Effect::FindNext {
            seq,
            find: Box::new(find),
            filter: self.view_filter(),
            order: self.logs.order,
            from,
            newer,
            limit: self.page_limit(),
        });
    }
}

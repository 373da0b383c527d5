//! What each command does in each mode: the person's side of [`App::update`].

use tui_input::InputRequest;

use super::detail::Prompt;
use super::filters::Item;
use super::search::Debounce;
use super::{App, DetailView, Focus};
use crate::display::format_ts;
use crate::model::Level;
use crate::query::{Filter, LevelSet};
use crate::tui::action::{Command, Selection};
use crate::tui::effect::{Anchor, Effect, Kind};
use crate::tui::keymap::Mode;

impl App {
    pub(super) fn run(&mut self, c: Command, fx: &mut Vec<Effect>) {
        let mode = self.mode();
        match c {
            Command::Quit => {
                self.quitting = true;
                fx.push(Effect::Quit);
            }
            Command::ToggleHelp => {
                self.help = if self.help.is_some() { None } else { Some(0) };
            }
            Command::ScrollDown => self.navigate(mode, 1, fx),
            Command::ScrollUp => self.navigate(mode, -1, fx),
            Command::PageDown => self.navigate(mode, self.page_rows() as isize, fx),
            Command::PageUp => self.navigate(mode, -(self.page_rows() as isize), fx),
            Command::HalfPageDown => {
                self.navigate(mode, (self.page_rows() / 2).max(1) as isize, fx)
            }
            Command::HalfPageUp => {
                self.navigate(mode, -((self.page_rows() / 2).max(1) as isize), fx)
            }
            Command::GoTop => self.go_end(mode, true, fx),
            Command::GoBottom => self.go_end(mode, false, fx),
            Command::ScrollLeft => self.sideways(mode, -1),
            Command::ScrollRight => self.sideways(mode, 1),
            Command::FocusNext | Command::FocusPrev if self.detail.is_none() => {
                let order = [Focus::Logs, Focus::Filters, Focus::Stats];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if c == Command::FocusNext { 1 } else { 2 };
                self.focus = order[(i + step) % 3];
            }
            Command::FocusFilters => self.toggle_focus(Focus::Filters),
            Command::FocusStats => self.toggle_focus(Focus::Stats),
            Command::StartSearch => {
                self.detail = None;
                self.search.editing = true;
            }
            Command::AcceptSearch => {
                self.search.editing = false;
                self.apply_search(fx);
            }
            Command::CancelSearch => {
                self.search.editing = false;
                if self.search.clear() {
                    self.refresh_view(fx);
                }
            }
            Command::ToggleSearchSyntax => {
                self.search.toggle_syntax();
                if self.search.trigger() == Debounce::ApplyNow {
                    self.apply_search(fx);
                }
            }
            Command::ToggleSearchJump => {
                self.search.jump = !self.search.jump;
                if self.search.applied.is_some() {
                    self.refresh_view(fx);
                }
            }
            Command::NextMatch => self.next_match(true, fx),
            Command::PrevMatch => self.next_match(false, fx),
            Command::NextError => self.next_error(true, fx),
            Command::PrevError => self.next_error(false, fx),
            Command::Toggle => self.toggle(fx),
            Command::Open => self.open(mode, fx),
            Command::Back => self.back(mode, fx),
            Command::Follow => {
                self.follow = true;
                self.reload_newest(fx);
            }
            Command::Export => {
                let stamp = jiff::Timestamp::from_millisecond(self.now_ms)
                    .map(|t| {
                        t.to_zoned_datetime(self.zone())
                            .strftime("%Y%m%d-%H%M%S")
                            .to_string()
                    })
                    .unwrap_or_else(|_| "export".into());
                self.prompt = Some(Prompt::export(&self.settings.export_dir, &stamp));
            }
            Command::CycleExportFormat => {
                if let Some(p) = &mut self.prompt {
                    p.cycle_format();
                }
            }
            Command::Copy => self.copy(fx),
            Command::ToggleZone => self.utc = !self.utc,
            Command::ToggleOrder => {
                self.logs.order = match self.logs.order {
                    crate::query::Order::OldestFirst => crate::query::Order::NewestFirst,
                    crate::query::Order::NewestFirst => crate::query::Order::OldestFirst,
                };
                match self.logs.selected_entry().map(|e| e.id) {
                    Some(id) if !self.follow => {
                        self.reload_window(Anchor::Around(id), Selection::Entry(id), fx)
                    }
                    _ => self.reload_newest(fx),
                }
            }
            Command::ToggleWrap => {
                self.wrap = !self.wrap;
                self.hscroll = 0;
            }
            Command::RaiseMinLevel => self.filter_changed(|f| f.raise_min_level(), fx),
            Command::LowerMinLevel => self.filter_changed(|f| f.lower_min_level(), fx),
            Command::SelectAll => self.filter_changed(|f| f.select_all(), fx),
            Command::SelectNone => self.filter_changed(|f| f.select_none(), fx),
            Command::SetMinLevel => self.filter_changed(|f| f.min_level_here(), fx),
            Command::EnterTimeRange => {
                self.prompt = Some(Prompt::TimeRange {
                    input: Default::default(),
                    error: None,
                });
            }
            Command::ShowContext => self.show_context(fx),
            Command::FocusNext | Command::FocusPrev => {}
        }
    }

    /// Rows a page moves in the current mode.
    fn page_rows(&self) -> usize {
        let s = self.screen();
        let rows = match self.mode() {
            Mode::Detail | Mode::Help => s.body.height.saturating_sub(1),
            Mode::Filters => s.filter_rows().map_or(1, |r| r.height),
            _ => s.log_rows().height,
        };
        usize::from(rows).max(1)
    }

    pub(super) fn navigate(&mut self, mode: Mode, delta: isize, fx: &mut Vec<Effect>) {
        match mode {
            Mode::Help => {
                if let Some(s) = &mut self.help {
                    *s = s.saturating_add_signed(delta);
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
            _ => {
                if self.logs.move_by(delta) {
                    self.follow = false;
                }
                let _ = fx;
            }
        }
    }

    fn go_end(&mut self, mode: Mode, top: bool, fx: &mut Vec<Effect>) {
        let delta = if top { isize::MIN / 2 } else { isize::MAX / 2 };
        if mode != Mode::Logs {
            self.navigate(mode, delta, fx);
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

    fn sideways(&mut self, mode: Mode, dir: isize) {
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

    fn toggle_focus(&mut self, f: Focus) {
        self.detail = None;
        self.focus = if self.focus == f { Focus::Logs } else { f };
    }

    fn filter_changed(
        &mut self,
        change: impl FnOnce(&mut super::FiltersPane) -> bool,
        fx: &mut Vec<Effect>,
    ) {
        if change(&mut self.filters) {
            self.refresh_view(fx);
        }
    }

    fn toggle(&mut self, fx: &mut Vec<Effect>) {
        if self.filters.item() == Some(Item::Range) {
            self.run(Command::EnterTimeRange, fx);
            return;
        }
        let now = self.now_ms;
        self.filter_changed(|f| f.toggle(now), fx);
    }

    fn open(&mut self, mode: Mode, fx: &mut Vec<Effect>) {
        match mode {
            Mode::Logs => {
                if let Some(e) = self.logs.selected_entry() {
                    self.detail = Some(DetailView::new(e.clone()));
                }
            }
            Mode::Stats => {
                let Some(s) = &self.stats else { return };
                let Some(b) = s.buckets.get(self.bucket) else {
                    return;
                };
                let (since, until) = (b.start, b.start + s.bucket_ms);
                let zone = self.zone();
                self.filters.time = crate::query::TimeRange {
                    since: Some(since),
                    until: Some(until),
                };
                self.filters.time_choice = super::TimeChoice::Typed(format!(
                    "{} .. {}",
                    format_ts(since, &zone),
                    format_ts(until, &zone)
                ));
                self.follow = false;
                self.focus = Focus::Logs;
                self.bucket = 0;
                self.reload_window(Anchor::Oldest, Selection::First, fx);
                self.load_stats(fx);
                self.count_matches(fx);
            }
            Mode::Filters => self.toggle(fx),
            Mode::Detail => {
                if let Some(d) = &mut self.detail {
                    d.open_selected();
                }
            }
            Mode::Prompt => self.confirm_prompt(fx),
            _ => {}
        }
    }

    fn back(&mut self, mode: Mode, fx: &mut Vec<Effect>) {
        match mode {
            Mode::Prompt => self.prompt = None,
            Mode::Detail => {
                if let Some(d) = &mut self.detail
                    && d.showing_context
                {
                    d.showing_context = false;
                } else {
                    self.detail = None;
                }
            }
            Mode::Filters | Mode::Stats => self.focus = Focus::Logs,
            _ => {
                if self.search.clear() {
                    self.refresh_view(fx);
                }
            }
        }
    }

    fn confirm_prompt(&mut self, fx: &mut Vec<Effect>) {
        let zone = self.zone();
        match self.prompt.take() {
            Some(Prompt::Export { format, path }) => {
                let path = path.value().trim();
                if path.is_empty() {
                    self.warn("export: type a file name");
                    return;
                }
                let path = self.settings.export_dir.join(path);
                self.tell(format!("exporting to {} …", path.display()));
                fx.push(Effect::Export {
                    filter: self.view_filter(),
                    order: self.logs.order,
                    format,
                    path,
                    zone,
                });
            }
            Some(Prompt::TimeRange { input, .. }) => {
                match super::parse_range(input.value(), &zone, self.now_ms) {
                    Ok(range) => {
                        self.filters.time = range;
                        self.filters.time_choice =
                            super::TimeChoice::Typed(input.value().trim().to_string());
                        self.refresh_view(fx);
                    }
                    Err(e) => {
                        self.prompt = Some(Prompt::TimeRange {
                            input,
                            error: Some(e),
                        })
                    }
                }
            }
            None => {}
        }
    }

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

    fn match_filter(&self) -> Filter {
        Filter {
            text: self.search.applied.clone(),
            ..self.view_filter()
        }
    }

    fn next_match(&mut self, down: bool, fx: &mut Vec<Effect>) {
        if self.search.applied.is_none() {
            self.warn("no search: press / and type what to look for");
            return;
        }
        if !self.search.jump {
            // Every row matches: the next match is the next row.
            self.navigate(Mode::Logs, if down { 1 } else { -1 }, fx);
            return;
        }
        self.find_from_selection(self.match_filter(), down, fx);
    }

    fn next_error(&mut self, down: bool, fx: &mut Vec<Effect>) {
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

    fn find_from_selection(&mut self, find: Filter, down: bool, fx: &mut Vec<Effect>) {
        let Some(id) = self.logs.selected_entry().map(|e| e.id) else {
            return;
        };
        let newer = down != self.logs.newest_on_top();
        self.find(find, id, newer, fx);
    }

    fn find(&mut self, find: Filter, from: i64, newer: bool, fx: &mut Vec<Effect>) {
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

    fn copy(&mut self, fx: &mut Vec<Effect>) {
        let entry = match &self.detail {
            Some(d) => Some(&d.entry),
            None => self.logs.selected_entry(),
        };
        let Some(e) = entry else { return };
        let text = format!(
            "{} {} {} {}",
            format_ts(e.ts, &self.zone()),
            e.level.map_or("-", |l| l.label()),
            e.job,
            e.message
        );
        fx.push(Effect::Copy(text));
    }

    fn show_context(&mut self, fx: &mut Vec<Effect>) {
        let Some(d) = &mut self.detail else { return };
        d.showing_context = !d.showing_context;
        if d.showing_context && d.context.is_none() {
            let id = d.entry.id;
            let seq = self.next_gen(Kind::Context);
            fx.push(Effect::LoadContext {
                seq,
                id,
                before: 20,
                after: 20,
            });
        }
    }
}

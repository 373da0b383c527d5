//! What each command does in each mode: the person's side of [`App::update`].

use super::detail::Prompt;
use super::filters::Item;
use super::search::Debounce;
use super::{App, DetailView, Focus};
use crate::display::format_ts;
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
            Command::ScrollDown => self.navigate(mode, 1),
            Command::ScrollUp => self.navigate(mode, -1),
            Command::PageDown => self.navigate(mode, self.page_rows() as isize),
            Command::PageUp => self.navigate(mode, -(self.page_rows() as isize)),
            Command::HalfPageDown => self.navigate(mode, (self.page_rows() / 2).max(1) as isize),
            Command::HalfPageUp => self.navigate(mode, -((self.page_rows() / 2).max(1) as isize)),
            Command::GoTop => self.go_end(mode, true, fx),
            Command::GoBottom => self.go_end(mode, false, fx),
            Command::ScrollLeft => self.sideways(mode, -1),
            Command::ScrollRight => self.sideways(mode, 1),
            Command::FocusNext | Command::FocusPrev if self.detail.is_none() => {
                let order = [Focus::Logs, Focus::Filters, Focus::Stats, Focus::Jobs];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if c == Command::FocusNext {
                    1
                } else {
                    order.len() - 1
                };
                self.focus = order[(i + step) % order.len()];
                if self.focus == Focus::Jobs {
                    self.load_summaries(fx);
                }
            }
            Command::FocusFilters => self.toggle_focus(Focus::Filters),
            Command::FocusStats => self.toggle_focus(Focus::Stats),
            Command::FocusJobs => self.toggle_jobs(fx),
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

    pub(super) fn filter_changed(
        &mut self,
        change: impl FnOnce(&mut super::FiltersPane) -> bool,
        fx: &mut Vec<Effect>,
    ) {
        if change(&mut self.filters) {
            self.refresh_view(fx);
        }
    }

    pub(super) fn toggle(&mut self, fx: &mut Vec<Effect>) {
        if self.filters.item() == Some(Item::Range) {
            self.run(Command::EnterTimeRange, fx);
            return;
        }
        let now = self.now_ms;
        self.filter_changed(|f| f.toggle(now), fx);
    }

    pub(super) fn open(&mut self, mode: Mode, fx: &mut Vec<Effect>) {
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
            Mode::Jobs => self.show_job(fx),
            Mode::Detail => {
                if let Some(d) = &mut self.detail {
                    d.open_selected();
                }
            }
            Mode::Prompt => self.confirm_prompt(fx),
            _ => {}
        }
    }

    pub(super) fn back(&mut self, mode: Mode, fx: &mut Vec<Effect>) {
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
            Mode::Filters | Mode::Stats | Mode::Jobs => self.focus = Focus::Logs,
            _ => {
                if self.search.clear() {
                    self.refresh_view(fx);
                }
            }
        }
    }

    pub(super) fn confirm_prompt(&mut self, fx: &mut Vec<Effect>) {
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

    pub(super) fn copy(&mut self, fx: &mut Vec<Effect>) {
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

    pub(super) fn show_context(&mut self, fx: &mut Vec<Effect>) {
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

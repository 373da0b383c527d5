//! The filters pane: jobs with their entry counts, levels, time presets and a typed range, each a
//! row with a check mark; the cursor row is marked when the pane has the keyboard.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::{put, short_count};
use crate::display::escape;
use crate::tui::app::{self, App, Focus, Item, TimeChoice};
use crate::tui::theme::Theme;

/// A line of the list: a section title or a selectable item (by its index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListLine {
    Title(&'static str),
    Item(usize),
}

pub fn lines(f: &app::FiltersPane) -> Vec<ListLine> {
    let mut out = Vec::new();
    for (i, item) in f.items().into_iter().enumerate() {
        let title = match item {
            Item::Job(0) => Some("Jobs"),
            Item::Level(l) if l == app::LEVEL_ROWS[0] => Some("Levels"),
            Item::Preset(p) if p == app::PRESETS[0] => Some("Time"),
            _ => None,
        };
        if let Some(t) = title {
            out.push(ListLine::Title(t));
        }
        out.push(ListLine::Item(i));
    }
    out
}

/// The first line shown, so that the cursor stays in view in `height` rows.
pub fn first_line(f: &app::FiltersPane, height: usize) -> usize {
    let at = lines(f)
        .iter()
        .position(|l| *l == ListLine::Item(f.cursor))
        .unwrap_or(0);
    (at + 1).saturating_sub(height.max(1))
}

pub struct FiltersPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &FiltersPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let f = &app.filters;
        let focused = app.focus == Focus::Filters && app.detail.is_none();
        Block::new()
            .borders(Borders::TOP | Borders::RIGHT)
            .title(Span::styled(" Filters ", t.title(focused)))
            .render(area, buf);
        let Some(rows) = app.screen().filter_rows() else {
            return;
        };
        let rows = Rect::new(
            area.x + 1,
            rows.y,
            area.width.saturating_sub(2),
            rows.height,
        );
        let items = f.items();
        let all = lines(f);
        let first = first_line(f, usize::from(rows.height));
        for (n, line) in all
            .iter()
            .skip(first)
            .take(usize::from(rows.height))
            .enumerate()
        {
            let y = rows.y + n as u16;
            match line {
                ListLine::Title(title) => {
                    let note = match *title {
                        "Jobs" if f.hidden_jobs.is_empty() => "all".to_string(),
                        "Jobs" => format!(
                            "{} of {}",
                            f.jobs.len() - f.hidden_jobs.len().min(f.jobs.len()),
                            f.jobs.len()
                        ),
                        "Levels" => f.levels_label(),
                        _ => f.time_label(),
                    };
                    let x = put(buf, rows, rows.x, y, title, t.title(false));
                    put(buf, rows, x + 1, y, &escape(&note, false), t.dim());
                }
                ListLine::Item(i) => {
                    let (mark, label, right) = match items[*i] {
                        Item::Job(j) => {
                            let job = &f.jobs[j];
                            let on = f.job_shown(&job.name);
                            (
                                check(on),
                                escape(&job.name, false).into_owned(),
                                short_count(job.entries),
                            )
                        }
                        Item::Level(l) => (
                            check(f.levels.contains(l)),
                            l.map_or("unknown", |l| l.label()).to_string(),
                            String::new(),
                        ),
                        Item::Preset(p) => {
                            let on = match (&f.time_choice, p) {
                                (TimeChoice::All, None) => true,
                                (TimeChoice::Last(a), Some(b)) => *a == b,
                                _ => false,
                            };
                            let label = match p {
                                Some(_) => format!("last {}", app::preset_name(p)),
                                None => app::preset_name(p),
                            };
                            (radio(on), label, String::new())
                        }
                        Item::Range => (
                            radio(matches!(f.time_choice, TimeChoice::Typed(_))),
                            "range… (t)".to_string(),
                            String::new(),
                        ),
                    };
                    let style = match items[*i] {
                        Item::Level(l) => t.level(l),
                        _ => ratatui::style::Style::new(),
                    };
                    let row = Rect::new(rows.x, y, rows.width, 1);
                    let x = put(buf, row, rows.x, y, mark, ratatui::style::Style::new());
                    put(buf, row, x + 1, y, &label, style);
                    let rx = row.right().saturating_sub(right.chars().count() as u16);
                    put(buf, row, rx, y, &right, t.dim());
                    if *i == f.cursor && focused {
                        buf.set_style(row, t.selected());
                    } else if *i == f.cursor {
                        put(buf, area, area.x, y, "›", t.dim());
                    }
                }
            }
        }
    }
}

fn check(on: bool) -> &'static str {
    if on { "[x]" } else { "[ ]" }
}

fn radio(on: bool) -> &'static str {
    if on { "(•)" } else { "( )" }
}

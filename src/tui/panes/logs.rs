//! The logs pane: one row per entry (time, level, job, first line of the message) with the
//! selection, matches marked, scrolled sideways or wrapped; its title says the order and how
//! many entries the filters keep. Empty states say what to do next.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::{count, put};
use crate::display::{escape, format_ts};
use crate::model::LogEntry;
use crate::query::Order;
use crate::tui::app::{App, Focus, Indexing, MAX_WRAP_ROWS};
use crate::tui::effect::Kind;
use crate::tui::layout::{LogColumns, inner};
use crate::tui::text::{raw_first_line, safe_spans, skip_columns, wrap};
use crate::tui::theme::Theme;

pub struct LogsPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

fn title(app: &App) -> String {
    let order = match app.logs.order {
        Order::OldestFirst => "oldest first",
        Order::NewestFirst => "newest first",
    };
    let mut t = format!(" Logs · {order}");
    if let Some(s) = app.stats.as_ref().filter(|_| !app.counting()) {
        let total: u64 = app.filters.jobs.iter().map(|j| j.entries).sum();
        let kept = if app.view_filter().is_empty() {
            format!(" · {} entries", count(total.max(s.total)))
        } else {
            format!(" · {} of {}", count(s.total), count(total))
        };
        t.push_str(&kept);
    }
    if app.list_partial {
        t.push_str(" · the newest still being searched…");
    }
    if app.wrap {
        t.push_str(" · wrap");
    } else if app.hscroll > 0 {
        t.push_str(&format!(" · →{}", app.hscroll));
    }
    t.push(' ');
    t
}

impl Widget for &LogsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let focused = app.focus == Focus::Logs && !app.search.editing;
        Block::new()
            .borders(Borders::TOP)
            .title(Span::styled(title(app), t.title(focused)))
            .render(area, buf);
        let rows = inner(area);
        if app.logs.entries.is_empty() {
            empty_state(app, t, rows, buf);
            return;
        }
        let columns = app.columns();
        let zone = app.zone();
        let mut y = rows.y;
        for (i, e) in app.logs.entries.iter().enumerate().skip(app.logs.top) {
            if y >= rows.bottom() {
                break;
            }
            let selected = i == app.logs.selected;
            let lines = entry_lines(app, t, e, &columns, &zone, selected);
            for line in lines {
                if y >= rows.bottom() {
                    break;
                }
                let row = Rect::new(rows.x, y, rows.width, 1);
                line.render(row, buf);
                if selected {
                    buf.set_style(row, t.selected());
                }
                y += 1;
            }
        }
    }
}

/// The rows of one entry: the fixed columns, then the message (wrapped or scrolled).
fn entry_lines(
    app: &App,
    t: &Theme,
    e: &LogEntry,
    columns: &LogColumns,
    zone: &jiff::tz::TimeZone,
    selected: bool,
) -> Vec<Line<'static>> {
    let ts = format_ts(e.ts, zone);
    let ts = if columns.full_date {
        ts
    } else {
        ts.get(5..).unwrap_or(&ts).to_string()
    };
    let level = e.level.map_or("-", |l| l.label());
    let job = escape(&e.job, false);
    let job: String = job.chars().take(usize::from(columns.job)).collect();
    let mut prefix = vec![
        Span::raw(if selected { "▶" } else { " " }),
        Span::styled(
            format!("{ts:<w$} ", w = usize::from(columns.time)),
            t.time(),
        ),
        Span::styled(format!("{level:<5} "), t.level(e.level)),
        Span::styled(format!("{job:<w$} ", w = usize::from(columns.job)), t.job()),
    ];
    let raw = raw_first_line(&e.message);
    let marks = app
        .search
        .marking()
        .map(|q| q.highlights(raw))
        .unwrap_or_default();
    let base = if e.level.is_some_and(|l| l >= crate::model::Level::Error) {
        t.level(e.level)
    } else {
        Style::new()
    };
    let mut message = safe_spans(raw, &marks, base, t.highlight());
    if e.message.contains('\n') {
        message.push(Span::styled(" ↵", t.dim()));
    }
    if !app.wrap {
        prefix.extend(skip_columns(message, app.hscroll));
        return vec![Line::from(prefix)];
    }
    let mut rows = wrap(message, usize::from(columns.message), MAX_WRAP_ROWS).into_iter();
    let mut first = Line::from(prefix);
    first
        .spans
        .extend(rows.next().map(|l| l.spans).unwrap_or_default());
    let pad = " ".repeat(usize::from(columns.message_x()));
    std::iter::once(first)
        .chain(rows.map(|mut l| {
            l.spans.insert(0, Span::raw(pad.clone()));
            l
        }))
        .collect()
}

fn empty_state(app: &App, t: &Theme, rows: Rect, buf: &mut Buffer) {
    let text = if !app.logs.loaded || app.loading(Kind::Window) {
        "loading…".to_string()
    } else if matches!(app.indexing, Indexing::Running { .. }) {
        "Indexing… entries appear here as batches commit.".to_string()
    } else if !app.view_filter().is_empty() {
        "Nothing matches. Esc clears the search; f opens the filters (a: all).".to_string()
    } else {
        "No entries yet. Index some logs with `logdex PATH…`, or try `logdex demo`.".to_string()
    };
    let area = Rect::new(
        rows.x + 2,
        rows.y + 1.min(rows.height),
        rows.width.saturating_sub(4),
        rows.height.saturating_sub(1),
    );
    if area.height == 0 {
        put(buf, rows, rows.x, rows.y, &text, t.dim());
        return;
    }
    Paragraph::new(text)
        .style(t.dim())
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

//! The detail pane: one entry in full — time in the zone in use, level as written, job, source
//! path and line, structured fields, every line of the message (escaped, matches marked,
//! wrapped) — or, one key away, its neighbours in the same file.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use super::put;
use crate::display::{escape, format_ts, zone_name};
use crate::model::LogEntry;
use crate::tui::app::App;
use crate::tui::effect::Kind;
use crate::tui::layout::inner;
use crate::tui::text::{clip, raw_first_line, safe_spans, wrap};
use crate::tui::theme::Theme;

/// Most of a message the detail pane shows.
const DETAIL_BYTES: usize = 256 * 1024;

/// The lines of an entry, wrapped to `width`.
pub fn lines(app: &App, t: &Theme, e: &LogEntry, width: usize) -> Vec<Line<'static>> {
    let zone = app.zone();
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut field = |name: &str, value: Vec<Span<'static>>| {
        let mut spans = vec![Span::styled(format!("{name:<8}"), t.dim())];
        spans.extend(value);
        out.extend(wrap(spans, width, usize::MAX));
    };
    field(
        "time",
        vec![Span::styled(
            format!("{} {}", format_ts(e.ts, &zone), zone_name(&zone)),
            t.time(),
        )],
    );
    let mut level = e.level.map_or("unknown", |l| l.label()).to_string();
    if let Some(raw) = &e.level_raw {
        level.push_str(&format!(" (written {})", escape(raw, false)));
    }
    field("level", vec![Span::styled(level, t.level(e.level))]);
    field(
        "job",
        vec![Span::styled(escape(&e.job, false).into_owned(), t.job())],
    );
    field(
        "source",
        vec![Span::raw(format!(
            "{}:{} (byte {})",
            escape(&e.source, false),
            e.line,
            e.offset
        ))],
    );
    field("id", vec![Span::raw(e.id.to_string())]);
    if let Some(fields) = &e.fields {
        match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(fields) {
            Ok(map) => {
                for (k, v) in map {
                    let v = match v {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    let text = format!("{} = {}", escape(&k, false), escape(&v, false));
                    field("field", vec![Span::raw(text)]);
                }
            }
            Err(_) => field(
                "fields",
                vec![Span::raw(escape(fields, false).into_owned())],
            ),
        }
    }
    out.push(Line::styled("─".repeat(width.min(200)), t.dim()));
    let query = app.search.marking();
    let shown = clip(&e.message, DETAIL_BYTES);
    for raw in shown.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let marks = query.map(|q| q.highlights(raw)).unwrap_or_default();
        let spans = safe_spans(raw, &marks, Style::new(), t.highlight());
        out.extend(wrap(spans, width, usize::MAX));
    }
    if shown.len() < e.message.len() {
        out.push(Line::styled(
            format!(
                "… {} more bytes; export the view (x) to read the entry whole",
                e.message.len() - shown.len()
            ),
            t.dim(),
        ));
    }
    out
}

/// How many lines the open entry takes at the current size (for scrolling limits).
pub fn line_count(app: &App) -> usize {
    match &app.detail {
        Some(d) => lines(app, &Theme::mono(), &d.entry, text_width(app.screen().body)).len(),
        None => 0,
    }
}

fn text_width(body: Rect) -> usize {
    usize::from(body.width.saturating_sub(2)).max(1)
}

pub struct DetailPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &DetailPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let Some(d) = &app.detail else { return };
        let title = if d.showing_context {
            " Neighbours in the same file · Enter show · c back to the entry · Esc list "
                .to_string()
        } else {
            " Entry · c neighbours · y copy · Esc back ".to_string()
        };
        Block::new()
            .borders(Borders::TOP)
            .title(Span::styled(title, t.title(true)))
            .render(area, buf);
        let rows = inner(area);
        let rows = Rect::new(
            rows.x + 1,
            rows.y,
            rows.width.saturating_sub(2),
            rows.height,
        );
        if d.showing_context {
            let Some(ctx) = &d.context else {
                let text = if app.loading(Kind::Context) {
                    "loading…"
                } else {
                    ""
                };
                put(buf, rows, rows.x, rows.y, text, t.dim());
                return;
            };
            let zone = app.zone();
            let height = usize::from(rows.height).max(1);
            let first = (ctx.selected + 1).saturating_sub(height);
            for (n, e) in ctx.entries.iter().enumerate().skip(first).take(height) {
                let y = rows.y + (n - first) as u16;
                let mark = if e.id == d.entry.id { "●" } else { " " };
                let text = format!(
                    "{mark} {:>7} {} {:<5} {}",
                    e.line,
                    format_ts(e.ts, &zone),
                    e.level.map_or("-", |l| l.label()),
                    escape(raw_first_line(&e.message), false)
                );
                let row = Rect::new(rows.x, y, rows.width, 1);
                put(buf, row, rows.x, y, &text, t.level(e.level));
                if n == ctx.selected {
                    buf.set_style(row, t.selected());
                }
            }
            return;
        }
        let all = lines(app, t, &d.entry, usize::from(rows.width).max(1));
        let max_scroll = all.len().saturating_sub(usize::from(rows.height));
        for (n, line) in all
            .into_iter()
            .skip(d.scroll.min(max_scroll))
            .take(usize::from(rows.height))
            .enumerate()
        {
            line.render(Rect::new(rows.x, rows.y + n as u16, rows.width, 1), buf);
        }
    }
}

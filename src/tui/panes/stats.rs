//! The stats pane: counts per level and per job for the current filter, and a histogram over
//! time stacked by level, with a cursor on one bucket (Enter narrows the time range to it).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::{count, put, short_count};
use crate::display::{escape, format_ts};
use crate::model::Level;
use crate::query::time::format_duration_ms;
use crate::store::Bucket;
use crate::tui::app::{App, Focus};
use crate::tui::theme::Theme;

/// Lines above the histogram (level counts, and job counts when there is room).
fn head_lines(rows: Rect) -> u16 {
    if rows.height >= 6 { 2 } else { 1 }
}

/// Where the histogram goes in the pane's rows; one column per bucket.
pub fn histogram_area(rows: Rect) -> Rect {
    let top = head_lines(rows);
    let foot = u16::from(rows.height >= 6);
    Rect::new(
        rows.x + 1,
        rows.y + top.min(rows.height),
        rows.width.saturating_sub(2),
        rows.height.saturating_sub(top + foot),
    )
}

/// Columns per bucket: buckets widen to fill the pane.
pub fn bucket_width(area: Rect, buckets: usize) -> u16 {
    (area.width / (buckets.max(1) as u16).max(1)).clamp(1, 4)
}

/// Levels from the bottom of a bar up: the severe ones where the eye lands first.
const STACK: [usize; 7] = [6, 5, 4, 3, 2, 1, 0];

fn level_of(i: usize) -> Option<Level> {
    Level::from_code(i as i64)
}

pub struct StatsPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &StatsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let focused = app.focus == Focus::Stats && app.detail.is_none();
        let mut title = " Stats ".to_string();
        if let Some(s) = app.stats.as_ref().filter(|s| s.total > 0) {
            title = format!(
                " Stats · {} buckets of {} ",
                s.buckets.len(),
                format_duration_ms(s.bucket_ms)
            );
        }
        Block::new()
            .borders(Borders::TOP)
            .title(Span::styled(title, t.title(focused)))
            .render(area, buf);
        let rows = crate::tui::layout::inner(area);
        let Some(s) = &app.stats else {
            let text = if app.counting() { "counting…" } else { "" };
            put(buf, rows, rows.x + 1, rows.y, text, t.dim());
            return;
        };
        // Level counts, most severe first.
        let mut x = rows.x + 1;
        for i in (0..7).rev() {
            if s.levels[i] == 0 {
                continue;
            }
            let name = level_of(i).map_or("unknown", |l| l.label());
            x = put(buf, rows, x, rows.y, name, t.level(level_of(i)));
            x = put(buf, rows, x + 1, rows.y, &count(s.levels[i]), Style::new()) + 2;
        }
        put(
            buf,
            rows,
            x,
            rows.y,
            &format!("total {}", count(s.total)),
            t.dim(),
        );
        if head_lines(rows) > 1 {
            let mut x = rows.x + 1;
            for (name, n) in &s.jobs {
                let text = format!("{} {}", escape(name, false), short_count(*n));
                if x + text.chars().count() as u16 > rows.right() {
                    break;
                }
                x = put(buf, rows, x, rows.y + 1, &text, t.job()) + 2;
            }
        }
        let hist = histogram_area(rows);
        draw_histogram(buf, hist, &s.buckets, t, focused.then_some(app.bucket));
        if rows.height >= 6
            && let Some(b) = s.buckets.get(app.bucket)
        {
            let zone = app.zone();
            let mut text = format!(
                "▲ {} .. {}  {}",
                format_ts(b.start, &zone),
                format_ts(b.start + s.bucket_ms, &zone),
                count(b.total())
            );
            if focused {
                text.push_str("  h/l, Enter: narrow to it");
            }
            put(buf, rows, rows.x + 1, rows.bottom() - 1, &text, t.dim());
        }
    }
}

fn draw_histogram(
    buf: &mut Buffer,
    area: Rect,
    buckets: &[Bucket],
    t: &Theme,
    cursor: Option<usize>,
) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let scale = Scale {
        area,
        max: buckets.iter().map(Bucket::total).max().unwrap_or(0).max(1),
    };
    let bw = bucket_width(area, buckets.len());
    let shown = usize::from(area.width / bw);
    for (col, b) in buckets.iter().enumerate().take(shown) {
        for dx in 0..bw {
            let x = area.x + col as u16 * bw + dx;
            scale.draw_bar(buf, x, b, t, cursor == Some(col));
        }
    }
}

/// The histogram's area and the count that fills it to the top.
struct Scale {
    area: Rect,
    max: u64,
}

impl Scale {
    /// One column of a bucket: cells from the bottom, each coloured by the level that fills
    /// its middle, the top one an eighth block.
    fn draw_bar(&self, buf: &mut Buffer, x: u16, b: &Bucket, t: &Theme, under_cursor: bool) {
        const EIGHTHS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        let total = b.total();
        let filled = if total == 0 {
            0
        } else {
            (total * u64::from(self.area.height) * 8)
                .div_ceil(self.max)
                .max(1)
        };
        // Where each level's share ends, counted from the bottom in eighths of a cell.
        let mut bounds = Vec::with_capacity(STACK.len());
        let mut acc = 0u64;
        for i in STACK {
            acc += b.counts[i];
            bounds.push((i, acc * filled / total.max(1)));
        }
        for r in 0..self.area.height {
            let y = self.area.bottom() - 1 - r;
            let lo = u64::from(r) * 8;
            if filled <= lo {
                if under_cursor {
                    buf[(x, y)].set_style(t.selected());
                }
                continue;
            }
            let part = (filled - lo).min(8);
            let mid = lo + part / 2;
            let level = bounds
                .iter()
                .find(|(_, end)| *end > mid)
                .map_or(0, |(i, _)| *i);
            let glyph = if part == 8 {
                t.bar_glyph(level_of(level))
            } else {
                EIGHTHS[part as usize]
            };
            let mut style = t.level(level_of(level));
            if under_cursor {
                style = style.patch(t.selected());
            }
            buf[(x, y)].set_char(glyph).set_style(style);
        }
    }
}

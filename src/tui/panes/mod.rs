//! Drawing. Every pane is a view that borrows the app and the theme and implements `Widget` for
//! a reference: drawing never changes state and never does IO. [`Ui`] lays them out.
//!
//! | pane      | shows                                                          |
//! |-----------|----------------------------------------------------------------|
//! | `bars`    | the header (database, counts, indexing, follow, zone), the banner (reading files directly) and the footer (hints, messages, prompts) |
//! | `search`  | the search line: text, syntax, mode, matches or the error      |
//! | `logs`    | one row per entry                                              |
//! | `filters` | jobs, levels, time range                                       |
//! | `stats`   | counts per level and job, the histogram                        |
//! | `jobs`    | each job's state, schedule and last 24 hours, trouble first     |
//! | `detail`  | one entry in full, or its neighbours                           |
//! | `help`    | every binding, from the keymap                                 |

pub mod bars;
pub mod detail;
pub mod filters;
pub mod help;
pub mod jobs;
pub mod logs;
pub mod search;
pub mod stats;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::widgets::Widget;

use super::app::{App, Focus};
use super::theme::Theme;

/// The whole screen.
pub struct Ui<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &Ui<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, theme) = (self.app, self.theme);
        // Laid out for the area given, which is the terminal's size even in the moment before
        // the app has heard of a resize.
        let s = app.screen_in(area);
        (&bars::Header { app, theme }).render(s.header, buf);
        if let Some(b) = s.banner {
            (&bars::Banner { app, theme }).render(b, buf);
        }
        (&search::SearchLine { app, theme }).render(s.search, buf);
        if app.detail.is_some() {
            (&detail::DetailPane { app, theme }).render(s.body, buf);
        } else if app.focus == Focus::Jobs {
            (&jobs::JobsPane { app, theme }).render(s.body, buf);
        } else {
            if let Some(f) = s.filters {
                (&filters::FiltersPane { app, theme }).render(f, buf);
            }
            (&logs::LogsPane { app, theme }).render(s.logs, buf);
            (&stats::StatsPane { app, theme }).render(s.stats, buf);
        }
        (&bars::Footer { app, theme }).render(s.footer, buf);
        if app.help.is_some() {
            (&help::HelpPane { app, theme }).render(area, buf);
        }
    }
}

/// Where the terminal cursor goes: in the text box being typed into.
pub fn cursor(app: &App) -> Option<Position> {
    let s = app.screen();
    if app.help.is_some() {
        return None;
    }
    if let Some(p) = &app.prompt {
        let start = bars::prompt_input_x(p);
        let width = usize::from(s.footer.width.saturating_sub(start)).max(1);
        let input = p.input();
        let x = start
            + input
                .visual_cursor()
                .saturating_sub(input.visual_scroll(width)) as u16;
        return Some(Position::new(
            x.min(s.footer.right().saturating_sub(1)),
            s.footer.y,
        ));
    }
    if app.search.editing {
        let room = search::input_room(app, s.search);
        let input = &app.search.input;
        let x = search::INPUT_X
            + input
                .visual_cursor()
                .saturating_sub(input.visual_scroll(room)) as u16;
        return Some(Position::new(
            x.min(s.search.right().saturating_sub(1)),
            s.search.y,
        ));
    }
    None
}

/// `1,204,311`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `950`, `41k`, `1.2M`.
pub fn short_count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..10_000 => format!("{:.1}k", n as f64 / 1e3),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        1_000_000..10_000_000 => format!("{:.1}M", n as f64 / 1e6),
        _ => format!("{}M", n / 1_000_000),
    }
}

/// Writes `text` at (x, y), clipped to `area`; returns the column after it.
pub fn put(
    buf: &mut Buffer,
    area: Rect,
    x: u16,
    y: u16,
    text: &str,
    style: ratatui::style::Style,
) -> u16 {
    let area = area.intersection(buf.area);
    if y < area.y || y >= area.bottom() || x < area.x || x >= area.right() {
        return x;
    }
    let width = usize::from(area.right() - x);
    let (end, _) = buf.set_stringn(x, y, text, width, style);
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1_204_311), "1,204,311");
        assert_eq!(count(999), "999");
        assert_eq!(short_count(41_234), "41k");
        assert_eq!(short_count(1_234), "1.2k");
        assert_eq!(short_count(4_997_452), "5.0M");
    }
}

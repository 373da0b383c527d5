//! The search line: `/` and the text, the syntax (words or regex), whether it narrows the list or
//! marks matches for `n`/`N`, and then the number of matches — or, for a text that does not
//! parse, the error at its column while the last good results stay on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{count, put};
use crate::display::escape;
use crate::query::SearchMode;
use crate::tui::app::App;
use crate::tui::theme::Theme;

/// The column where the typed text starts.
pub const INPUT_X: u16 = 3;

fn tail(app: &App) -> String {
    let syntax = match app.search.syntax {
        SearchMode::Words => "words",
        SearchMode::Regex => "regex",
    };
    let how = if app.search.jump {
        "jump n/N"
    } else {
        "narrow"
    };
    format!(" {syntax} · {how} ")
}

/// Columns the typed text may take.
pub fn input_room(app: &App, area: Rect) -> usize {
    let tail = tail(app).chars().count() as u16;
    usize::from(area.width.saturating_sub(INPUT_X + tail + 1)).max(1)
}

pub struct SearchLine<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &SearchLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let s = &app.search;
        let prompt_style = if s.editing { t.key() } else { t.dim() };
        put(buf, area, area.x + 1, area.y, "/", prompt_style);
        let tail = tail(app);
        let tail_x = area.right().saturating_sub(tail.chars().count() as u16);
        let value = s.input.value();
        if value.is_empty() && !s.editing {
            put(
                buf,
                area,
                area.x + INPUT_X,
                area.y,
                "search: words, \"phrases\", prefix*, AND OR NOT (ctrl-r regex, ctrl-t jump)",
                t.dim(),
            );
            return;
        }
        let room = input_room(app, area);
        let scroll = s.input.visual_scroll(room);
        let shown: String = escape(value, false)
            .chars()
            .skip(scroll)
            .take(room)
            .collect();
        let input_area = Rect::new(area.x, area.y, (area.x + INPUT_X) + room as u16, 1);
        let mut x = put(
            buf,
            input_area,
            area.x + INPUT_X,
            area.y,
            &shown,
            ratatui::style::Style::new(),
        );
        x += 2;
        let info_area = Rect::new(area.x, area.y, tail_x.saturating_sub(area.x), 1);
        if let Some(e) = &s.error {
            // The error matters more than the mode line: it may take the whole row.
            let text = format!("✗ {e} · the list shows the last search that worked");
            put(buf, area, x, area.y, &text, t.error());
            return;
        } else if s.applied.is_some() {
            let n = if s.jump {
                s.matches.filter(|_| !app.counting())
            } else {
                app.stats
                    .as_ref()
                    .filter(|_| !app.counting())
                    .map(|st| st.total)
            };
            let text = match n {
                Some(1) => "1 match".to_string(),
                Some(n) => format!("{} matches", count(n)),
                None => "counting…".to_string(),
            };
            put(buf, info_area, x, area.y, &text, t.dim());
        }
        put(buf, area, tail_x, area.y, &tail, t.dim());
    }
}

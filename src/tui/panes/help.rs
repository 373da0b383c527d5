//! The help overlay: every binding, generated from the keymap in effect (so configured keys show
//! as configured), grouped by where it applies.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Widget};

use crate::tui::app::App;
use crate::tui::theme::Theme;

/// The popup's area within the screen.
fn popup(area: Rect) -> Rect {
    let width = area.width.min(84);
    let height = area.height.saturating_sub(2).max(1);
    Rect::new(
        area.x + (area.width - width) / 2,
        area.y + 1.min(area.height),
        width,
        height.min(area.height),
    )
}

/// How far help can scroll at the app's size.
pub fn max_scroll(app: &App) -> usize {
    let lines: usize = app
        .settings
        .keymap
        .help()
        .iter()
        .map(|s| s.lines.len() + 2)
        .sum::<usize>()
        .saturating_sub(1);
    let (w, h) = app.size;
    let inner = usize::from(popup(Rect::new(0, 0, w, h)).height.saturating_sub(2));
    lines.saturating_sub(inner)
}

pub struct HelpPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &HelpPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let popup = popup(area);
        Clear.render(popup, buf);
        let block = Block::new().borders(Borders::ALL).title(Span::styled(
            " Keys · j/k scroll · Esc close ",
            t.title(true),
        ));
        let inner = block.inner(popup);
        block.render(popup, buf);
        let mut lines: Vec<Line<'static>> = Vec::new();
        let key_w = 22;
        for section in app.settings.keymap.help() {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            lines.push(Line::styled(section.title, t.title(false)));
            for (keys, desc) in section.lines {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {keys:<key_w$} "), t.key()),
                    Span::raw(desc),
                ]));
            }
        }
        let scroll = app
            .help
            .unwrap_or(0)
            .min(lines.len().saturating_sub(usize::from(inner.height)));
        for (n, line) in lines
            .into_iter()
            .skip(scroll)
            .take(usize::from(inner.height))
            .enumerate()
        {
            line.render(Rect::new(inner.x, inner.y + n as u16, inner.width, 1), buf);
        }
    }
}

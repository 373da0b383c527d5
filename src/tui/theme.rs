//! Colours and text attributes. Without colour (`NO_COLOR`, `--color never`) levels and the
//! selection still stand out, by weight, dimming, reverse video and distinct histogram shades.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Level;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

/// `--color` as given, or the config's `ui.color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn parse(s: &str) -> Option<ColorChoice> {
        match s {
            "auto" => Some(ColorChoice::Auto),
            "always" => Some(ColorChoice::Always),
            "never" => Some(ColorChoice::Never),
            _ => None,
        }
    }
}

impl Theme {
    /// The flag wins, then the config; `auto` (or nothing) means colour unless `NO_COLOR` is set
    /// to something or the terminal is dumb.
    pub fn choose(
        flag: Option<ColorChoice>,
        config: Option<ColorChoice>,
        no_color: Option<&str>,
        term: Option<&str>,
    ) -> Theme {
        let color = match flag.or(config).unwrap_or(ColorChoice::Auto) {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => no_color.is_none_or(str::is_empty) && term != Some("dumb"),
        };
        Theme { color }
    }

    pub fn mono() -> Theme {
        Theme { color: false }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn level(&self, level: Option<Level>) -> Style {
        match level {
            Some(Level::Fatal) => self
                .fg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            Some(Level::Error) => self.fg(Color::LightRed).add_modifier(Modifier::BOLD),
            Some(Level::Warn) => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Some(Level::Info) => self.fg(Color::Green),
            Some(Level::Debug) => self.fg(Color::Blue).add_modifier(Modifier::DIM),
            Some(Level::Trace) | None => self.fg(Color::DarkGray).add_modifier(Modifier::DIM),
        }
    }

    /// The glyph of a histogram segment of this level: shades tell levels apart without colour.
    pub fn bar_glyph(&self, level: Option<Level>) -> char {
        if self.color {
            return '█';
        }
        match level {
            Some(Level::Fatal | Level::Error) => '█',
            Some(Level::Warn) => '▓',
            Some(Level::Info) => '▒',
            _ => '░',
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn highlight(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    pub fn time(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn job(&self) -> Style {
        self.fg(Color::LightBlue)
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn title(&self, focused: bool) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if focused {
            s.patch(self.fg(Color::LightCyan))
                .add_modifier(Modifier::UNDERLINED)
        } else {
            s
        }
    }

    pub fn header(&self) -> Style {
        if self.color {
            Style::new().fg(Color::White).bg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn error(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    /// A warning that stays on screen (reading files directly): reversed without colour.
    pub fn warning(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::LightCyan).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_is_honoured_unless_the_flag_says_always() {
        let auto = Some(ColorChoice::Auto);
        assert!(!Theme::choose(None, None, Some("1"), None).color);
        assert!(Theme::choose(None, None, Some(""), None).color);
        assert!(Theme::choose(Some(ColorChoice::Always), None, Some("1"), None).color);
        assert!(!Theme::choose(Some(ColorChoice::Never), auto, None, None).color);
        assert!(!Theme::choose(None, Some(ColorChoice::Never), None, None).color);
        assert!(!Theme::choose(auto, None, None, Some("dumb")).color);
    }

    #[test]
    fn levels_differ_without_colour() {
        let t = Theme::mono();
        let styles: Vec<Style> = [Level::Error, Level::Info, Level::Debug]
            .into_iter()
            .map(|l| t.level(Some(l)))
            .collect();
        assert_ne!(styles[0], styles[1]);
        assert_ne!(styles[1], styles[2]);
        assert_eq!(t.level(Some(Level::Info)).fg, None);
    }
}

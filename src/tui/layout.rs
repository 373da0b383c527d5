//! Where each pane goes for a terminal size, and the columns of a log row. Pure geometry, shared
//! by drawing and by the state machine (page sizes, mouse clicks), so both agree on every cell.

use ratatui::layout::{Position, Rect};

/// Terminals at least this wide keep the filters pane open beside the logs.
pub const WIDE: u16 = 110;
const SIDEBAR: u16 = 30;

/// What the layout depends on besides the size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Shape {
    pub filters_focused: bool,
    pub stats_focused: bool,
    /// A warning line under the header (reading files directly).
    pub banner: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub header: Rect,
    /// The warning line, when there is one.
    pub banner: Option<Rect>,
    pub search: Rect,
    /// Everything between the search line and the footer (the detail pane takes it all).
    pub body: Rect,
    pub filters: Option<Rect>,
    pub logs: Rect,
    pub stats: Rect,
    pub footer: Rect,
}

impl Screen {
    pub fn new(area: Rect, shape: Shape) -> Screen {
        let row = |y: u16| Rect::new(area.x, y, area.width, 1.min(area.height));
        let header = row(area.y);
        // The banner only where it leaves room for a row of the body.
        let banner_h = u16::from(shape.banner && area.height >= 6);
        let banner = (banner_h > 0).then(|| row(area.y + 1));
        let search = row(area.y + (1 + banner_h).min(area.height.saturating_sub(1)));
        let footer = row(area.bottom().saturating_sub(1));
        let body_top = area.y + 2 + banner_h;
        let body_h = area.height.saturating_sub(3 + banner_h);
        let body = Rect::new(area.x, body_top.min(area.bottom()), area.width, body_h);
        let stats_h = if area.height >= 40 {
            12
        } else if shape.stats_focused {
            10
        } else {
            4
        }
        .min(body_h / 2);
        let upper = Rect::new(body.x, body.y, body.width, body_h - stats_h);
        let stats = Rect::new(body.x, upper.bottom(), body.width, stats_h);
        let show_filters = area.width >= WIDE || shape.filters_focused;
        let (filters, logs) = if show_filters && upper.width > SIDEBAR + 20 {
            let f = Rect::new(upper.x, upper.y, SIDEBAR, upper.height);
            let l = Rect::new(
                upper.x + SIDEBAR,
                upper.y,
                upper.width - SIDEBAR,
                upper.height,
            );
            (Some(f), l)
        } else {
            (None, upper)
        };
        Screen {
            header,
            banner,
            search,
            body,
            filters,
            logs,
            stats,
            footer,
        }
    }

    /// The rows of the logs pane (under its title line).
    pub fn log_rows(&self) -> Rect {
        inner(self.logs)
    }

    /// The list area of the filters pane, when it is shown.
    pub fn filter_rows(&self) -> Option<Rect> {
        self.filters.map(|f| {
            let i = inner(f);
            Rect::new(i.x + 1, i.y, i.width.saturating_sub(1), i.height)
        })
    }

    pub fn stats_rows(&self) -> Rect {
        inner(self.stats)
    }
}

/// A pane's area under its one-line title.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x,
        r.y + 1.min(r.height),
        r.width,
        r.height.saturating_sub(1),
    )
}

/// The row of `area` a cell is on, when it is inside.
pub fn row_in(area: Rect, column: u16, row: u16) -> Option<usize> {
    area.contains(Position::new(column, row))
        .then(|| usize::from(row - area.y))
}

/// The widths of a log row: marker, time, level, job, and what is left for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogColumns {
    /// Dates in full (`2026-11-02 13:04:05.123`) or without the year.
    pub full_date: bool,
    pub time: u16,
    pub job: u16,
    pub message: u16,
}

impl LogColumns {
    pub const LEVEL: u16 = 5;

    pub fn new(width: u16, longest_job: usize) -> LogColumns {
        let full_date = width >= 120;
        let time = if full_date { 23 } else { 18 };
        let job_cap = if width >= 120 { 20 } else { 12 };
        let job = (longest_job as u16).clamp(3, job_cap);
        // marker, time, level, job, each followed by a space
        let used = 1 + time + 1 + Self::LEVEL + 1 + job + 1;
        LogColumns {
            full_date,
            time,
            job,
            message: width.saturating_sub(used).max(1),
        }
    }

    /// Where the message starts within the row.
    pub fn message_x(&self) -> u16 {
        1 + self.time + 1 + Self::LEVEL + 1 + self.job + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_terminals_hide_the_filters_until_focused() {
        let s = Screen::new(Rect::new(0, 0, 80, 24), Shape::default());
        assert!(s.filters.is_none());
        assert_eq!(s.logs.height + s.stats.height + 3, 24);
        let s = Screen::new(
            Rect::new(0, 0, 80, 24),
            Shape {
                filters_focused: true,
                ..Shape::default()
            },
        );
        assert_eq!(s.filters.map(|f| f.width), Some(SIDEBAR));
        let s = Screen::new(Rect::new(0, 0, 160, 48), Shape::default());
        assert!(s.filters.is_some());
        assert_eq!(s.stats.height, 12);
    }

    #[test]
    fn tiny_terminals_do_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (10, 3), (5, 5), (6, 6), (200, 2)] {
            for banner in [false, true] {
                let shape = Shape {
                    banner,
                    ..Shape::default()
                };
                let s = Screen::new(Rect::new(0, 0, w, h), shape);
                let _ = (s.log_rows(), s.filter_rows(), s.stats_rows());
                let _ = LogColumns::new(w, 40);
            }
        }
    }

    #[test]
    fn the_banner_takes_a_row_under_the_header() {
        let shape = Shape {
            banner: true,
            ..Shape::default()
        };
        let s = Screen::new(Rect::new(0, 0, 80, 24), shape);
        assert_eq!(s.banner, Some(Rect::new(0, 1, 80, 1)));
        assert_eq!(s.search.y, 2);
        assert_eq!(s.body.y, 3);
        assert_eq!(s.logs.height + s.stats.height + 4, 24);
        assert_eq!(Screen::new(Rect::new(0, 0, 80, 4), shape).banner, None);
    }
}

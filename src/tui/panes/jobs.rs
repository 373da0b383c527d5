//! The jobs pane: one row per job — state (on, off, or undefined when the job is only seen in
//! the logs), schedule, last activity in the zone in use, errors, warnings and entries of the
//! last 24 hours, last error — most trouble first, and below the table the job under the cursor
//! in more words. Narrow terminals drop the less important columns first.

use jiff::tz::TimeZone;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Widget};

use super::{put, short_count};
use crate::display::format_ts;
use crate::model::Level;
use crate::store::JobSummary;
use crate::tui::app::{App, JobsView};
use crate::tui::effect::Kind;
use crate::tui::layout::inner;
use crate::tui::text::{fit, safe_line};
use crate::tui::theme::Theme;

/// Lines under the table about the job under the cursor, when the pane is tall enough.
fn detail_lines(rows: Rect) -> u16 {
    if rows.height >= 8 { 2 } else { 0 }
}

/// The rows of the table (under the title and the column names) in the pane's `area`.
pub fn table_rows(area: Rect) -> Rect {
    let i = inner(area);
    let below = detail_lines(i);
    Rect::new(
        i.x,
        i.y + 1.min(i.height),
        i.width,
        i.height.saturating_sub(1 + below),
    )
}

/// The first job shown, so that the cursor stays in view in `height` rows.
pub fn first_row(view: &JobsView, height: u16) -> usize {
    (view.cursor + 1).saturating_sub(usize::from(height).max(1))
}

const STATE: u16 = 9;
const COUNT: u16 = 6;
const ENTRIES: u16 = 7;
/// `11-02 11:54`, or `2026-11-02 11:54:00` with room.
const SHORT_TIME: u16 = 11;
const LONG_TIME: u16 = 19;
/// ` (59m ago)`.
const AGO: u16 = 10;
/// Least room worth giving the last error.
const MIN_ERROR: u16 = 8;
/// Room kept for the last error before the other columns widen.
const ROOMY_ERROR: u16 = 40;

/// Which columns fit and how wide they are. The job, its state and the error and warning
/// counts always show; then, as room allows, the last activity, the entries, the schedule and
/// the last error (which takes what is left).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    pub name: u16,
    /// 0 when hidden.
    pub last: u16,
    /// The last activity also says how long ago.
    pub ago: bool,
    pub entries: bool,
    /// 0 when hidden.
    pub schedule: u16,
    /// 0 when hidden.
    pub error: u16,
}

impl Columns {
    pub fn new(width: u16, longest_name: usize, longest_schedule: usize) -> Columns {
        let cap: u16 = if width >= 120 { 24 } else { 16 };
        let name = (longest_name.min(usize::from(cap)) as u16).max(4);
        // marker, name, state, errors, warnings: each after a space but the marker
        let fixed = 1 + name + 1 + STATE + 1 + COUNT + 1 + COUNT;
        let mut left = width.saturating_sub(fixed);
        let mut take = |w: u16| {
            if left > w {
                left -= w + 1;
                true
            } else {
                false
            }
        };
        let mut c = Columns {
            name,
            last: 0,
            ago: false,
            entries: false,
            schedule: 0,
            error: 0,
        };
        if take(SHORT_TIME) {
            c.last = SHORT_TIME;
        }
        c.entries = take(ENTRIES);
        let schedule = (longest_schedule.min(20) as u16).max(8);
        if take(schedule) {
            c.schedule = schedule;
        }
        if c.last > 0 && left >= ROOMY_ERROR + (LONG_TIME - SHORT_TIME) {
            left -= LONG_TIME - SHORT_TIME;
            c.last = LONG_TIME;
            if left >= ROOMY_ERROR + AGO {
                left -= AGO;
                c.last += AGO;
                c.ago = true;
            }
        }
        if left > MIN_ERROR {
            c.error = left - 1;
        }
        c
    }
}

/// `now`, `42s`, `12m`, `5h`, `3d`: how long before `now` a time was.
pub fn ago(ms: i64, now: i64) -> String {
    let d = now.saturating_sub(ms);
    match d {
        ..60_000 => "now".into(),
        60_000..3_600_000 => format!("{}m ago", d / 60_000),
        3_600_000..86_400_000 => format!("{}h ago", d / 3_600_000),
        _ => format!("{}d ago", d / 86_400_000),
    }
}

fn last_activity(ms: i64, c: &Columns, zone: &TimeZone, now: i64) -> String {
    let ts = format_ts(ms, zone);
    let shown: String = if c.last >= LONG_TIME {
        ts.chars().take(19).collect()
    } else {
        ts.chars().skip(5).take(11).collect()
    };
    if c.ago {
        format!("{shown} ({})", ago(ms, now))
    } else {
        shown
    }
}

pub struct JobsPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

fn title(view: &JobsView) -> String {
    if !view.loaded {
        return " Jobs ".into();
    }
    let n = view.rows.len();
    let mut t = format!(" Jobs · {n}");
    let undefined = view.undefined();
    if undefined > 0 {
        t.push_str(&format!(" ({undefined} undefined)"));
    }
    t.push_str(" · last 24 h · most trouble first ");
    t
}

impl Widget for &JobsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let view = &app.jobs;
        Block::new()
            .borders(Borders::TOP)
            .title(Span::styled(title(view), t.title(true)))
            .render(area, buf);
        let rows = table_rows(area);
        let all = inner(area);
        if view.rows.is_empty() {
            let text = if !view.loaded || app.loading(Kind::Summaries) {
                "loading…"
            } else {
                "No jobs yet: import definitions with `logdex jobs import FILE`, or index some logs."
            };
            put(
                buf,
                all,
                all.x + 2,
                all.y + 1.min(all.height),
                text,
                t.dim(),
            );
            return;
        }
        let longest = |f: &dyn Fn(&JobSummary) -> usize| view.rows.iter().map(f).max();
        let c = Columns::new(
            area.width,
            longest(&|s| safe_line(&s.job.name).chars().count()).unwrap_or(4),
            longest(&|s| {
                s.job
                    .definition
                    .as_ref()
                    .map_or(0, |d| safe_line(&d.schedule).chars().count())
            })
            .unwrap_or(8),
        );
        header(buf, all, &c, t);
        let zone = app.zone();
        let first = first_row(view, rows.height);
        for (n, s) in view
            .rows
            .iter()
            .enumerate()
            .skip(first)
            .take(usize::from(rows.height))
        {
            let y = rows.y + (n - first) as u16;
            let row = Rect::new(rows.x, y, rows.width, 1);
            let selected = n == view.cursor;
            job_row(buf, row, s, &c, t, &zone, app.now_ms, selected);
            if selected {
                buf.set_style(row, t.selected());
            }
        }
        if let Some(s) = view.selected() {
            let below = Rect::new(
                all.x,
                rows.bottom(),
                all.width,
                all.bottom() - rows.bottom(),
            );
            about(buf, below, s, t, &zone);
        }
    }
}

fn header(buf: &mut Buffer, all: Rect, c: &Columns, t: &Theme) {
    let y = all.y;
    let style = t
        .dim()
        .patch(Style::new().add_modifier(ratatui::style::Modifier::BOLD));
    let mut line = format!(
        " {:<n$} {:<STATE$} ",
        "JOB",
        "STATE",
        n = usize::from(c.name),
        STATE = usize::from(STATE)
    );
    if c.schedule > 0 {
        line.push_str(&format!("{:<w$} ", "SCHEDULE", w = usize::from(c.schedule)));
    }
    if c.last > 0 {
        line.push_str(&format!("{:<w$} ", "LAST ENTRY", w = usize::from(c.last)));
    }
    line.push_str(&format!("{:>6} {:>6}", "ERRORS", "WARNS"));
    if c.entries {
        line.push_str(&format!(" {:>7}", "ENTRIES"));
    }
    if c.error > 0 {
        line.push(' ');
        line.push_str(&fit("LAST ERROR", usize::from(c.error)));
    }
    put(buf, all, all.x, y, &line, style);
}

/// Writes `text` left-aligned in a cell of `width` at `x`; returns the x after the cell and its
/// space.
fn cell(buf: &mut Buffer, row: Rect, x: u16, width: u16, text: &str, style: Style) -> u16 {
    put(buf, row, x, row.y, &fit(text, usize::from(width)), style);
    x + width + 1
}

/// A count right-aligned in a cell of `width`, in `style` when it is not zero.
fn count_cell(buf: &mut Buffer, row: Rect, x: u16, width: u16, n: u64, style: Style, t: &Theme) {
    let text = format!("{:>w$}", short_count(n), w = usize::from(width));
    put(
        buf,
        row,
        x,
        row.y,
        &text,
        if n > 0 { style } else { t.dim() },
    );
}

#[allow(clippy::too_many_arguments)]
fn job_row(
    buf: &mut Buffer,
    row: Rect,
    s: &JobSummary,
    c: &Columns,
    t: &Theme,
    zone: &TimeZone,
    now: i64,
    selected: bool,
) {
    let act = &s.activity;
    put(
        buf,
        row,
        row.x,
        row.y,
        if selected { "▶" } else { " " },
        Style::new(),
    );
    let mut x = cell(
        buf,
        row,
        row.x + 1,
        c.name,
        &safe_line(&s.job.name),
        t.job(),
    );
    let (state, state_style) = match &s.job.definition {
        Some(d) if d.enabled => ("on", Style::new()),
        Some(_) => ("off", t.dim()),
        None => ("undefined", t.dim()),
    };
    x = cell(buf, row, x, STATE, state, state_style);
    if c.schedule > 0 {
        let schedule = s.job.definition.as_ref().map(|d| safe_line(&d.schedule));
        x = cell(
            buf,
            row,
            x,
            c.schedule,
            schedule.as_deref().unwrap_or(""),
            Style::new(),
        );
    }
    if c.last > 0 {
        x = match act.last_entry {
            Some(ms) => cell(
                buf,
                row,
                x,
                c.last,
                &last_activity(ms, c, zone, now),
                t.time(),
            ),
            None => cell(buf, row, x, c.last, "never", t.dim()),
        };
    }
    count_cell(
        buf,
        row,
        x,
        COUNT,
        act.errors,
        t.level(Some(Level::Error)),
        t,
    );
    x += COUNT + 1;
    count_cell(
        buf,
        row,
        x,
        COUNT,
        act.warnings,
        t.level(Some(Level::Warn)),
        t,
    );
    x += COUNT + 1;
    if c.entries {
        count_cell(buf, row, x, ENTRIES, act.entries, Style::new(), t);
        x += ENTRIES + 1;
    }
    if c.error > 0
        && let Some(e) = &act.last_error
    {
        cell(buf, row, x, c.error, &safe_line(&e.message), Style::new());
    }
}

/// The job under the cursor in more words: its title, description and command (or that it is
/// not defined), and its last error in full width.
fn about(buf: &mut Buffer, area: Rect, s: &JobSummary, t: &Theme, zone: &TimeZone) {
    if area.height < 2 {
        return;
    }
    let width = usize::from(area.width.saturating_sub(2));
    let mut text = safe_line(&s.job.name);
    match &s.job.definition {
        Some(d) => {
            for part in [d.name.as_deref(), d.description.as_deref()]
                .into_iter()
                .flatten()
            {
                text.push_str(" · ");
                text.push_str(&safe_line(part));
            }
            text.push_str(" · $ ");
            text.push_str(&safe_line(&d.command));
        }
        None => text.push_str(" · undefined: seen in the logs, not in the job definitions"),
    }
    put(buf, area, area.x + 1, area.y, &fit(&text, width), t.dim());
    let (text, style) = match &s.activity.last_error {
        Some(e) => (
            format!(
                "last error {} {}",
                format_ts(e.ts, zone),
                safe_line(&e.message)
            ),
            t.level(e.level),
        ),
        None => ("no errors".to_string(), t.dim()),
    };
    put(buf, area, area.x + 1, area.y + 1, &fit(&text, width), style);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_terminals_keep_the_job_its_state_and_its_trouble() {
        let c = Columns::new(40, 12, 9);
        assert_eq!((c.last, c.entries, c.schedule, c.error), (0, false, 0, 0));
        let c = Columns::new(80, 12, 9);
        assert_eq!(c.last, SHORT_TIME);
        assert!(c.entries && c.schedule == 9 && c.error > 0 && !c.ago);
        let c = Columns::new(160, 12, 9);
        assert!(c.ago && c.last == LONG_TIME + AGO && c.error >= ROOMY_ERROR - 1);
        // Everything fits in the width given, whatever the names; below the least width
        // only the columns that always show are left.
        for width in [0, 1, 20, 55, 80, 100, 119, 120, 200] {
            for name in [0, 3, 12, 80] {
                let c = Columns::new(width, name, 30);
                let fixed = 1 + c.name + 1 + STATE + 1 + COUNT + 1 + COUNT;
                let optional: u16 = [c.last, c.schedule, c.error]
                    .iter()
                    .map(|w| if *w > 0 { w + 1 } else { 0 })
                    .sum::<u16>()
                    + if c.entries { ENTRIES + 1 } else { 0 };
                if width >= fixed {
                    assert!(fixed + optional <= width, "{width} {name}: {c:?}");
                } else {
                    assert_eq!(optional, 0, "{width} {name}: {c:?}");
                }
            }
        }
    }

    #[test]
    fn ages_are_short() {
        let now = 1_793_620_800_000;
        assert_eq!(ago(now - 5_000, now), "now");
        assert_eq!(ago(now + 90_000, now), "now");
        assert_eq!(ago(now - 12 * 60_000, now), "12m ago");
        assert_eq!(ago(now - 5 * 3_600_000, now), "5h ago");
        assert_eq!(ago(now - 3 * 86_400_000, now), "3d ago");
    }
}

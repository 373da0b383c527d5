//! The header (database, counts, indexing progress, follow or paused, the zone in use), the
//! banner when the log files are read directly, and the footer (key hints, the last message, or
//! the prompt being answered).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{count, put, short_count};
use crate::display::{escape, zone_name};
use crate::tui::action::Command;
use crate::tui::app::{App, Indexing, Prompt};
use crate::tui::keymap::Mode;
use crate::tui::theme::Theme;

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub struct Header<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        let style = t.header();
        buf.set_style(area, style);
        let total: u64 = app.filters.jobs.iter().map(|j| j.entries).sum();
        let mut left = format!(" logdex  {} entries", count(total));
        match &app.indexing {
            Indexing::Off => {}
            Indexing::Running {
                files,
                bytes_total,
                bytes,
                entries,
                rate,
            } => {
                let pct = if *bytes_total > 0 {
                    (*bytes as f64 * 100.0 / *bytes_total as f64).min(100.0)
                } else {
                    100.0
                };
                left.push_str(&format!(
                    "  indexing {files} files {pct:.0}% {} new {}/s",
                    short_count(*entries),
                    short_count(*rate as u64)
                ));
            }
            Indexing::Watching { files, .. } => {
                left.push_str(&format!("  watching {files} files"));
            }
            Indexing::Failed(_) => left.push_str("  indexing failed"),
            Indexing::Waiting => left.push_str("  another process indexes"),
        }
        if !app.skipped.is_empty() {
            left.push_str(&format!("  {} skipped", app.skipped.len()));
        }
        let spin = if app.busy() {
            format!("{} ", SPINNER[app.busy_frame() % SPINNER.len()])
        } else {
            String::new()
        };
        let follow = if app.follow {
            "● follow"
        } else {
            "‖ paused"
        };
        let right = format!("{spin}{follow}  {} ", zone_name(&app.zone()));
        let right_w = right.chars().count() as u16;
        let right_x = area.right().saturating_sub(right_w);
        let clip = Rect::new(
            area.x,
            area.y,
            right_x.saturating_sub(area.x + 1),
            area.height,
        );
        // The database path only where there is room for it.
        let db = format!("  {}", escape(&app.settings.db_label, false));
        if left.chars().count() + db.chars().count() < usize::from(clip.width) {
            left.push_str(&db);
        }
        put(buf, clip, area.x, area.y, &left, style);
        put(buf, area, right_x.max(area.x), area.y, &right, style);
    }
}

/// The line that says the database is not used and why.
pub struct Banner<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for &Banner<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Some(reason) = &self.app.degraded else {
            return;
        };
        let style = self.theme.warning();
        buf.set_style(area, style);
        let text = format!(
            " degraded: reading files directly — {}",
            escape(reason, false)
        );
        put(buf, area, area.x, area.y, &text, style);
    }
}

/// The keys worth a reminder in each mode.
fn hints(mode: Mode) -> &'static [(Command, &'static str)] {
    use Command as C;
    match mode {
        Mode::Logs => &[
            (C::ToggleHelp, "help"),
            (C::StartSearch, "search"),
            (C::FocusNext, "panes"),
            (C::Open, "detail"),
            (C::NextError, "next error"),
            (C::Follow, "follow"),
            (C::Export, "export"),
            (C::Quit, "quit"),
        ],
        Mode::SearchBox => &[
            (C::AcceptSearch, "keep"),
            (C::CancelSearch, "clear"),
            (C::ToggleSearchSyntax, "words/regex"),
            (C::ToggleSearchJump, "narrow/jump"),
            (C::NextMatch, "next match"),
        ],
        Mode::Filters => &[
            (C::Toggle, "toggle"),
            (C::SelectAll, "all"),
            (C::SelectNone, "none"),
            (C::SetMinLevel, "this level and up"),
            (C::EnterTimeRange, "time range"),
            (C::Back, "back"),
        ],
        Mode::Stats => &[
            (C::ScrollRight, "next bucket"),
            (C::Open, "narrow to the bucket"),
            (C::FocusNext, "panes"),
            (C::Back, "back"),
        ],
        Mode::Jobs => &[
            (C::Open, "only this job"),
            (C::ScrollDown, "move"),
            (C::ToggleZone, "UTC/local"),
            (C::FocusNext, "panes"),
            (C::Back, "back"),
        ],
        Mode::Detail => &[
            (C::ScrollDown, "scroll"),
            (C::ShowContext, "neighbours"),
            (C::Copy, "copy"),
            (C::Back, "back"),
        ],
        Mode::Help => &[(C::ScrollDown, "scroll"), (C::ToggleHelp, "close")],
        Mode::Prompt => &[(C::Open, "confirm"), (C::Back, "cancel")],
    }
}

pub struct Footer<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

/// Where the text of a prompt starts on the footer line.
pub fn prompt_input_x(p: &Prompt) -> u16 {
    prompt_label(p).chars().count() as u16
}

fn prompt_label(p: &Prompt) -> String {
    match p {
        Prompt::Export { format, .. } => format!(" export {} (Tab: format) to ", format.name()),
        Prompt::TimeRange { .. } => " time range (2h · 2026-11-02T12:00 .. 13:30): ".to_string(),
    }
}

impl Widget for &Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let (app, t) = (self.app, self.theme);
        if let Some(p) = &app.prompt {
            let label = prompt_label(p);
            let x = put(buf, area, area.x, area.y, &label, t.key());
            let input = p.input();
            let width = usize::from(area.right().saturating_sub(x)).max(1);
            let scroll = input.visual_scroll(width);
            let shown: String = escape(input.value(), false).chars().skip(scroll).collect();
            let x = put(buf, area, x, area.y, &shown, ratatui::style::Style::new());
            if let Prompt::TimeRange { error: Some(e), .. } = p {
                put(buf, area, x + 2, area.y, e, t.error());
            }
            return;
        }
        if let Some(s) = &app.status {
            let style = if s.error {
                t.error()
            } else {
                ratatui::style::Style::new()
            };
            put(
                buf,
                area,
                area.x,
                area.y,
                &format!(" {}", escape(&s.text, false)),
                style,
            );
            return;
        }
        let mode = app.mode();
        let keys = &app.settings.keymap;
        let mut x = area.x + 1;
        for (command, what) in hints(mode) {
            let Some(key) = keys.keys_for(mode, *command).into_iter().next() else {
                continue;
            };
            x = put(buf, area, x, area.y, &key, t.key());
            x = put(buf, area, x + 1, area.y, what, t.dim());
            x += 2;
        }
    }
}

//! The detail view of one entry (scrolled by lines) with its neighbours in the same file, and
//! the prompts that take a line of text (export path and format, a typed time range).

use std::path::Path;

use tui_input::Input;

use crate::export::Format;
use crate::model::LogEntry;

#[derive(Debug, Clone, PartialEq)]
pub struct DetailView {
    pub entry: LogEntry,
    /// First line on screen.
    pub scroll: usize,
    /// The neighbours, when asked for.
    pub context: Option<ContextList>,
    pub showing_context: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContextList {
    pub entries: Vec<LogEntry>,
    pub selected: usize,
}

impl DetailView {
    pub fn new(entry: LogEntry) -> DetailView {
        DetailView {
            entry,
            scroll: 0,
            context: None,
            showing_context: false,
        }
    }

    /// Moves the list cursor (context) or the text (entry) by `delta`, within `lines` lines of
    /// text of which `rows` fit.
    pub fn move_by(&mut self, delta: isize, lines: usize, rows: usize) {
        match (&mut self.context, self.showing_context) {
            (Some(ctx), true) => {
                let last = ctx.entries.len().saturating_sub(1);
                ctx.selected = ctx.selected.saturating_add_signed(delta).min(last);
            }
            _ => {
                let max = lines.saturating_sub(rows);
                self.scroll = self.scroll.saturating_add_signed(delta).min(max);
            }
        }
    }

    pub fn set_context(&mut self, entries: Vec<LogEntry>) {
        let selected = entries
            .iter()
            .position(|e| e.id == self.entry.id)
            .unwrap_or(0);
        self.context = Some(ContextList { entries, selected });
    }

    /// Shows the neighbour under the cursor as the entry.
    pub fn open_selected(&mut self) -> bool {
        let Some(ctx) = &self.context else {
            return false;
        };
        match ctx.entries.get(ctx.selected) {
            Some(e) if self.showing_context => {
                self.entry = e.clone();
                self.scroll = 0;
                self.showing_context = false;
                true
            }
            _ => false,
        }
    }
}

/// A one-line question at the bottom of the screen.
#[derive(Debug, Clone)]
pub enum Prompt {
    Export { format: Format, path: Input },
    TimeRange { input: Input, error: Option<String> },
}

impl Prompt {
    /// An export prompt with a fresh file name in `dir`.
    pub fn export(dir: &Path, stamp: &str) -> Prompt {
        let format = Format::Ndjson;
        let path = dir.join(format!("logdex-{stamp}.{}", format.extension()));
        Prompt::Export {
            format,
            path: Input::new(path.to_string_lossy().into_owned()),
        }
    }

    pub fn input_mut(&mut self) -> &mut Input {
        match self {
            Prompt::Export { path, .. } => path,
            Prompt::TimeRange { input, .. } => input,
        }
    }

    pub fn input(&self) -> &Input {
        match self {
            Prompt::Export { path, .. } => path,
            Prompt::TimeRange { input, .. } => input,
        }
    }

    /// The next export format; the file's extension follows when it was the format's own.
    pub fn cycle_format(&mut self) {
        if let Prompt::Export { format, path } = self {
            let i = Format::ALL.iter().position(|f| f == format).unwrap_or(0);
            let next = Format::ALL[(i + 1) % Format::ALL.len()];
            let value = path.value().to_string();
            let old = format!(".{}", format.extension());
            if let Some(stem) = value.strip_suffix(&old) {
                *path = Input::new(format!("{stem}.{}", next.extension()));
            }
            *format = next;
        }
    }
}

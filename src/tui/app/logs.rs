//! The logs window: a few pages of entries in display order around the selection, with the
//! cursors that continue it on either side. Moving near an edge asks for the next page; the
//! window never holds more than [`MAX_ROWS`], so memory and work stay a few pages whatever the
//! history. No IO: the app turns the requests this returns into effects.

use crate::model::LogEntry;
use crate::query::{Cursor, Order};
use crate::store::Page;

use crate::tui::action::{Placement, Selection};

/// Most rows kept; pages past this are dropped from the far end.
pub const MAX_ROWS: usize = 600;
/// Rows of margin: closer than this to a loaded edge, the next page is requested.
const MARGIN: usize = 60;

/// A page the window wants, past one of its edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    Below(Cursor),
    Above(Cursor),
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogsWindow {
    pub entries: Vec<LogEntry>,
    /// Continues the window above its first row; None at the top.
    pub above: Option<Cursor>,
    /// Continues the window below its last row; None at the bottom.
    pub below: Option<Cursor>,
    pub selected: usize,
    /// First row on screen.
    pub top: usize,
    pub order: Order,
    /// A first page has arrived.
    pub loaded: bool,
    pub loading_above: bool,
    pub loading_below: bool,
}

impl LogsWindow {
    pub fn new(order: Order) -> LogsWindow {
        LogsWindow {
            entries: Vec::new(),
            above: None,
            below: None,
            selected: 0,
            top: 0,
            order,
            loaded: false,
            loading_above: false,
            loading_below: false,
        }
    }

    pub fn selected_entry(&self) -> Option<&LogEntry> {
        self.entries.get(self.selected)
    }

    /// True when the newest entries are at the top of the list.
    pub fn newest_on_top(&self) -> bool {
        self.order == Order::NewestFirst
    }

    /// Puts a loaded page in place.
    pub fn place(&mut self, placement: Placement, page: Page) {
        let Page {
            entries,
            next,
            prev,
        } = page;
        match placement {
            Placement::Replace(sel) => {
                let offset = self.selected.saturating_sub(self.top);
                self.entries = entries;
                self.above = prev;
                self.below = next;
                self.loading_above = false;
                self.loading_below = false;
                self.loaded = true;
                self.selected = match sel {
                    Selection::First => 0,
                    Selection::Last => self.entries.len().saturating_sub(1),
                    Selection::Entry(id) => self.nearest(id),
                };
                // The selection stays where it was on screen, if it can.
                self.top = match sel {
                    Selection::Entry(_) => self.selected.saturating_sub(offset),
                    Selection::First => 0,
                    Selection::Last => 0,
                };
            }
            Placement::Append => {
                self.loading_below = false;
                self.below = if entries.is_empty() { None } else { next };
                self.entries.extend(entries);
                self.trim_top();
            }
            Placement::Prepend => {
                self.loading_above = false;
                self.above = if entries.is_empty() { None } else { prev };
                let n = entries.len();
                self.entries.splice(0..0, entries);
                self.selected += n;
                self.top += n;
                self.trim_bottom();
            }
        }
    }

    /// Index of the entry `id`, or of the row where it would be.
    fn nearest(&self, id: i64) -> usize {
        let pos = self.entries.iter().position(|e| {
            if self.newest_on_top() {
                e.id <= id
            } else {
                e.id >= id
            }
        });
        pos.unwrap_or(self.entries.len())
            .min(self.entries.len().saturating_sub(1))
    }

    fn trim_top(&mut self) {
        let extra = self.entries.len().saturating_sub(MAX_ROWS);
        let extra = extra.min(self.top.min(self.selected));
        if extra == 0 {
            return;
        }
        self.entries.drain(..extra);
        self.selected -= extra;
        self.top -= extra;
        self.above = self.entries.first().map(|e| cursor_above(self.order, e.id));
    }

    fn trim_bottom(&mut self) {
        if self.entries.len() <= MAX_ROWS {
            return;
        }
        let keep = MAX_ROWS.max(self.selected + 1);
        self.entries.truncate(keep);
        self.below = self.entries.last().map(|e| cursor_below(self.order, e.id));
    }

    /// Moves the selection by `delta` rows within what is loaded; returns true if it moved.
    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.entries.is_empty() {
            return false;
        }
        let last = self.entries.len() - 1;
        let to = self.selected.saturating_add_signed(delta).min(last);
        let moved = to != self.selected;
        self.selected = to;
        moved
    }

    /// The pages to ask for so that the selection keeps a margin of loaded rows.
    pub fn wants(&mut self) -> Vec<Want> {
        let mut out = Vec::new();
        if !self.loaded {
            return out;
        }
        if self.selected + MARGIN >= self.entries.len()
            && !self.loading_below
            && let Some(c) = self.below
        {
            self.loading_below = true;
            out.push(Want::Below(c));
        }
        if self.selected < MARGIN
            && !self.loading_above
            && let Some(c) = self.above
        {
            self.loading_above = true;
            out.push(Want::Above(c));
        }
        out
    }

    /// Keeps the selection on screen, given how many rows each entry takes.
    pub fn scroll_into_view(&mut self, rows: usize, heights: &[usize]) {
        let rows = rows.max(1);
        if self.entries.is_empty() {
            self.top = 0;
            self.selected = 0;
            return;
        }
        self.selected = self.selected.min(self.entries.len() - 1);
        if self.selected < self.top {
            self.top = self.selected;
        }
        // The smallest first row that still shows the selection whole.
        let mut first = self.selected;
        let mut used = 0;
        loop {
            used += heights.get(first).copied().unwrap_or(1).max(1);
            if used > rows {
                first = (first + 1).min(self.selected);
                break;
            }
            if first == 0 {
                break;
            }
            first -= 1;
        }
        self.top = self.top.max(first);
    }

    /// New entries may exist past the newest end of a window that ended there.
    pub fn note_new_entries(&mut self) {
        if self.newest_on_top() {
            if self.above.is_none() {
                self.above = self.entries.first().map(|e| cursor_above(self.order, e.id));
            }
        } else if self.below.is_none() {
            self.below = self.entries.last().map(|e| cursor_below(self.order, e.id));
        }
    }
}

/// The cursor for what lies below entry `id` in a list of this order.
pub fn cursor_below(order: Order, id: i64) -> Cursor {
    match order {
        Order::NewestFirst => Cursor::Before(id),
        Order::OldestFirst => Cursor::After(id),
    }
}

/// The cursor for what lies above entry `id` in a list of this order.
pub fn cursor_above(order: Order, id: i64) -> Cursor {
    match order {
        Order::NewestFirst => Cursor::After(id),
        Order::OldestFirst => Cursor::Before(id),
    }
}

//! What the state machine asks the outside world to do, as data: queries for the worker, and a
//! few things only the runtime can do (write to the terminal, wait, quit). Tests read these
//! instead of watching IO happen.

use std::path::PathBuf;

use crate::export::Format;
use crate::query::{Filter, Order};

use super::action::{Action, Placement};

/// A request's generation. Each kind of request has its own counter in the app; a reply whose
/// generation is not the newest of its kind is stale and dropped.
pub type Gen = u64;

/// Which counter a request belongs to. Requests of one kind supersede each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Window,
    Stats,
    Matches,
    Jobs,
    Context,
    Summaries,
}

impl Kind {
    pub const COUNT: usize = 6;

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Where the rows of a window request come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The oldest entries the filter keeps.
    Oldest,
    /// The newest entries the filter keeps.
    Newest,
    /// A page on each side of this entry, the entry included.
    Around(i64),
    /// The page below the window's last row (the cursor the last page returned).
    Below(crate::query::Cursor),
    /// The page above the window's first row.
    Above(crate::query::Cursor),
}

#[derive(Debug, Clone)]
pub enum Effect {
    /// Load rows for the logs window.
    LoadWindow {
        seq: Gen,
        filter: Filter,
        order: Order,
        anchor: Anchor,
        limit: usize,
        placement: Placement,
    },
    /// Find the first entry of `find` past entry `from` (towards the newer entries when
    /// `newer`), then load the window of `filter` around it.
    FindNext {
        seq: Gen,
        find: Box<Filter>,
        filter: Filter,
        order: Order,
        from: i64,
        newer: bool,
        limit: usize,
    },
    /// Counts per level and job, and a histogram of at most `buckets` buckets.
    LoadStats {
        seq: Gen,
        filter: Filter,
        buckets: usize,
    },
    /// How many entries a filter keeps (the search in jump mode).
    CountMatches {
        seq: Gen,
        filter: Filter,
    },
    LoadJobs {
        seq: Gen,
    },
    /// Every job with its definition and its activity in the 24 hours up to `now_ms`.
    LoadSummaries {
        seq: Gen,
        now_ms: i64,
    },
    /// Neighbours of an entry in its own file.
    LoadContext {
        seq: Gen,
        id: i64,
        before: usize,
        after: usize,
    },
    /// Write every entry the filter keeps to a file.
    Export {
        filter: Filter,
        order: Order,
        format: Format,
        path: PathBuf,
        /// Times in text exports are written in this zone.
        zone: jiff::tz::TimeZone,
    },
    /// Put text on the clipboard of the terminal (OSC 52).
    Copy(String),
    /// Feed this action back after a pause.
    Schedule {
        after_ms: u64,
        action: Box<Action>,
    },
    /// Leave the browser.
    Quit,
}

impl Effect {
    /// The kind and generation of a query, for effects that have one.
    pub fn generation(&self) -> Option<(Kind, Gen)> {
        match self {
            Effect::LoadWindow { seq, .. } | Effect::FindNext { seq, .. } => {
                Some((Kind::Window, *seq))
            }
            Effect::LoadStats { seq, .. } => Some((Kind::Stats, *seq)),
            Effect::CountMatches { seq, .. } => Some((Kind::Matches, *seq)),
            Effect::LoadJobs { seq } => Some((Kind::Jobs, *seq)),
            Effect::LoadSummaries { seq, .. } => Some((Kind::Summaries, *seq)),
            Effect::LoadContext { seq, .. } => Some((Kind::Context, *seq)),
            _ => None,
        }
    }
}

//! Everything that can change the browser's state, as data: what a person asked for (bound to
//! keys by the keymap, named in the config), and what happened in the background (replies to
//! queries, the indexer's signals, the clock). [`App::update`](super::app::App::update) is the
//! only reader.

use tui_input::InputRequest;

use crate::ingest::discover::Skipped;
use crate::model::LogEntry;
use crate::store::{JobCount, JobSummary, Page, Stats};

use super::effect::{Gen, Kind};

/// One input to the state machine.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A command a key can be bound to.
    Run(Command),
    /// A key typed into the focused text box (search, prompt).
    Edit(InputRequest),
    /// The browser is on screen for the first time.
    Started {
        width: u16,
        height: u16,
        now_ms: i64,
    },
    /// The terminal has a new size.
    Resize { width: u16, height: u16 },
    /// A mouse click at a cell.
    Click { column: u16, row: u16 },
    /// The mouse wheel turned over a cell (`down`: towards the end).
    Wheel { column: u16, row: u16, down: bool },
    /// The clock moved on (milliseconds since the epoch).
    Tick { now_ms: i64 },
    /// The debounce interval after a search query passed.
    SearchSettled,
    /// No search went out for a while since query number `edit`: time for its counts.
    SearchIdle { edit: u64 },
    /// A query finished.
    Loaded(Loaded),
    /// The in-process indexer reported.
    Indexer(IndexerSignal),
    /// Another process committed to the database.
    DataChanged,
}

/// The bindable commands. Their names (see [`Command::ALL`]) are what the config's `[keys]`
/// table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    ToggleHelp,
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    GoTop,
    GoBottom,
    ScrollLeft,
    ScrollRight,
    FocusNext,
    FocusPrev,
    StartSearch,
    AcceptSearch,
    CancelSearch,
    ToggleSearchSyntax,
    ToggleSearchJump,
    NextMatch,
    PrevMatch,
    NextError,
    PrevError,
    Toggle,
    Open,
    Back,
    Follow,
    Export,
    CycleExportFormat,
    Copy,
    ToggleZone,
    ToggleOrder,
    ToggleWrap,
    RaiseMinLevel,
    LowerMinLevel,
    SelectAll,
    SelectNone,
    SetMinLevel,
    EnterTimeRange,
    ShowContext,
    FocusFilters,
    FocusStats,
    FocusJobs,
}

impl Command {
    /// Every command with its config name.
    pub const ALL: &'static [(Command, &'static str)] = &[
        (Command::Quit, "quit"),
        (Command::ToggleHelp, "help"),
        (Command::ScrollDown, "down"),
        (Command::ScrollUp, "up"),
        (Command::PageDown, "page_down"),
        (Command::PageUp, "page_up"),
        (Command::HalfPageDown, "half_page_down"),
        (Command::HalfPageUp, "half_page_up"),
        (Command::GoTop, "top"),
        (Command::GoBottom, "bottom"),
        (Command::ScrollLeft, "left"),
        (Command::ScrollRight, "right"),
        (Command::FocusNext, "next_pane"),
        (Command::FocusPrev, "previous_pane"),
        (Command::StartSearch, "search"),
        (Command::AcceptSearch, "accept_search"),
        (Command::CancelSearch, "cancel_search"),
        (Command::ToggleSearchSyntax, "toggle_regex"),
        (Command::ToggleSearchJump, "toggle_jump"),
        (Command::NextMatch, "next_match"),
        (Command::PrevMatch, "previous_match"),
        (Command::NextError, "next_error"),
        (Command::PrevError, "previous_error"),
        (Command::Toggle, "toggle"),
        (Command::Open, "open"),
        (Command::Back, "back"),
        (Command::Follow, "follow"),
        (Command::Export, "export"),
        (Command::CycleExportFormat, "export_format"),
        (Command::Copy, "copy"),
        (Command::ToggleZone, "toggle_zone"),
        (Command::ToggleOrder, "toggle_order"),
        (Command::ToggleWrap, "toggle_wrap"),
        (Command::RaiseMinLevel, "raise_level"),
        (Command::LowerMinLevel, "lower_level"),
        (Command::SelectAll, "select_all"),
        (Command::SelectNone, "select_none"),
        (Command::SetMinLevel, "min_level"),
        (Command::EnterTimeRange, "time_range"),
        (Command::ShowContext, "context"),
        (Command::FocusFilters, "filters"),
        (Command::FocusStats, "stats"),
        (Command::FocusJobs, "jobs"),
    ];

    pub fn name(self) -> &'static str {
        Command::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("?", |(_, n)| n)
    }

    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(c, _)| *c)
    }
}

/// Replies from the worker. Each carries the generation of the request it answers, so a reply
/// to a request that has since been superseded is recognised and dropped.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// Entries for the logs window.
    PageLoaded {
        seq: Gen,
        placement: Placement,
        page: Page,
        /// A quick first answer from the full-text index alone; the complete one follows.
        partial: bool,
    },
    /// A search for the next match or error found nothing in that direction.
    MatchMissing {
        seq: Gen,
    },
    StatsLoaded {
        seq: Gen,
        stats: Box<Stats>,
    },
    /// How many entries match the search in jump mode (the list itself is not narrowed).
    MatchesCounted {
        seq: Gen,
        count: u64,
    },
    JobsLoaded {
        seq: Gen,
        jobs: Vec<JobCount>,
    },
    /// Each job with its definition and recent activity, for the jobs pane.
    SummariesLoaded {
        seq: Gen,
        jobs: Vec<JobSummary>,
    },
    ContextLoaded {
        seq: Gen,
        entries: Vec<LogEntry>,
    },
    Exported {
        path: String,
        count: u64,
    },
    Copied {
        bytes: usize,
    },
    /// A request failed; `kind` and `seq` say which (no kind: an export or a copy).
    Failed {
        kind: Option<Kind>,
        seq: Gen,
        message: String,
    },
}

/// Where a loaded page goes in the logs window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The page is the whole window; select this entry (or the row at this end).
    Replace(Selection),
    /// The page continues the window past its last row.
    Append,
    /// The page continues the window before its first row.
    Prepend,
}

/// Which row to select in a replaced window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    First,
    Last,
    /// This entry; the nearest row when it is gone.
    Entry(i64),
}

/// What the in-process indexer reports, as the runtime condenses it.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexerSignal {
    /// A pass started over this many files and bytes.
    Planned {
        files: usize,
        bytes: u64,
    },
    /// A batch committed; `rate` is entries per second over the pass so far.
    Committed {
        entries: u64,
        bytes: u64,
        rate: f64,
    },
    Skipped(Skipped),
    /// The first pass is done; later passes only pick up what files gain.
    Finished {
        entries: u64,
        files: usize,
    },
    /// Indexing stopped for good.
    Failed(String),
    /// Another process (this one, in the text) holds the writer: its commits are shown, and
    /// indexing resumes here when it is done.
    Waiting(String),
    /// The database was damaged and recovered, as told.
    Recovered(String),
    /// Upkeep worth telling (a backup written).
    Said(String),
}

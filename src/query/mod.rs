//! The filter model shared by the TUI and the command line: what to show (text, jobs, levels,
//! time range) and where a page starts (cursor). It is vocabulary only: built by `cli` and `tui`,
//! executed by `store`; no IO.

pub mod text;
pub mod time;

use crate::model::{Level, LogEntry};
pub use text::{SearchError, SearchMode, TextQuery};
pub use time::{TimeRange, TimeSpec};

/// A set of levels, including "unknown" (entries whose line carried no level).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LevelSet(u8);

impl LevelSet {
    const UNKNOWN_BIT: u8 = 1;

    pub fn all() -> LevelSet {
        LevelSet(0b0111_1111)
    }

    pub fn none() -> LevelSet {
        LevelSet(0)
    }

    /// Levels at or above `min`; entries of unknown level are left out.
    pub fn at_least(min: Level) -> LevelSet {
        let mut s = LevelSet::none();
        for l in Level::ALL.into_iter().filter(|l| *l >= min) {
            s.insert(Some(l));
        }
        s
    }

    fn bit(level: Option<Level>) -> u8 {
        match level {
            None => Self::UNKNOWN_BIT,
            Some(l) => 1 << l.code(),
        }
    }

    pub fn contains(self, level: Option<Level>) -> bool {
        self.0 & Self::bit(level) != 0
    }

    pub fn insert(&mut self, level: Option<Level>) {
        self.0 |= Self::bit(level);
    }

    pub fn remove(&mut self, level: Option<Level>) {
        self.0 &= !Self::bit(level);
    }

    pub fn toggle(&mut self, level: Option<Level>) {
        self.0 ^= Self::bit(level);
    }

    pub fn is_all(self) -> bool {
        self == LevelSet::all()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Every member, unknown (None) first, then by severity.
    pub fn members(self) -> impl Iterator<Item = Option<Level>> {
        std::iter::once(None)
            .chain(Level::ALL.into_iter().map(Some))
            .filter(move |l| self.contains(*l))
    }

    /// The lowest level when the set is exactly "this level and everything above".
    pub fn minimum(self) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|l| LevelSet::at_least(*l) == self)
    }
}

impl Default for LevelSet {
    fn default() -> Self {
        LevelSet::all()
    }
}

/// What to show. `jobs: None` means every job.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub text: Option<TextQuery>,
    pub jobs: Option<Vec<String>>,
    pub levels: LevelSet,
    pub time: TimeRange,
}

impl Filter {
    /// True when nothing narrows the view.
    pub fn is_empty(&self) -> bool {
        self.text.is_none() && self.jobs.is_none() && self.levels.is_all() && self.time.is_all()
    }

    /// Whether the filter keeps `e`: the database's filters, applied to an entry in memory.
    pub fn keeps(&self, e: &LogEntry) -> bool {
        self.levels.contains(e.level)
            && self.time.contains(e.ts)
            && self.jobs.as_ref().is_none_or(|j| j.contains(&e.job))
            && self.text.as_ref().is_none_or(|t| t.matches(&e.message))
    }
}

/// Which way a page runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    #[default]
    NewestFirst,
    OldestFirst,
}

/// A position between two entries: everything strictly before or after an entry id.
/// Ids sort like time, so a cursor stays valid while new entries arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// Entries with a smaller id (older).
    Before(i64),
    /// Entries with a larger id (newer).
    After(i64),
}

impl Cursor {
    /// A compact text form for the command line (`b123`, `a123`).
    pub fn encode(self) -> String {
        match self {
            Cursor::Before(id) => format!("b{id}"),
            Cursor::After(id) => format!("a{id}"),
        }
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (kind, rest) = s.split_at_checked(1)?;
        let id: i64 = rest.parse().ok()?;
        match kind {
            "b" => Some(Cursor::Before(id)),
            "a" => Some(Cursor::After(id)),
            _ => None,
        }
    }
}

/// A request for one page of entries.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub filter: Filter,
    pub order: Order,
    pub cursor: Option<Cursor>,
    pub limit: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_sets() {
        let s = LevelSet::at_least(Level::Warn);
        assert!(s.contains(Some(Level::Error)));
        assert!(!s.contains(Some(Level::Info)));
        assert!(!s.contains(None));
        assert_eq!(s.minimum(), Some(Level::Warn));
        let mut t = s;
        t.toggle(Some(Level::Fatal));
        assert_eq!(t.minimum(), None);
        assert!(LevelSet::all().contains(None));
        assert_eq!(LevelSet::all().members().count(), 7);
        assert!(LevelSet::none().is_empty());
    }

    #[test]
    fn cursors_round_trip() {
        for c in [
            Cursor::Before(42),
            Cursor::After(-1),
            Cursor::Before(i64::MAX),
        ] {
            assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }
        assert_eq!(Cursor::decode("x1"), None);
        assert_eq!(Cursor::decode("b"), None);
        assert_eq!(Cursor::decode(""), None);
        assert_eq!(Cursor::decode("béé"), None);
    }
}

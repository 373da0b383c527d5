//! The search box: what is typed, in which syntax, whether it narrows the list or only marks
//! matches to jump between, the last query that parsed (its results stay while a newer text does
//! not parse), and the debounce that keeps a burst of typing to one query at each end.

use tui_input::{Input, InputRequest};

use crate::query::{SearchError, SearchMode, TextQuery};

/// Pause after a query before the next one goes out while typing continues.
pub const DEBOUNCE_MS: u64 = 60;
/// Pause in typing before the counts of a search (a pass over every match) are asked for.
pub const COUNTS_AFTER_MS: u64 = 250;

#[derive(Debug, Clone, Default)]
pub struct SearchBox {
    pub input: Input,
    pub syntax: SearchMode,
    /// Keep the list and jump between matches (`n`/`N`) instead of narrowing it.
    pub jump: bool,
    /// The box has the keyboard.
    pub editing: bool,
    /// The query in effect: the newest text that parsed.
    pub applied: Option<TextQuery>,
    /// Why the text in the box does not parse (the applied query stays).
    pub error: Option<SearchError>,
    /// Matches of the applied query, when counted (jump mode).
    pub matches: Option<u64>,
    /// A query went out less than the debounce interval ago.
    cooling: bool,
    /// The text changed while cooling.
    pending: bool,
    /// Queries put into effect so far (numbers the counts that wait for a pause).
    pub edits: u64,
}

/// What the app should do after an edit or a settle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Debounce {
    /// Nothing yet.
    Wait,
    /// Apply the text now, and come back after the interval.
    ApplyNow,
}

impl SearchBox {
    /// Edits the text; says whether to apply it at once.
    pub fn edit(&mut self, req: InputRequest) -> Debounce {
        let changed = self.input.handle(req).is_some_and(|c| c.value);
        if !changed {
            return Debounce::Wait;
        }
        self.trigger()
    }

    /// The text or the syntax changed.
    pub fn trigger(&mut self) -> Debounce {
        if self.cooling {
            self.pending = true;
            Debounce::Wait
        } else {
            self.cooling = true;
            Debounce::ApplyNow
        }
    }

    /// The debounce interval passed.
    pub fn settle(&mut self) -> Debounce {
        if std::mem::take(&mut self.pending) {
            Debounce::ApplyNow
        } else {
            self.cooling = false;
            Debounce::Wait
        }
    }

    /// Parses the text. Returns true when the query in effect changed.
    pub fn apply(&mut self) -> bool {
        let text = self.input.value();
        if text.trim().is_empty() {
            self.error = None;
            return self.set(None);
        }
        match TextQuery::parse(self.syntax, text) {
            Ok(q) => {
                self.error = None;
                self.set(Some(q))
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    fn set(&mut self, q: Option<TextQuery>) -> bool {
        let key = |q: &Option<TextQuery>| {
            q.as_ref()
                .map(|q| (q.source().to_string(), matches!(q, TextQuery::Regex(_))))
        };
        let changed = key(&q) != key(&self.applied);
        if changed {
            self.applied = q;
            self.matches = None;
            self.edits += 1;
        }
        changed
    }

    pub fn clear(&mut self) -> bool {
        self.input.reset();
        self.error = None;
        self.pending = false;
        self.set(None)
    }

    pub fn toggle_syntax(&mut self) {
        self.syntax = match self.syntax {
            SearchMode::Words => SearchMode::Regex,
            SearchMode::Regex => SearchMode::Words,
        };
    }

    /// The query that narrows the list, if any.
    pub fn narrowing(&self) -> Option<&TextQuery> {
        if self.jump {
            None
        } else {
            self.applied.as_ref()
        }
    }

    /// The query whose matches are marked in the rows.
    pub fn marking(&self) -> Option<&TextQuery> {
        self.applied.as_ref()
    }
}

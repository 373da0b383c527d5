//! Keys → actions: an ordered list of conditional rules, each with a description. The first rule
//! whose condition holds in the current mode and whose key matches wins; help is generated from
//! the same list. The config's `[keys]` table puts its rules in front, overriding only what it
//! names. Keys not bound in a text box are edits of that box.

mod defaults;
mod keys;

use std::collections::BTreeMap;

use crossterm::event::{Event, KeyEvent, KeyEventKind};

use super::action::{Action, Command};
pub use keys::Key;

/// Where a key lands, from the app's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Logs,
    Filters,
    Stats,
    Jobs,
    Detail,
    Help,
    SearchBox,
    Prompt,
}

/// The condition of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Every mode, text boxes included.
    Always,
    /// Any pane or overlay that is not a text box.
    Browsing,
    In(Mode),
}

impl When {
    fn holds(self, mode: Mode) -> bool {
        match self {
            When::Always => true,
            When::Browsing => !matches!(mode, Mode::SearchBox | Mode::Prompt),
            When::In(m) => m == mode,
        }
    }

    /// True when every mode where `other` holds is one where `self` holds.
    fn covers(self, other: When) -> bool {
        match (self, other) {
            (When::Always, _) => true,
            (When::Browsing, When::Browsing) => true,
            (When::Browsing, When::In(m)) => When::Browsing.holds(m),
            (When::In(a), When::In(b)) => a == b,
            _ => false,
        }
    }

    /// Where the section comes in help: the general keys first.
    fn rank(self) -> u8 {
        match self {
            When::Browsing => 0,
            When::In(Mode::Logs) => 1,
            When::In(Mode::SearchBox) => 2,
            When::In(Mode::Filters) => 3,
            When::In(Mode::Stats) => 4,
            When::In(Mode::Jobs) => 5,
            When::In(Mode::Detail) => 6,
            When::In(Mode::Prompt) => 7,
            When::In(Mode::Help) => 8,
            When::Always => 9,
        }
    }

    fn title(self) -> &'static str {
        match self {
            When::Always => "Always",
            When::Browsing => "General",
            When::In(Mode::Logs) => "Logs",
            When::In(Mode::Filters) => "Filters",
            When::In(Mode::Stats) => "Stats",
            When::In(Mode::Jobs) => "Jobs",
            When::In(Mode::Detail) => "Detail",
            When::In(Mode::Help) => "Help",
            When::In(Mode::SearchBox) => "Search box",
            When::In(Mode::Prompt) => "Prompts (export, time range)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub when: When,
    pub key: Key,
    pub command: Command,
    pub desc: String,
}

/// A config entry that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error(
        "[keys] {0:?}: unknown key name (use a character like \"j\" or \"G\", a name like enter, esc, tab, space, up, pagedown, home, f5, with ctrl-, alt- or shift- in front)"
    )]
    UnknownKey(String),
    #[error("[keys] {key:?} = {action:?}: unknown action (one of: {known})")]
    UnknownAction {
        key: String,
        action: String,
        known: String,
    },
}

#[derive(Debug, Clone)]
pub struct Keymap {
    rules: Vec<Rule>,
}

/// One group of the help screen: a title and its lines of keys and descriptions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpSection {
    pub title: &'static str,
    pub lines: Vec<(String, String)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            rules: defaults::rules(),
        }
    }
}

impl Keymap {
    /// The defaults with the config's bindings in front. `"none"` unbinds a key.
    pub fn with_overrides(keys: &BTreeMap<String, String>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        let mut front = Vec::new();
        for (name, action) in keys {
            let key = Key::parse(name).ok_or_else(|| KeymapError::UnknownKey(name.clone()))?;
            if action == "none" {
                map.rules
                    .retain(|r| r.key != key || matches!(r.when, When::Always));
                continue;
            }
            let command = Command::from_name(action).ok_or_else(|| KeymapError::UnknownAction {
                key: name.clone(),
                action: action.clone(),
                known: std::iter::once("none")
                    .chain(Command::ALL.iter().map(|(_, n)| *n))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
            let desc = map
                .rules
                .iter()
                .find(|r| r.command == command)
                .map_or_else(|| command.name().replace('_', " "), |r| r.desc.clone());
            front.push(Rule {
                when: When::Browsing,
                key,
                command,
                desc,
            });
        }
        front.append(&mut map.rules);
        map.rules = front;
        Ok(map)
    }

    /// The command bound to `key` in `mode`.
    pub fn command(&self, mode: Mode, key: Key) -> Option<Command> {
        self.rules
            .iter()
            .find(|r| r.key == key && r.when.holds(mode))
            .map(|r| r.command)
    }

    /// The action for a key press in `mode`: its binding, or an edit of the focused text box.
    pub fn resolve(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        if let Some(c) = self.command(mode, Key::from_event(event)) {
            return Some(Action::Run(c));
        }
        if matches!(mode, Mode::SearchBox | Mode::Prompt) {
            return tui_input::backend::crossterm::to_input_request(&Event::Key(*event))
                .map(Action::Edit);
        }
        None
    }

    /// The keys bound to `command` in `mode`, by name (for hints).
    pub fn keys_for(&self, mode: Mode, command: Command) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.rules {
            if r.command == command
                && r.when.holds(mode)
                && self.command(mode, r.key) == Some(command)
            {
                let n = r.key.name();
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Every binding, grouped by where it applies, keys of one description merged.
    pub fn help(&self) -> Vec<HelpSection> {
        let mut sections: Vec<(When, HelpSection)> = Vec::new();
        for (n, r) in self.rules.iter().enumerate() {
            let shadowed = self.rules[..n]
                .iter()
                .any(|e| e.key == r.key && e.when.covers(r.when));
            if shadowed {
                continue;
            }
            let i = match sections.iter().position(|(w, _)| *w == r.when) {
                Some(i) => i,
                None => {
                    sections.push((
                        r.when,
                        HelpSection {
                            title: r.when.title(),
                            lines: Vec::new(),
                        },
                    ));
                    sections.len() - 1
                }
            };
            let lines = &mut sections[i].1.lines;
            let name = r.key.name();
            match lines.iter_mut().find(|(_, d)| *d == r.desc) {
                Some((keys, _)) => {
                    if !keys.split(", ").any(|k| k == name) {
                        keys.push_str(", ");
                        keys.push_str(&name);
                    }
                }
                None => lines.push((name, r.desc.clone())),
            }
        }
        sections.sort_by_key(|(w, _)| w.rank());
        sections.into_iter().map(|(_, s)| s).collect()
    }
}

#[cfg(test)]
mod tests;

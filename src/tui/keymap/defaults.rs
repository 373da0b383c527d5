//! The default bindings: less and vim habits. Order matters — the first rule that applies wins,
//! so rules of one mode come before the rules for every mode.

use crossterm::event::KeyCode;

use super::{Key, Mode, Rule, When};
use crate::tui::action::Command as C;

fn rule(when: When, key: Key, command: C, desc: &str) -> Rule {
    Rule {
        when,
        key,
        command,
        desc: desc.to_string(),
    }
}

pub fn rules() -> Vec<Rule> {
    use KeyCode::*;
    use Mode::*;
    use When::{Always, Browsing, In};
    let k = Key::plain;
    let ch = Key::ch;
    let ctrl = Key::ctrl;
    let mut v = vec![rule(Always, ctrl('c'), C::Quit, "quit")];
    let mut add = |when, keys: &[Key], command, desc| {
        for key in keys {
            v.push(rule(when, *key, command, desc));
        }
    };
    add(
        In(Help),
        &[k(Esc), ch('q'), ch('?')],
        C::ToggleHelp,
        "close help",
    );

    add(
        In(SearchBox),
        &[k(Enter)],
        C::AcceptSearch,
        "keep the search, back to the list",
    );
    add(
        In(SearchBox),
        &[k(Esc)],
        C::CancelSearch,
        "clear the search",
    );
    add(
        In(SearchBox),
        &[ctrl('r')],
        C::ToggleSearchSyntax,
        "words ↔ regex",
    );
    add(
        In(SearchBox),
        &[ctrl('t')],
        C::ToggleSearchJump,
        "narrow the list ↔ jump with n/N",
    );
    add(In(SearchBox), &[k(Down)], C::NextMatch, "next match");
    add(In(SearchBox), &[k(Up)], C::PrevMatch, "previous match");

    add(In(Prompt), &[k(Enter)], C::Open, "confirm");
    add(In(Prompt), &[k(Esc)], C::Back, "cancel");
    add(
        In(Prompt),
        &[k(Tab)],
        C::CycleExportFormat,
        "next export format",
    );

    add(
        In(Detail),
        &[ch('c')],
        C::ShowContext,
        "neighbours in the same file ↔ the entry",
    );
    add(
        In(Detail),
        &[k(Enter)],
        C::Open,
        "show the neighbour under the cursor",
    );
    add(In(Detail), &[k(Esc), ch('q')], C::Back, "back to the list");

    add(
        In(Filters),
        &[ch(' '), k(Enter)],
        C::Toggle,
        "toggle the item (or pick a preset)",
    );
    add(
        In(Filters),
        &[ch('a')],
        C::SelectAll,
        "all jobs / all levels",
    );
    add(
        In(Filters),
        &[ch('n')],
        C::SelectNone,
        "no jobs / no levels",
    );
    add(
        In(Filters),
        &[ch('m')],
        C::SetMinLevel,
        "this level and above",
    );
    add(
        In(Filters),
        &[ch('t')],
        C::EnterTimeRange,
        "type a time range",
    );

    add(
        In(Stats),
        &[k(Enter)],
        C::Open,
        "narrow the time range to the bucket",
    );
    add(
        In(Stats),
        &[k(Left), ch('h')],
        C::ScrollLeft,
        "previous bucket",
    );
    add(
        In(Stats),
        &[k(Right), ch('l')],
        C::ScrollRight,
        "next bucket",
    );

    add(
        In(Jobs),
        &[k(Enter)],
        C::Open,
        "show only this job's entries",
    );

    add(In(Logs), &[k(Enter)], C::Open, "show the whole entry");
    add(In(Logs), &[k(Esc)], C::Back, "clear the search");
    add(In(Logs), &[ch(' ')], C::PageDown, "page down");

    add(Browsing, &[ch('q')], C::Quit, "quit");
    add(Browsing, &[ch('?')], C::ToggleHelp, "this help");
    add(Browsing, &[ch('j'), k(Down)], C::ScrollDown, "move down");
    add(Browsing, &[ch('k'), k(Up)], C::ScrollUp, "move up");
    add(
        Browsing,
        &[k(PageDown), ctrl('f')],
        C::PageDown,
        "page down",
    );
    add(Browsing, &[k(PageUp), ctrl('b')], C::PageUp, "page up");
    add(Browsing, &[ctrl('d')], C::HalfPageDown, "half a page down");
    add(Browsing, &[ctrl('u')], C::HalfPageUp, "half a page up");
    add(Browsing, &[ch('g'), k(Home)], C::GoTop, "first row");
    add(
        Browsing,
        &[ch('G'), k(End)],
        C::GoBottom,
        "last row (the newest: follows)",
    );
    add(Browsing, &[ch('h'), k(Left)], C::ScrollLeft, "scroll left");
    add(
        Browsing,
        &[ch('l'), k(Right)],
        C::ScrollRight,
        "scroll right",
    );
    add(Browsing, &[k(Tab)], C::FocusNext, "next pane");
    add(Browsing, &[k(BackTab)], C::FocusPrev, "previous pane");
    add(Browsing, &[ch('/')], C::StartSearch, "search");
    add(Browsing, &[ch('n')], C::NextMatch, "next match");
    add(Browsing, &[ch('N')], C::PrevMatch, "previous match");
    add(Browsing, &[ch('e')], C::NextError, "next error");
    add(Browsing, &[ch('E')], C::PrevError, "previous error");
    add(Browsing, &[ch('F')], C::Follow, "follow the newest entries");
    add(Browsing, &[ch('x')], C::Export, "export the view to a file");
    add(Browsing, &[ch('y')], C::Copy, "copy the entry (OSC 52)");
    add(Browsing, &[ch('Z')], C::ToggleZone, "times in UTC ↔ local");
    add(
        Browsing,
        &[ch('o')],
        C::ToggleOrder,
        "oldest ↔ newest first",
    );
    add(
        Browsing,
        &[ch('w')],
        C::ToggleWrap,
        "wrap ↔ scroll long lines",
    );
    add(
        Browsing,
        &[ch('+'), ch('=')],
        C::RaiseMinLevel,
        "raise the minimum level",
    );
    add(
        Browsing,
        &[ch('-')],
        C::LowerMinLevel,
        "lower the minimum level",
    );
    add(Browsing, &[ch('f')], C::FocusFilters, "filters pane");
    add(Browsing, &[ch('s')], C::FocusStats, "stats pane");
    add(
        Browsing,
        &[ch('J')],
        C::FocusJobs,
        "jobs pane: schedules and the last 24 h, trouble first",
    );
    add(Browsing, &[k(Esc)], C::Back, "back");
    v
}

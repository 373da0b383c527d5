//! The keymap: which rule wins, text boxes taking unbound keys, the config's overrides and
//! their errors, and the help generated from the bindings.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::InputRequest;

use super::*;

fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn keys(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn the_first_rule_that_applies_wins() {
    let map = Keymap::default();
    let n = press(KeyCode::Char('n'), KeyModifiers::NONE);
    assert_eq!(
        map.resolve(Mode::Logs, &n),
        Some(Action::Run(Command::NextMatch))
    );
    assert_eq!(
        map.resolve(Mode::Filters, &n),
        Some(Action::Run(Command::SelectNone))
    );
    let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        map.resolve(Mode::Logs, &q),
        Some(Action::Run(Command::Quit))
    );
    assert_eq!(
        map.resolve(Mode::Detail, &q),
        Some(Action::Run(Command::Back))
    );
    assert_eq!(
        map.resolve(Mode::Help, &q),
        Some(Action::Run(Command::ToggleHelp))
    );
}

#[test]
fn text_boxes_take_unbound_keys_as_edits() {
    let map = Keymap::default();
    let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
    assert_eq!(
        map.resolve(Mode::SearchBox, &q),
        Some(Action::Edit(InputRequest::InsertChar('q')))
    );
    let ctrl_c = press(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(
        map.resolve(Mode::SearchBox, &ctrl_c),
        Some(Action::Run(Command::Quit))
    );
    let enter = press(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        map.resolve(Mode::SearchBox, &enter),
        Some(Action::Run(Command::AcceptSearch))
    );
}

#[test]
fn the_config_overrides_only_what_it_names() {
    let map = Keymap::with_overrides(&keys(&[("ctrl-n", "page_down"), ("x", "none")])).unwrap();
    let ctrl_n = press(KeyCode::Char('n'), KeyModifiers::CONTROL);
    assert_eq!(
        map.resolve(Mode::Logs, &ctrl_n),
        Some(Action::Run(Command::PageDown))
    );
    let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(map.resolve(Mode::Logs, &x), None);
    let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
    assert_eq!(
        map.resolve(Mode::Logs, &j),
        Some(Action::Run(Command::ScrollDown))
    );
    // Help shows the new key with the command's description and drops the unbound one.
    let help = map.help();
    let all: Vec<&(String, String)> = help.iter().flat_map(|s| &s.lines).collect();
    assert!(
        all.iter()
            .any(|(k, d)| k.split(", ").any(|k| k == "ctrl-n") && d == "page down")
    );
    assert!(!all.iter().any(|(k, _)| k.split(", ").any(|k| k == "x")));
}

#[test]
fn bad_config_entries_are_named() {
    let err = Keymap::with_overrides(&keys(&[("ctrl-shft-x", "quit")])).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"[keys] "ctrl-shft-x": unknown key name (use a character like "j" or "G", a name like enter, esc, tab, space, up, pagedown, home, f5, with ctrl-, alt- or shift- in front)"#);
    let err = Keymap::with_overrides(&keys(&[("j", "scroll_dwn")])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(
            r#"[keys] "j" = "scroll_dwn": unknown action (one of: none, quit, help, down"#
        ),
        "{text}"
    );
}

#[test]
fn the_example_config_binding_is_valid() {
    // config.example.toml shows `"ctrl-f" = "page_down"` (commented out).
    Keymap::with_overrides(&keys(&[("ctrl-f", "page_down")])).unwrap();
}

#[test]
fn help_lists_every_command_that_has_a_default_key() {
    let map = Keymap::default();
    let help = map.help();
    let descs: Vec<&str> = help
        .iter()
        .flat_map(|s| s.lines.iter().map(|(_, d)| d.as_str()))
        .collect();
    for (command, name) in Command::ALL {
        let bound = map.rules.iter().any(|r| r.command == *command);
        assert!(bound, "{name} has no default key");
    }
    assert!(descs.contains(&"follow the newest entries"));
    let text: String = help
        .iter()
        .map(|s| {
            let lines: Vec<String> = s
                .lines
                .iter()
                .map(|(k, d)| format!("  {k:<18} {d}"))
                .collect();
            format!("{}\n{}", s.title, lines.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text);
}

//! A log line that tries to attack the terminal (clear the screen, move the cursor, set the
//! title, write the clipboard with OSC 52, ring the bell, change colours) shows as inert text in
//! the logs pane and in the detail pane: no cell holds a control character, and the bytes are
//! there to read in caret notation.

mod tui_fixture;

use logdex::tui::{Command, Theme};
use tui_fixture::{ATTACK, Fixture};

fn cells_are_inert(buf: &ratatui::buffer::Buffer) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            assert!(
                !sym.chars().any(|c| c.is_control()),
                "control character in cell ({x}, {y}): {sym:?}"
            );
        }
    }
}

fn screen_text(buf: &ratatui::buffer::Buffer) -> String {
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_attack_line_is_inert_in_logs_and_detail() {
    assert!(ATTACK.contains('\x1b') && ATTACK.contains('\x07'));
    let f = Fixture::new();
    let mut app = f.started(160, 48);
    for theme in [Theme::mono(), Theme { color: true }] {
        let buf = tui_fixture::buffer(&app, &theme);
        cells_are_inert(&buf);
        let text = screen_text(&buf);
        assert!(
            text.contains("payload ^[[2J^[[H^[]0;pwned^G^[]52;c;ZXZpbA==^G^G rang ^[[31mred"),
            "{text}"
        );
    }
    // Select the attack entry (the tenth from the newest) and open it.
    for _ in 0..9 {
        f.run(&mut app, Command::ScrollUp);
    }
    assert_eq!(
        app.logs.selected_entry().map(|e| e.message.as_str()),
        Some(ATTACK)
    );
    f.run(&mut app, Command::Open);
    let buf = tui_fixture::buffer(&app, &Theme { color: true });
    cells_are_inert(&buf);
    let text = screen_text(&buf);
    assert!(text.contains("Entry"), "{text}");
    assert!(text.contains("payload ^[[2J^[[H^[]0;pwned^G"), "{text}");
    // Searching for it marks the match without letting a byte through.
    f.run(&mut app, Command::Back);
    f.run(&mut app, Command::StartSearch);
    f.type_text(&mut app, "pwned");
    let buf = tui_fixture::buffer(&app, &Theme { color: true });
    cells_are_inert(&buf);
    assert!(screen_text(&buf).contains("1 match"));
}

#[test]
fn a_ten_megabyte_line_of_control_bytes_is_shown_clipped_and_inert() {
    let line = "\x1b[2J\x07".repeat(10 * 1024 * 1024 / 5);
    let f = Fixture::single(&format!("{line}\nsecond line"));
    let mut app = f.started(160, 48);
    let buf = tui_fixture::buffer(&app, &Theme::mono());
    cells_are_inert(&buf);
    assert!(screen_text(&buf).contains("^[[2J^G^[[2J^G"));
    f.run(&mut app, Command::Open);
    let buf = tui_fixture::buffer(&app, &Theme::mono());
    cells_are_inert(&buf);
    f.run(&mut app, Command::GoBottom);
    let text = screen_text(&tui_fixture::buffer(&app, &Theme::mono()));
    assert!(text.contains("more bytes; export the view"), "{text}");
}

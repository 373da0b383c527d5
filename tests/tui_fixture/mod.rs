//! What the browser tests share: a small database built through the writer (three jobs over a
//! day, every level, a multi-line entry with fields, a line that attacks the terminal), an app
//! at a fixed time in UTC, effects run synchronously through the worker, and rendering into a
//! test backend.
#![allow(dead_code)]

use std::path::PathBuf;

#[path = "../writing/mod.rs"]
mod writing;

use logdex::model::Level;
use logdex::store::{Batch, NewEntry, Store};
use logdex::tui::action::Action;
use logdex::tui::app::{App, Settings};
use logdex::tui::effect::Effect;
use logdex::tui::panes::Ui;
use logdex::tui::{Command, Keymap, Theme, worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// 2026-11-02T12:00:00Z: the fixture's clock.
pub const NOW: i64 = 1_793_620_800_000;
/// The first entry, a day before.
pub const T0: i64 = NOW - 86_400_000;

pub const ATTACK: &str =
    "payload \x1b[2J\x1b[H\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x07 rang \x1b[31mred";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

fn entry(source_id: i64, ts: i64, level: Option<Level>, message: &str, line: u64) -> NewEntry {
    writing::entry_at(source_id, ts, level, message, line, 80)
}

use writing::source;

const WORDS: [&str; 8] = [
    "snapshot created for volume",
    "upstream request finished in",
    "rows copied into staging",
    "retrying upstream request",
    "report rendered to pdf",
    "cache warmed with keys",
    "upstream timeout after 30s",
    "checksum verified for archive",
];

impl Fixture {
    /// 240 entries, one every six minutes over the day before [`NOW`].
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("t.db")).expect("store");
        let mut w = store.writer().expect("writer");
        let jobs = [
            source(&mut w, "/var/log/jobs/backup.log", "backup"),
            source(&mut w, "/var/log/jobs/etl-orders.log", "etl-orders"),
            source(&mut w, "/var/log/jobs/report-daily.log", "report-daily"),
        ];
        let mut batch = Batch::default();
        for i in 0..240u64 {
            let level = match i % 20 {
                0 => Some(Level::Error),
                1 | 11 => Some(Level::Warn),
                2..=5 => Some(Level::Debug),
                6 => Some(Level::Trace),
                7 if i % 40 == 7 => Some(Level::Fatal),
                8 => None,
                _ => Some(Level::Info),
            };
            let src = jobs[(i % 3) as usize];
            let ts = T0 + i as i64 * 360_000;
            let text = format!("{} {}", WORDS[(i % 8) as usize], i);
            let mut e = entry(src, ts, level, &text, i + 1);
            if i == 200 {
                e.level = Some(Level::Error);
                e.level_raw = Some("E".into());
                e.message = "upstream timeout talking to billing-api\nTraceback (most recent call last):\n  File \"/opt/jobs/etl/load.py\", line 88, in load\n    rows = fetch(cursor)\nTimeoutError: read timed out after 30s".into();
                e.fields = Some(r#"{"attempt":3,"host":"db-02","table":"orders"}"#.into());
            }
            if i == 230 {
                e.message = ATTACK.into();
                e.level = Some(Level::Warn);
            }
            batch.entries.push(e);
        }
        w.commit(batch).expect("commit");
        w.finish().expect("finish");
        Fixture { dir, store }
    }

    /// [`Fixture::new`] with job definitions: `backup` (enabled, with a title and a description),
    /// `etl-orders` (disabled) and `cleanup` (enabled, never run). `report-daily` stays only
    /// seen in the logs: undefined.
    pub fn with_definitions() -> Fixture {
        let f = Fixture::new();
        let def = |id: &str, schedule: &str, enabled: bool| logdex::jobs::JobDef {
            id: id.into(),
            name: None,
            description: None,
            schedule: schedule.into(),
            command: format!("/opt/jobs/{id}/run"),
            enabled,
            log_path: None,
            tags: Vec::new(),
        };
        let mut backup = def("backup", "0 2 * * *", true);
        backup.name = Some("Nightly backup".into());
        backup.description = Some("Snapshots \x1b[31mevery volume\x07 to the archive".into());
        let jobs = [
            backup,
            def("etl-orders", "*/15 * * * *", false),
            def("cleanup", "@weekly", true),
        ];
        f.store
            .jobs_mut()
            .expect("jobs")
            .upsert(&jobs, false, NOW)
            .expect("upsert");
        f
    }

    /// A database with one entry holding `message`.
    pub fn single(message: &str) -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("t.db")).expect("store");
        let mut w = store.writer().expect("writer");
        let src = source(&mut w, "/var/log/jobs/big.log", "big");
        let mut batch = Batch::default();
        batch
            .entries
            .push(entry(src, NOW - 60_000, Some(Level::Warn), message, 1));
        w.commit(batch).expect("commit");
        w.finish().expect("finish");
        Fixture { dir, store }
    }

    /// A database with nothing in it.
    pub fn empty() -> Fixture {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("t.db")).expect("store");
        Fixture { dir, store }
    }

    pub fn app(&self) -> App {
        App::new(Settings {
            db_label: "~/.local/share/logdex/logdex.db".into(),
            zone: jiff::tz::TimeZone::UTC,
            utc: false,
            export_dir: PathBuf::from("/tmp"),
            keymap: Keymap::default(),
        })
    }

    /// Feeds `action` and runs the effects (and those that follow) to the end, synchronously.
    pub fn send(&self, app: &mut App, action: Action) {
        let mut queue = vec![action];
        let mut steps = 0;
        while let Some(a) = queue.pop() {
            steps += 1;
            assert!(steps < 1000, "effects do not settle");
            for e in app.update(a) {
                match e {
                    Effect::Schedule { action, .. } => queue.insert(0, *action),
                    Effect::Copy(_) | Effect::Quit => {}
                    query => {
                        for reply in worker::perform(&self.store, query) {
                            queue.insert(0, reply);
                        }
                    }
                }
            }
        }
    }

    pub fn run(&self, app: &mut App, c: Command) {
        self.send(app, Action::Run(c));
    }

    pub fn type_text(&self, app: &mut App, text: &str) {
        for c in text.chars() {
            self.send(app, Action::Edit(tui_input::InputRequest::InsertChar(c)));
        }
    }

    /// Types faster than the search's debounce: the timers fire only after the last key.
    pub fn type_quickly(&self, app: &mut App, text: &str) {
        let mut later = Vec::new();
        for c in text.chars() {
            let edit = Action::Edit(tui_input::InputRequest::InsertChar(c));
            for e in app.update(edit) {
                match e {
                    Effect::Schedule { action, .. } => later.push(*action),
                    Effect::Copy(_) | Effect::Quit => {}
                    query => {
                        for reply in worker::perform(&self.store, query) {
                            self.send(app, reply);
                        }
                    }
                }
            }
        }
        for a in later {
            self.send(app, a);
        }
    }

    /// An app on screen at this size, first pages loaded.
    pub fn started(&self, width: u16, height: u16) -> App {
        let mut app = self.app();
        self.send(
            &mut app,
            Action::Started {
                width,
                height,
                now_ms: NOW,
            },
        );
        app
    }
}

/// The screen as text, one line per row.
pub fn render(app: &App, theme: &Theme) -> String {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(&Ui { app, theme }, f.area()))
        .expect("draw");
    terminal.backend().to_string()
}

/// The screen with the style of each cell that differs from the default, for colour tests.
pub fn buffer(app: &App, theme: &Theme) -> ratatui::buffer::Buffer {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(&Ui { app, theme }, f.area()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

//! `update` tested by the effects it returns: no terminal, no database.

use std::path::PathBuf;

use tui_input::InputRequest;

use super::*;
use crate::model::Level;
use crate::store::{JobCount, JobSummary, Page};
use crate::tui::action::{Command, IndexerSignal, Loaded, Placement};
use crate::tui::effect::Anchor;
use crate::tui::keymap::Mode;

const NOW: i64 = 1_793_620_800_000; // 2026-11-02T12:00:00Z

fn app() -> App {
    let mut app = App::new(Settings {
        db_label: "/tmp/t.db".into(),
        zone: TimeZone::UTC,
        utc: false,
        export_dir: PathBuf::from("/exports"),
        keymap: Keymap::default(),
    });
    app.update(Action::Started {
        width: 80,
        height: 24,
        now_ms: NOW,
    });
    app
}

fn entry(id: i64, level: Option<Level>) -> LogEntry {
    LogEntry {
        id,
        ts: NOW - 1_000_000 + id * 1000,
        level,
        level_raw: None,
        job: "backup".into(),
        source: "/logs/backup.log".into(),
        line: id as u64,
        offset: 0,
        message: format!("message {id}"),
        fields: None,
    }
}

/// Answers the newest window request with entries `ids` (oldest first).
fn answer_window(app: &mut App, fx: &[Effect], ids: std::ops::Range<i64>) -> Vec<Effect> {
    let (seq, placement) = fx
        .iter()
        .find_map(|e| match e {
            Effect::LoadWindow { seq, placement, .. } => Some((*seq, *placement)),
            _ => None,
        })
        .expect("a window request");
    let entries: Vec<LogEntry> = ids.map(|i| entry(i, Some(Level::Info))).collect();
    app.update(Action::Loaded(Loaded::PageLoaded {
        seq,
        placement,
        partial: false,
        page: Page {
            prev: entries.first().map(|e| crate::query::Cursor::Before(e.id)),
            next: None,
            entries,
        },
    }))
}

fn run(app: &mut App, c: Command) -> Vec<Effect> {
    app.update(Action::Run(c))
}

#[test]
fn starting_asks_for_the_newest_page_the_counts_and_the_jobs() {
    let mut app = App::new(Settings {
        db_label: "t".into(),
        zone: TimeZone::UTC,
        utc: false,
        export_dir: PathBuf::from("/"),
        keymap: Keymap::default(),
    });
    let fx = app.update(Action::Started {
        width: 80,
        height: 24,
        now_ms: NOW,
    });
    insta::assert_debug_snapshot!(fx);
    assert!(app.follow);
}

#[test]
fn a_stale_reply_is_dropped() {
    let mut app = app();
    let first = app.update(Action::Run(Command::RaiseMinLevel));
    let second = app.update(Action::Run(Command::RaiseMinLevel));
    // The first request's answer arrives after the second was sent: ignored.
    answer_window(&mut app, &first, 0..5);
    assert!(app.logs.entries.is_empty());
    assert!(!app.settled());
    answer_window(&mut app, &second, 10..15);
    assert_eq!(app.logs.entries.len(), 5);
    assert_eq!(app.logs.entries[0].id, 10);
    // Following: the newest row is selected.
    assert_eq!(app.logs.selected, 4);
}

#[test]
fn level_filters_go_into_every_query() {
    let mut app = app();
    let fx = run(&mut app, Command::RaiseMinLevel);
    insta::assert_debug_snapshot!(fx);
    let fx = run(&mut app, Command::RaiseMinLevel);
    match &fx[0] {
        Effect::LoadWindow { filter, .. } => {
            assert_eq!(filter.levels, crate::query::LevelSet::at_least(Level::Info))
        }
        other => panic!("{other:?}"),
    }
    let fx = run(&mut app, Command::LowerMinLevel);
    assert!(matches!(fx[0], Effect::LoadWindow { .. }));
    assert_eq!(app.filters.levels_label(), "≥ DEBUG");
}

#[test]
fn following_reloads_the_newest_entries_and_scrolling_away_pauses() {
    let mut app = app();
    let fx = run(&mut app, Command::Follow);
    answer_window(&mut app, &fx, 0..50);
    let fx = app.update(Action::Indexer(IndexerSignal::Committed {
        entries: 10,
        bytes: 100,
        rate: 5.0,
    }));
    assert!(matches!(
        fx.as_slice(),
        [Effect::LoadWindow {
            anchor: Anchor::Newest,
            ..
        }]
    ));
    // A second batch while the reload is out: one more reload once it lands, not two at once.
    assert!(app.update(Action::DataChanged).is_empty());
    let fx = answer_window(&mut app, &fx, 0..60);
    assert!(matches!(
        fx.as_slice(),
        [Effect::LoadWindow {
            anchor: Anchor::Newest,
            ..
        }]
    ));
    answer_window(&mut app, &fx, 0..60);
    run(&mut app, Command::ScrollUp);
    assert!(!app.follow);
    // Paused near the end: what arrived is fetched as the next page, the selection stays.
    let fx = app.update(Action::DataChanged);
    assert!(
        matches!(
            fx.as_slice(),
            [Effect::LoadWindow {
                anchor: Anchor::Below(_),
                placement: Placement::Append,
                ..
            }]
        ),
        "{fx:?}"
    );
    assert_eq!(app.logs.selected, 58);
    let fx = run(&mut app, Command::GoBottom);
    assert!(app.follow);
    assert!(matches!(
        fx.as_slice(),
        [Effect::LoadWindow {
            anchor: Anchor::Newest,
            ..
        }]
    ));
}

#[test]
fn moving_near_the_edge_of_the_window_asks_for_the_next_page() {
    let mut app = app();
    let fx = run(&mut app, Command::GoTop);
    app.follow = false;
    let seq = match &fx[0] {
        Effect::LoadWindow { seq, .. } => *seq,
        other => panic!("{other:?}"),
    };
    let entries: Vec<LogEntry> = (0..100).map(|i| entry(i, None)).collect();
    let fx = app.update(Action::Loaded(Loaded::PageLoaded {
        seq,
        partial: false,
        placement: Placement::Replace(Selection::First),
        page: Page {
            entries,
            next: Some(crate::query::Cursor::After(99)),
            prev: None,
        },
    }));
    assert!(fx.is_empty(), "{fx:?}");
    let fx = run(&mut app, Command::PageDown);
    assert!(fx.is_empty(), "{fx:?}");
    run(&mut app, Command::PageDown);
    let fx = run(&mut app, Command::PageDown);
    insta::assert_debug_snapshot!(fx);
    // Asked once, not again while it is out.
    assert!(run(&mut app, Command::ScrollDown).is_empty());
}

#[test]
fn export_asks_where_and_how_then_writes_the_view() {
    let mut app = app();
    run(&mut app, Command::RaiseMinLevel);
    run(&mut app, Command::Export);
    assert_eq!(app.mode(), crate::tui::keymap::Mode::Prompt);
    run(&mut app, Command::CycleExportFormat);
    let fx = run(&mut app, Command::Open);
    insta::assert_debug_snapshot!(fx);
    assert!(app.prompt.is_none());
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("exporting"))
    );
}

#[test]
fn copy_and_detail_and_context() {
    let mut app = app();
    let fx = run(&mut app, Command::Follow);
    answer_window(&mut app, &fx, 1..4);
    let fx = run(&mut app, Command::Copy);
    insta::assert_debug_snapshot!(fx, @r#"
    [
        Copy(
            "2026-11-02 11:43:23.000 INFO backup message 3",
        ),
    ]
    "#);
    run(&mut app, Command::Open);
    assert_eq!(app.detail.as_ref().map(|d| d.entry.id), Some(3));
    let fx = run(&mut app, Command::ShowContext);
    insta::assert_debug_snapshot!(fx, @r"
    [
        LoadContext {
            seq: 1,
            id: 3,
            before: 20,
            after: 20,
        },
    ]
    ");
    run(&mut app, Command::Back);
    run(&mut app, Command::Back);
    assert!(app.detail.is_none());
}

#[test]
fn filters_pane_toggles_jobs_and_presets() {
    let mut app = app();
    let seq = app.gens[Kind::Jobs.index()];
    app.update(Action::Loaded(Loaded::JobsLoaded {
        seq,
        jobs: vec![
            JobCount {
                id: 1,
                name: "backup".into(),
                entries: 10,
            },
            JobCount {
                id: 2,
                name: "etl".into(),
                entries: 20,
            },
        ],
    }));
    run(&mut app, Command::FocusFilters);
    let fx = run(&mut app, Command::Toggle);
    match &fx[0] {
        Effect::LoadWindow { filter, .. } => {
            assert_eq!(filter.jobs.as_deref(), Some(&["etl".to_string()][..]))
        }
        other => panic!("{other:?}"),
    }
    // Down past the two jobs and seven levels to the "last 1h" preset.
    for _ in 0..10 {
        run(&mut app, Command::ScrollDown);
    }
    assert_eq!(app.filters.item(), Some(Item::Preset(Some(3_600_000))));
    let fx = run(&mut app, Command::Toggle);
    match &fx[0] {
        Effect::LoadWindow { filter, .. } => {
            assert_eq!(filter.time.since, Some(NOW - 3_600_000))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.filters.time_label(), "last 1h");
    for _ in 0..10 {
        run(&mut app, Command::ScrollDown);
    }
    run(&mut app, Command::Toggle);
    assert_eq!(app.mode(), crate::tui::keymap::Mode::Prompt);
    for c in "2026-11-02T10:00 .. 11:00".chars() {
        app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    run(&mut app, Command::Open);
    let error = match &app.prompt {
        Some(Prompt::TimeRange { error, .. }) => error.clone(),
        other => panic!("{other:?}"),
    };
    assert!(error.is_some_and(|e| e.contains("cannot read")));
    for _ in 0..5 {
        app.update(Action::Edit(InputRequest::DeletePrevChar));
    }
    for c in "2026-11-02T11:00".chars() {
        app.update(Action::Edit(InputRequest::InsertChar(c)));
    }
    let fx = run(&mut app, Command::Open);
    match &fx[0] {
        Effect::LoadWindow { filter, .. } => assert_eq!(
            filter.time,
            crate::query::TimeRange {
                since: Some(NOW - 2 * 3_600_000),
                until: Some(NOW - 3_600_000)
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn errors_are_found_from_the_selection() {
    let mut app = app();
    let fx = run(&mut app, Command::Follow);
    answer_window(&mut app, &fx, 0..10);
    let fx = run(&mut app, Command::PrevError);
    insta::assert_debug_snapshot!(fx);
    let seq = match &fx[0] {
        Effect::FindNext { seq, .. } => *seq,
        other => panic!("{other:?}"),
    };
    app.update(Action::Loaded(Loaded::MatchMissing { seq }));
    assert!(app.status.as_ref().is_some_and(|s| s.error));
    run(&mut app, Command::FocusFilters);
    run(&mut app, Command::SelectNone);
    run(&mut app, Command::FocusFilters);
    assert!(run(&mut app, Command::NextError).is_empty());
}

#[test]
fn quitting_is_an_effect() {
    let mut app = app();
    assert!(matches!(
        run(&mut app, Command::Quit).as_slice(),
        [Effect::Quit]
    ));
    assert!(app.quitting);
}

#[test]
fn a_click_selects_a_row_and_the_wheel_scrolls() {
    let mut app = app();
    let fx = run(&mut app, Command::Follow);
    answer_window(&mut app, &fx, 0..30);
    let rows = app.screen().log_rows();
    assert_eq!(app.logs.selected, 29);
    // The list shows its last rows; click the first row on screen.
    let top = app.logs.top;
    app.update(Action::Click {
        column: rows.x + 5,
        row: rows.y,
    });
    assert_eq!(app.logs.selected, top);
    assert!(!app.follow);
    app.update(Action::Wheel {
        column: rows.x + 5,
        row: rows.y + 2,
        down: true,
    });
    assert_eq!(app.logs.selected, top + 3);
    // A click on the search line starts a search.
    app.update(Action::Click { column: 10, row: 1 });
    assert_eq!(app.mode(), crate::tui::keymap::Mode::SearchBox);
}

#[test]
fn the_search_debounce_sends_one_query_per_burst() {
    let mut app = app();
    run(&mut app, Command::StartSearch);
    // The first letter goes out at once; the next ones wait for the interval.
    let first = app.update(Action::Edit(InputRequest::InsertChar('x')));
    assert!(first.iter().any(|e| matches!(e, Effect::LoadWindow { .. })));
    for c in "yz".chars() {
        let fx = app.update(Action::Edit(InputRequest::InsertChar(c)));
        assert!(fx.is_empty(), "{fx:?}");
    }
    let fx = app.update(Action::SearchSettled);
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadWindow { .. })));
    assert_eq!(app.search.applied.as_ref().map(|q| q.source()), Some("xyz"));
    // Counts come only for the newest query, once typing pauses.
    let stale = app.update(Action::SearchIdle { edit: 1 });
    assert!(stale.is_empty());
    let fx = app.update(Action::SearchIdle {
        edit: app.search.edits,
    });
    assert!(matches!(fx.as_slice(), [Effect::LoadStats { .. }]));
}

#[test]
fn help_scrolls_no_further_than_its_end() {
    let mut app = app();
    run(&mut app, Command::ToggleHelp);
    for _ in 0..500 {
        run(&mut app, Command::ScrollDown);
    }
    let end = app.help.expect("help open");
    assert!(end > 0);
    run(&mut app, Command::ScrollUp);
    assert_eq!(app.help, Some(end - 1));
    run(&mut app, Command::ToggleHelp);
    assert_eq!(app.help, None);
}

#[test]
fn a_partial_answer_is_shown_while_the_complete_one_is_awaited() {
    let mut app = app();
    let fx = run(&mut app, Command::Follow);
    let seq = match &fx[0] {
        Effect::LoadWindow { seq, .. } => *seq,
        other => panic!("{other:?}"),
    };
    let page = |ids: std::ops::Range<i64>| Page {
        entries: ids.map(|i| entry(i, None)).collect(),
        next: None,
        prev: None,
    };
    let placement = Placement::Replace(Selection::Last);
    app.update(Action::Loaded(Loaded::PageLoaded {
        seq,
        placement,
        page: page(0..5),
        partial: true,
    }));
    assert_eq!(app.logs.entries.len(), 5);
    assert!(app.list_partial && app.loading(Kind::Window));
    app.update(Action::Loaded(Loaded::PageLoaded {
        seq,
        placement,
        page: page(0..7),
        partial: false,
    }));
    assert_eq!(app.logs.entries.len(), 7);
    assert!(!app.list_partial && !app.loading(Kind::Window));
}

/// A job's summary: defined (enabled) or not, with these counts in the last 24 hours.
fn summary(id: i64, name: &str, defined: bool, errors: u64, warnings: u64) -> JobSummary {
    JobSummary {
        job: crate::store::JobRecord {
            id,
            name: name.into(),
            definition: defined.then(|| crate::jobs::JobDef {
                id: name.into(),
                name: None,
                description: None,
                schedule: "0 2 * * *".into(),
                command: format!("/opt/{name}/run"),
                enabled: true,
                log_path: None,
                tags: Vec::new(),
            }),
            created_at: None,
            updated_at: None,
        },
        activity: crate::store::Activity {
            last_entry: Some(NOW - 60_000),
            entries: 100,
            errors,
            warnings,
            last_error: None,
        },
    }
}

/// Answers the newest summaries request.
fn answer_summaries(app: &mut App, jobs: Vec<JobSummary>) -> Vec<Effect> {
    let seq = app.gens[Kind::Summaries.index()];
    app.update(Action::Loaded(Loaded::SummariesLoaded { seq, jobs }))
}

fn names(app: &App) -> Vec<&str> {
    app.jobs.rows.iter().map(|s| s.job.name.as_str()).collect()
}

#[test]
fn the_jobs_pane_loads_as_of_the_clock_and_lists_trouble_first() {
    let mut app = app();
    let fx = run(&mut app, Command::FocusJobs);
    assert_eq!(app.mode(), Mode::Jobs);
    assert!(
        matches!(fx[..], [Effect::LoadSummaries { now_ms: NOW, .. }]),
        "{fx:?}"
    );
    answer_summaries(
        &mut app,
        vec![
            summary(1, "archive", true, 0, 0),
            summary(2, "backup", true, 2, 9),
            summary(3, "cleanup", false, 7, 0),
            summary(4, "etl", true, 2, 10),
            summary(5, "report", true, 0, 1),
        ],
    );
    assert_eq!(
        names(&app),
        ["cleanup", "etl", "backup", "report", "archive"]
    );
    assert_eq!(app.jobs.undefined(), 1);
    assert_eq!(app.jobs.cursor, 0);
    // The cursor stays on its job when new counts reorder the list.
    run(&mut app, Command::ScrollDown);
    run(&mut app, Command::ScrollDown);
    assert_eq!(
        app.jobs.selected().map(|s| s.job.name.as_str()),
        Some("backup")
    );
    run(&mut app, Command::FocusJobs);
    run(&mut app, Command::FocusJobs);
    answer_summaries(
        &mut app,
        vec![
            summary(2, "backup", true, 30, 0),
            summary(3, "cleanup", false, 7, 0),
        ],
    );
    assert_eq!(names(&app), ["backup", "cleanup"]);
    assert_eq!(app.jobs.cursor, 0);
    // The cursor stops at the ends; Esc goes back to the logs.
    run(&mut app, Command::GoBottom);
    run(&mut app, Command::ScrollDown);
    assert_eq!(app.jobs.cursor, 1);
    run(&mut app, Command::Back);
    assert_eq!(app.mode(), Mode::Logs);
    // A click picks a row; below the last row it changes nothing.
    run(&mut app, Command::FocusJobs);
    run(&mut app, Command::GoTop);
    let rows = crate::tui::panes::jobs::table_rows(app.screen().body);
    app.update(Action::Click {
        column: 5,
        row: rows.y + 1,
    });
    assert_eq!(app.jobs.cursor, 1);
    app.update(Action::Click {
        column: 5,
        row: rows.y + 5,
    });
    assert_eq!(app.jobs.cursor, 1);
    assert_eq!(app.mode(), Mode::Jobs);
}

#[test]
fn enter_on_a_job_narrows_the_logs_to_it() {
    let mut app = app();
    let seq = app.gens[Kind::Jobs.index()];
    let count = |id, name: &str| JobCount {
        id,
        name: name.into(),
        entries: 10,
    };
    app.update(Action::Loaded(Loaded::JobsLoaded {
        seq,
        jobs: vec![count(2, "backup"), count(4, "etl"), count(5, "report")],
    }));
    run(&mut app, Command::FocusJobs);
    answer_summaries(
        &mut app,
        vec![
            summary(2, "backup", true, 1, 0),
            summary(4, "etl", true, 5, 0),
            summary(5, "report", true, 0, 0),
            // Newer than the filters' list of jobs.
            summary(6, "late", false, 3, 0),
        ],
    );
    let fx = run(&mut app, Command::Open);
    assert_eq!(app.mode(), Mode::Logs);
    let filters: Vec<&crate::query::Filter> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::LoadWindow { filter, .. } | Effect::LoadStats { filter, .. } => Some(filter),
            _ => None,
        })
        .collect();
    assert_eq!(filters.len(), 2, "{fx:?}");
    for f in filters {
        assert_eq!(f.jobs.as_deref(), Some(&["etl".to_string()][..]));
    }
    assert!(app.follow);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("only etl"))
    );
    // The filters pane says so, its cursor on the job.
    assert_eq!(app.filters.item(), Some(Item::Job(1)));
    // A job the filters have not heard of yet joins them.
    run(&mut app, Command::FocusJobs);
    let same = app.jobs.rows.clone();
    answer_summaries(&mut app, same);
    run(&mut app, Command::ScrollDown);
    let fx = run(&mut app, Command::Open);
    match &fx[0] {
        Effect::LoadWindow { filter, .. } => {
            assert_eq!(filter.jobs.as_deref(), Some(&["late".to_string()][..]))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(app.filters.jobs.len(), 4);
}

#[test]
fn the_open_jobs_pane_follows_new_data_at_most_once_a_second() {
    let mut app = app();
    // Tab goes through every pane, the jobs pane last.
    run(&mut app, Command::FocusNext);
    run(&mut app, Command::FocusNext);
    let fx = run(&mut app, Command::FocusNext);
    assert_eq!(app.focus, Focus::Jobs);
    assert!(fx.iter().any(|e| matches!(e, Effect::LoadSummaries { .. })));
    answer_summaries(&mut app, vec![summary(1, "backup", true, 0, 0)]);
    let reloads = |fx: &[Effect]| {
        fx.iter()
            .filter(|e| matches!(e, Effect::LoadSummaries { .. }))
            .count()
    };
    app.update(Action::DataChanged);
    let fx = app.update(Action::Tick { now_ms: NOW + 100 });
    assert_eq!(reloads(&fx), 0, "too soon: {fx:?}");
    let fx = app.update(Action::Tick {
        now_ms: NOW + 1_000,
    });
    assert_eq!(reloads(&fx), 1);
    // While it is out, more data waits for the answer.
    app.update(Action::DataChanged);
    let fx = app.update(Action::Tick {
        now_ms: NOW + 2_500,
    });
    assert_eq!(reloads(&fx), 0);
    // A stale answer is dropped.
    app.update(Action::Loaded(Loaded::SummariesLoaded {
        seq: 1,
        jobs: Vec::new(),
    }));
    assert_eq!(names(&app), ["backup"]);
    answer_summaries(&mut app, vec![summary(1, "backup", true, 1, 0)]);
    let fx = app.update(Action::Tick {
        now_ms: NOW + 2_600,
    });
    assert_eq!(reloads(&fx), 1);
    answer_summaries(&mut app, vec![summary(1, "backup", true, 1, 0)]);
    // Nothing new: no reload, until the window moves on to the next hour.
    let fx = app.update(Action::Tick {
        now_ms: NOW + 60_000,
    });
    assert_eq!(reloads(&fx), 0);
    let fx = app.update(Action::Tick {
        now_ms: NOW + 3_600_000,
    });
    assert_eq!(reloads(&fx), 1);
    // Closed, the pane asks for nothing; opened again, it reloads.
    run(&mut app, Command::Back);
    app.update(Action::DataChanged);
    let fx = app.update(Action::Tick {
        now_ms: NOW + 3_700_000,
    });
    assert_eq!(reloads(&fx), 0);
    let fx = run(&mut app, Command::FocusJobs);
    assert_eq!(reloads(&fx), 1);
}

#[test]
fn recovery_and_waiting_for_another_writer_are_told() {
    let mut app = App::new(Settings {
        db_label: "db".into(),
        zone: jiff::tz::TimeZone::UTC,
        utc: true,
        export_dir: std::path::PathBuf::from("/tmp"),
        keymap: Keymap::default(),
    });
    let told = "the database was damaged (bad page); it was moved to /d/x.db.damaged";
    app.update(Action::Indexer(IndexerSignal::Recovered(told.into())));
    assert_eq!(app.recovered.as_deref(), Some(told));
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.error && s.text == told)
    );
    app.update(Action::Indexer(IndexerSignal::Waiting(" (pid 42)".into())));
    assert_eq!(app.indexing, Indexing::Waiting);
    assert!(
        app.status
            .as_ref()
            .is_some_and(|s| s.text.contains("pid 42"))
    );
}

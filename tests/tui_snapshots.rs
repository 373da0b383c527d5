//! Every pane and the main states, rendered into a test backend at 80×24 and 160×48 from a
//! fixture database, at a fixed time in UTC, without colour.

mod tui_fixture;

use logdex::tui::Theme;
use logdex::tui::action::{Action, IndexerSignal};
use tui_fixture::{Fixture, NOW, render};

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (160, 48);

fn mono() -> Theme {
    Theme::mono()
}

fn both(name: &str, setup: impl Fn(&Fixture, &mut logdex::tui::App)) {
    let f = Fixture::new();
    for (w, h) in [SMALL, LARGE] {
        let mut app = f.started(w, h);
        setup(&f, &mut app);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), render(&app, &mono()));
    }
}

#[test]
fn main_view() {
    both("main", |_, _| {});
}

#[test]
fn empty_database() {
    let f = Fixture::empty();
    let app = f.started(SMALL.0, SMALL.1);
    insta::assert_snapshot!(render(&app, &mono()));
}

#[test]
fn indexing_in_progress() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.send(
        &mut app,
        Action::Indexer(IndexerSignal::Planned {
            files: 3,
            bytes: 400_000,
        }),
    );
    f.send(
        &mut app,
        Action::Indexer(IndexerSignal::Committed {
            entries: 240,
            bytes: 150_000,
            rate: 184_000.0,
        }),
    );
    insta::assert_snapshot!(render(&app, &mono()));
}

#[test]
fn search_with_matches() {
    both("search", |f, app| {
        f.run(app, logdex::tui::Command::StartSearch);
        f.type_text(app, "upstream timeout");
    });
}

#[test]
fn a_bad_query_shows_its_error_and_keeps_the_last_results() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.run(&mut app, logdex::tui::Command::StartSearch);
    f.type_text(&mut app, "timeout");
    let matches = app.stats.as_ref().map(|s| s.total);
    f.type_quickly(&mut app, " AND (");
    let screen = render(&app, &mono());
    insta::assert_snapshot!(screen);
    assert!(app.search.error.is_some());
    assert_eq!(
        app.search.applied.as_ref().map(|q| q.source().trim()),
        Some("timeout")
    );
    assert_eq!(app.stats.as_ref().map(|s| s.total), matches);
    assert!(screen.contains("✗ missing closing parenthesis"));
}

#[test]
fn jump_mode_marks_matches_without_narrowing() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.run(&mut app, logdex::tui::Command::StartSearch);
    f.run(&mut app, logdex::tui::Command::ToggleSearchJump);
    f.type_text(&mut app, "retrying");
    f.run(&mut app, logdex::tui::Command::AcceptSearch);
    let before = app.logs.selected_entry().map(|e| e.id);
    f.run(&mut app, logdex::tui::Command::PrevMatch);
    let after = app.logs.selected_entry().cloned();
    assert_ne!(before, after.as_ref().map(|e| e.id));
    assert!(after.is_some_and(|e| e.message.contains("retrying")));
    insta::assert_snapshot!(render(&app, &mono()));
}

#[test]
fn filters_applied() {
    both("filters", |f, app| {
        use logdex::tui::Command;
        f.run(app, Command::FocusFilters);
        f.run(app, Command::Toggle); // hide the first job (backup)
        f.run(app, Command::RaiseMinLevel);
        f.run(app, Command::RaiseMinLevel);
        f.run(app, Command::RaiseMinLevel); // ≥ WARN
    });
}

#[test]
fn stats_pane() {
    both("stats", |f, app| {
        f.run(app, logdex::tui::Command::FocusStats);
        for _ in 0..5 {
            f.run(app, logdex::tui::Command::ScrollRight);
        }
    });
}

#[test]
fn detail_of_a_multi_line_entry() {
    both("detail", |f, app| {
        use logdex::tui::Command;
        f.run(app, Command::GoTop);
        // Entry 200 is the traceback; the list starts at entry 0.
        for _ in 0..200 {
            f.run(app, Command::ScrollDown);
        }
        f.run(app, Command::Open);
    });
}

#[test]
fn detail_context() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    use logdex::tui::Command;
    f.run(&mut app, Command::Open);
    f.run(&mut app, Command::ShowContext);
    insta::assert_snapshot!(render(&app, &mono()));
}

#[test]
fn help() {
    both("help", |f, app| {
        f.run(app, logdex::tui::Command::ToggleHelp)
    });
}

#[test]
fn prompts() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    use logdex::tui::Command;
    f.run(&mut app, Command::Export);
    insta::assert_snapshot!("export_prompt", render(&app, &mono()));
    f.run(&mut app, Command::Back);
    f.run(&mut app, Command::EnterTimeRange);
    f.type_text(&mut app, "yesterday");
    f.run(&mut app, Command::Open);
    insta::assert_snapshot!("time_prompt_error", render(&app, &mono()));
}

#[test]
fn narrowing_to_a_histogram_bucket() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    use logdex::tui::Command;
    f.run(&mut app, Command::FocusStats);
    f.run(&mut app, Command::GoTop);
    f.run(&mut app, Command::Open);
    let range = app.filters.time;
    let first = app.stats.as_ref().and_then(|s| s.first_ts).unwrap();
    assert!(range.since.unwrap() <= first && first < range.until.unwrap());
    assert!(app.stats.as_ref().unwrap().total < 240);
    assert!(range.until.unwrap() <= NOW);
}

#[test]
fn monochrome_still_shows_level_and_selection() {
    use ratatui::style::{Color, Modifier};
    let f = Fixture::new();
    let app = f.started(SMALL.0, SMALL.1);
    let buf = tui_fixture::buffer(&app, &mono());
    let mut reversed_rows = std::collections::BTreeSet::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            assert!(
                matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
                "a colour at ({x}, {y}): {cell:?}"
            );
            if cell.modifier.contains(Modifier::REVERSED) {
                reversed_rows.insert(y);
            }
        }
    }
    let text = render(&app, &mono());
    let lines: Vec<&str> = text.lines().collect();
    // The header bar and the selected row are in reverse video.
    let selected = lines.iter().position(|l| l.contains('▶')).unwrap() as u16;
    assert!(reversed_rows.contains(&0) && reversed_rows.contains(&selected));
    // Levels stand apart by weight: an ERROR label is bold, an INFO label is not.
    let style_of = |label: &str| {
        (0..buf.area.height).find_map(|y| {
            let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
            let at = row.find(&format!(" {label} "))?;
            let x = row[..at].chars().count() as u16 + 1;
            (y != selected).then(|| buf[(x, y)].modifier)
        })
    };
    let error = style_of("ERROR").expect("an ERROR row");
    let info = style_of("INFO ").expect("an INFO row");
    assert!(error.contains(Modifier::BOLD) && !info.contains(Modifier::BOLD));
    // With colour, levels are coloured too.
    let colour = tui_fixture::buffer(&app, &Theme { color: true });
    assert!(
        (0..colour.area.height)
            .flat_map(|y| (0..colour.area.width).map(move |x| (x, y)))
            .any(|p| colour[p].fg == Color::LightRed)
    );
}

#[test]
fn wrapped_and_scrolled_rows() {
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    use logdex::tui::Command;
    f.run(&mut app, Command::ToggleWrap);
    insta::assert_snapshot!("wrapped", render(&app, &mono()));
    f.run(&mut app, Command::ToggleWrap);
    f.run(&mut app, Command::ScrollRight);
    f.run(&mut app, Command::ScrollRight);
    insta::assert_snapshot!("scrolled_sideways", render(&app, &mono()));
}

#[test]
fn matches_are_marked_in_the_rows() {
    use ratatui::style::Modifier;
    let f = Fixture::new();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.run(&mut app, logdex::tui::Command::StartSearch);
    f.type_text(&mut app, "timeout");
    let buf = tui_fixture::buffer(&app, &mono());
    let mut marked = 0;
    for y in 3..buf.area.height - 5 {
        let row: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let Some(at) = row.find("timeout") else {
            continue;
        };
        let x = row[..at].chars().count() as u16;
        for dx in 0..7 {
            let m = buf[(x + dx, y)].modifier;
            assert!(m.contains(Modifier::UNDERLINED), "row {y}: {row}");
        }
        // The word before it is not marked.
        assert!(!buf[(x - 2, y)].modifier.contains(Modifier::UNDERLINED));
        marked += 1;
    }
    assert!(marked >= 10, "{marked}");
}

#[test]
fn jobs_pane() {
    use logdex::tui::Command;
    let f = Fixture::with_definitions();
    for (w, h) in [SMALL, LARGE, (120, 30)] {
        let mut app = f.started(w, h);
        f.run(&mut app, Command::FocusJobs);
        let screen = render(&app, &mono());
        insta::assert_snapshot!(format!("jobs_{w}x{h}"), screen);
        // Most errors first: report-daily (6 in the last 24 h, undefined), then backup and
        // etl-orders (5 each, more warnings first), then cleanup, which never ran.
        let order: Vec<&str> = app.jobs.rows.iter().map(|s| s.job.name.as_str()).collect();
        assert_eq!(order, ["report-daily", "backup", "etl-orders", "cleanup"]);
        let warnings: Vec<u64> = app.jobs.rows.iter().map(|s| s.activity.warnings).collect();
        assert_eq!(warnings[1..3], [8, 7]);
        let errors: Vec<u64> = app.jobs.rows.iter().map(|s| s.activity.errors).collect();
        assert_eq!(errors, [6, 5, 5, 0]);
        let selected = screen.lines().find(|l| l.contains('▶')).unwrap_or("");
        assert!(
            selected.contains("report-daily") && selected.contains("undefined"),
            "{screen}"
        );
        // The description's control bytes are shown, not sent.
        assert!(!screen.contains('\x1b') && !screen.contains('\x07'));
    }
}

#[test]
fn jobs_pane_with_the_cursor_on_a_defined_job() {
    use logdex::tui::Command;
    let f = Fixture::with_definitions();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.run(&mut app, Command::FocusJobs);
    f.run(&mut app, Command::GoBottom);
    f.run(&mut app, Command::ScrollUp);
    f.run(&mut app, Command::ScrollUp);
    let screen = render(&app, &mono());
    insta::assert_snapshot!(screen);
    assert!(screen.contains("Nightly backup · Snapshots ^[[31mevery volume^G"));
}

#[test]
fn jobs_pane_without_colour_still_shows_the_selection_and_the_trouble() {
    use logdex::tui::Command;
    use ratatui::style::{Color, Modifier};
    let f = Fixture::with_definitions();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.run(&mut app, Command::FocusJobs);
    let buf = tui_fixture::buffer(&app, &mono());
    let rows: Vec<String> = (0..buf.area.height)
        .map(|y| (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect())
        .collect();
    let at = |name: &str| rows.iter().position(|r| r.contains(name)).unwrap() as u16;
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            assert!(matches!(buf[(x, y)].fg, Color::Reset));
        }
    }
    // The selected row is in reverse video from edge to edge; the others are not.
    let selected = at("▶");
    assert_eq!(selected, at("report-daily"));
    assert!((0..buf.area.width).all(|x| buf[(x, selected)].modifier.contains(Modifier::REVERSED)));
    let other = at("backup");
    assert!(!buf[(0, other)].modifier.contains(Modifier::REVERSED));
    // Error counts stand out by weight; a zero count is dim.
    let column = rows[usize::from(selected) - 1].find("ERRORS").unwrap() as u16;
    let end = column + 5;
    let etl_errors = buf[(end, other)].clone();
    assert_eq!(etl_errors.symbol(), "5");
    assert!(etl_errors.modifier.contains(Modifier::BOLD));
    let cleanup = buf[(end, at("cleanup"))].clone();
    assert_eq!(cleanup.symbol(), "0");
    assert!(cleanup.modifier.contains(Modifier::DIM) && !cleanup.modifier.contains(Modifier::BOLD));
}

#[test]
fn enter_on_the_job_with_the_most_errors_shows_only_its_entries() {
    use logdex::tui::Command;
    let f = Fixture::with_definitions();
    let mut app = f.started(SMALL.0, SMALL.1);
    f.run(&mut app, Command::FocusJobs);
    f.run(&mut app, Command::Open);
    assert_eq!(app.mode(), logdex::tui::keymap::Mode::Logs);
    let screen = render(&app, &mono());
    insta::assert_snapshot!(screen);
    assert!(app.logs.entries.len() >= 10);
    assert!(app.logs.entries.iter().all(|e| e.job == "report-daily"));
    assert_eq!(app.stats.as_ref().map(|s| s.total), Some(80));
    assert!(screen.contains("80 of 240"), "{screen}");
}

/// The fixture's entries read as if from the files, with the banner saying why.
#[test]
fn degraded_banner() {
    use logdex::ingest::snapshot::Snapshot;
    use logdex::query::{Filter, Order};
    use logdex::tui::Files;
    use logdex::tui::effect::Effect;
    use ratatui::style::Modifier;

    let f = Fixture::new();
    let mut entries = Vec::new();
    f.store
        .logs()
        .unwrap()
        .for_each(&Filter::default(), Order::OldestFirst, |e| {
            entries.push(e);
            Ok::<_, logdex::store::StoreError>(())
        })
        .unwrap();
    let reason = "database /srv/logs/logdex.db: /srv/logs: Read-only file system (os error 30)";
    let files = Files::from_snapshot(Snapshot::from_entries(entries), reason);
    let mut app = f.app();
    app.degraded = Some(files.reason.clone());
    let mut queue = vec![Action::Started {
        width: SMALL.0,
        height: SMALL.1,
        now_ms: NOW,
    }];
    while let Some(a) = queue.pop() {
        for e in app.update(a) {
            if let Effect::Schedule { action, .. } = e {
                queue.insert(0, *action);
            } else if let Some(reply) = files.answer(e) {
                queue.insert(0, reply);
            }
        }
    }
    let screen = render(&app, &mono());
    assert!(
        screen.contains("degraded: reading files directly — database /srv/logs/logdex.db"),
        "{screen}"
    );
    // Without colour the banner still stands out.
    let buf = tui_fixture::buffer(&app, &mono());
    assert!(buf[(1, 1)].modifier.contains(Modifier::REVERSED));
    insta::assert_snapshot!(screen);
}

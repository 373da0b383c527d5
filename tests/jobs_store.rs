//! Job definitions in the store: get, list, upsert in one transaction (added, updated,
//! unchanged, pruned), removal that keeps the job's id, jobs seen only in logs; and the per-job
//! summary checked against a brute-force count over every entry of a fixture database.

use std::collections::HashMap;

use logdex::jobs::JobDef;
use logdex::model::{Level, LogEntry};
use logdex::query::{Filter, Order, PageRequest};
use logdex::store::{Batch, JobSummary, NewEntry, RECENT_HOURS, Store};

mod writing;

use writing::{Lcg, source};

const T0: i64 = 1_793_577_600_000; // 2026-11-02T00:00:00Z
const HOUR: i64 = 3_600_000;

fn def(id: &str, schedule: &str) -> JobDef {
    JobDef {
        id: id.into(),
        name: Some(format!("The {id} job")),
        description: None,
        schedule: schedule.into(),
        command: format!("/opt/{id}/run"),
        enabled: true,
        log_path: Some(format!("/var/log/jobs/{id}.log")),
        tags: vec!["nightly".into()],
    }
}

fn scratch() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("j.db")).unwrap();
    (dir, store)
}

#[test]
fn upsert_adds_updates_keeps_and_prunes_in_one_go() {
    let (_dir, store) = scratch();
    let repo = store.jobs_mut().unwrap();
    let first = vec![def("backup", "0 2 * * *"), def("report", "0 7 * * *")];
    let c = repo.upsert(&first, false, 1_000).unwrap();
    assert_eq!(c.added.len(), 2);
    assert!(c.updated.is_empty() && c.unchanged.is_empty());

    let backup = repo.get("backup").unwrap().unwrap();
    assert_eq!(backup.definition.as_ref(), Some(&first[0]));
    assert_eq!(
        (backup.created_at, backup.updated_at),
        (Some(1_000), Some(1_000))
    );

    // The same file again changes nothing, not even the timestamps.
    let c = repo.upsert(&first, false, 2_000).unwrap();
    assert_eq!(
        c.unchanged,
        vec!["backup".to_string(), "report".to_string()]
    );
    assert!(c.is_empty());
    assert_eq!(repo.get("backup").unwrap().unwrap().updated_at, Some(1_000));

    // A change updates only the changed job; created_at stays.
    let mut second = first.clone();
    second[0].schedule = "30 2 * * *".into();
    second[0].tags = vec![];
    second.push(def("cleanup", "@hourly"));
    let c = repo.upsert(&second, false, 3_000).unwrap();
    assert_eq!(
        c.added.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(),
        ["cleanup"]
    );
    assert_eq!(c.updated.len(), 1);
    assert_eq!(c.updated[0].fields, vec!["schedule", "tags"]);
    let backup = repo.get("backup").unwrap().unwrap();
    assert_eq!(
        (backup.created_at, backup.updated_at),
        (Some(1_000), Some(3_000))
    );
    assert_eq!(backup.definition.unwrap().tags, Vec::<String>::new());

    // Pruning removes what the file lacks; the row and its id stay for the logs.
    let id = repo.get("report").unwrap().unwrap().id;
    let c = repo.upsert(&second[..1], true, 4_000).unwrap();
    assert_eq!(c.removed, vec!["cleanup".to_string(), "report".to_string()]);
    let report = repo.get("report").unwrap().unwrap();
    assert_eq!((report.id, report.definition), (id, None));
    assert_eq!(
        repo.definitions()
            .unwrap()
            .iter()
            .map(|j| j.id.as_str())
            .collect::<Vec<_>>(),
        ["backup"]
    );
    // Defined again later, it gets its old id back.
    repo.upsert(&first, false, 5_000).unwrap();
    assert_eq!(repo.get("report").unwrap().unwrap().id, id);
}

#[test]
fn a_preview_reports_the_same_changes_and_writes_nothing() {
    let (_dir, store) = scratch();
    store
        .jobs_mut()
        .unwrap()
        .upsert(&[def("a", "@daily")], false, 1)
        .unwrap();
    let file = vec![def("a", "@hourly"), def("b", "@daily")];
    let preview = store.jobs().unwrap().preview(&file, true).unwrap();
    assert_eq!(preview.added.len(), 1);
    assert_eq!(preview.updated.len(), 1);
    assert_eq!(
        store.jobs().unwrap().definitions().unwrap(),
        vec![def("a", "@daily")]
    );
    let applied = store.jobs_mut().unwrap().upsert(&file, true, 2).unwrap();
    assert_eq!(preview, applied);
}

#[test]
fn removing_a_definition_keeps_the_row_and_reports_whether_there_was_one() {
    let (_dir, store) = scratch();
    let repo = store.jobs_mut().unwrap();
    repo.upsert(&[def("a", "@daily")], false, 1).unwrap();
    assert!(repo.delete("a").unwrap());
    assert!(!repo.delete("a").unwrap());
    assert!(!repo.delete("never-there").unwrap());
    assert!(repo.get("a").unwrap().unwrap().definition.is_none());
    // Neither defined nor in the logs: no longer listed.
    assert!(store.jobs().unwrap().records().unwrap().is_empty());
}

#[test]
fn definitions_and_log_jobs_share_one_row_and_one_id() {
    let (_dir, store) = scratch();
    let seen_first = {
        let mut w = store.writer().unwrap();
        let id = w.job_id("etl").unwrap();
        w.finish().unwrap();
        id
    };
    let repo = store.jobs_mut().unwrap();
    let c = repo
        .upsert(&[def("etl", "@daily"), def("backup", "@daily")], false, 7)
        .unwrap();
    // A job only seen in logs gains a definition: that counts as added.
    assert_eq!(c.added.len(), 2);
    assert_eq!(repo.get("etl").unwrap().unwrap().id, seen_first);
    let defined_first = repo.get("backup").unwrap().unwrap().id;
    let mut w = store.writer().unwrap();
    assert_eq!(w.job_id("backup").unwrap(), defined_first);
    w.finish().unwrap();
}

#[test]
fn the_table_refuses_half_a_definition_from_any_writer() {
    let (dir, _store) = scratch();
    let c = rusqlite::Connection::open(dir.path().join("j.db")).unwrap();
    let err = c
        .execute(
            "INSERT INTO jobs(name, defined, schedule) VALUES ('x', 1, '@daily')",
            [],
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("needs schedule, command and enabled"),
        "{err}"
    );
    c.execute("INSERT INTO jobs(name) VALUES ('seen-in-logs')", [])
        .unwrap();
    assert!(
        c.execute(
            "UPDATE jobs SET tags = 'not json' WHERE name = 'seen-in-logs'",
            []
        )
        .is_err()
    );
}

// --- the per-job summary -------------------------------------------------------------------

/// Three days of entries for `backup` and `etl` (two files), lines that name `billing` as their
/// job, and `legacy`, which stopped logging on the first morning. Returns the newest time.
fn fill(store: &Store) -> i64 {
    let mut w = store.writer().unwrap();
    let backup = source(&mut w, "/logs/backup.log", "backup");
    let etl = source(&mut w, "/logs/etl.log", "etl");
    let etl_old = source(&mut w, "/logs/etl.log.1", "etl");
    let legacy = source(&mut w, "/logs/legacy.log", "legacy");
    let mut rng = Lcg(6);
    let mut ts = T0;
    let mut batch = Batch::default();
    let mut line = 0;
    for i in 0..4_000u64 {
        ts += (rng.next() % 130_000) as i64;
        line += 1;
        let level = match rng.next() % 100 {
            0..=14 => Some(Level::Debug),
            15..=79 => Some(Level::Info),
            80..=89 => Some(Level::Warn),
            90..=95 => Some(Level::Error),
            96 => Some(Level::Fatal),
            _ => None,
        };
        let early = ts < T0 + 6 * HOUR;
        let src = match rng.next() % 4 {
            0 if early => legacy,
            0 | 1 => backup,
            2 => etl,
            _ => etl_old,
        };
        batch.entries.push(NewEntry {
            source_id: src,
            job: (i % 11 == 0).then(|| "billing".to_string()),
            ts,
            level,
            level_raw: None,
            message: format!("entry {i} at {ts}"),
            fields: None,
            line,
            offset: line * 10,
        });
        if batch.entries.len() == 500 {
            w.commit(std::mem::take(&mut batch)).unwrap();
        }
    }
    w.commit(batch).unwrap();
    w.finish().unwrap();
    ts
}

fn all_entries(store: &Store) -> Vec<LogEntry> {
    let repo = store.logs().unwrap();
    let mut out = Vec::new();
    let mut cursor = None;
    loop {
        let page = repo
            .page(&PageRequest {
                filter: Filter::default(),
                order: Order::OldestFirst,
                cursor,
                limit: 1000,
            })
            .unwrap();
        out.extend(page.entries);
        match page.next {
            Some(c) => cursor = Some(c),
            None => return out,
        }
    }
}

fn is_error(e: &LogEntry) -> bool {
    matches!(e.level, Some(Level::Error | Level::Fatal))
}

#[test]
fn the_summary_matches_a_count_of_every_entry() {
    let (_dir, store) = scratch();
    let newest = fill(&store);
    store
        .jobs_mut()
        .unwrap()
        .upsert(
            &[def("backup", "0 2 * * *"), def("report", "0 7 * * *")],
            false,
            1,
        )
        .unwrap();
    let all = all_entries(&store);
    assert_eq!(all.len(), 4_000);

    for now in [newest + 10 * 60_000, newest + 20 * HOUR, newest - 30 * HOUR] {
        let summaries = store.jobs().unwrap().summaries(now).unwrap();
        let by_name: HashMap<&str, &JobSummary> =
            summaries.iter().map(|s| (s.job.name.as_str(), s)).collect();
        let names: Vec<&str> = summaries.iter().map(|s| s.job.name.as_str()).collect();
        assert_eq!(names, ["backup", "billing", "etl", "legacy", "report"]);
        assert!(by_name["backup"].job.definition.is_some());
        assert!(by_name["etl"].job.definition.is_none());
        assert!(by_name["report"].job.definition.is_some());

        let from_hour = now.div_euclid(HOUR) - (RECENT_HOURS - 1);
        let to_hour = now.div_euclid(HOUR);
        for (name, s) in &by_name {
            let mine: Vec<&LogEntry> = all.iter().filter(|e| e.job == *name).collect();
            let recent: Vec<&&LogEntry> = mine
                .iter()
                .filter(|e| (from_hour..=to_hour).contains(&e.ts.div_euclid(HOUR)))
                .collect();
            let a = &s.activity;
            assert_eq!(a.entries, recent.len() as u64, "{name} entries at {now}");
            assert_eq!(
                a.errors,
                recent.iter().filter(|e| is_error(e)).count() as u64,
                "{name} errors"
            );
            assert_eq!(
                a.warnings,
                recent
                    .iter()
                    .filter(|e| e.level == Some(Level::Warn))
                    .count() as u64,
                "{name} warnings"
            );
            // The last entry and the last error are of all time, not of the window.
            assert_eq!(a.last_entry, mine.iter().map(|e| e.ts).max(), "{name}");
            let last_error = mine
                .iter()
                .rfind(|e| is_error(e))
                .map(|e| (e.id, &e.message));
            assert_eq!(
                a.last_error.as_ref().map(|e| (e.id, &e.message)),
                last_error,
                "{name}"
            );
        }
    }
    let busy = &store.jobs().unwrap().summaries(newest).unwrap()[0];
    assert!(
        busy.activity.entries > 100 && busy.activity.errors > 5,
        "{busy:?}"
    );
    let quiet = &store.jobs().unwrap().summaries(newest).unwrap()[3];
    assert_eq!(quiet.job.name, "legacy");
    assert!(quiet.activity.last_entry.unwrap() < T0 + 6 * HOUR);
    assert_eq!(quiet.activity.entries, 0);
    assert!(quiet.activity.last_error.is_some());
}

#[test]
fn an_empty_store_summarises_defined_jobs_without_activity() {
    let (_dir, store) = scratch();
    store
        .jobs_mut()
        .unwrap()
        .upsert(&[def("a", "@daily")], false, 1)
        .unwrap();
    let s = store.jobs().unwrap().summaries(T0).unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].activity, Default::default());
}

#[test]
fn the_summary_still_finds_the_last_entry_when_the_statistics_are_ahead_of_the_entries() {
    let (dir, store) = scratch();
    let newest = fill(&store);
    let all = all_entries(&store);
    let backup: Vec<&LogEntry> = all.iter().filter(|e| e.job == "backup").collect();
    let last_hour = backup.iter().map(|e| e.ts.div_euclid(HOUR)).max().unwrap();
    // Remove the job's entries of its last hour behind the statistics' back.
    let c = rusqlite::Connection::open(dir.path().join("j.db")).unwrap();
    let job_id: i64 = c
        .query_row("SELECT id FROM jobs WHERE name = 'backup'", [], |r| {
            r.get(0)
        })
        .unwrap();
    c.execute(
        "DELETE FROM log_entries WHERE job_id = ?1 AND ts >= ?2",
        [job_id, last_hour * HOUR],
    )
    .unwrap();
    let expected = backup
        .iter()
        .filter(|e| e.ts < last_hour * HOUR)
        .map(|e| e.ts)
        .max();
    let s = store.jobs().unwrap().summaries(newest).unwrap();
    assert_eq!(s[0].job.name, "backup");
    assert_eq!(s[0].activity.last_entry, expected);
}

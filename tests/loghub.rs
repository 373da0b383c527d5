//! Real logs nobody on the team wrote: the ten loghub samples indexed through the command line
//! must give exactly the entry and level counts of their answer key, and the first and last
//! entries in file order must carry the timestamps printed there.

mod common;

use common::{Scratch, shared};
use serde_json::Value;

/// (year, month, day, hour, minute, second, millisecond) as far as the printed form has them.
type Parts = (Option<i64>, i64, i64, i64, i64, i64, Option<i64>);

fn month(name: &str) -> Option<i64> {
    [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .iter()
    .position(|m| name.starts_with(m))
    .map(|i| i as i64 + 1)
}

fn numbers(s: &str) -> Vec<i64> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().expect("number"))
        .collect()
}

/// Reads an answer-key timestamp according to the file's layout.
fn expected_parts(system: &str, s: &str) -> Parts {
    let n = numbers(s);
    match system {
        "Android" => (None, n[0], n[1], n[2], n[3], n[4], Some(n[5])),
        "Apache" => {
            let m = s.split_whitespace().nth(1).and_then(month).expect("month");
            (Some(n[4]), m, n[0], n[1], n[2], n[3], None)
        }
        "HDFS" => {
            let d = n[0];
            let t = n[1];
            (
                Some(2000 + d / 10000),
                d / 100 % 100,
                d % 100,
                t / 10000,
                t / 100 % 100,
                t % 100,
                None,
            )
        }
        "Hadoop" | "Zookeeper" | "OpenStack" => {
            (Some(n[0]), n[1], n[2], n[3], n[4], n[5], Some(n[6]))
        }
        "HealthApp" => {
            let d = n[0];
            (
                Some(d / 10000),
                d / 100 % 100,
                d % 100,
                n[1],
                n[2],
                n[3],
                Some(n[4]),
            )
        }
        "Linux" => (None, month(s).expect("month"), n[0], n[1], n[2], n[3], None),
        "Proxifier" => (None, n[0], n[1], n[2], n[3], n[4], None),
        "Spark" => (Some(2000 + n[0]), n[1], n[2], n[3], n[4], n[5], None),
        other => panic!("no layout for {other}"),
    }
}

fn actual_parts(ts_utc: &str) -> (i64, i64, i64, i64, i64, i64, i64) {
    // 2026-11-02T13:04:05.123Z
    let n = numbers(ts_utc);
    (n[0], n[1], n[2], n[3], n[4], n[5], n[6])
}

fn same_time(system: &str, expected: &str, actual: &str) -> bool {
    let (ey, em, ed, eh, emi, es, ems) = expected_parts(system, expected);
    let (ay, am, ad, ah, ami, as_, ams) = actual_parts(actual);
    ey.is_none_or(|y| y == ay)
        && (em, ed, eh, emi, es) == (am, ad, ah, ami, as_)
        && ems.is_none_or(|m| m == ams)
}

#[test]
fn loghub_counts_and_timestamps_match_the_answer_key() {
    let Some(dir) = shared("corpus/loghub") else {
        return;
    };
    let key: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let files = key["files"].as_object().unwrap();
    let s = Scratch::new();
    let paths: Vec<String> = files
        .values()
        .map(|f| dir.join(f["file"].as_str().unwrap()).display().to_string())
        .collect();
    let mut args = vec!["index"];
    args.extend(paths.iter().map(String::as_str));
    s.run(&args);
    // Indexing again adds nothing.
    s.run(&args);
    let total = s.stats(&[]);
    assert_eq!(total["total"], files.len() as u64 * 2000);

    for (system, f) in files {
        let job = f["file"].as_str().unwrap().trim_end_matches(".log");
        let stats = s.stats(&["--job", job]);
        assert_eq!(stats["total"], f["entries"], "{system}: entries");
        let levels = &stats["levels"];
        match f["level"].as_object() {
            None => assert_eq!(
                levels["unknown"], f["entries"],
                "{system}: entries without a level"
            ),
            Some(level) => {
                let want = &level["counts"];
                for name in ["trace", "debug", "info", "warn"] {
                    assert_eq!(levels[name], want[name], "{system}: {name}");
                }
                let errors = levels["error"].as_u64().unwrap() + levels["fatal"].as_u64().unwrap();
                assert_eq!(
                    Some(errors),
                    want["error"].as_u64(),
                    "{system}: error + fatal"
                );
                assert_eq!(levels["unknown"], 0, "{system}: entries without a level");
            }
        }
        let entries = s.export(&["--job", job]);
        assert_eq!(entries.len() as u64, f["entries"].as_u64().unwrap());
        let by_line = |want: u64| {
            entries
                .iter()
                .find(|e| e["line"] == want)
                .unwrap_or_else(|| panic!("{system}: no entry starts at line {want}"))
        };
        let first = by_line(1);
        let last = by_line(f["lines"].as_u64().unwrap());
        for (which, entry, want) in [
            ("first", first, &f["first_timestamp"]),
            ("last", last, &f["last_timestamp"]),
        ] {
            let got = entry["ts"].as_str().unwrap();
            let want = want.as_str().unwrap();
            assert!(
                same_time(system, want, got),
                "{system}: {which} entry at {got}, key says {want}"
            );
        }
        // No message keeps the CR of a CRLF line.
        assert!(
            entries
                .iter()
                .all(|e| !e["message"].as_str().unwrap().ends_with('\r')),
            "{system}: CR kept"
        );
    }
}

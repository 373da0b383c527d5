//! The parser against real logs nobody on the team wrote: the ten loghub samples in
//! `../shared/corpus/loghub` and their answer key (`expected.json`, derived from loghub's own
//! structured parse). Their licence forbids copying them here, so the test reads them in place
//! and skips with a notice where they are absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use logdex::ingest::parser::{EntryParser, ParsedEntry, ParserSettings, RawLine};
use logdex::model::Level;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/loghub")
}

fn parse_file(data: &[u8]) -> (Vec<ParsedEntry>, Option<String>) {
    let settings = ParserSettings {
        zone: TimeZone::UTC,
        // The dated samples are from 2005–2017; year-less ones are rendered without a year.
        year: 2017,
        // Far in the future, so no year-less time is moved to the year before.
        file_mtime: 4_102_444_800_000,
        custom: Vec::new(),
        format: None,
    };
    let mut parser = EntryParser::new(settings).expect("valid settings");
    let mut out = Vec::new();
    let (mut offset, mut number) = (0u64, 0u64);
    let mut rest = data;
    while !rest.is_empty() {
        let used = rest
            .iter()
            .position(|&c| c == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let bytes = rest[..used].strip_suffix(b"\n").unwrap_or(&rest[..used]);
        number += 1;
        let end = offset + used as u64;
        parser.push(
            RawLine {
                bytes,
                offset,
                end,
                number,
            },
            &mut out,
        );
        offset = end;
        rest = &rest[used..];
    }
    parser.finish(&mut out);
    (out, parser.format_name().map(str::to_owned))
}

/// Renders a parsed time the way the sample printed it, so that it can be compared with the
/// answer key's `first_timestamp`/`last_timestamp` text, every printed field included.
fn render(system: &str, ts: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let t = jiff::Timestamp::from_millisecond(ts)
        .expect("in range")
        .to_zoned_datetime(TimeZone::UTC);
    let (y, mo, d) = (t.year(), t.month(), t.day());
    let (h, mi, s, ms) = (t.hour(), t.minute(), t.second(), t.millisecond());
    let mon = MONTHS[mo as usize - 1];
    match system {
        "Android" => format!("{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}"),
        "Apache" => {
            let wd = DAYS[t.weekday().to_monday_zero_offset() as usize];
            format!("{wd} {mon} {d:02} {h:02}:{mi:02}:{s:02} {y}")
        }
        "HDFS" => format!("{:02}{mo:02}{d:02} {h:02}{mi:02}{s:02}", y % 100),
        "Hadoop" | "Zookeeper" => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02},{ms:03}"),
        "HealthApp" => format!("{y}{mo:02}{d:02}-{h}:{mi}:{s}:{ms}"),
        "Linux" => format!("{mon} {d:>2} {h:02}:{mi:02}:{s:02}"),
        "OpenStack" => format!("{y}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{ms:03}"),
        "Proxifier" => format!("{mo:02}.{d:02} {h:02}:{mi:02}:{s:02}"),
        "Spark" => format!("{:02}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}", y % 100),
        other => panic!("no rendering for {other}"),
    }
}

fn level_key(level: Level) -> &'static str {
    match level {
        // The answer key folds fatal into error.
        Level::Fatal => "error",
        other => other.name(),
    }
}

#[test]
fn loghub_samples_match_the_answer_key() {
    let dir = corpus_dir();
    let Ok(key) = std::fs::read(dir.join("expected.json")) else {
        eprintln!(
            "notice: {} not found; skipping the loghub corpus test",
            dir.display()
        );
        return;
    };
    let key: serde_json::Value = serde_json::from_slice(&key).expect("expected.json parses");
    let files = key["files"].as_object().expect("files");
    assert_eq!(files.len(), 10);
    for (system, want) in files {
        let file = want["file"].as_str().expect("file");
        let data = std::fs::read(dir.join(file)).expect("sample readable");
        let (entries, format) = parse_file(&data);
        let label = format!("{system} ({file}, read as {format:?})");
        println!("{label}: {} entries", entries.len());

        assert_eq!(
            Some(entries.len() as u64),
            want["entries"].as_u64(),
            "{label}: entries"
        );
        assert!(
            entries.iter().all(|e| e.ts_known),
            "{label}: every line has a time"
        );
        assert!(
            entries.iter().all(|e| !e.message.ends_with('\r')),
            "{label}: CR kept"
        );

        if want["level"].is_null() {
            let with_level = entries.iter().filter(|e| e.level.is_some()).count();
            assert_eq!(with_level, 0, "{label}: this format has no level");
        } else {
            let mut got: BTreeMap<String, u64> = BTreeMap::new();
            for e in &entries {
                let key = e.level.map_or("unknown", level_key);
                *got.entry(key.to_owned()).or_default() += 1;
            }
            let expected: BTreeMap<String, u64> = want["level"]["counts"]
                .as_object()
                .expect("counts")
                .iter()
                .filter(|(_, n)| n.as_u64() != Some(0))
                .map(|(k, n)| (k.clone(), n.as_u64().expect("count")))
                .collect();
            assert_eq!(got, expected, "{label}: level counts");
        }

        let first = entries.first().expect("entries");
        let last = entries.last().expect("entries");
        assert_eq!(
            render(system, first.ts),
            want["first_timestamp"].as_str().expect("first"),
            "{label}: first timestamp"
        );
        assert_eq!(
            render(system, last.ts),
            want["last_timestamp"].as_str().expect("last"),
            "{label}: last timestamp"
        );

        // Every time, not only the ends: the lines where time steps backwards are the key's.
        let backwards: Vec<u64> = entries
            .windows(2)
            .filter(|w| w[1].ts < w[0].ts)
            .map(|w| w[1].line)
            .collect();
        let expected: Vec<u64> = want["backward_step_lines"]
            .as_array()
            .expect("backward_step_lines")
            .iter()
            .map(|n| n.as_u64().expect("line"))
            .collect();
        assert_eq!(backwards, expected, "{label}: backward steps");
        assert_eq!(last.end_offset, data.len() as u64, "{label}: last byte");
    }
}

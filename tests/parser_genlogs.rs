//! Multi-line grouping on synthetic job logs: `../shared/bench/genlogs.py` writes logs in four
//! formats with Python tracebacks after some ERROR lines and prints exact counts; the parser must
//! find the same entries and levels, with every traceback inside its ERROR entry. Skips with a
//! notice where `python3` or the generator is missing.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use jiff::tz::TimeZone;
use logdex::ingest::parser::{EntryParser, ParsedEntry, ParserSettings, RawLine};
use logdex::model::Level;

fn parse_file(data: &[u8]) -> (Vec<ParsedEntry>, Option<String>) {
    let settings = ParserSettings {
        zone: TimeZone::UTC,
        year: 2026,
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

/// The generator's level names (CRITICAL is logdex's fatal).
fn generator_level(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Debug) => "DEBUG",
        Some(Level::Info) => "INFO",
        Some(Level::Warn) => "WARN",
        Some(Level::Error) => "ERROR",
        Some(Level::Fatal) => "CRITICAL",
        Some(Level::Trace) => "TRACE",
        None => "none",
    }
}

fn ms(text: &str) -> i64 {
    let ts: jiff::Timestamp = text.parse().expect("generator timestamp");
    ts.as_millisecond()
}

#[test]
fn genlogs_entries_levels_and_tracebacks() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/genlogs.py");
    if !script.exists() {
        eprintln!("notice: {} not found; skipping", script.display());
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let run = Command::new("python3")
        .arg(&script)
        .args(["--out"])
        .arg(dir.path())
        .args([
            "--lines",
            "20000",
            "--jobs",
            "6",
            "--seed",
            "7",
            "--tb-rate",
            "0.3",
        ])
        .args(["--procs", "1"])
        .output();
    let output = match run {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!("genlogs failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            eprintln!("notice: cannot run python3 ({e}); skipping");
            return;
        }
    };
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("genlogs prints JSON");

    let mut total_entries = 0u64;
    let mut total_levels: BTreeMap<String, u64> = BTreeMap::new();
    let mut total_tracebacks = 0u64;
    for file in summary["files"].as_array().expect("files") {
        let name = file["file"].as_str().expect("file name");
        let data = std::fs::read(dir.path().join(name)).expect("generated file");
        let (entries, format) = parse_file(&data);
        let label = format!("{name} ({format:?})");

        assert_eq!(
            format.as_deref(),
            file["format"].as_str(),
            "{label}: format"
        );
        assert_eq!(
            Some(entries.len() as u64),
            file["entries"].as_u64(),
            "{label}: entries"
        );
        let mut levels: BTreeMap<String, u64> = BTreeMap::new();
        for e in &entries {
            *levels
                .entry(generator_level(e.level).to_owned())
                .or_default() += 1;
        }
        let want: BTreeMap<String, u64> = file["levels"]
            .as_object()
            .expect("levels")
            .iter()
            .filter(|(_, n)| n.as_u64() != Some(0))
            .map(|(k, n)| (k.clone(), n.as_u64().expect("count")))
            .collect();
        assert_eq!(levels, want, "{label}: levels");

        // Tracebacks: inside ERROR entries, whole, and nowhere else.
        let with_tb: Vec<&ParsedEntry> = entries
            .iter()
            .filter(|e| e.message.contains("Traceback (most recent call last):"))
            .collect();
        assert_eq!(
            Some(with_tb.len() as u64),
            file["tracebacks"].as_u64(),
            "{label}: tracebacks"
        );
        for e in &with_tb {
            assert_eq!(e.level, Some(Level::Error), "{label}: traceback in {e:?}");
            let lines: Vec<&str> = e.message.split('\n').collect();
            assert_eq!(lines[1], "Traceback (most recent call last):", "{label}");
            assert!(lines[2].starts_with("  File \""), "{label}: {e:?}");
            assert_eq!(e.end_line - e.line + 1, lines.len() as u64, "{label}");
            let exception = lines.last().expect("lines");
            assert!(
                !exception.starts_with(' '),
                "{label}: ends with the exception: {e:?}"
            );
        }
        let multi = entries.iter().filter(|e| e.message.contains('\n')).count();
        assert_eq!(multi, with_tb.len(), "{label}: only tracebacks span lines");
        let covered: u64 = entries.iter().map(|e| e.end_line - e.line + 1).sum();
        assert_eq!(
            Some(covered),
            file["lines"].as_u64(),
            "{label}: every line used once"
        );

        assert!(entries.iter().all(|e| e.ts_known), "{label}");
        let first = entries.first().expect("entries");
        let last = entries.last().expect("entries");
        assert_eq!(
            first.ts,
            ms(file["first_ts"].as_str().expect("first_ts")),
            "{label}"
        );
        assert_eq!(
            last.ts,
            ms(file["last_ts"].as_str().expect("last_ts")),
            "{label}"
        );
        assert!(
            entries.windows(2).all(|w| w[0].ts <= w[1].ts),
            "{label}: time order"
        );
        if format.as_deref() == Some("json") {
            let job = file["job"].as_str().expect("job");
            assert!(
                entries.iter().all(|e| e.job.as_deref() == Some(job)),
                "{label}: job"
            );
        }

        total_entries += entries.len() as u64;
        total_tracebacks += with_tb.len() as u64;
        for (k, n) in levels {
            *total_levels.entry(k).or_default() += n;
        }
    }
    assert_eq!(Some(total_entries), summary["entries"].as_u64());
    assert_eq!(Some(total_tracebacks), summary["tracebacks"].as_u64());
    let want: BTreeMap<String, u64> = summary["levels"]
        .as_object()
        .expect("levels")
        .iter()
        .filter(|(_, n)| n.as_u64() != Some(0))
        .map(|(k, n)| (k.clone(), n.as_u64().expect("count")))
        .collect();
    assert_eq!(total_levels, want, "total levels");
    assert!(total_tracebacks > 0, "the sample must exercise tracebacks");
    println!(
        "genlogs: {total_entries} entries, {total_tracebacks} tracebacks, levels {total_levels:?}"
    );
}

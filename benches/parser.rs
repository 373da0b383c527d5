//! Parse throughput on a genlogs corpus (python, logfmt, iso and json jobs), release build:
//!
//! `cargo bench --bench parser`
//!
//! `LOGDEX_BENCH_LINES` sets the corpus size (default 1,000,000 lines); `LOGDEX_BENCH_ONLY=api`
//! keeps only the files whose name contains `api`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use jiff::tz::TimeZone;
use logdex::ingest::parser::{EntryParser, ParsedEntry, ParserSettings, RawLine};

fn settings() -> ParserSettings {
    ParserSettings {
        zone: TimeZone::UTC,
        year: 2026,
        file_mtime: 4_102_444_800_000,
        custom: Vec::new(),
        format: None,
    }
}

/// Parses one file as the indexer would: split at newlines, push, hand entries on in batches.
/// Returns the lines and entries seen.
fn parse(data: &[u8], zone: &TimeZone) -> (u64, u64) {
    let mut parser = EntryParser::new(ParserSettings {
        zone: zone.clone(),
        ..settings()
    })
    .expect("valid settings");
    let mut out: Vec<ParsedEntry> = Vec::with_capacity(1024);
    let mut entries = 0u64;
    let (mut offset, mut number) = (0usize, 0u64);
    while offset < data.len() {
        let nl = memchr::memchr(b'\n', &data[offset..]).map_or(data.len(), |i| offset + i);
        number += 1;
        let end = (nl + 1).min(data.len());
        let line = RawLine {
            bytes: &data[offset..nl],
            offset: offset as u64,
            end: end as u64,
            number,
        };
        parser.push(line, &mut out);
        offset = end;
        if out.len() >= 1000 {
            entries += out.len() as u64;
            std::hint::black_box(&out);
            out.clear();
        }
    }
    parser.finish(&mut out);
    entries += out.len() as u64;
    std::hint::black_box(&out);
    (number, entries)
}

/// CPU time of this thread so far, from `/proc` (Linux; clock ticks of 10 ms). On a busy machine
/// the wall clock also counts the time spent waiting for a core; this does not.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let utime: u64 = fields.nth(11)?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((utime + stime) * 10))
}

fn main() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/genlogs.py");
    if !script.exists() {
        eprintln!("notice: {} not found; skipping", script.display());
        return;
    }
    let lines: u64 = std::env::var("LOGDEX_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let status = Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(dir.path())
        .args(["--lines", &lines.to_string(), "--jobs", "8", "--seed", "1"])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    if !status.success() {
        eprintln!("genlogs.py failed");
        std::process::exit(1);
    }

    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("read");
        files.push((
            path.file_name().map(|n| n.to_string_lossy().into_owned()),
            data,
        ));
    }
    files.sort();
    if let Ok(only) = std::env::var("LOGDEX_BENCH_ONLY") {
        files.retain(|(name, _)| name.as_deref().is_some_and(|n| n.contains(&only)));
    }

    for zone in [TimeZone::UTC, TimeZone::get("Europe/Berlin").expect("tzdb")] {
        let zone_name = zone.iana_name().unwrap_or("UTC").to_owned();
        // Best of three, to keep a cold cache or a busy neighbour out of the figure.
        let mut best = Duration::MAX;
        let mut best_cpu = Duration::MAX;
        let mut total_lines = 0;
        let mut per_file = Vec::new();
        for round in 0..3 {
            let start = Instant::now();
            let cpu_start = thread_cpu();
            total_lines = 0;
            for (name, data) in &files {
                let t = Instant::now();
                let (n, _) = parse(data, &zone);
                total_lines += n;
                if round == 2 {
                    per_file.push((name.clone(), n, t.elapsed()));
                }
            }
            best = best.min(start.elapsed());
            if let (Some(a), Some(b)) = (cpu_start, thread_cpu()) {
                best_cpu = best_cpu.min(b.saturating_sub(a));
            }
        }
        let bytes: usize = files.iter().map(|(_, d)| d.len()).sum();
        println!(
            "zone {zone_name}: {total_lines} lines, {:.1} MB in {:.3} s: {:.2} M lines/s, {:.0} MB/s",
            bytes as f64 / 1e6,
            best.as_secs_f64(),
            total_lines as f64 / best.as_secs_f64() / 1e6,
            bytes as f64 / best.as_secs_f64() / 1e6,
        );
        if best_cpu != Duration::MAX {
            println!(
                "  thread CPU time {:.3} s: {:.2} M lines/s",
                best_cpu.as_secs_f64(),
                total_lines as f64 / best_cpu.as_secs_f64() / 1e6
            );
        }
        for (name, n, t) in per_file {
            println!(
                "  {:<24} {:>8} lines {:>6.2} M lines/s",
                name.unwrap_or_default(),
                n,
                n as f64 / t.as_secs_f64() / 1e6
            );
        }
    }
}

//! The benchmark's parts: arguments and the database, the pseudo-terminal runs of the real
//! binary (`pty`), the app's loop driven by synthetic keys (`keys`), and the writer that
//! keeps the indexer busy (`feed`).

mod feed;
mod keys;
mod pty;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Read through memory maps as the browser does (its `READ_MAP`).
const READ_MAP: u64 = 64 << 20;

pub struct Args {
    pub db: Option<PathBuf>,
    pub samples: usize,
    pub feed_rounds: usize,
    pub pty: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        db: None,
        samples: 100,
        feed_rounds: 8,
        pty: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--db" => a.db = Some(PathBuf::from(value("--db")?)),
            "--samples" => {
                a.samples = value("--samples")?
                    .parse()
                    .map_err(|e| format!("--samples: {e}"))?
            }
            "--feed-rounds" => {
                a.feed_rounds = value("--feed-rounds")?
                    .parse()
                    .map_err(|e| format!("--feed-rounds: {e}"))?
            }
            "--no-pty" => a.pty = false,
            "--bench" => {}
            "--help" | "-h" => {
                println!(
                    "tui_speed [--db FILE] [--samples N (100)] [--feed-rounds N (8, 1M lines each)] [--no-pty]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    Ok(a)
}

pub fn main() -> Result<(), String> {
    let args = parse_args()?;
    let db = match &args.db {
        Some(db) => db.clone(),
        None => build_default_db()?,
    };
    let store = logdex::store::Store::open_existing(&db)
        .and_then(|s| s.map_reads(READ_MAP))
        .map_err(|e| e.to_string())?;
    let total = store
        .logs()
        .and_then(|l| l.stats(&Default::default(), 10))
        .map_err(|e| e.to_string())?
        .total;
    println!("database: {} ({} entries)\n", db.display(), total);
    if args.pty {
        let first = pty::first_frames(&db, 5)?;
        println!(
            "first frame with data from process start (5 runs): median {} ms, max {} ms",
            ms(first[first.len() / 2]),
            ms(first[first.len() - 1])
        );
        let rss = pty::peak_rss_while_browsing(&db)?;
        println!(
            "peak memory while browsing (VmHWM): {:.1} MB\n",
            rss as f64 / 1024.0
        );
    }
    println!(
        "keypress to frame (160x48), ms: first frame with the key | first answer in the list | complete list | list and counts"
    );
    let idle = keys::measure(&store, args.samples)?;
    keys::print("idle", &idle);
    drop(store);
    let copy = feed::scratch_copy(&db)?;
    // Opened for writing: brought to the current schema if the original is older.
    let store = logdex::store::Store::open(&copy.db())
        .and_then(|s| s.map_reads(READ_MAP))
        .map_err(|e| e.to_string())?;
    let writer = feed::start(&store, args.feed_rounds)?;
    let busy = keys::measure(&store, args.samples)?;
    let written = writer.stop();
    keys::print(
        &format!("while indexing ({written} entries written during the run)"),
        &busy,
    );
    Ok(())
}

pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

/// The percentile `p` (0..=100) of sorted durations.
pub fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) * p).div_ceil(100);
    sorted[i.min(sorted.len() - 1)]
}

fn shared(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(sub)
}

fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench")
}

/// `target/bench/tui5m.db`, built from genlogs when missing.
fn build_default_db() -> Result<PathBuf, String> {
    let dir = bench_dir();
    let db = dir.join("tui5m.db");
    if db.exists() {
        return Ok(db);
    }
    let corpus = dir.join("c5m");
    eprintln!(
        "building {} from genlogs (5M lines, 12 jobs)…",
        db.display()
    );
    run(std::process::Command::new("python3")
        .arg(shared("bench/genlogs.py"))
        .args(["--out"])
        .arg(&corpus)
        .args(["--lines", "5000000", "--jobs", "12"]))?;
    run(std::process::Command::new(env!("CARGO_BIN_EXE_logdex"))
        .arg("--db")
        .arg(&db)
        .args(["index", "-q"])
        .arg(&corpus))?;
    Ok(db)
}

fn run(cmd: &mut std::process::Command) -> Result<(), String> {
    let out = cmd
        .stdout(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

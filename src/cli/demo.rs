//! `logdex demo`: sample logs of six jobs written beside the database (in `logdex-demo/`) and
//! browsed like any other files — indexed into the database in use, the default one unless
//! `--db` says otherwise — with a line added every couple of seconds so there is something to
//! follow, and the definitions of most of those jobs (never replacing one already stored).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use super::Ctx;
use super::args::ColorArg;
use crate::display::format_ts_utc;
use crate::store::Store;

const FILES: [(&str, &str); 6] = [
    (
        "api-gateway.log",
        include_str!("../../assets/demo/api-gateway.log"),
    ),
    ("backup.log", include_str!("../../assets/demo/backup.log")),
    (
        "billing-sync.log",
        include_str!("../../assets/demo/billing-sync.log"),
    ),
    (
        "etl-orders.log",
        include_str!("../../assets/demo/etl-orders.log"),
    ),
    (
        "ingest-events.log",
        include_str!("../../assets/demo/ingest-events.log"),
    ),
    (
        "report-daily.log",
        include_str!("../../assets/demo/report-daily.log"),
    ),
];

const DEFINITIONS: &str = include_str!("../../assets/demo/jobs.yaml");

const LIVE: [(&str, &str); 6] = [
    ("INFO ", "scheduler: heartbeat ok, 6 jobs scheduled"),
    ("INFO ", "scheduler: run started for report-daily"),
    ("DEBUG", "scheduler: lease renewed for 30s"),
    ("WARN ", "scheduler: run of etl-orders is 12s late"),
    (
        "INFO ",
        "scheduler: run finished for report-daily status=ok",
    ),
    (
        "ERROR",
        "scheduler: upstream timeout after 30s talking to billing-api",
    ),
];

pub fn run(ctx: &Ctx, color: Option<ColorArg>, utc: bool) -> Result<()> {
    let home = ctx
        .paths
        .db
        .parent()
        .map_or_else(|| PathBuf::from("logdex-demo"), |d| d.join("logdex-demo"));
    let logs = home.join("logs");
    std::fs::create_dir_all(&logs).with_context(|| format!("cannot create {}", logs.display()))?;
    for (name, text) in FILES {
        let path = logs.join(name);
        if !path.exists() {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let live = logs.join("demo-live.log");
    append_live(&live, 0)?;
    std::thread::Builder::new()
        .name("logdex-demo".into())
        .spawn(move || {
            for n in 1.. {
                std::thread::sleep(Duration::from_secs(2));
                if append_live(&live, n).is_err() {
                    return;
                }
            }
        })?;
    define_jobs(ctx)?;
    let paths = vec![logs.to_string_lossy().into_owned()];
    super::browse::run(ctx, paths, None, color, utc)
}

/// Stores the demo's job definitions that the database does not have yet.
fn define_jobs(ctx: &Ctx) -> Result<()> {
    let defs = crate::jobs::parse(DEFINITIONS.as_bytes())
        .map_err(|p| anyhow::anyhow!("{}", p.render("assets/demo/jobs.yaml")))?;
    // A database that cannot be opened is the browser's to report (it reads the files then).
    let Ok(store) = Store::open(&ctx.paths.db) else {
        return Ok(());
    };
    let jobs = store.jobs()?;
    let mut new = Vec::new();
    for def in defs {
        if jobs.get(&def.id)?.is_none_or(|r| r.definition.is_none()) {
            new.push(def);
        }
    }
    if !new.is_empty() {
        store
            .jobs_mut()?
            .upsert(&new, false, crate::query::time::now_ms())?;
    }
    Ok(())
}

fn append_live(path: &Path, n: usize) -> Result<()> {
    let (level, message) = LIVE[n % LIVE.len()];
    let now = crate::query::time::now_ms();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{} {level} {message} (#{n})", format_ts_utc(now))?;
    Ok(())
}

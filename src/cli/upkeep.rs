//! Upkeep commands: prune, vacuum, backup, restore, check.

use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::Ctx;
use super::args::{BackupArgs, PruneArgs, RestoreArgs};
use super::live::{open_for_writing, stop_flag};
use crate::display::format_ts;
use crate::maintenance::{backup, retention};
use crate::query::Filter;
use crate::query::time::{format_duration_ms, now_ms, parse_duration_ms};
use crate::store::{Store, file_size};

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn total_size(ctx: &Ctx) -> u64 {
    file_size(&ctx.paths.db) + file_size(&crate::store::fts_path_for(&ctx.paths.db))
}

fn existing(ctx: &Ctx) -> Result<Store> {
    if !ctx.paths.db.exists() {
        bail!("no database at {} yet", ctx.paths.db.display());
    }
    Ok(Store::open_existing(&ctx.paths.db)?)
}

pub fn prune(ctx: &Ctx, a: &PruneArgs) -> Result<()> {
    let store = existing(ctx)?;
    let now = now_ms();
    let cuts = match &a.older_than {
        Some(age) => {
            let ms = parse_duration_ms(age).with_context(|| {
                format!("--older-than {age:?}: use a duration like 12h, 30d or 8w")
            })?;
            vec![retention::Cutoff {
                before: now - ms,
                sources: None,
            }]
        }
        None => retention::cutoffs(&ctx.config, &store.sources()?.list()?, now),
    };
    if a.dry_run {
        let repo = store.logs()?;
        let mut total = 0;
        for c in &cuts {
            let n = repo.count_older(c.before, c.sources.as_deref())?;
            total += n;
            println!(
                "would delete {n} entries from before {}{}",
                format_ts(c.before, &ctx.zone),
                c.sources
                    .as_ref()
                    .map_or(String::new(), |s| format!(" ({} sources)", s.len()))
            );
        }
        println!("would delete {total} entries in all (dry run: nothing deleted)");
        return Ok(());
    }
    drop(store);
    let stop = stop_flag()?;
    let Some((_store, mut writer)) = open_for_writing(ctx, &stop, super::live::Turn::Ask)? else {
        return Ok(());
    };
    let before = total_size(ctx);
    let (removed, _) = retention::prune(&mut writer, &cuts, None)?;
    // Give the freed pages back in steps (this is incremental; `logdex vacuum` compacts fully).
    while writer.give_back_space(10_000)? > 0 {}
    writer.finish()?;
    let after = total_size(ctx);
    let age = a
        .older_than
        .clone()
        .unwrap_or_else(|| format_duration_ms(ctx.config.retention_days() as i64 * 86_400_000));
    println!(
        "deleted {removed} entries older than {age}; database {} -> {}",
        mb(before),
        mb(after)
    );
    Ok(())
}

pub fn vacuum(ctx: &Ctx) -> Result<()> {
    existing(ctx)?;
    let stop = stop_flag()?;
    let Some((_store, writer)) = open_for_writing(ctx, &stop, super::live::Turn::Ask)? else {
        return Ok(());
    };
    let (before, after) = writer.vacuum()?;
    println!(
        "database {} -> {} (word index optimised, free pages returned)",
        mb(before),
        mb(after)
    );
    Ok(())
}

pub fn backup(ctx: &Ctx, a: &BackupArgs) -> Result<()> {
    let store = existing(ctx)?;
    let started = std::time::Instant::now();
    let made = match &a.dest {
        Some(d) if d.extension().is_some_and(|e| e == "db") => {
            store.backup_to(d)?;
            d.clone()
        }
        Some(dir) => backup::take(&store, dir, ctx.config.backup.keep)?,
        None => backup::take(
            &store,
            &ctx.config.backup.dir_for(&ctx.paths.db),
            ctx.config.backup.keep,
        )?,
    };
    let size = file_size(&made) + file_size(&crate::store::fts_path_for(&made));
    println!(
        "backup written to {} ({}, {:.2} s)",
        made.display(),
        mb(size),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn restore(ctx: &Ctx, a: &RestoreArgs) -> Result<()> {
    if !a.file.exists() {
        bail!("{}: no such backup", a.file.display());
    }
    let done = loop {
        match backup::restore(&ctx.paths.db, &a.file) {
            Err(crate::store::StoreError::WriterBusy { holder, .. }) => {
                eprintln!(
                    "logdex: another logdex process{holder} is indexing; waiting to restore…"
                );
                std::thread::sleep(Duration::from_secs(1));
            }
            other => break other?,
        }
    };
    match done.replaced {
        Some(p) => println!(
            "restored {} into {}; the database it replaced is kept at {}",
            a.file.display(),
            ctx.paths.db.display(),
            p.display()
        ),
        None => println!(
            "restored {} into {}",
            a.file.display(),
            ctx.paths.db.display()
        ),
    }
    Ok(())
}

pub fn check(ctx: &Ctx) -> Result<()> {
    if !ctx.paths.db.exists() {
        bail!("no database at {} yet", ctx.paths.db.display());
    }
    let words = crate::store::fts_path_for(&ctx.paths.db);
    println!(
        "database:   {} ({})",
        ctx.paths.db.display(),
        mb(file_size(&ctx.paths.db))
    );
    println!(
        "word index: {} ({})",
        words.display(),
        mb(file_size(&words))
    );
    // The checks first: a damaged file may not open as a store at all.
    let report = crate::store::integrity_of(&ctx.paths.db)?;
    if report.ok() {
        let store = existing(ctx)?;
        let entries = store.logs()?.count(&Filter::default())?;
        let sources = store.sources()?.list()?.len();
        println!("entries:    {entries} from {sources} sources");
        println!("integrity:  ok — both files passed SQLite's and FTS5's checks");
        return Ok(());
    }
    for p in &report.main {
        println!("damage in the database: {p}");
    }
    for p in &report.words {
        println!("damage in the word index: {p}");
    }
    bail!(
        "the database is damaged; `logdex index` (or any command that indexes) sets the damaged file aside and recovers from the newest backup and the log files"
    )
}

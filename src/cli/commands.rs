//! The commands behind the subcommands: index, search, stats, export, config.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::Ctx;
use super::args::{ExportArgs, IndexArgs, OutputFormat, SearchArgs, StatsArgs};
use super::filters;
use crate::display::{format_ts, format_ts_utc, zone_name};
use crate::export::EntryWriter;
use crate::ingest::discover::{SourceSpec, expand};
use crate::ingest::{IndexEvent, LogIndexer};
use crate::model::Level;
use crate::query::{Cursor, Order, PageRequest};
use crate::store::{Page, Store, StoreError};

fn open_existing(ctx: &Ctx) -> Result<Store> {
    if !ctx.paths.db.exists() {
        bail!(
            "no database at {} yet: index some logs first (logdex index PATH…)",
            ctx.paths.db.display()
        );
    }
    Ok(Store::open_existing(&ctx.paths.db)?)
}

/// The files to index: the paths given, else the configured sources.
pub(super) fn source_specs(
    ctx: &Ctx,
    a: &IndexArgs,
    warn: &mut dyn FnMut(&str, &str),
) -> Vec<SourceSpec> {
    let mut specs = Vec::new();
    let mut skipped = Vec::new();
    if a.paths.is_empty() {
        for s in &ctx.config.sources {
            let mut files = Vec::new();
            expand(&s.path, a.recursive, &mut files, &mut skipped);
            specs.extend(files.into_iter().map(|path| SourceSpec {
                path,
                job: s.job.clone(),
                format: s.format.clone(),
            }));
        }
    } else {
        for p in &a.paths {
            let mut files = Vec::new();
            expand(p, a.recursive, &mut files, &mut skipped);
            specs.extend(files.into_iter().map(|path| SourceSpec {
                path,
                job: a.job.clone(),
                format: a.format.clone(),
            }));
        }
    }
    for s in skipped {
        warn(&s.path, &s.reason);
    }
    specs.sort_by(|x, y| x.path.cmp(&y.path));
    specs.dedup_by(|x, y| x.path == y.path);
    specs
}

pub fn index(ctx: &Ctx, a: &IndexArgs) -> Result<()> {
    if a.paths.iter().any(|p| p == "-") {
        if a.paths.len() > 1 {
            bail!("`-` (standard input) cannot be mixed with other paths");
        }
        return super::live::index_stdin(ctx, a);
    }
    if a.follow {
        return super::live::index_follow(ctx, a);
    }
    let mut warnings = 0usize;
    let mut warn = |path: &str, reason: &str| {
        eprintln!("logdex: warning: {path}: {reason}");
        warnings += 1;
    };
    let specs = source_specs(ctx, a, &mut warn);
    if specs.is_empty() {
        if a.paths.is_empty() && ctx.config.sources.is_empty() {
            bail!(
                "nothing to index: name files, directories or globs, or add [[sources]] to the config"
            );
        }
        bail!("nothing to index: none of the named paths is a readable file");
    }
    let stop = super::live::stop_flag()?;
    let Some((_store, mut writer)) =
        super::live::open_for_writing(ctx, &stop, super::live::Turn::Ask)?
    else {
        return Ok(());
    };
    let opts = super::live::index_options(ctx);
    let bar = if !a.quiet && std::io::stderr().is_terminal() {
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        pb.enable_steady_tick(Duration::from_millis(120));
        Some(pb)
    } else {
        None
    };
    let summary = {
        let mut indexer = LogIndexer::new(&mut writer, opts);
        indexer.index(&specs, &mut |ev| match ev {
            IndexEvent::Planned { files, bytes } => {
                if let Some(pb) = &bar {
                    pb.set_length(bytes);
                    pb.set_message(format!("indexing {files} files"));
                }
            }
            IndexEvent::Progress { bytes, entries } => {
                if let Some(pb) = &bar {
                    pb.set_position(bytes);
                    pb.set_message(format!("{entries} entries"));
                }
            }
            IndexEvent::Skipped(s) => {
                let line = format!("logdex: warning: {}: {}", s.path, s.reason);
                match &bar {
                    Some(pb) => pb.suspend(|| eprintln!("{line}")),
                    None => eprintln!("{line}"),
                }
            }
            IndexEvent::Committed { .. } => {}
        })?
    };
    if let Some(pb) = &bar {
        pb.set_message("finishing the word index");
    }
    writer.finish()?;
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    let secs = summary.elapsed.as_secs_f64().max(1e-6);
    eprintln!(
        "indexed {} entries from {} files in {:.2}s ({:.0} entries/s) into {}",
        summary.entries,
        summary.files,
        secs,
        summary.entries as f64 / secs,
        ctx.paths.db.display()
    );
    Ok(())
}

/// Why the database cannot answer, when reading the files instead makes sense: anything but a
/// bad search (which the files could not answer either).
pub(super) fn unusable(e: &anyhow::Error) -> Option<String> {
    match e.downcast_ref::<StoreError>() {
        Some(StoreError::Search(_)) => None,
        Some(se) => Some(se.to_string()),
        None => e.downcast_ref::<NoDatabase>().map(ToString::to_string),
    }
}

#[derive(Debug, thiserror::Error)]
#[error("no database at {0} yet")]
struct NoDatabase(String);

fn usable_store(ctx: &Ctx) -> Result<Store> {
    if !ctx.paths.db.exists() {
        return Err(NoDatabase(ctx.paths.db.display().to_string()).into());
    }
    Ok(Store::open_existing(&ctx.paths.db)?)
}

/// The configured sources as files, for reading without the database.
fn fallback_specs(ctx: &Ctx) -> Vec<SourceSpec> {
    let a = IndexArgs {
        paths: Vec::new(),
        follow: false,
        poll: false,
        job: None,
        format: None,
        recursive: false,
        quiet: true,
    };
    source_specs(ctx, &a, &mut |_, _| {})
}

/// Says that files are read directly, and why; None when there is nothing to read either.
fn degrade(ctx: &Ctx, reason: &str) -> Option<Vec<SourceSpec>> {
    let specs = fallback_specs(ctx);
    if specs.is_empty() {
        return None;
    }
    eprintln!("logdex: warning: degraded: reading files directly — {reason}");
    Some(specs)
}

/// Bytes read from the end of each file for a search without the database.
const FALLBACK_TAIL: u64 = 32 << 20;

pub fn search(ctx: &Ctx, a: &SearchArgs) -> Result<()> {
    let filter = filters::build(&a.query, &a.filter, &ctx.zone)?;
    let cursor = a
        .cursor
        .as_deref()
        .map(|c| {
            Cursor::decode(c).with_context(|| {
                format!("bad --cursor {c:?}: use the value an earlier page printed")
            })
        })
        .transpose()?;
    let order = if a.oldest_first {
        Order::OldestFirst
    } else {
        Order::NewestFirst
    };
    let request = PageRequest {
        filter: filter.clone(),
        order,
        cursor,
        limit: a.limit.max(1),
    };
    let page = (|| -> Result<Page> { Ok(usable_store(ctx)?.logs()?.page(&request)?) })();
    let page = match page {
        Ok(p) => p,
        Err(e) => {
            let Some(specs) = unusable(&e).and_then(|why| degrade(ctx, &why)) else {
                return Err(e);
            };
            let opts = super::live::index_options(ctx);
            let mut entries =
                crate::ingest::scan::newest(&specs, &opts, &filter, a.limit.max(1), FALLBACK_TAIL);
            if a.oldest_first {
                entries.reverse();
            }
            Page {
                entries,
                next: None,
                prev: None,
            }
        }
    };
    let stdout = std::io::stdout().lock();
    let mut w = EntryWriter::new(
        a.format,
        std::io::BufWriter::new(stdout),
        ctx.zone.clone(),
        true,
    )?;
    for e in &page.entries {
        w.write(e)?;
    }
    w.finish()?;
    if let Some(next) = page.next {
        eprintln!("more: --cursor {}", next.encode());
    }
    Ok(())
}

pub fn export(ctx: &Ctx, a: &ExportArgs) -> Result<()> {
    let filter = filters::build(&a.query, &a.filter, &ctx.zone)?;
    let order = if a.newest_first {
        Order::NewestFirst
    } else {
        Order::OldestFirst
    };
    let (out, escape): (Box<dyn Write>, bool) = match &a.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            (Box::new(std::io::BufWriter::new(file)), false)
        }
        None => {
            let stdout = std::io::stdout();
            let tty = stdout.is_terminal();
            (Box::new(std::io::BufWriter::new(stdout.lock())), tty)
        }
    };
    let mut w = EntryWriter::new(a.format, out, ctx.zone.clone(), escape)?;
    let from_db = (|| -> Result<u64> {
        let store = usable_store(ctx)?;
        Ok(store.logs()?.for_each(&filter, order, |e| w.write(&e))?)
    })();
    if let Err(e) = from_db {
        let Some(specs) = unusable(&e).and_then(|why| degrade(ctx, &why)) else {
            return Err(e);
        };
        let opts = super::live::index_options(ctx);
        let mut failed = None;
        if order == Order::OldestFirst {
            crate::ingest::scan::for_each(
                &specs,
                &opts,
                &filter,
                None,
                &mut |e| match w.write(&e) {
                    Ok(()) => true,
                    Err(err) => {
                        failed = Some(err);
                        false
                    }
                },
            );
        } else {
            let mut all = Vec::new();
            crate::ingest::scan::for_each(&specs, &opts, &filter, None, &mut |e| {
                all.push(e);
                true
            });
            for e in all.iter().rev() {
                w.write(e)?;
            }
        }
        if let Some(err) = failed {
            return Err(err.into());
        }
    }
    let n = w.finish()?;
    if let Some(path) = &a.output {
        eprintln!("exported {n} entries to {}", path.display());
    }
    Ok(())
}

fn level_key(i: usize) -> &'static str {
    if i == 0 {
        "unknown"
    } else {
        Level::ALL[i - 1].name()
    }
}

pub fn stats(ctx: &Ctx, a: &StatsArgs) -> Result<()> {
    let filter = filters::build(&a.query, &a.filter, &ctx.zone)?;
    let store = open_existing(ctx)?;
    let s = store.logs()?.stats(&filter, a.buckets.max(1))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.json {
        let levels: serde_json::Map<String, serde_json::Value> = (0..7)
            .map(|i| (level_key(i).to_string(), json!(s.levels[i])))
            .collect();
        let jobs: serde_json::Map<String, serde_json::Value> =
            s.jobs.iter().map(|(n, c)| (n.clone(), json!(c))).collect();
        let buckets: Vec<serde_json::Value> = s
            .buckets
            .iter()
            .map(|b| {
                let lv: serde_json::Map<String, serde_json::Value> = (0..7)
                    .filter(|i| b.counts[*i] > 0)
                    .map(|i| (level_key(i).to_string(), json!(b.counts[i])))
                    .collect();
                json!({"start": format_ts_utc(b.start), "total": b.total(), "levels": lv})
            })
            .collect();
        let v = json!({
            "total": s.total,
            "levels": levels,
            "jobs": jobs,
            "first_ts": s.first_ts.map(format_ts_utc),
            "last_ts": s.last_ts.map(format_ts_utc),
            "bucket_ms": s.bucket_ms,
            "buckets": buckets,
        });
        serde_json::to_writer_pretty(&mut out, &v)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "entries  {}", s.total)?;
    if let (Some(f), Some(l)) = (s.first_ts, s.last_ts) {
        writeln!(
            out,
            "range    {} .. {} ({})",
            format_ts(f, &ctx.zone),
            format_ts(l, &ctx.zone),
            zone_name(&ctx.zone)
        )?;
    }
    writeln!(out, "\nlevels")?;
    for i in (0..7).rev() {
        if s.levels[i] > 0 {
            writeln!(out, "  {:<8} {:>10}", level_key(i), s.levels[i])?;
        }
    }
    writeln!(out, "\njobs")?;
    for (name, n) in &s.jobs {
        writeln!(
            out,
            "  {:<24} {:>10}",
            crate::display::escape(name, false),
            n
        )?;
    }
    if !s.buckets.is_empty() {
        let max = s
            .buckets
            .iter()
            .map(|b| b.total())
            .max()
            .unwrap_or(1)
            .max(1);
        let bars: String = s
            .buckets
            .iter()
            .map(|b| {
                const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
                let t = b.total();
                let i = if t == 0 {
                    0
                } else {
                    1 + (t * 7 / max) as usize
                };
                BLOCKS[i.min(8)]
            })
            .collect();
        writeln!(
            out,
            "\nhistogram ({} buckets of {})\n  {bars}",
            s.buckets.len(),
            crate::query::time::format_duration_ms(s.bucket_ms)
        )?;
    }
    Ok(())
}

pub fn show_config(ctx: &Ctx) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "# config file: {}{}",
        ctx.paths.config.display(),
        if ctx.paths.config.exists() {
            ""
        } else {
            " (not present: defaults)"
        }
    )?;
    writeln!(out, "# database:    {}", ctx.paths.db.display())?;
    writeln!(
        out,
        "# word index:  {}",
        crate::store::fts_path_for(&ctx.paths.db).display()
    )?;
    writeln!(out, "# time zone:   {}", zone_name(&ctx.zone))?;
    writeln!(out, "{}", toml::to_string_pretty(&ctx.config)?)?;
    let _ = OutputFormat::Text;
    Ok(())
}

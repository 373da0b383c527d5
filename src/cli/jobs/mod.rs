//! `logdex jobs import|export|list`: the grammar, and the scheduler's job definitions in and out
//! of the store. `list` shows the jobs with their recent activity; `sources` adds the defined
//! jobs' log paths to the sources when the config asks for it.

mod list;
mod sources;

pub use sources::add_log_paths;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};

use super::Ctx;
use crate::display::escape;
use crate::jobs::{Changes, ExportFormat};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Import job definitions from a scheduler's YAML file (a list under `jobs:`, or a mapping
    /// by id); nothing is imported unless every job is valid.
    Import(ImportArgs),
    /// Write the stored definitions as YAML or JSON; importing the result and exporting again
    /// gives the same bytes.
    Export(ExportArgs),
    /// Jobs with their schedule, state and last 24 hours, including jobs only seen in logs.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The jobs file (`-` reads standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check the file and show what would change, without writing anything.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Also remove the definitions of jobs the file does not list.
    #[arg(long)]
    pub prune: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Yaml)]
    pub format: Format,
    /// Output file, replaced whole (default: stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Ctx, command: &JobsCommand) -> Result<()> {
    match command {
        JobsCommand::Import(a) => import(ctx, a),
        JobsCommand::Export(a) => export(ctx, a),
        JobsCommand::List(a) => list::run(ctx, a),
    }
}

/// The database for commands that only read jobs: brought up to date when it can be written,
/// read as it is otherwise.
pub(super) fn open_for_reading(ctx: &Ctx) -> Result<Store> {
    let db = &ctx.paths.db;
    if !db.exists() {
        bail!(
            "no database at {} yet: import jobs first (logdex jobs import FILE)",
            db.display()
        );
    }
    match Store::open(db) {
        Ok(s) => Ok(s),
        Err(_) => Ok(Store::open_existing(db)?),
    }
}

fn read_input(file: &Path) -> Result<(Vec<u8>, String)> {
    if file == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        return Ok((bytes, "<stdin>".into()));
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok((bytes, file.display().to_string()))
}

fn import(ctx: &Ctx, a: &ImportArgs) -> Result<()> {
    let (bytes, name) = read_input(&a.file)?;
    let jobs = match crate::jobs::parse(&bytes) {
        Ok(jobs) => jobs,
        Err(problems) => {
            eprint!("{}", escape(&problems.render(&name), true));
            bail!("{name}: {}; nothing was imported", problems.summary());
        }
    };
    let store = Store::open(&ctx.paths.db)?;
    let changes = if a.dry_run {
        store.jobs()?.preview(&jobs, a.prune)?
    } else {
        store
            .jobs_mut()?
            .upsert(&jobs, a.prune, crate::query::time::now_ms())?
    };
    let mut out = std::io::stdout().lock();
    report(&mut out, &changes, a.dry_run)?;
    let (added, updated, unchanged, removed) = (
        changes.added.len(),
        changes.updated.len(),
        changes.unchanged.len(),
        changes.removed.len(),
    );
    let pruned = |text: String| if a.prune { text } else { String::new() };
    if a.dry_run {
        writeln!(
            out,
            "{name}: {} valid; importing would add {added}, update {updated}, leave {unchanged} unchanged{} (dry run: nothing written)",
            plural(jobs.len(), "job"),
            pruned(format!(", remove {removed}")),
        )?;
    } else {
        writeln!(
            out,
            "{name}: imported {}: {added} added, {updated} updated, {unchanged} unchanged{}",
            plural(jobs.len(), "job"),
            pruned(format!(", {removed} removed")),
        )?;
    }
    Ok(())
}

pub(super) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// One line per job that changes.
fn report(out: &mut impl Write, c: &Changes, dry_run: bool) -> Result<()> {
    let verb = |done: &'static str, todo: &'static str| if dry_run { todo } else { done };
    for j in &c.added {
        writeln!(out, "{:<8} {}", verb("added", "add"), escape(&j.id, false))?;
    }
    for u in &c.updated {
        writeln!(
            out,
            "{:<8} {} ({})",
            verb("updated", "update"),
            escape(&u.job.id, false),
            u.fields.join(", ")
        )?;
    }
    for id in &c.removed {
        writeln!(
            out,
            "{:<8} {}",
            verb("removed", "remove"),
            escape(id, false)
        )?;
    }
    Ok(())
}

fn export(ctx: &Ctx, a: &ExportArgs) -> Result<()> {
    let store = open_for_reading(ctx)?;
    let jobs = store.jobs()?.definitions()?;
    let format = match a.format {
        Format::Yaml => ExportFormat::Yaml,
        Format::Json => ExportFormat::Json,
    };
    let text = format.render(&jobs)?;
    match &a.output {
        Some(path) => {
            write_replacing(path, text.as_bytes())?;
            eprintln!(
                "exported {} to {}",
                plural(jobs.len(), "job"),
                path.display()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(())
}

/// Writes a file beside its final name and renames it into place, so a reader (or a crash)
/// never sees half an export.
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let written = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

//! The default command: the browser over the database, indexing the named paths (or the
//! configured sources) in the background while it is already on screen. When the database
//! cannot be used, the browser reads those files directly instead, under a banner saying why.
//! With a pipe on standard input and no PATH named, the pipe is the source (its own job), read
//! live while the browser is on screen; the browser's keys then come from the terminal itself.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Ctx;
use super::args::{ColorArg, IndexArgs};
use super::commands::{source_specs, unusable};
use super::live;
use crate::ingest::SourceSpec;
use crate::maintenance::recover;
use crate::store::Store;
use crate::tui::{ColorChoice, Files, IndexJob, Keymap, Launch, Settings, Source, Theme};

pub fn run(
    ctx: &Ctx,
    paths: Vec<String>,
    job: Option<String>,
    color: Option<ColorArg>,
    utc: bool,
) -> Result<()> {
    let piped = paths.is_empty() && piped_stdin();
    if job.is_some() && !piped {
        bail!(
            "--job names the job of piped input, and nothing is piped in (`some-command | logdex --job NAME`); to index files under a job, use `logdex index --job NAME PATH…`"
        );
    }
    let (index, files) = if piped {
        (
            Some(stdin_job(ctx, job.unwrap_or_else(|| "stdin".into()))),
            Vec::new(),
        )
    } else {
        index_job(ctx, paths)?
    };
    let mut recovered = None;
    let opened = (|| -> Result<Store> {
        let store = if index.is_some() {
            // The browser indexes: a damaged database is recovered first, as by `index`.
            let backups = ctx.config.backup.dir_for(&ctx.paths.db);
            let (store, recovery) = recover::open(&ctx.paths.db, &backups, false)?;
            recovered = recovery.map(|r| r.to_string());
            store
        } else if !ctx.paths.db.exists() {
            Store::open(&ctx.paths.db)?
        } else {
            Store::open_existing(&ctx.paths.db)?
        };
        // The browser reads while a writer commits (its own indexer or another process's).
        Ok(store.map_reads(live::READ_MAP)?)
    })();
    match opened {
        Ok(store) => launch(ctx, Source::Store(store), index, recovered, color, utc),
        Err(e) => match unusable(&e).filter(|_| !files.is_empty()) {
            Some(why) => {
                let files = Files::new(files, live::index_options(ctx), reason(ctx, &why));
                launch(ctx, Source::Files(files), None, None, color, utc)
            }
            None => Err(e),
        },
    }
}

/// What is wrong with the database, naming it when the error does not.
fn reason(ctx: &Ctx, why: &str) -> String {
    let db = ctx.paths.db.display().to_string();
    if why.contains(&db) {
        why.to_string()
    } else {
        format!("database {db}: {why}")
    }
}

/// Opens the browser over `source`; `utc` starts it in UTC (`Z` switches to the configured
/// zone).
pub fn launch(
    ctx: &Ctx,
    source: Source,
    index: Option<IndexJob>,
    recovered: Option<String>,
    color: Option<ColorArg>,
    utc: bool,
) -> Result<()> {
    let keymap = Keymap::with_overrides(&ctx.config.keys)
        .with_context(|| format!("config file {}", ctx.paths.config.display()))?;
    let config_color = ctx.config.ui.color.as_deref().and_then(ColorChoice::parse);
    let theme = Theme::choose(
        color.map(|c| match c {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }),
        config_color,
        std::env::var("NO_COLOR").ok().as_deref(),
        std::env::var("TERM").ok().as_deref(),
    );
    let settings = Settings {
        db_label: home_relative(&ctx.paths.db),
        zone: ctx.config.zone(),
        utc,
        export_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        keymap,
    };
    crate::tui::run(Launch {
        source,
        settings,
        theme,
        index,
        recovered,
    })?;
    Ok(())
}

/// Standard input is a pipe or a file (not a terminal, nor a device such as /dev/null).
fn piped_stdin() -> bool {
    use std::io::IsTerminal;
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return false;
    }
    stdin
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|f| f.metadata())
        .is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_file())
}

/// Standard input as the one source, as job `job`.
fn stdin_job(ctx: &Ctx, job: String) -> IndexJob {
    IndexJob {
        patterns: Vec::new(),
        options: live::index_options(ctx),
        follow: live::follow_options(ctx, false),
        db: ctx.paths.db.clone(),
        config: ctx.config.clone(),
        stdin: Some(job),
        job_paths: false,
    }
}

/// The files to index and follow while browsing: the paths named, else the configured sources;
/// and the files they name now (read directly when the database cannot be used).
fn index_job(ctx: &Ctx, paths: Vec<String>) -> Result<(Option<IndexJob>, Vec<SourceSpec>)> {
    if paths.is_empty() && ctx.config.sources.is_empty() {
        return Ok((None, Vec::new()));
    }
    let args = IndexArgs {
        paths,
        follow: true,
        poll: false,
        job: None,
        format: None,
        recursive: false,
        quiet: true,
    };
    // Named paths that give no file are an error now, not a quiet empty screen.
    let files = source_specs(ctx, &args, &mut |path, reason| {
        eprintln!("logdex: warning: {path}: {reason}");
    });
    if files.is_empty() && !args.paths.is_empty() {
        bail!("nothing to index: none of the named paths is a readable file");
    }
    let job_paths = args.paths.is_empty() && ctx.config.jobs.follow_log_paths;
    let job = IndexJob {
        job_paths,
        patterns: live::patterns(ctx, &args),
        options: live::index_options(ctx),
        follow: live::follow_options(ctx, false),
        db: ctx.paths.db.clone(),
        config: ctx.config.clone(),
        stdin: None,
    };
    Ok((Some(job), files))
}

/// `~/…` for paths under the home directory.
fn home_relative(p: &std::path::Path) -> String {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match home.as_deref().and_then(|h| p.strip_prefix(h).ok()) {
        Some(rest) if home.as_deref() != Some(std::path::Path::new("")) => {
            format!("~/{}", rest.display())
        }
        _ => p.display().to_string(),
    }
}

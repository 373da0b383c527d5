//! The default command: the browser over the database, indexing the named paths (or the
//! configured sources) in the background while it is already on screen.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};

use super::Ctx;
use super::args::{ColorArg, IndexArgs};
use super::commands::source_specs;
use super::live;
use crate::store::Store;
use crate::tui::{ColorChoice, IndexJob, Keymap, Launch, Settings, Theme};

pub fn run(ctx: &Ctx, paths: Vec<String>, color: Option<ColorArg>, utc: bool) -> Result<()> {
    let index = index_job(ctx, paths)?;
    let store = if index.is_some() || !ctx.paths.db.exists() {
        Store::open(&ctx.paths.db)?
    } else {
        Store::open_existing(&ctx.paths.db)?
    };
    launch(ctx, store, index, color, utc)
}

/// Opens the browser over `store`; `utc` starts it in UTC (`Z` switches to the configured zone).
pub fn launch(
    ctx: &Ctx,
    store: Store,
    index: Option<IndexJob>,
    color: Option<ColorArg>,
    utc: bool,
) -> Result<()> {
    // The browser reads while a writer commits (its own indexer or another process's).
    let store = store.map_reads(live::READ_MAP)?;
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
        db_label: home_relative(store.path()),
        zone: ctx.config.zone(),
        utc,
        export_dir: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        keymap,
    };
    crate::tui::run(Launch {
        store,
        settings,
        theme,
        index,
    })?;
    Ok(())
}

/// The files to index and follow while browsing: the paths named, else the configured sources.
fn index_job(ctx: &Ctx, paths: Vec<String>) -> Result<Option<IndexJob>> {
    if paths.is_empty() && ctx.config.sources.is_empty() {
        return Ok(None);
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
    Ok(Some(IndexJob {
        patterns: live::patterns(ctx, &args),
        options: live::index_options(ctx),
        follow: live::follow_options(ctx, false),
    }))
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

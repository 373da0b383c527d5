//! The command line's grammar (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "logdex",
    version,
    about = "Index job logs into SQLite and search, filter, count and follow them.",
    after_help = "Run `logdex PATH…` to index PATH and browse it, `logdex demo` for sample logs."
)]
pub struct Cli {
    /// Database file [default: the XDG data dir, e.g. ~/.local/share/logdex/logdex.db]
    #[arg(long, global = true, env = "LOGDEX_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Config file [default: ~/.config/logdex/config.toml]
    #[arg(long, global = true, env = "LOGDEX_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Show and read times in UTC instead of the configured zone.
    #[arg(long, global = true)]
    pub utc: bool,
    /// Colours in the browser [default: the config's ui.color, else auto: on unless NO_COLOR is set]
    #[arg(long, global = true, value_enum, value_name = "WHEN")]
    pub color: Option<ColorArg>,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Files, directories or globs to index and browse.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// The job of what is piped into the browser (`some-command | logdex --job NAME`) [default: stdin]
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files, directories or globs (from their checkpoints: nothing is indexed twice).
    Index(IndexArgs),
    /// Search entries (words, "phrases", prefix*, AND/OR/NOT, or --regex).
    Search(SearchArgs),
    /// Counts per level and job, first and last time, and a histogram.
    Stats(StatsArgs),
    /// Write every matching entry to a file or stdout, streamed.
    Export(ExportArgs),
    /// Print matching entries as they are indexed, like `tail -f` over the whole store.
    Tail(TailArgs),
    /// Index a history of logs (directories searched recursively; rotated and .gz files too).
    Import(ImportArgs),
    /// Delete entries older than the retention (or --older-than).
    Prune(PruneArgs),
    /// Rebuild the database compactly and report its size before and after.
    Vacuum,
    /// Take a consistent copy of the database while indexing goes on.
    Backup(BackupArgs),
    /// Replace the database with a backup (checked first; the replaced one is kept aside).
    Restore(RestoreArgs),
    /// Check the database's integrity and report in plain words.
    Check,
    /// Show the effective config and the paths in use.
    Config,
    /// Job definitions: import the scheduler's jobs file, export them, list jobs and their activity.
    #[command(subcommand)]
    Jobs(super::jobs::JobsCommand),
    /// Browse sample logs (written beside the database, with a line added every few seconds).
    Demo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Files, directories or globs; `-` reads standard input. Default: the configured sources.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Keep watching and indexing until stopped (SIGINT/SIGTERM).
    #[arg(short = 'F', long)]
    pub follow: bool,
    /// Notice changes by polling only (for file systems that deliver no events).
    #[arg(long)]
    pub poll: bool,
    /// Job name for these files (default: from the file name, or a `job` field in the line).
    #[arg(long)]
    pub job: Option<String>,
    /// Format name, skipping detection.
    #[arg(long)]
    pub format: Option<String>,
    /// Descend into directories.
    #[arg(short, long)]
    pub recursive: bool,
    /// Never show a progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only these jobs (repeat or comma-separate).
    #[arg(long = "job", short = 'j', value_delimiter = ',', value_name = "NAME")]
    pub jobs: Vec<String>,
    /// Only these levels (repeat or comma-separate: trace, debug, info, warn, error, fatal, unknown).
    #[arg(
        long = "level",
        short = 'l',
        value_delimiter = ',',
        value_name = "LEVEL"
    )]
    pub levels: Vec<String>,
    /// Only this level and above.
    #[arg(long, value_name = "LEVEL", conflicts_with = "levels")]
    pub min_level: Option<String>,
    /// From this time: a duration ago (15m, 2h, 7d) or a date/time (2026-11-02T12:00).
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Before this time (same forms as --since).
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Treat the search text as a regular expression.
    #[arg(long, short = 'e')]
    pub regex: bool,
}

pub use crate::export::Format as OutputFormat;

impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &OutputFormat::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for; empty matches everything.
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Entries per page.
    #[arg(long, short = 'n', default_value_t = 50)]
    pub limit: usize,
    /// Continue from a cursor printed by an earlier page.
    #[arg(long)]
    pub cursor: Option<String>,
    /// Oldest first instead of newest first.
    #[arg(long)]
    pub oldest_first: bool,
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Restrict to entries matching this search.
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Most histogram buckets.
    #[arg(long, default_value_t = 100)]
    pub buckets: usize,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Restrict to entries matching this search.
    #[arg(long, short = 'q', default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Ndjson)]
    pub format: OutputFormat,
    /// Output file (default: stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Oldest first (the default for export) or newest first.
    #[arg(long)]
    pub newest_first: bool,
}

#[derive(Debug, Args)]
pub struct TailArgs {
    /// Only entries matching this search.
    #[arg(value_name = "QUERY", default_value = "")]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Start with the last N matching entries.
    #[arg(short = 'n', long = "lines", default_value_t = 10)]
    pub lines: usize,
    #[arg(long, short = 'f', value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Only print; never index the configured sources (another process does).
    #[arg(long)]
    pub no_index: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Directories or files holding the history.
    #[arg(value_name = "DIR", required = true)]
    pub paths: Vec<String>,
    /// Job name for these files (default: from the file names).
    #[arg(long)]
    pub job: Option<String>,
    /// Never show a progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Delete entries older than this (15m, 2h, 30d); default: the configured retention.
    #[arg(long, value_name = "AGE")]
    pub older_than: Option<String>,
    /// Only say what would be deleted.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// A directory for the backup (named by time), or a file name ending in .db.
    #[arg(value_name = "DEST")]
    pub dest: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore (its word index, FILE's .fts.db, is restored with it if present).
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
}

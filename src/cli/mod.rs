//! The command line: parses arguments (clap), runs a command, and turns its outcome into an exit
//! code (0 ok, 1 error, 2 usage) and one clear line on stderr. The only module that uses `anyhow`.

mod args;
mod browse;
mod commands;
mod demo;
mod filters;
mod jobs;
mod live;
mod upkeep;

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

pub use args::Cli;
use args::Command;

use crate::config::{Config, Paths};

/// What every command needs: the config, the paths and the display zone.
pub struct Ctx {
    pub config: Config,
    pub paths: Paths,
    pub zone: jiff::tz::TimeZone,
}

impl Ctx {
    fn load(cli: &Cli) -> Result<Ctx> {
        let probe = Paths::resolve(cli.config.as_deref(), cli.db.as_deref(), None);
        let mut config = Config::load(&probe.config, probe.config_explicit)?;
        let paths = Paths::resolve(
            cli.config.as_deref(),
            cli.db.as_deref(),
            config.db.as_deref(),
        );
        jobs::add_log_paths(&mut config, &paths.db);
        let zone = if cli.utc {
            jiff::tz::TimeZone::UTC
        } else {
            config.zone()
        };
        Ok(Ctx {
            config,
            paths,
            zone,
        })
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    init_tracing();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("logdex: error: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOGDEX_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// The error and its causes on one line, without repeating a cause already in the message.
fn one_line(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if out.contains(&s) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&s);
    }
    out.replace('\n', " ")
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> Result<()> {
    let ctx = Ctx::load(&cli)?;
    match cli.command {
        Some(Command::Index(a)) => commands::index(&ctx, &a),
        Some(Command::Search(a)) => commands::search(&ctx, &a),
        Some(Command::Stats(a)) => commands::stats(&ctx, &a),
        Some(Command::Export(a)) => commands::export(&ctx, &a),
        Some(Command::Tail(a)) => live::tail(&ctx, &a),
        Some(Command::Import(a)) => commands::index(
            &ctx,
            &args::IndexArgs {
                paths: a.paths,
                follow: false,
                poll: false,
                job: a.job,
                format: None,
                recursive: true,
                quiet: a.quiet,
            },
        ),
        Some(Command::Prune(a)) => upkeep::prune(&ctx, &a),
        Some(Command::Vacuum) => upkeep::vacuum(&ctx),
        Some(Command::Backup(a)) => upkeep::backup(&ctx, &a),
        Some(Command::Restore(a)) => upkeep::restore(&ctx, &a),
        Some(Command::Check) => upkeep::check(&ctx),
        Some(Command::Config) => commands::show_config(&ctx),
        Some(Command::Jobs(c)) => jobs::run(&ctx, &c),
        Some(Command::Demo) => demo::run(&ctx, cli.color, cli.utc),
        None => browse::run(&ctx, cli.paths, cli.job, cli.color, cli.utc),
    }
}

//! The interactive browser (ratatui): the only module with terminal code.
//!
//! Keys become [`Action`]s through the [`keymap`]; [`app::App::update`] is the only place state
//! changes and returns [`Effect`]s as data; the [`worker`] runs queries on blocking tasks and
//! answers with actions that carry generations (stale ones are dropped); the [`runtime`] loop
//! selects over input, replies and the clock and draws at most once per frame; [`panes`] draw
//! borrowed views of the state.
//!
//! | module      | owns                                                              |
//! |-------------|-------------------------------------------------------------------|
//! | `action`    | the inputs of the state machine (commands, replies, signals)      |
//! | `effect`    | its outputs (queries, clipboard, timers, quit)                    |
//! | `app`       | the state and `update`                                            |
//! | `keymap`    | ordered key rules with descriptions; config overrides; help       |
//! | `layout`    | where panes and columns go (shared by drawing and clicks)         |
//! | `panes`     | drawing                                                           |
//! | `text`      | log text made safe and highlighted for the screen                 |
//! | `theme`     | colours, and the monochrome fallback                              |
//! | `worker`    | queries off the UI thread                                         |
//! | `source`    | the database, or the log files read directly when it is unusable  |
//! | `indexer`   | background indexing and watching for other writers                |
//! | `runtime`   | the event loop                                                    |
//! | `terminal`  | raw mode, alternate screen, restore on quit, panic and signals    |

pub mod action;
pub mod app;
pub mod effect;
pub mod indexer;
pub mod keymap;
pub mod layout;
pub mod panes;
pub mod runtime;
pub mod source;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod worker;

use crossterm::event::EventStream;
use futures_util::StreamExt;
use tokio::sync::mpsc::unbounded_channel;

pub use action::{Action, Command};
pub use app::{App, Settings};
pub use effect::Effect;
pub use indexer::IndexJob;
pub use keymap::{Keymap, KeymapError};
pub use source::{Files, Source};
pub use theme::{ColorChoice, Theme};

/// Everything the browser starts from.
pub struct Launch {
    /// The database, or the files when it cannot be used.
    pub source: Source,
    pub settings: Settings,
    pub theme: Theme,
    /// Files to index in the background while browsing (not when reading files directly).
    pub index: Option<IndexJob>,
    /// What was done to recover a damaged database on opening it, if anything.
    pub recovered: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error("cannot use the terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

/// Runs the browser until the person quits (or SIGTERM/SIGHUP/SIGINT), then restores the
/// terminal.
pub fn run(launch: Launch) -> Result<(), TuiError> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let result = rt.block_on(browse(launch));
    // Queries still running are abandoned; the indexer thread stops with the process (a batch
    // cut short is rolled back, and indexing resumes from its checkpoint next time).
    rt.shutdown_background();
    result
}

async fn browse(launch: Launch) -> Result<(), TuiError> {
    let Launch {
        source,
        settings,
        theme,
        index,
        recovered,
    } = launch;
    let (actions_tx, actions_rx) = unbounded_channel();
    let (events_tx, events_rx) = unbounded_channel();
    let mut guard = terminal::TerminalGuard::enter()?;
    let worker = worker::Worker::new(source.clone(), actions_tx.clone());
    let reader = worker.clone();
    let background = match &source {
        Source::Store(store) => Some(indexer::start(
            store.clone(),
            index,
            actions_tx.clone(),
            Box::new(move |s| reader.use_store(s)),
        )),
        Source::Files(_) => None,
    };
    if let Some(r) = recovered {
        let _ = actions_tx.send(Action::Indexer(action::IndexerSignal::Recovered(r)));
    }
    tokio::spawn(async move {
        let mut input = EventStream::new();
        while let Some(Ok(ev)) = input.next().await {
            if events_tx.send(ev).is_err() {
                break;
            }
        }
    });
    spawn_signal_handlers(actions_tx.clone());
    let wiring = runtime::Wiring {
        events: events_rx,
        actions: actions_rx,
        actions_tx: actions_tx.clone(),
        worker,
        copy: Box::new(terminal::copy_to_clipboard),
        frames: None,
    };
    let mut app = App::new(settings);
    app.degraded = source.degraded().map(str::to_string);
    let result = runtime::run_loop(&mut guard.terminal, &mut app, &theme, wiring).await;
    drop(guard);
    // What was read from a pipe is committed before the process ends.
    if let Some(b) = background {
        tokio::task::block_in_place(|| b.finish());
    }
    result?;
    Ok(())
}

/// SIGTERM, SIGHUP and SIGINT quit the browser the ordinary way, so the terminal is restored.
fn spawn_signal_handlers(tx: tokio::sync::mpsc::UnboundedSender<Action>) {
    use tokio::signal::unix::{SignalKind, signal};
    for kind in [
        SignalKind::terminate(),
        SignalKind::hangup(),
        SignalKind::interrupt(),
    ] {
        let Ok(mut s) = signal(kind) else { continue };
        let tx = tx.clone();
        tokio::spawn(async move {
            if s.recv().await.is_some() {
                let _ = tx.send(Action::Run(Command::Quit));
            }
        });
    }
}

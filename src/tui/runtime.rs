//! The loop: one `tokio::select!` over terminal events, replies and signals (one action channel),
//! and the clock. It feeds the app, runs the effects it returns, drains whatever else is pending,
//! and draws at most once per frame. Generic over the backend and the event source, so tests and
//! the benchmark drive the same loop with synthetic keys.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};
use tui_input::InputRequest;

use super::action::Action;
use super::app::App;
use super::effect::Effect;
use super::panes::{Ui, cursor};
use super::theme::Theme;
use super::worker::Worker;

/// Shortest time between two frames.
const FRAME: Duration = Duration::from_millis(8);
const TICK: Duration = Duration::from_millis(100);

/// Told after every frame (the benchmark measures with it).
#[derive(Debug, Clone, Copy)]
pub struct FrameDrawn {
    pub at: Instant,
    /// Terminal events handled before this frame, counted from the start.
    pub inputs: u64,
    /// The rows of the list are still being loaded.
    pub loading_list: bool,
    /// The list shows an answer to the newest request, complete or a quick partial one.
    pub list_answered: bool,
    /// The counts (stats, matches) are still being loaded.
    pub loading_counts: bool,
}

/// Puts text on the clipboard.
pub type Clipboard = Box<dyn FnMut(&str) -> std::io::Result<()> + Send>;

/// What the loop needs besides the app.
pub struct Wiring {
    pub events: UnboundedReceiver<Event>,
    pub actions: UnboundedReceiver<Action>,
    /// Where scheduled actions are sent back.
    pub actions_tx: UnboundedSender<Action>,
    pub worker: Worker,
    pub copy: Clipboard,
    pub frames: Option<UnboundedSender<FrameDrawn>>,
}

pub async fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: &Theme,
    mut w: Wiring,
) -> Result<(), B::Error> {
    let size = terminal.size()?;
    let started = Action::Started {
        width: size.width,
        height: size.height,
        now_ms: crate::query::time::now_ms(),
    };
    // The first frame goes out at once, before any query has answered.
    apply(app, started, &mut w);
    let mut inputs = 0u64;
    draw(terminal, app, theme, &w, inputs)?;
    let mut last_draw = Instant::now();
    let mut dirty = false;
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let deadline = tokio::time::Instant::from_std(last_draw + FRAME);
        tokio::select! {
            ev = w.events.recv() => match ev {
                Some(ev) => {
                    inputs += 1;
                    dirty |= event(app, ev, &mut w);
                }
                None => break,
            },
            a = w.actions.recv() => {
                if let Some(a) = a {
                    dirty |= apply(app, a, &mut w);
                }
            }
            _ = tick.tick() => {
                let now = crate::query::time::now_ms();
                dirty |= apply(app, Action::Tick { now_ms: now }, &mut w);
            }
            _ = tokio::time::sleep_until(deadline), if dirty => {}
        }
        // Everything else already waiting goes into the same frame.
        loop {
            if let Ok(ev) = w.events.try_recv() {
                inputs += 1;
                dirty |= event(app, ev, &mut w);
            } else if let Ok(a) = w.actions.try_recv() {
                dirty |= apply(app, a, &mut w);
            } else {
                break;
            }
        }
        if app.quitting {
            break;
        }
        if dirty && last_draw.elapsed() >= FRAME {
            draw(terminal, app, theme, &w, inputs)?;
            last_draw = Instant::now();
            dirty = false;
        }
    }
    Ok(())
}

fn draw<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &App,
    theme: &Theme,
    w: &Wiring,
    inputs: u64,
) -> Result<(), B::Error> {
    terminal.draw(|f| {
        f.render_widget(&Ui { app, theme }, f.area());
        if let Some(p) = cursor(app) {
            f.set_cursor_position(p);
        }
    })?;
    if let Some(tx) = &w.frames {
        let _ = tx.send(FrameDrawn {
            at: Instant::now(),
            inputs,
            loading_list: app.loading(super::effect::Kind::Window),
            list_answered: !app.loading(super::effect::Kind::Window) || app.list_partial,
            loading_counts: app.counting(),
        });
    }
    Ok(())
}

/// Feeds an action to the app and runs its effects; says whether the screen may have changed.
fn apply(app: &mut App, action: Action, w: &mut Wiring) -> bool {
    let redraw = match &action {
        Action::Tick { .. } => app.busy(),
        _ => true,
    };
    for e in app.update(action) {
        match e {
            Effect::Quit => {}
            Effect::Copy(text) => {
                let reply = match (w.copy)(&text) {
                    Ok(()) => super::action::Loaded::Copied { bytes: text.len() },
                    Err(e) => super::action::Loaded::Failed {
                        kind: None,
                        seq: 0,
                        message: format!("copy failed: {e}"),
                    },
                };
                let _ = w.actions_tx.send(Action::Loaded(reply));
            }
            Effect::Schedule { after_ms, action } => {
                let tx = w.actions_tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_millis(after_ms)).await;
                    let _ = tx.send(*action);
                });
            }
            query => w.worker.submit(query),
        }
    }
    redraw
}

/// Turns a terminal event into actions.
fn event(app: &mut App, ev: Event, w: &mut Wiring) -> bool {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            match app.settings.keymap.resolve(app.mode(), &k) {
                Some(a) => apply(app, a, w),
                None => false,
            }
        }
        Event::Mouse(m) => {
            let (column, row) = (m.column, m.row);
            let action = match m.kind {
                MouseEventKind::ScrollDown => Action::Wheel {
                    column,
                    row,
                    down: true,
                },
                MouseEventKind::ScrollUp => Action::Wheel {
                    column,
                    row,
                    down: false,
                },
                MouseEventKind::Down(MouseButton::Left) => Action::Click { column, row },
                _ => return false,
            };
            apply(app, action, w)
        }
        Event::Resize(width, height) => apply(app, Action::Resize { width, height }, w),
        Event::Paste(text) => {
            let mut dirty = false;
            for c in text.chars().filter(|c| !c.is_control()) {
                dirty |= apply(app, Action::Edit(InputRequest::InsertChar(c)), w);
            }
            dirty
        }
        _ => false,
    }
}

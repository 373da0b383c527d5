//! The app's own loop (runtime, worker, app, panes) on a test backend, driven by synthetic keys;
//! each key is timed from the moment it is sent to the first frame that shows its result.

use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use logdex::store::Store;
use logdex::tui::runtime::{FrameDrawn, Wiring, run_loop};
use logdex::tui::{App, Keymap, Settings, Theme, worker::Worker};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::{ms, percentile};

/// Times of one scenario: until the first frame that includes the key, until the list shows
/// an answer (a quick one from the full-text index, or the complete one), until the complete
/// list, until list and counts are shown.
pub struct Timings {
    pub name: &'static str,
    pub first: Vec<Duration>,
    pub answer: Vec<Duration>,
    pub list: Vec<Duration>,
    pub all: Vec<Duration>,
}

/// When the frames answering one key came.
struct Answer {
    first: Duration,
    answer: Duration,
    list: Duration,
    all: Duration,
}

struct Session {
    rt: tokio::runtime::Runtime,
    events: UnboundedSender<Event>,
    frames: UnboundedReceiver<FrameDrawn>,
    sent: u64,
    _watch: logdex::tui::indexer::Background,
}

impl Session {
    fn start(store: &Store) -> Result<Session, String> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let (actions_tx, actions_rx) = unbounded_channel();
        let (events_tx, events_rx) = unbounded_channel();
        let (frames_tx, frames_rx) = unbounded_channel();
        // Commits by the feed reach the app the way another process's would.
        let watch =
            logdex::tui::indexer::start(store.clone(), None, actions_tx.clone(), Box::new(|_| {}));
        let wiring = Wiring {
            events: events_rx,
            actions: actions_rx,
            actions_tx: actions_tx.clone(),
            worker: Worker::new(store.clone(), actions_tx),
            copy: Box::new(|_| Ok(())),
            frames: Some(frames_tx),
        };
        let app = App::new(Settings {
            db_label: store.path().display().to_string(),
            zone: jiff::tz::TimeZone::UTC,
            utc: true,
            export_dir: std::env::temp_dir(),
            keymap: Keymap::default(),
        });
        rt.spawn(async move {
            let mut terminal = match Terminal::new(TestBackend::new(160, 48)) {
                Ok(t) => t,
                Err(_) => return,
            };
            let mut app = app;
            let _ = run_loop(&mut terminal, &mut app, &Theme { color: true }, wiring).await;
        });
        let mut s = Session {
            rt,
            events: events_tx,
            frames: frames_rx,
            sent: 0,
            _watch: watch,
        };
        s.settle(Instant::now())?;
        Ok(s)
    }

    /// Waits for the first frame after `t0` that has handled every key sent and shows the list,
    /// then the counts; returns both times.
    fn settle(&mut self, t0: Instant) -> Result<Answer, String> {
        let mut first = None;
        let mut answer = None;
        let mut list = None;
        let deadline = t0 + Duration::from_secs(60);
        loop {
            let frame = self.rt.block_on(async {
                tokio::time::timeout_at(deadline.into(), self.frames.recv()).await
            });
            let f = match frame {
                Ok(Some(f)) => f,
                Ok(None) => return Err("the loop stopped".into()),
                Err(_) => return Err("no settled frame within 60 s".into()),
            };
            if f.inputs < self.sent {
                continue;
            }
            let first = *first.get_or_insert(f.at.saturating_duration_since(t0));
            if f.list_answered && answer.is_none() {
                answer = Some(f.at.saturating_duration_since(t0));
            }
            if !f.loading_list && list.is_none() {
                list = Some(f.at.saturating_duration_since(t0));
            }
            if let Some(list) = list
                && !f.loading_counts
            {
                let all = f.at.saturating_duration_since(t0);
                let answer = answer.unwrap_or(list);
                return Ok(Answer {
                    first,
                    answer,
                    list,
                    all,
                });
            }
        }
    }

    fn press(&mut self, code: KeyCode) -> Result<Answer, String> {
        // Frames drawn before this key are of no interest.
        while self.frames.try_recv().is_ok() {}
        let t0 = Instant::now();
        self.events
            .send(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .map_err(|e| e.to_string())?;
        self.sent += 1;
        self.settle(t0)
    }
}

/// The four scenarios, `samples` keys each, with a pause between keys like a person's.
pub fn measure(store: &Store, samples: usize) -> Result<Vec<Timings>, String> {
    let mut s = Session::start(store)?;
    let gap = |ms| std::thread::sleep(Duration::from_millis(ms));
    let run = |s: &mut Session,
               name: &'static str,
               keys: &mut dyn Iterator<Item = KeyCode>,
               pause: u64|
     -> Result<Timings, String> {
        let mut t = Timings {
            name,
            first: Vec::new(),
            answer: Vec::new(),
            list: Vec::new(),
            all: Vec::new(),
        };
        for code in keys.take(samples) {
            let a = s.press(code)?;
            t.first.push(a.first);
            t.answer.push(a.answer);
            t.list.push(a.list);
            t.all.push(a.all);
            gap(pause);
        }
        Ok(t)
    };
    let mut out = Vec::new();
    s.press(KeyCode::Char('g'))?;
    out.push(run(
        &mut s,
        "scroll (j)",
        &mut std::iter::repeat(KeyCode::Char('j')),
        40,
    )?);
    s.press(KeyCode::Char('g'))?;
    out.push(run(
        &mut s,
        "page (PgDn)",
        &mut std::iter::repeat(KeyCode::PageDown),
        40,
    )?);
    let mut levels = [KeyCode::Char('+'), KeyCode::Char('-')].into_iter().cycle();
    out.push(run(&mut s, "toggle a level (+/-)", &mut levels, 60)?);
    s.press(KeyCode::Char('/'))?;
    // Words typed letter by letter, each word erased again, at about ten letters a second.
    let words = [
        "timeout", "upstream", "backup", "retrying", "checksum", "deadline",
    ];
    let mut typing = words.iter().cycle().flat_map(|w| {
        w.chars()
            .map(KeyCode::Char)
            .chain(std::iter::repeat_n(KeyCode::Backspace, w.len()))
            .collect::<Vec<_>>()
    });
    out.push(run(&mut s, "search letter", &mut typing, 100)?);
    s.press(KeyCode::Esc)?;
    Ok(out)
}

pub fn print(title: &str, timings: &[Timings]) {
    println!("{title}");
    for t in timings {
        let cols: Vec<String> = [&t.first, &t.answer, &t.list, &t.all]
            .into_iter()
            .map(|v| {
                let mut v = v.clone();
                v.sort();
                format!(
                    "p50 {:>6} p95 {:>6}",
                    ms(percentile(&v, 50)),
                    ms(percentile(&v, 95))
                )
            })
            .collect();
        println!(
            "  {:<22} n={:<4} {}",
            t.name,
            t.list.len(),
            cols.join(" | ")
        );
    }
    println!();
}

//! How fast the browser answers on a large database (not a test; run it in release):
//!
//!     cargo bench --bench tui_speed -- [--db FILE] [--samples N] [--feed-rounds N] [--no-pty]
//!
//! - first frame with data from process start: the real binary in a pseudo-terminal, timed
//!   from spawn to the first screen that shows a selected entry;
//! - peak memory (VmHWM) of that binary after a browsing session of scrolling, paging, level
//!   toggles, a search, the stats and detail panes;
//! - keypress to the updated frame, p50 and p95, for scroll, page, level toggle and a search
//!   letter: the app's own loop (update, worker, render into a 160×48 test backend) driven with
//!   synthetic keys, once idle and once while an indexer writes into the same database at full
//!   speed (real log files from genlogs, indexed by `LogIndexer` on another thread).
//!
//! Without `--db`, a database is built in `target/bench/` from `genlogs.py --lines 5000000
//! --jobs 12` with `logdex index` (a few minutes, once).

mod tui_bench;

fn main() {
    if let Err(e) = tui_bench::main() {
        eprintln!("tui_speed: {e}");
        std::process::exit(1);
    }
}

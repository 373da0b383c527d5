//! logdex: a terminal log browser for the logs of scheduled jobs.
//!
//! Module map (dependencies point down the list):
//!
//! | module        | owns                                                                   |
//! |---------------|------------------------------------------------------------------------|
//! | [`cli`]       | the clap command line; the only place that uses `anyhow`               |
//! | [`tui`]       | the interactive browser (ratatui); the only place with terminal code   |
//! | [`export`]    | entries written as text, JSON, NDJSON or CSV, streamed                 |
//! | [`maintenance`] | retention, vacuum schedule, backup and restore, recovery             |
//! | [`ingest`]    | line formats and multi-line grouping, file reading, the indexer        |
//! | [`query`]     | the filter model shared by TUI and CLI; no IO                          |
//! | [`jobs`]      | job definitions: the scheduler's YAML read and written; no IO          |
//! | [`store`]     | SQLite: connections, migrations, repositories; the only place with SQL |
//! | [`config`]    | the TOML config and the paths logdex uses                              |
//! | [`display`]   | log text made safe for a terminal, timestamps in a zone                |
//! | [`model`]     | levels and the stored shape of an entry                                |
//! | [`priority`]  | background threads yield the CPU to the ones a person waits on         |
#![forbid(unsafe_code)]

pub mod cli;
pub mod config;
pub mod display;
pub mod export;
pub mod ingest;
pub mod jobs;
pub mod maintenance;
pub mod model;
pub mod priority;
pub mod query;
pub mod store;
pub mod tui;

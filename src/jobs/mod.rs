//! The scheduler's job definitions as logdex understands them: the definition type, reading a
//! scheduler's `jobs.yaml` (every problem with its line and column), the canonical YAML and JSON
//! export, and what an import would change. Vocabulary and text only: no IO, no SQL (the store
//! keeps definitions, the command line reads and writes files).

mod diff;
mod export;
mod node;
mod parse;
mod problem;
mod rules;

use serde::Serialize;

pub use diff::{Changes, Update, changed_fields, diff};
pub use export::{ExportError, ExportFormat, to_json, to_yaml};
pub use parse::parse;
pub use problem::{Problem, Problems};

/// One job as the scheduler defines it. `id` is the name its log entries are grouped by (the
/// store's `jobs.name`); the field order here is the order of the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobDef {
    pub id: String,
    /// A human-readable title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A cron expression (five fields, six with seconds, or a nickname such as `@daily`).
    pub schedule: String,
    pub command: String,
    pub enabled: bool,
    /// The file or glob the job writes its log to (absolute).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// The fields a definition may have, in export order.
pub const FIELDS: &[&str] = &[
    "id",
    "name",
    "description",
    "schedule",
    "command",
    "enabled",
    "log_path",
    "tags",
];

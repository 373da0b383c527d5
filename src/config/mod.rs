//! The TOML config (sources, formats, time zone, retention, keys) and where logdex keeps its files.
//! Everyone reads the config; nothing writes it. Errors name the file, line and column.

mod paths;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use paths::Paths;

use crate::ingest::parser::CustomFormat;
pub use crate::ingest::watcher::WatchMode;

/// The default config, shipped in the binary and as `config.example.toml`.
pub const EXAMPLE: &str = include_str!("../../config.example.toml");

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Database file; default under the XDG data dir.
    pub db: Option<PathBuf>,
    /// Zone for timestamps written without one, and for display: `local`, `UTC` or an IANA name.
    pub timezone: Option<String>,
    /// Days of entries to keep.
    pub retention_days: Option<u32>,
    pub sources: Vec<SourceConfig>,
    pub formats: Vec<FormatConfig>,
    pub index: IndexConfig,
    pub watch: WatchConfig,
    pub backup: BackupConfig,
    pub ui: UiConfig,
    pub jobs: JobsConfig,
    /// Key bindings: key name → action name; overrides only what it names.
    pub keys: BTreeMap<String, String>,
}

/// A file, directory or glob to index.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    pub path: String,
    /// Job for entries of these files (default: the file name without extension and rotation suffix).
    pub job: Option<String>,
    /// Format name (built-in or from `[[formats]]`), skipping detection.
    pub format: Option<String>,
    pub retention_days: Option<u32>,
}

/// A custom line format.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FormatConfig {
    pub name: String,
    /// Regex with named groups `ts`, `level`, `message`, `job`.
    pub pattern: String,
    /// strftime-style format of the `ts` group.
    pub time_format: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IndexConfig {
    /// Entries per transaction during bulk indexing.
    pub batch_size: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig { batch_size: 20_000 }
    }
}

/// Online backups.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    /// Where backups go; default: `backups/` beside the database.
    pub dir: Option<PathBuf>,
    /// How many backups to keep (the oldest are removed).
    pub keep: usize,
    /// Take one a day while logdex follows files.
    pub daily: bool,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig {
            dir: None,
            keep: 7,
            daily: false,
        }
    }
}

impl BackupConfig {
    pub fn dir_for(&self, db: &Path) -> PathBuf {
        self.dir.clone().unwrap_or_else(|| {
            db.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .join("backups")
        })
    }
}

/// How growing files are followed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WatchConfig {
    /// `auto` (file-system events where they work, else polling), `events` or `poll`.
    pub mode: WatchMode,
    /// How often files are looked at without an event.
    pub poll_interval: String,
    /// A last line without its newline is indexed once its file has been quiet this long.
    pub idle_flush: String,
    /// A complete entry is committed once no continuation line has followed it this long.
    pub settle: String,
}

impl Default for WatchConfig {
    fn default() -> Self {
        WatchConfig {
            mode: WatchMode::Auto,
            poll_interval: "1s".into(),
            idle_flush: "5s".into(),
            settle: "100ms".into(),
        }
    }
}

impl WatchConfig {
    fn duration(s: &str) -> Duration {
        Duration::from_millis(
            crate::query::time::parse_duration_ms(s)
                .unwrap_or(1000)
                .max(1) as u64,
        )
    }

    pub fn poll_interval(&self) -> Duration {
        WatchConfig::duration(&self.poll_interval)
    }

    pub fn idle_flush(&self) -> Duration {
        WatchConfig::duration(&self.idle_flush)
    }

    pub fn settle(&self) -> Duration {
        WatchConfig::duration(&self.settle)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct UiConfig {
    /// `auto`, `always` or `never`.
    pub color: Option<String>,
}

/// Job definitions (`logdex jobs import`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct JobsConfig {
    /// Index and follow each defined job's `log_path` as a source of that job.
    pub follow_log_paths: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}, line {line}, column {column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("config file {path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Reads a config file; a missing file at the default location is an empty config.
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
                return Ok(Config::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        Config::parse(&text, path)
    }

    /// Parses config text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_column(text, s.start))
                .unwrap_or((1, 1));
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        config.validate(path)?;
        Ok(config)
    }

    fn validate(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |message: String| ConfigError::Invalid {
            path: path.to_path_buf(),
            message,
        };
        if let Some(tz) = &self.timezone {
            resolve_zone(tz).map_err(invalid)?;
        }
        for (key, value) in [
            ("watch.poll_interval", &self.watch.poll_interval),
            ("watch.idle_flush", &self.watch.idle_flush),
            ("watch.settle", &self.watch.settle),
        ] {
            if crate::query::time::parse_duration_ms(value).is_none_or(|ms| ms <= 0) {
                return Err(invalid(format!(
                    "{key} must be a duration like 250ms, 1s or 5m, not {value:?}"
                )));
            }
        }
        if self.backup.keep == 0 {
            return Err(invalid("backup.keep must be at least 1".into()));
        }
        if self.retention_days == Some(0)
            || self.sources.iter().any(|s| s.retention_days == Some(0))
        {
            return Err(invalid("retention_days must be at least 1".into()));
        }
        if self.index.batch_size == 0 {
            return Err(invalid("index.batch_size must be at least 1".into()));
        }
        for f in &self.formats {
            if let Err(e) = regex::Regex::new(&f.pattern) {
                return Err(invalid(format!(
                    "format {:?}: invalid pattern: {}",
                    f.name,
                    e.to_string().lines().last().unwrap_or_default()
                )));
            }
        }
        if let Some(c) = &self.ui.color
            && !matches!(c.as_str(), "auto" | "always" | "never")
        {
            return Err(invalid(format!(
                "ui.color must be auto, always or never, not {c:?}"
            )));
        }
        Ok(())
    }

    /// Days of entries kept when no source says otherwise.
    pub fn retention_days(&self) -> u32 {
        self.retention_days.unwrap_or(90)
    }

    /// The zone for naive timestamps and display.
    pub fn zone(&self) -> jiff::tz::TimeZone {
        self.timezone
            .as_deref()
            .and_then(|z| resolve_zone(z).ok())
            .unwrap_or_else(jiff::tz::TimeZone::system)
    }

    pub fn custom_formats(&self) -> Vec<CustomFormat> {
        self.formats
            .iter()
            .map(|f| CustomFormat {
                name: f.name.clone(),
                pattern: f.pattern.clone(),
                time_format: f.time_format.clone(),
            })
            .collect()
    }
}

/// `local`, `UTC` or an IANA zone name.
pub fn resolve_zone(name: &str) -> Result<jiff::tz::TimeZone, String> {
    match name {
        "local" | "Local" => Ok(jiff::tz::TimeZone::system()),
        "UTC" | "utc" | "Z" => Ok(jiff::tz::TimeZone::UTC),
        other => jiff::tz::TimeZone::get(other).map_err(|_| {
            format!(
                "unknown time zone {other:?} (use local, UTC or an IANA name like Europe/Berlin)"
            )
        }),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_config_parses() {
        let c = Config::parse(EXAMPLE, Path::new("config.example.toml")).unwrap();
        assert!(!c.sources.is_empty());
        assert!(!c.formats.is_empty());
    }

    #[test]
    fn an_empty_config_is_the_default() {
        assert_eq!(
            Config::parse("", Path::new("c")).unwrap(),
            Config::default()
        );
    }

    #[test]
    fn unknown_keys_name_line_and_column() {
        let err = Config::parse(
            "timezone = \"UTC\"\n\n[index]\nbatch = 3\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        insta::assert_snapshot!(err, @"config file c.toml, line 4, column 1: unknown field `batch`, expected `batch_size`");
    }

    #[test]
    fn bad_values_are_named() {
        let err = Config::parse("timezone = \"Mars/Olympus\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        insta::assert_snapshot!(err, @r#"config file c.toml: unknown time zone "Mars/Olympus" (use local, UTC or an IANA name like Europe/Berlin)"#);
        let err = Config::parse(
            "[[formats]]\nname = \"x\"\npattern = \"(unclosed\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("format \"x\": invalid pattern"), "{err}");
        let err = Config::parse("[[sources]]\njob = \"x\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 1") && err.contains("missing field `path`"),
            "{err}"
        );
    }
}

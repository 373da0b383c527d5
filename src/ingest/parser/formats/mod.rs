//! The built-in line formats: their stable names, the order they are tried in, and what reading
//! one line gives ([`Head`]). One file per family; each reads bytes at fixed positions, never with
//! a regex, because this runs once per line on the indexing hot path.
//!
//! | name           | a line that starts an entry                                              |
//! |----------------|--------------------------------------------------------------------------|
//! | `json`         | `{"ts":"2026-11-02T13:04:05.123Z","level":"info","msg":"…","job":"etl"}` |
//! | `logfmt`       | `ts=2026-11-02T13:04:05.123Z level=info msg="…"`                         |
//! | `rfc5424`      | `<34>1 2026-11-02T13:04:05.003Z host app 42 ID7 [sd] msg`                |
//! | `syslog`       | `Jun 14 15:16:01 host prog[42]: msg` (also `Jul  1`, optional `<PRI>`)   |
//! | `access`       | `10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326`    |
//! | `apache-error` | `[Sun Dec 04 04:47:44 2005] [notice] msg`, `[… .123456 2000] [core:error]` |
//! | `nginx-error`  | `2026/11/02 13:04:05 [error] 123#0: msg`                                 |
//! | `glog`         | `I1102 13:04:05.123456 1234 file.cc:42] msg`                             |
//! | `logcat`       | `03-17 16:13:38.811  1702  2395 D Tag: msg`                              |
//! | `hdfs`         | `081109 203615 148 INFO dfs.DataNode: msg`                               |
//! | `healthapp`    | `20171224-1:2:35:789\|Component\|42\|msg`                                 |
//! | `proxifier`    | `[07.26 12:21:41] app.exe - msg`                                         |
//! | `openstack`    | `nova-api.log.1 2017-05-16 00:00:00.008 25746 INFO module [req-…] msg`   |
//! | `zookeeper`    | `2015-07-29 17:41:44,747 - INFO  [thread:Class@1] - msg`                 |
//! | `log4j`        | `2015-10-18 18:01:47,978 INFO [main] a.b.Class: msg`, `17/06/09 20:10:40` |
//! | `python`       | `2026-11-02 13:04:05,123 INFO …`, `… - name - LEVEL - msg`               |
//! | `iso`          | `2026-11-02T13:04:05.123Z WARN  scheduler: msg` (T or space, any zone)   |

mod glog;
mod healthapp;
mod json;
mod lead;
mod logcat;
mod logfmt;
mod proxifier;
pub(super) mod record;
mod syslog;
mod web;

use std::borrow::Cow;

use super::levels::LevelTok;
use super::time::Stamp;

/// What the first line of an entry says: everything but the continuation lines.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Head<'a> {
    pub stamp: Stamp,
    pub level: Option<LevelTok<'a>>,
    pub message: Cow<'a, str>,
    pub job: Option<String>,
    pub fields: Option<String>,
    /// How the line was laid out, for telling apart formats that read the same lines.
    pub layout: Layout,
}

impl<'a> Head<'a> {
    pub fn new(stamp: Stamp, level: Option<LevelTok<'a>>, message: &'a str) -> Head<'a> {
        Head {
            stamp,
            level,
            message: Cow::Borrowed(message),
            job: None,
            fields: None,
            layout: Layout::default(),
        }
    }
}

/// Layout details of timestamp-led lines (see `lead.rs`); all false for other formats.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Layout {
    /// Something (a file name) came before the timestamp.
    pub prefix: bool,
    /// `- ` between the timestamp and the level.
    pub dashed: bool,
    /// A number (a process id) between the timestamp and the level.
    pub pid: bool,
    /// Python's `name - LEVEL - msg`.
    pub named: bool,
    /// The level in brackets.
    pub bracketed: bool,
    /// `T` between date and time.
    pub t_sep: bool,
    /// `Z` or an offset after the time.
    pub zoned: bool,
    /// `yy/MM/dd`.
    pub short_year: bool,
}

/// The built-in formats, in the order that breaks ties in detection (more specific first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Builtin {
    Json,
    Logfmt,
    Rfc5424,
    Syslog,
    Access,
    ApacheError,
    NginxError,
    Glog,
    Logcat,
    Hdfs,
    HealthApp,
    Proxifier,
    OpenStack,
    Zookeeper,
    Log4j,
    Python,
    Iso,
}

impl Builtin {
    pub const ALL: [Builtin; 17] = [
        Builtin::Json,
        Builtin::Logfmt,
        Builtin::Rfc5424,
        Builtin::Syslog,
        Builtin::Access,
        Builtin::ApacheError,
        Builtin::NginxError,
        Builtin::Glog,
        Builtin::Logcat,
        Builtin::Hdfs,
        Builtin::HealthApp,
        Builtin::Proxifier,
        Builtin::OpenStack,
        Builtin::Zookeeper,
        Builtin::Log4j,
        Builtin::Python,
        Builtin::Iso,
    ];

    /// The stable name used in the config and shown to the user.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::Json => "json",
            Builtin::Logfmt => "logfmt",
            Builtin::Rfc5424 => "rfc5424",
            Builtin::Syslog => "syslog",
            Builtin::Access => "access",
            Builtin::ApacheError => "apache-error",
            Builtin::NginxError => "nginx-error",
            Builtin::Glog => "glog",
            Builtin::Logcat => "logcat",
            Builtin::Hdfs => "hdfs",
            Builtin::HealthApp => "healthapp",
            Builtin::Proxifier => "proxifier",
            Builtin::OpenStack => "openstack",
            Builtin::Zookeeper => "zookeeper",
            Builtin::Log4j => "log4j",
            Builtin::Python => "python",
            Builtin::Iso => "iso",
        }
    }

    pub fn by_name(name: &str) -> Option<Builtin> {
        Builtin::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Reads a line that starts an entry in this format, or `None` for a line that does not
    /// (a continuation, or another format).
    pub fn parse(self, line: &str) -> Option<Head<'_>> {
        match self {
            Builtin::Json => json::parse(line),
            Builtin::Logfmt => logfmt::parse(line),
            Builtin::Rfc5424 => syslog::parse_rfc5424(line),
            Builtin::Syslog => syslog::parse_bsd(line),
            Builtin::Access => web::parse_access(line),
            Builtin::ApacheError => web::parse_apache_error(line),
            Builtin::Glog => glog::parse(line),
            Builtin::Logcat => logcat::parse(line),
            Builtin::HealthApp => healthapp::parse(line),
            Builtin::Proxifier => proxifier::parse(line),
            Builtin::NginxError => lead::parse(lead::Kind::NginxError, line),
            Builtin::Hdfs => lead::parse(lead::Kind::Hdfs, line),
            Builtin::OpenStack => lead::parse(lead::Kind::OpenStack, line),
            Builtin::Zookeeper => lead::parse(lead::Kind::Zookeeper, line),
            Builtin::Log4j => lead::parse(lead::Kind::Log4j, line),
            Builtin::Python => lead::parse(lead::Kind::Python, line),
            Builtin::Iso => lead::parse(lead::Kind::Iso, line),
        }
    }

    /// Whether a line this format read also has the layout that is typical of it. Only detection
    /// asks, to choose among formats that read the same lines (Python, log4j and Zookeeper share a
    /// timestamp); formats with a shape of their own always say yes.
    pub fn typical(self, head: &Head<'_>) -> bool {
        match self {
            Builtin::NginxError => lead::typical(lead::Kind::NginxError, head),
            Builtin::Hdfs => lead::typical(lead::Kind::Hdfs, head),
            Builtin::OpenStack => lead::typical(lead::Kind::OpenStack, head),
            Builtin::Zookeeper => lead::typical(lead::Kind::Zookeeper, head),
            Builtin::Log4j => lead::typical(lead::Kind::Log4j, head),
            Builtin::Python => lead::typical(lead::Kind::Python, head),
            Builtin::Iso => lead::typical(lead::Kind::Iso, head),
            _ => true,
        }
    }
}

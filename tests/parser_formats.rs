//! Every built-in format on a small hand-written sample (`tests/fixtures/parser/`): the detected
//! name, and each entry's time to the millisecond, level, original spelling, message and fields.

use std::path::PathBuf;

use jiff::tz::TimeZone;
use logdex::ingest::parser::{EntryParser, ParsedEntry, ParserSettings, RawLine};
use logdex::model::Level;

fn ms(text: &str) -> i64 {
    let ts: jiff::Timestamp = text.parse().expect("test timestamp");
    ts.as_millisecond()
}

fn settings() -> ParserSettings {
    ParserSettings {
        zone: TimeZone::UTC,
        year: 2026,
        file_mtime: ms("2026-12-01T00:00:00Z"),
        custom: Vec::new(),
        format: None,
    }
}

/// Feeds `data` line by line as a file reader would, then finishes.
fn parse(settings: ParserSettings, data: &[u8]) -> (Vec<ParsedEntry>, Option<String>) {
    let mut parser = EntryParser::new(settings).expect("valid settings");
    let mut out = Vec::new();
    let (mut offset, mut number) = (0u64, 0u64);
    let mut rest = data;
    while !rest.is_empty() {
        let used = rest
            .iter()
            .position(|&c| c == b'\n')
            .map_or(rest.len(), |i| i + 1);
        let bytes = rest[..used].strip_suffix(b"\n").unwrap_or(&rest[..used]);
        number += 1;
        let end = offset + used as u64;
        parser.push(
            RawLine {
                bytes,
                offset,
                end,
                number,
            },
            &mut out,
        );
        offset = end;
        rest = &rest[used..];
    }
    parser.finish(&mut out);
    (out, parser.format_name().map(str::to_owned))
}

fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "parser",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One expected entry: time (RFC 3339), level, kept original spelling, message.
type Want<'a> = (&'a str, Option<Level>, Option<&'a str>, &'a str);

fn check(
    file: &str,
    settings: ParserSettings,
    format: &str,
    wants: &[Want<'_>],
) -> Vec<ParsedEntry> {
    let (entries, name) = parse(settings, &fixture(file));
    assert_eq!(name.as_deref(), Some(format), "{file}: format");
    assert_eq!(entries.len(), wants.len(), "{file}: entries {entries:#?}");
    for (i, (e, (ts, level, raw, message))) in entries.iter().zip(wants).enumerate() {
        assert_eq!(e.ts, ms(ts), "{file} #{i}: ts of {e:?}");
        assert_eq!(e.level, *level, "{file} #{i}: level of {e:?}");
        assert_eq!(
            e.level_raw.as_deref(),
            *raw,
            "{file} #{i}: level_raw of {e:?}"
        );
        assert_eq!(e.message, *message, "{file} #{i}: message");
    }
    entries
}

use Level::{Debug, Error, Fatal, Info, Trace, Warn};

#[test]
fn python() {
    let entries = check(
        "python.log",
        settings(),
        "python",
        &[
            (
                "2026-11-02T13:04:05.123Z",
                Some(Info),
                None,
                "[worker-3] job started pid=4121 version=2.3.1",
            ),
            (
                "2026-11-02T13:04:05.480Z",
                Some(Debug),
                None,
                "[MainThread] opening file /data/exports/orders_007.csv",
            ),
            (
                "2026-11-02T13:04:06.002Z",
                Some(Warn),
                Some("WARNING"),
                "[worker-1] retrying after error attempt 2 of 5",
            ),
            (
                "2026-11-02T13:04:07.250Z",
                Some(Error),
                None,
                "[worker-1] task 9f3a21c0 failed: KeyError: 'customer_id'\n\
                 Traceback (most recent call last):\n  \
                 File \"/opt/jobs/backup/main.py\", line 41, in main\n    \
                 return runner.run(args)\n  \
                 File \"/opt/jobs/backup/steps.py\", line 212, in fetch\n    \
                 cur.execute(query, params)\n\
                 KeyError: 'customer_id'",
            ),
            (
                "2026-11-02T13:04:08Z",
                Some(Fatal),
                Some("CRITICAL"),
                "[worker-2] out of memory killing worker 2",
            ),
            (
                "2026-11-02T13:04:09.731Z",
                Some(Info),
                None,
                "[MainThread] job finished in 4.61s status=ok",
            ),
        ],
    );
    let tb = &entries[3];
    assert_eq!((tb.line, tb.end_line), (4, 10));
    assert!(
        entries
            .iter()
            .all(|e| e.ts_known && e.job.is_none() && e.fields.is_none())
    );
    // Entries tile the file: each starts where the one before ended.
    for pair in entries.windows(2) {
        assert_eq!(pair[0].end_offset, pair[1].offset);
        assert_eq!(pair[0].end_line + 1, pair[1].line);
    }
    assert_eq!(entries[0].offset, 0);
    assert_eq!(entries[5].end_offset, fixture("python.log").len() as u64);
}

#[test]
fn python_with_logger_names() {
    check(
        "python_named.log",
        settings(),
        "python",
        &[
            (
                "2026-11-02T13:04:05.123Z",
                Some(Info),
                None,
                "app.db - pool ready size=4",
            ),
            (
                "2026-11-02T13:04:05.900Z",
                Some(Warn),
                Some("WARNING"),
                "app.http - slow response 1200 ms",
            ),
            (
                "2026-11-02T13:04:06.010Z",
                Some(Error),
                None,
                "root - giving up",
            ),
        ],
    );
}

#[test]
fn iso() {
    check(
        "iso.log",
        settings(),
        "iso",
        &[
            (
                "2026-11-02T13:04:05.123Z",
                Some(Info),
                None,
                "scheduler: job started pid=77",
            ),
            (
                "2026-11-02T13:04:05.500Z",
                Some(Warn),
                None,
                "runner: slow operation took 1500 ms",
            ),
            (
                "2026-11-02T13:04:05.123Z",
                Some(Error),
                None,
                "client: upstream timeout\n    at client.fetch (client.js:10)\n    at runner.step (runner.js:44)",
            ),
            (
                "2026-11-02T13:04:09.001Z",
                Some(Debug),
                None,
                "store: cache hit for key 1a2b",
            ),
            (
                "2026-11-02T13:04:10Z",
                Some(Fatal),
                Some("CRITICAL"),
                "pool: data corruption detected",
            ),
        ],
    );
}

#[test]
fn json() {
    let entries = check(
        "json.log",
        settings(),
        "json",
        &[
            (
                "2026-11-02T13:04:05.123Z",
                Some(Info),
                None,
                "GET /healthz 200 3ms",
            ),
            (
                "2026-11-02T15:04:06Z",
                Some(Warn),
                Some("warning"),
                "client exceeded rate limit",
            ),
            (
                "2026-11-02T13:04:07.250Z",
                Some(Error),
                None,
                "upstream timeout\nTraceback (most recent call last):\n  \
                 File \"/opt/jobs/api_gateway/main.py\", line 9, in main\nValueError: bad",
            ),
            (
                "2026-11-02T15:04:08.500Z",
                Some(Debug),
                None,
                r#"{"@timestamp":1793631848500,"log.level":"debug","event":"no message here"}"#,
            ),
        ],
    );
    let jobs: Vec<_> = entries.iter().map(|e| e.job.as_deref()).collect();
    assert_eq!(jobs, [Some("api-gateway"), None, Some("api-gateway"), None]);
    let fields: Vec<_> = entries.iter().map(|e| e.fields.as_deref()).collect();
    assert_eq!(
        fields,
        [
            None,
            Some(r#"{"ip":"10.0.0.7","attempt":3}"#),
            Some(r#"{"upstream":{"host":"api-03","port":8443}}"#),
            Some(r#"{"event":"no message here"}"#),
        ]
    );
}

#[test]
fn logfmt() {
    let entries = check(
        "logfmt.log",
        settings(),
        "logfmt",
        &[
            (
                "2026-11-02T13:04:05.123Z",
                Some(Info),
                None,
                "extracted 120 rows from orders",
            ),
            (
                "2026-11-02T13:04:06Z",
                Some(Error),
                None,
                "failed to load batch 7: \"constraint\" violation\n\
                 Traceback (most recent call last):\n  \
                 File \"/opt/jobs/etl_orders/io.py\", line 88, in read_rows\n\
                 psycopg2.OperationalError: server closed the connection unexpectedly",
            ),
            ("2026-11-02T13:04:07Z", Some(Warn), None, "plain-value"),
        ],
    );
    assert_eq!(entries[1].job.as_deref(), Some("etl-orders"));
    assert_eq!(
        entries[1].fields.as_deref(),
        Some(r#"{"table":"orders","rows":"120"}"#)
    );
    assert_eq!(entries[2].fields.as_deref(), Some(r#"{"dry":null}"#));
}

#[test]
fn bsd_syslog_read_in_january() {
    let mut s = settings();
    s.year = 2027;
    s.file_mtime = ms("2027-01-01T00:00:05Z");
    check(
        "syslog.log",
        s,
        "syslog",
        &[
            (
                "2026-12-31T23:59:58Z",
                None,
                None,
                "gw sshd[4121]: Accepted publickey for deploy from 10.0.0.4 port 50122",
            ),
            (
                "2027-01-01T00:00:01Z",
                None,
                None,
                "gw CRON[5100]: (root) CMD (run-parts /etc/cron.hourly)",
            ),
            (
                "2027-01-01T00:00:02Z",
                None,
                None,
                "gw kernel: [12345.678901] eth0: link up",
            ),
        ],
    );
}

#[test]
fn rfc5424_syslog() {
    let entries = check(
        "rfc5424.log",
        settings(),
        "rfc5424",
        &[
            (
                "2026-11-02T13:04:05.003Z",
                Some(Fatal),
                Some("crit"),
                "gw.example.net sudo - AUTH - authentication failure for ops on /dev/pts/3",
            ),
            (
                "2026-11-02T12:04:06Z",
                Some(Info),
                Some("notice"),
                r#"host billing 1234 - [meta@32473 seq="3"] invoice batch closed"#,
            ),
            (
                "2026-11-02T12:04:06Z",
                Some(Info),
                Some("notice"),
                "host app - - - no time given",
            ),
        ],
    );
    assert_eq!(
        entries.iter().map(|e| e.ts_known).collect::<Vec<_>>(),
        [true, true, false]
    );
}

#[test]
fn access_log() {
    check(
        "access.log",
        settings(),
        "access",
        &[
            (
                "2026-11-03T01:10:04Z",
                None,
                None,
                r#"192.168.7.20 - alice "GET /index.html HTTP/1.1" 200 5120"#,
            ),
            (
                "2026-11-02T13:04:05Z",
                None,
                None,
                r#"10.1.2.3 - - "POST /api/v1/orders HTTP/1.1" 201 512 "https://shop.example/" "curl/8.4.0""#,
            ),
        ],
    );
}

#[test]
fn apache_error_log() {
    check(
        "apache_error.log",
        settings(),
        "apache-error",
        &[
            (
                "2026-11-03T02:10:04Z",
                Some(Info),
                Some("notice"),
                "Apache/2.0.52 configured -- resuming normal operations",
            ),
            (
                "2026-11-03T02:10:04Z",
                Some(Error),
                None,
                "[client 10.0.0.9] script not found or unable to stat: /var/www/cgi-bin/status",
            ),
            (
                "2026-11-03T02:10:05.250Z",
                Some(Warn),
                None,
                "[pid 4410:tid 140221] AH01144: No protocol handler was valid for the URL /app",
            ),
        ],
    );
}

#[test]
fn nginx_error_log() {
    check(
        "nginx_error.log",
        settings(),
        "nginx-error",
        &[
            (
                "2026-11-02T13:04:05Z",
                Some(Error),
                None,
                r#"123#0: *7 open() "/var/www/favicon.ico" failed (2: No such file or directory)"#,
            ),
            (
                "2026-11-02T13:04:06Z",
                Some(Warn),
                None,
                "123#0: *8 an upstream response is buffered to a temporary file",
            ),
            (
                "2026-11-02T13:04:07Z",
                Some(Info),
                Some("notice"),
                "1#1: signal process started",
            ),
        ],
    );
}

#[test]
fn glog() {
    check(
        "glog.log",
        settings(),
        "glog",
        &[
            (
                "2026-11-02T13:04:05.123Z",
                Some(Info),
                Some("I"),
                "1234 main.cc:42] server listening on :8080",
            ),
            (
                "2026-11-02T13:04:06Z",
                Some(Warn),
                Some("W"),
                "1234 pool.cc:7] pool nearly full",
            ),
            (
                "2026-11-02T13:04:07.999Z",
                Some(Error),
                Some("E"),
                "1240 io.cc:311] write failed: broken pipe",
            ),
            (
                "2026-11-02T13:04:08.500Z",
                Some(Fatal),
                Some("F"),
                "1240 io.cc:320] Check failed: fd >= 0\n*** Check failure stack trace: ***\n    @     0x7f0a1b2c3d4e  logging::Fail()",
            ),
        ],
    );
}

#[test]
fn logcat() {
    check(
        "logcat.log",
        settings(),
        "logcat",
        &[
            (
                "2026-11-02T13:04:05.811Z",
                Some(Debug),
                Some("D"),
                "InputDispatcher: dispatching key event to window 3",
            ),
            (
                "2026-11-02T13:04:05.839Z",
                Some(Trace),
                Some("V"),
                "Choreographer: frame skipped 2",
            ),
            (
                "2026-11-02T13:04:06.001Z",
                Some(Info),
                Some("I"),
                "Launcher: home screen shown",
            ),
            (
                "2026-11-02T13:04:07.120Z",
                Some(Warn),
                Some("W"),
                "BatteryStats: wake lock held for 95s",
            ),
            (
                "2026-11-02T13:04:08Z",
                Some(Error),
                Some("E"),
                "MyApp: unhandled exception in render thread",
            ),
            (
                "2026-11-02T13:04:08.001Z",
                Some(Fatal),
                Some("F"),
                "libc: signal 6 (SIGABRT) in tid 3100",
            ),
        ],
    );
}

#[test]
fn hdfs() {
    check(
        "hdfs.log",
        settings(),
        "hdfs",
        &[
            (
                "2026-11-02T13:04:05Z",
                Some(Info),
                None,
                "dfs.DataNode$BlockSender: sent block blk_1001 to /10.0.0.5",
            ),
            (
                "2026-11-02T13:04:07Z",
                Some(Warn),
                None,
                "dfs.DataNode$DataXceiver: slow write of blk_-42 took 3100 ms",
            ),
            (
                "2026-11-02T13:04:09Z",
                Some(Info),
                None,
                "dfs.FSNamesystem: allocated block blk_1002 for /user/etl/part-0001",
            ),
        ],
    );
}

#[test]
fn healthapp() {
    check(
        "healthapp.log",
        settings(),
        "healthapp",
        &[
            (
                "2026-11-02T23:15:29.606Z",
                None,
                None,
                "Steps_Counter|4400121|step count updated 3579",
            ),
            (
                "2026-11-02T23:15:29.061Z",
                None,
                None,
                "Steps_Counter|4400121|sensor batch 14 0 4",
            ),
            (
                "2026-11-03T01:02:35.789Z",
                None,
                None,
                "Screen_Monitor|4400121|screen state changed to off",
            ),
        ],
    );
}

#[test]
fn proxifier() {
    check(
        "proxifier.log",
        settings(),
        "proxifier",
        &[
            (
                "2026-11-02T13:04:05Z",
                None,
                None,
                "browser.exe - cdn.example.org:443 open through proxy gate.example.edu:3128 HTTPS",
            ),
            (
                "2026-11-02T13:04:06Z",
                None,
                None,
                "browser.exe - cdn.example.org:443 close, 812 bytes sent, 40960 bytes received, lifetime 00:01",
            ),
            (
                "2026-06-30T08:00:00Z",
                None,
                None,
                "updater.exe *64 - dl.example.com:80 close, 0 bytes sent, 0 bytes received, lifetime 00:05",
            ),
        ],
    );
}

#[test]
fn openstack() {
    check(
        "openstack.log",
        settings(),
        "openstack",
        &[
            (
                "2026-11-02T13:04:05.008Z",
                Some(Info),
                None,
                r#"cinder.api.openstack.wsgi [req-0c1d2e3f-aaaa-bbbb-cccc-000000000001 - - -] 10.0.0.2 "GET /v3/volumes HTTP/1.1" status: 200 len: 811 time: 0.0912"#,
            ),
            (
                "2026-11-02T13:04:06.500Z",
                Some(Warn),
                Some("WARNING"),
                "cinder.volume.manager [req-0c1d2e3f-aaaa-bbbb-cccc-000000000002 - - -] volume vol-9 is degraded",
            ),
        ],
    );
}

#[test]
fn zookeeper() {
    check(
        "zookeeper.log",
        settings(),
        "zookeeper",
        &[
            (
                "2026-11-02T13:04:05.747Z",
                Some(Info),
                None,
                "[main:QuorumPeerConfig@101] - Reading configuration from: /etc/zk/zoo.cfg",
            ),
            (
                "2026-11-02T13:04:06.071Z",
                Some(Warn),
                None,
                "[RecvWorker:3:QuorumCnxManager$RecvWorker@780] - Connection broken for id 3",
            ),
            (
                "2026-11-02T13:04:07.079Z",
                Some(Error),
                None,
                "[CommitProcessor:1:CommitProcessor@148] - Unexpected exception causing exit\n\
                 java.io.IOException: stream closed\n\tat org.example.Reader.readInt(Reader.java:92)",
            ),
        ],
    );
}

#[test]
fn log4j_hadoop_and_spark() {
    check(
        "log4j.log",
        settings(),
        "log4j",
        &[
            (
                "2026-11-02T13:04:05.978Z",
                Some(Info),
                None,
                "[main] org.example.etl.Driver: starting pipeline orders-daily",
            ),
            (
                "2026-11-02T13:04:06.546Z",
                Some(Error),
                None,
                "[Allocator] org.example.etl.rm.Scheduler: could not contact resource manager",
            ),
            (
                "2026-11-02T13:04:07.202Z",
                Some(Fatal),
                None,
                "[main] org.example.etl.Worker: worker crashed\njava.lang.OutOfMemoryError: Java heap space\n\tat java.util.Arrays.copyOf(Arrays.java:3332)",
            ),
        ],
    );
    check(
        "spark.log",
        settings(),
        "log4j",
        &[
            (
                "2026-11-02T13:04:05Z",
                Some(Info),
                None,
                "scheduler.TaskSetManager: starting task 3.0 in stage 1.0",
            ),
            (
                "2026-11-02T13:04:06Z",
                Some(Warn),
                None,
                "storage.BlockManager: block rdd_7_3 evicted",
            ),
            (
                "2026-11-02T13:04:07Z",
                Some(Error),
                None,
                "executor.Executor: exception in task 3.0 in stage 1.0",
            ),
        ],
    );
}

#[test]
fn crlf_without_final_newline() {
    let data = fixture("crlf.log");
    let entries = check(
        "crlf.log",
        settings(),
        "python",
        &[
            ("2026-11-02T13:04:05.123Z", Some(Info), None, "[w] one"),
            (
                "2026-11-02T13:04:06Z",
                Some(Error),
                None,
                "[w] two\n  detail line",
            ),
            ("2026-11-02T13:04:07Z", Some(Info), None, "[w] three"),
        ],
    );
    let last = &entries[2];
    assert_eq!((last.line, last.end_line), (4, 4));
    assert_eq!(last.end_offset, data.len() as u64);
    assert!(entries.iter().all(|e| !e.message.contains('\r')));
}

#[test]
fn plain_text() {
    let s = settings();
    let mtime = s.file_mtime;
    let (entries, name) = parse(s, &fixture("plain.txt"));
    assert_eq!(name, None);
    let messages: Vec<_> = entries.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        ["just some text", "without any timestamps", "", "at all"]
    );
    assert!(
        entries
            .iter()
            .all(|e| e.level.is_none() && !e.ts_known && e.ts == mtime)
    );
}

#[test]
fn json_and_logfmt_name_the_job_under_common_keys() {
    let data =
        br#"{"ts":"2026-11-02T13:04:05Z","level":"info","msg":"a","job_name":"nightly-export"}
{"ts":"2026-11-02T13:04:06Z","level":"info","msg":"b","jobname":"report"}
{"ts":"2026-11-02T13:04:07Z","level":"info","msg":"c","job":"backup","job_name":"ignored"}
"#;
    let (entries, _) = parse(settings(), data);
    let jobs: Vec<_> = entries.iter().map(|e| e.job.as_deref()).collect();
    assert_eq!(
        jobs,
        [Some("nightly-export"), Some("report"), Some("backup")]
    );
    // A key that lost to `job` stays with the other fields.
    assert_eq!(
        entries[2].fields.as_deref(),
        Some(r#"{"job_name":"ignored"}"#)
    );
    let (entries, _) = parse(
        settings(),
        b"ts=2026-11-02T13:04:05Z level=warn msg=slow job_name=etl-orders\n",
    );
    assert_eq!(entries[0].job.as_deref(), Some("etl-orders"));
}

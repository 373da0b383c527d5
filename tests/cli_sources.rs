//! The config's sources and custom formats, the order in which an entry's job is chosen, and
//! every output format of `search`.

mod common;

use common::Scratch;

fn old(path: &std::path::Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
}

#[test]
fn configured_sources_custom_formats_and_job_precedence() {
    let s = Scratch::new();
    let logs = s.path("logs");
    std::fs::create_dir(&logs).unwrap();
    let pipeline = logs.join("pipeline.out");
    std::fs::write(
        &pipeline,
        "2026-11-02 10:00:00 | WARN | loader | slow batch 7\n\
         2026-11-02 10:00:01 | ERROR | loader | batch 8 failed\n\
         \x20 caused by: disk full\n",
    )
    .unwrap();
    let json = logs.join("events.json");
    std::fs::write(
        &json,
        "{\"ts\":\"2026-11-02T10:00:02Z\",\"level\":\"info\",\"msg\":\"hello\",\"job\":\"api\",\"user\":\"u1\"}\n\
         {\"ts\":\"2026-11-02T10:00:03Z\",\"level\":\"warn\",\"msg\":\"no job field\"}\n",
    )
    .unwrap();
    let plain = logs.join("backup.log.1");
    std::fs::write(&plain, "2026-11-02 10:00:04,000 INFO [main] rotated file\n").unwrap();
    for p in [&pipeline, &json, &plain] {
        old(p);
    }
    std::fs::write(
        s.path("config.toml"),
        format!(
            "timezone = \"UTC\"\n\
             [[sources]]\npath = \"{dir}/pipeline.out\"\nformat = \"pipeline\"\n\
             [[sources]]\npath = \"{dir}/events.json\"\njob = \"events\"\n\
             [[sources]]\npath = \"{dir}/*.log.*\"\n\
             [[formats]]\nname = \"pipeline\"\n\
             pattern = '^(?P<ts>\\S+ \\S+) \\| (?P<level>\\w+) \\| (?P<job>[\\w-]+) \\| (?P<message>.*)$'\n\
             time_format = \"%Y-%m-%d %H:%M:%S\"\n",
            dir = logs.display()
        ),
    )
    .unwrap();
    s.run(&["index"]);
    let all = s.export(&[]);
    let by_msg = |m: &str| {
        all.iter()
            .find(|e| e["message"].as_str().unwrap().starts_with(m))
            .unwrap_or_else(|| panic!("no entry {m:?} in {all:?}"))
    };
    assert_eq!(all.len(), 5);
    // A job named by the line wins, then the source's job, then the file name.
    assert_eq!(by_msg("slow batch")["job"], "loader");
    assert_eq!(by_msg("hello")["job"], "api");
    assert_eq!(by_msg("hello")["fields"]["user"], "u1");
    assert_eq!(by_msg("no job field")["job"], "events");
    assert_eq!(by_msg("[main] rotated")["job"], "backup");
    let failed = by_msg("batch 8 failed");
    assert_eq!(failed["level"], "error");
    assert_eq!(failed["ts"], "2026-11-02T10:00:01.000Z");
    assert!(
        failed["message"]
            .as_str()
            .unwrap()
            .ends_with("\n  caused by: disk full")
    );
}

#[test]
fn search_speaks_text_json_ndjson_and_csv() {
    let s = Scratch::new();
    let p = s.path("app.log");
    std::fs::write(
        &p,
        "2026-11-02 10:00:00,000 INFO [main] first, with \"quotes\"\n2026-11-02 10:00:01,000 ERROR [main] second\n",
    )
    .unwrap();
    old(&p);
    s.run(&["index", p.to_str().unwrap()]);
    let text = s.run(&["search", "main"]);
    assert_eq!(text.lines().count(), 2);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .starts_with("2026-11-02 10:00:01.000 ERROR app "),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&s.run(&["search", "main", "-f", "json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let nd = s.run(&["search", "main", "-f", "ndjson", "--oldest-first"]);
    let first: serde_json::Value = serde_json::from_str(nd.lines().next().unwrap()).unwrap();
    assert_eq!(first["message"], "[main] first, with \"quotes\"");
    let csv_out = s.run(&["search", "main", "-f", "csv"]);
    let mut rd = csv::Reader::from_reader(csv_out.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][6], "[main] first, with \"quotes\"");
    assert_eq!(&rd.headers().unwrap()[2], "level");
    // Paging: a full page names its continuation on stderr.
    let out = s
        .logdex()
        .args(["search", "main", "-n", "1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let cursor = err
        .trim()
        .strip_prefix("more: --cursor ")
        .expect("a cursor")
        .to_string();
    let next = s.run(&["search", "main", "-n", "1", "--cursor", &cursor]);
    assert!(next.contains("first"), "{next}");
}

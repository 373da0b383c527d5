//! How lines become entries, whatever the format: when entries are emitted, continuation joining
//! and its caps, bytes that are not clean text, time inference and zones, forced and custom
//! formats, and input that must never make the parser panic.

use jiff::tz::TimeZone;
use logdex::ingest::parser::{
    CustomFormat, EntryParser, ParsedEntry, ParserError, ParserSettings, RawLine,
    builtin_format_names,
};
use logdex::model::Level;

const MIB: usize = 1 << 20;

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

fn forced(name: &str) -> ParserSettings {
    ParserSettings {
        format: Some(name.to_owned()),
        ..settings()
    }
}

/// Splits `data` into lines as a file reader would (the last one may lack its newline).
fn lines(data: &[u8]) -> Vec<RawLine<'_>> {
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
        out.push(RawLine {
            bytes,
            offset,
            end,
            number,
        });
        offset = end;
        rest = &rest[used..];
    }
    out
}

fn parse(settings: ParserSettings, data: &[u8]) -> (Vec<ParsedEntry>, Option<String>) {
    let mut parser = EntryParser::new(settings).expect("valid settings");
    let mut out = Vec::new();
    for line in lines(data) {
        parser.push(line, &mut out);
    }
    parser.finish(&mut out);
    (out, parser.format_name().map(str::to_owned))
}

fn messages(entries: &[ParsedEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.message.as_str()).collect()
}

#[test]
fn an_entry_is_emitted_only_when_the_next_one_starts() {
    let data = b"2026-11-02 13:04:05,123 ERROR [w] boom\nTraceback (most recent call last):\n  File \"x.py\", line 1\n2026-11-02 13:04:06,000 INFO [w] next\n";
    let mut parser = EntryParser::new(forced("python")).expect("valid");
    let mut out = Vec::new();
    let all = lines(data);
    for line in &all[..3] {
        parser.push(*line, &mut out);
    }
    assert!(out.is_empty(), "the traceback may still grow");
    parser.push(all[3], &mut out);
    assert_eq!(
        messages(&out),
        ["[w] boom\nTraceback (most recent call last):\n  File \"x.py\", line 1"]
    );
    assert_eq!((out[0].offset, out[0].end_offset), (0, all[2].end));
    parser.finish(&mut out);
    assert_eq!(out.len(), 2);
    // More lines after `finish` (the file grew) go on from where it left off.
    let more = b"  indented, but nothing before it\n";
    let mut line = lines(more)[0];
    line.number = 5;
    parser.push(line, &mut out);
    parser.finish(&mut out);
    assert_eq!(out.len(), 3);
    assert_eq!(out[2].message, "  indented, but nothing before it");
    assert_eq!(
        (out[2].ts, out[2].ts_known),
        (ms("2026-11-02T13:04:06Z"), false)
    );
}

#[test]
fn detection_holds_back_the_first_lines() {
    let mut data = String::new();
    for i in 0..100 {
        data.push_str(&format!(
            "2026-11-02T13:04:{:02}.000Z INFO  runner: line {i}\n",
            i % 60
        ));
    }
    let mut parser = EntryParser::new(settings()).expect("valid");
    let mut out = Vec::new();
    let all = lines(data.as_bytes());
    for line in &all[..63] {
        parser.push(*line, &mut out);
    }
    assert!(out.is_empty());
    assert_eq!(parser.format_name(), None);
    parser.push(all[63], &mut out);
    assert_eq!(parser.format_name(), Some("iso"));
    assert_eq!(out.len(), 63);
    for line in &all[64..] {
        parser.push(*line, &mut out);
    }
    parser.finish(&mut out);
    assert_eq!(out.len(), 100);
    assert_eq!(out[99].message, "runner: line 99");
}

#[test]
fn empty_input() {
    let mut parser = EntryParser::new(settings()).expect("valid");
    let mut out = Vec::new();
    parser.finish(&mut out);
    assert!(out.is_empty());
    assert_eq!(parser.format_name(), None);
    let (entries, _) = parse(settings(), b"");
    assert!(entries.is_empty());
}

#[test]
fn lines_before_the_first_entry_and_entries_without_time() {
    let data = b"  at orphan.frame(X.java:1)\n\
        {\"ts\":\"2026-11-02T13:04:05Z\",\"level\":\"info\",\"msg\":\"a\"}\n\
        {\"ts\":\"2026-11-02T13:04:05Z\",\"level\":\"info\",\"msg\":\"a2\"}\n\
        {\"level\":\"warn\",\"msg\":\"no time\"}\n";
    let s = settings();
    let mtime = s.file_mtime;
    let (entries, name) = parse(s, data);
    assert_eq!(name.as_deref(), Some("json"));
    assert_eq!(
        messages(&entries),
        ["  at orphan.frame(X.java:1)", "a", "a2", "no time"]
    );
    assert_eq!(
        (entries[0].ts, entries[0].ts_known, entries[0].level),
        (mtime, false, None)
    );
    assert_eq!(
        (entries[3].ts, entries[3].ts_known),
        (ms("2026-11-02T13:04:05Z"), false)
    );
    assert_eq!(entries[3].level, Some(Level::Warn));
}

#[test]
fn continuation_lines_are_capped_per_entry() {
    let mut data = String::from("2026-11-02 13:04:05,000 ERROR [w] huge trace\n");
    for i in 0..10_001 {
        data.push_str(&format!("  frame {i}\n"));
    }
    data.push_str("2026-11-02 13:04:06,000 INFO [w] after\n");
    let (entries, _) = parse(forced("python"), data.as_bytes());
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].message.lines().count(), 10_001);
    assert!(entries[0].message.ends_with("  frame 9999"));
    assert_eq!((entries[0].line, entries[0].end_line), (1, 10_001));
    assert_eq!(entries[1].message, "  frame 10000");
    assert_eq!(
        (entries[1].line, entries[1].level, entries[1].ts_known),
        (10_002, None, false)
    );
    assert_eq!(entries[1].ts, ms("2026-11-02T13:04:05Z"));
    assert_eq!(entries[2].message, "[w] after");
}

#[test]
fn a_ten_megabyte_line_is_truncated_at_a_char_boundary() {
    // 'é' is two bytes: 1 MiB of it ends between chars only if the cut is careless.
    let mut data = b"2026-11-02 13:04:05,000 INFO x".to_vec();
    data.extend("é".repeat(5 * MIB).as_bytes());
    data.push(b'\n');
    data.extend(b"2026-11-02 13:04:06,000 INFO next\n");
    let (entries, name) = parse(settings(), &data);
    assert_eq!(name.as_deref(), Some("python"));
    assert_eq!(entries.len(), 2);
    let msg = &entries[0].message;
    // "x" then two-byte chars: byte 1 MiB falls inside one, so one byte less is kept.
    let body_len = 1 + 10 * MIB;
    let kept = MIB - 1;
    let suffix = format!(" …[truncated {} bytes]", body_len - kept);
    assert!(msg.ends_with(&suffix), "{}", &msg[msg.len() - 40..]);
    assert_eq!(msg.len(), kept + suffix.len());
    assert_eq!(entries[1].message, "next");

    // Continuation lines past the cap are counted, not kept.
    let mut data = b"2026-11-02 13:04:05,000 INFO start\n".to_vec();
    let line = "y".repeat(MIB / 2);
    for _ in 0..4 {
        data.extend(line.as_bytes());
        data.push(b'\n');
    }
    let (entries, _) = parse(forced("python"), &data);
    let msg = &entries[0].message;
    let kept = MIB;
    let total = "start".len() + 4 * (1 + MIB / 2);
    assert!(
        msg.ends_with(&format!(" …[truncated {} bytes]", total - kept)),
        "{}",
        &msg[msg.len() - 40..]
    );
    assert_eq!(entries[0].end_line, 5);
}

#[test]
fn invalid_utf8_nul_and_control_bytes() {
    let data = b"2026-11-02 13:04:05,000 WARN caf\xe9 \xff\xfe end\n\
        2026-11-02 13:04:06,000 INFO nul\0inside \x1b[31mred\x1b[0m \x07\n\
        \x00\x01 raw continuation \xc3\n";
    let (entries, name) = parse(settings(), data);
    assert_eq!(name.as_deref(), Some("python"));
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].message, "caf\u{FFFD} \u{FFFD}\u{FFFD} end");
    assert_eq!(entries[0].level, Some(Level::Warn));
    assert_eq!(
        entries[1].message,
        "nul\0inside \x1b[31mred\x1b[0m \x07\n\0\x01 raw continuation \u{FFFD}"
    );
}

#[test]
fn zones_apply_only_to_times_without_one() {
    let mut s = settings();
    s.zone = TimeZone::get("Europe/Berlin").expect("tzdb");
    let data = b"2026-07-02 13:04:05.250 INFO summer\n\
        2026-11-02 13:04:05.250 INFO winter\n\
        2026-10-25 02:30:00.000 INFO ambiguous hour: the first one counts\n\
        2026-11-02T13:04:05.250Z INFO explicit\n\
        2026-11-02T13:04:05.250-05:00 INFO offset\n";
    let (entries, name) = parse(s, data);
    assert_eq!(name.as_deref(), Some("iso"));
    let ts: Vec<i64> = entries.iter().map(|e| e.ts).collect();
    assert_eq!(
        ts,
        [
            ms("2026-07-02T11:04:05.250Z"),
            ms("2026-11-02T12:04:05.250Z"),
            ms("2026-10-25T00:30:00Z"),
            ms("2026-11-02T13:04:05.250Z"),
            ms("2026-11-02T18:04:05.250Z"),
        ]
    );
}

#[test]
fn years_for_yearless_formats() {
    // glog lines from late December, read on January 2nd.
    let mut s = settings();
    s.year = 2027;
    s.file_mtime = ms("2027-01-02T08:00:00Z");
    let data =
        b"I1231 23:59:59.900000 1 a.cc:1] old year\nI0102 07:59:00.000000 1 a.cc:2] new year\n";
    let (entries, name) = parse(s, data);
    assert_eq!(name.as_deref(), Some("glog"));
    assert_eq!(entries[0].ts, ms("2026-12-31T23:59:59.900Z"));
    assert_eq!(entries[1].ts, ms("2027-01-02T07:59:00Z"));

    // Same lines with the mtime in the December: no correction.
    let mut s = settings();
    s.file_mtime = ms("2026-12-31T23:59:59.999Z");
    let (entries, _) = parse(s, b"I1231 23:59:59.900000 1 a.cc:1] same year\n");
    assert_eq!(entries[0].ts, ms("2026-12-31T23:59:59.900Z"));
}

#[test]
fn two_digit_years_are_this_century() {
    let (entries, _) = parse(settings(), b"99/01/02 03:04:05 INFO a.B: x\n");
    assert_eq!(entries[0].ts, ms("2099-01-02T03:04:05Z"));
}

#[test]
fn forced_formats() {
    let data = b"2026-11-02 13:04:05,123 INFO [w] a\n2026-11-02 13:04:06,000 INFO [w] b\n";
    let (entries, name) = parse(forced("log4j"), data);
    assert_eq!(name.as_deref(), Some("log4j"));
    assert_eq!(messages(&entries), ["[w] a", "[w] b"]);
    // A forced format that reads none of the lines: one entry, lines joined.
    let (entries, name) = parse(forced("json"), data);
    assert_eq!(name.as_deref(), Some("json"));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].level, None);
    assert!(!entries[0].ts_known);

    let err = EntryParser::new(forced("nope")).expect_err("unknown");
    assert_eq!(err, ParserError::UnknownFormat("nope".into()));
    assert_eq!(err.to_string(), "unknown format \"nope\"");
    for name in builtin_format_names() {
        let parser = EntryParser::new(forced(name)).expect("built-in names are accepted");
        assert_eq!(parser.format_name(), Some(name));
    }
}

fn custom(name: &str, pattern: &str, time_format: Option<&str>) -> CustomFormat {
    CustomFormat {
        name: name.into(),
        pattern: pattern.into(),
        time_format: time_format.map(str::to_owned),
    }
}

#[test]
fn custom_formats_are_tried_first_and_can_be_forced() {
    let data = b"[2026-11-02 13:04:05.120] <warning> job=etl-orders | slow batch\n    detail\n[2026-11-02 13:04:06.000] <info> job=backup | ok\n";
    let mut s = settings();
    s.custom = vec![custom(
        "bracketed",
        r"^\[(?P<ts>[^\]]+)\] <(?P<level>\w+)> job=(?P<job>\S+) \| (?P<message>.*)$",
        Some("%Y-%m-%d %H:%M:%S%.f"),
    )];
    let (entries, name) = parse(s.clone(), data);
    assert_eq!(name.as_deref(), Some("bracketed"));
    assert_eq!(messages(&entries), ["slow batch\n    detail", "ok"]);
    assert_eq!(entries[0].ts, ms("2026-11-02T13:04:05.120Z"));
    assert_eq!(entries[0].level, Some(Level::Warn));
    assert_eq!(entries[0].level_raw.as_deref(), Some("warning"));
    assert_eq!(entries[1].job.as_deref(), Some("backup"));

    s.format = Some("bracketed".into());
    let (entries, name) = parse(s, data);
    assert_eq!(name.as_deref(), Some("bracketed"));
    assert_eq!(entries.len(), 2);

    // A custom format that reads as many lines as a built-in one wins the tie.
    let mut s = settings();
    s.custom = vec![custom("mine", r"^(?P<ts>\S+ \S+) (?P<level>[A-Z]+) ", None)];
    let (entries, name) = parse(s, b"2026-11-02 13:04:05,123 INFO [w] a\n");
    assert_eq!(name.as_deref(), Some("mine"));
    assert_eq!(entries[0].message, "[w] a");
    assert_eq!(entries[0].ts, ms("2026-11-02T13:04:05.123Z"));
}

#[test]
fn bad_custom_formats_are_reported_by_name() {
    let mut s = settings();
    s.custom = vec![custom("broken", r"^(?P<ts>\d+ (?P<level>\w+)", None)];
    let err = EntryParser::new(s).expect_err("bad regex");
    let ParserError::BadPattern { name, message } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(name, "broken");
    assert!(message.contains("unclosed group"), "{message}");
    assert!(
        err.to_string()
            .starts_with("custom format \"broken\": invalid regex: regex parse error"),
        "{err}"
    );

    let mut s = settings();
    s.custom = vec![custom("no-ts", r"^(?P<message>.*)$", None)];
    let err = EntryParser::new(s).expect_err("no ts group");
    assert_eq!(
        err.to_string(),
        "custom format \"no-ts\": invalid regex: no named group `ts`: a line starts an entry only when its time is found"
    );

    let mut s = settings();
    s.custom = vec![custom("bad-time", r"^(?P<ts>\S+)", Some("%Y-%m-%d %K"))];
    let err = EntryParser::new(s).expect_err("bad time format");
    assert!(
        err.to_string()
            .starts_with("custom format \"bad-time\": invalid time_format: "),
        "{err}"
    );
}

/// A small deterministic generator (xorshift), enough to shake the readers.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random bytes, and real-looking lines cut short or with bytes flipped, in every format and
/// through detection: the parser must not panic and every line must land in exactly one entry.
#[test]
fn random_input_never_panics() {
    let seeds: Vec<&[u8]> = vec![
        b"2026-11-02 13:04:05,123 - app - WARNING - x",
        b"2026-11-02T13:04:05.123456+05:30 INFO  s: m",
        b"{\"ts\":1700000000,\"level\":30,\"msg\":\"m\",\"a\":[1,{\"b\":null}]}",
        b"ts=2026-11-02T13:04:05Z level=info msg=\"a \\\"b\\\" \\u00e9\" k",
        b"<34>1 2026-11-02T13:04:05.003Z h a - - - m",
        b"<13>Jul  1 09:00:01 host p[1]: m",
        b"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2",
        b"[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1] m",
        b"2026/11/02 13:04:05 [error] 1#0: m",
        b"I1102 13:04:05.123456 1 f.cc:1] m",
        b"03-17 16:13:38.811  1702  2395 D T: m",
        b"081109 203615 148 INFO a.B: m",
        b"20171224-1:2:35:789|a|1|m",
        b"[07.26 12:21:41] p - m",
        b"x.log 2017-05-16 00:00:00.008 1 INFO a [r] m",
        b"2015-07-29 17:41:44,747 - INFO  [t] - m",
        b"17/06/09 20:10:40 INFO a.B: m",
    ];
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let mut data = Vec::new();
    for _ in 0..3000 {
        match noise.below(4) {
            0 => {
                let n = noise.below(120);
                data.extend((0..n).map(|_| noise.next() as u8));
            }
            1 => {
                let seed = seeds[noise.below(seeds.len())];
                data.extend(&seed[..noise.below(seed.len() + 1)]);
            }
            _ => {
                let mut line = seeds[noise.below(seeds.len())].to_vec();
                for _ in 0..1 + noise.below(3) {
                    let i = noise.below(line.len());
                    line[i] = match noise.below(3) {
                        0 => noise.next() as u8,
                        1 => b"0123456789"[noise.below(10)],
                        _ => b" :-.[]{}\"=\\"[noise.below(11)],
                    };
                }
                data.extend(line);
            }
        }
        data.push(b'\n');
    }
    let total_lines = lines(&data).len() as u64;
    let mut settings_list = vec![settings()];
    settings_list.extend(builtin_format_names().map(forced));
    let mut zoned = settings();
    zoned.zone = TimeZone::get("America/New_York").expect("tzdb");
    settings_list.push(zoned);
    for s in settings_list {
        let label = format!("{:?}", s.format);
        let (entries, _) = parse(s, &data);
        let mut next_line = 1;
        for e in &entries {
            assert_eq!(e.line, next_line, "{label}: entries must tile the lines");
            assert!(e.end_line >= e.line, "{label}");
            next_line = e.end_line + 1;
        }
        assert_eq!(next_line - 1, total_lines, "{label}");
    }
}

/// Every format forced onto every sample (mostly the wrong one): lines are never lost or
/// counted twice, and each entry's message holds as many lines as the entry spans.
#[test]
fn any_format_on_any_sample_keeps_every_line() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parser");
    let mut samples = 0;
    for file in std::fs::read_dir(&dir).expect("fixtures") {
        let path = file.expect("entry").path();
        if path.extension().is_none_or(|e| e != "log" && e != "txt") {
            continue;
        }
        samples += 1;
        let data = std::fs::read(&path).expect("fixture");
        let total = lines(&data).len() as u64;
        for name in builtin_format_names() {
            let (entries, _) = parse(forced(name), &data);
            let label = format!("{} as {name}", path.display());
            let mut next_line = 1;
            for e in &entries {
                assert_eq!(e.line, next_line, "{label}");
                assert_eq!(
                    e.message.matches('\n').count() as u64,
                    e.end_line - e.line,
                    "{label}: {e:?}"
                );
                next_line = e.end_line + 1;
            }
            assert_eq!(next_line - 1, total, "{label}");
        }
    }
    assert!(samples >= 20);
}

//! Bad input loses nothing and stops nothing: odd bytes are stored lossily, files that are not
//! logs are skipped with a warning that names them, and indexing goes on.

mod common;

use std::io::Write;

use common::Scratch;

fn old(path: &std::path::Path) {
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
        .unwrap();
}

fn write(s: &Scratch, name: &str, bytes: &[u8]) -> String {
    let p = s.path(name);
    std::fs::write(&p, bytes).unwrap();
    old(&p);
    p.display().to_string()
}

#[test]
fn odd_bytes_are_kept_and_shown_safely() {
    let s = Scratch::new();
    let mut data = Vec::new();
    data.extend_from_slice(b"2026-11-02 10:00:00,000 INFO bad utf8 \xff\xfe here\n");
    data.extend_from_slice(b"2026-11-02 10:00:01,000 WARNING nul \0 byte and \x1b[31mred\x1b[0m\n");
    data.extend_from_slice(b"2026-11-02 10:00:02,000 ERROR long ");
    data.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    data.extend_from_slice(b"\n2026-11-02 10:00:03,000 INFO after the long line\n");
    let p = write(&s, "odd.log", &data);
    let out = s.logdex().args(["index", &p]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let cut = 10 * 1024 * 1024 + "long ".len() - (1 << 20);
    assert!(
        err.contains(&format!(
            "warning: {p}: the entry at line 3 is longer than 1 MiB; kept the first 1 MiB of each, left out {cut} bytes"
        )),
        "{err}"
    );
    assert_eq!(s.stats(&[])["total"], 4);
    let text = s.run(&["search", "byte"]);
    assert!(text.contains("nul ^@ byte and ^[[31mred^[[0m"), "{text}");
    assert!(!text.contains('\x1b') && !text.contains('\0'));
    let utf8 = s.run(&["search", "utf8", "--format", "json"]);
    assert!(utf8.contains("\u{fffd}"), "{utf8}");
    let after = s.run(&["search", "after"]);
    assert!(after.contains("after the long line"));
    let long = s.export(&["--level", "error"]);
    let m = long[0]["message"].as_str().unwrap();
    assert!(
        m.len() >= 1 << 20 && m.len() < 2 << 20,
        "a long line is kept up to a cap: {}",
        m.len()
    );
    assert!(m.contains("truncated"), "and says it was cut");
}

#[test]
fn files_that_are_not_logs_are_skipped_by_name_and_the_rest_indexed() {
    let s = Scratch::new();
    let good = write(&s, "good.log", b"2026-11-02 10:00:00,000 INFO fine\n");
    let empty = write(&s, "empty.log", b"");
    let binary = write(
        &s,
        "blob.bin",
        &[0u8, 1, 2, 3, 0, 0, 0, 5, 6, 0].repeat(500),
    );
    let missing = s.path("missing.log").display().to_string();
    let out = s
        .logdex()
        .args(["index", &good, &empty, &binary, &missing])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(&format!("warning: {missing}: no such file or directory")),
        "{err}"
    );
    assert!(err.contains("blob.bin: looks like a binary file"), "{err}");
    assert!(
        !err.contains("empty.log"),
        "an empty file is not a problem: {err}"
    );
    assert_eq!(s.stats(&[])["total"], 1);
}

#[test]
fn an_unreadable_file_is_reported() {
    let s = Scratch::new();
    let p = s.path("secret.log");
    std::fs::write(&p, b"2026-11-02 10:00:00,000 INFO hidden\n").unwrap();
    let ok = write(&s, "ok.log", b"2026-11-02 10:00:00,000 INFO fine\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    // Root reads any file whatever its mode: then logdex runs as nobody, for whom it counts.
    let wrapper: &[&str] = if std::fs::File::open(&p).is_ok() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(s.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        &[
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]
    } else {
        &[]
    };
    let out = s
        .command_through(wrapper)
        .args(["index", p.to_str().unwrap(), &ok])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("secret.log: permission denied"), "{err}");
    assert_eq!(s.stats(&[])["total"], 1);
}

#[test]
fn usage_errors_exit_2_and_runtime_errors_exit_1_with_one_line() {
    let s = Scratch::new();
    let out = s
        .logdex()
        .args(["search", "--limit", "many"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = s.logdex().args(["search", "x"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no database at"), "{err}");
    let log = write(&s, "a.log", b"2026-11-02 10:00:00,000 INFO fine\n");
    s.run(&["index", &log]);
    for (args, needle) in [
        (vec!["search", "(unclosed"], "bad search"),
        (vec!["search", "--regex", "a(b"], "bad regex"),
        (vec!["search", "x", "--since", "yesterday-ish"], "--since"),
        (
            vec!["search", "x", "--level", "loud"],
            "unknown level \"loud\"",
        ),
        (vec!["search", "x", "--cursor", "zz"], "bad --cursor"),
    ] {
        let out = s.logdex().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let mut f = std::fs::File::create(s.path("config.toml")).unwrap();
    writeln!(f, "timezone = \"UTC\"\nretention = 3").unwrap();
    let out = s.logdex().args(["search", "x"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("line 2, column 1") && err.contains("unknown field `retention`"),
        "{err}"
    );
}

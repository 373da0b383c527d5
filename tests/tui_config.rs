//! The browser's settings from the command line and the config: a bad `[keys]` entry or colour
//! is a clear error before the terminal is touched.

use std::process::Command;

fn logdex(config: &str) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).expect("config");
    Command::new(env!("CARGO_BIN_EXE_logdex"))
        .env("LOGDEX_CONFIG", &path)
        .env("LOGDEX_DB", dir.path().join("t.db"))
        .env("HOME", dir.path())
        .output()
        .expect("run logdex")
}

#[test]
fn an_unknown_key_or_action_is_named() {
    let out = logdex("[keys]\n\"ctrl-shft-q\" = \"quit\"\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("[keys] \"ctrl-shft-q\": unknown key name"),
        "{err}"
    );
    let out = logdex("[keys]\nj = \"jump_around\"\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("\"jump_around\": unknown action"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn without_a_terminal_the_browser_says_so() {
    let out = logdex("timezone = \"UTC\"\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("terminal"), "{err}");
}

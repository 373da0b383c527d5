//! The word index is a file of its own beside the database; it must only ever answer for the
//! database it was built from.

mod common;

use common::Scratch;

fn lines(word: &str) -> String {
    (0..50)
        .map(|i| {
            format!(
                "2026-11-02 13:{:02}:{:02},000 INFO step {i} {word}\n",
                i / 60,
                i % 60
            )
        })
        .collect()
}

#[test]
fn a_word_index_left_from_another_database_is_not_believed() {
    let s = Scratch::new();
    let first = s.path("first.log");
    std::fs::write(&first, lines("alpha")).unwrap();
    s.run(&["index", first.to_str().unwrap()]);
    assert_eq!(s.run(&["search", "alpha"]).lines().count(), 50);

    // The database goes, its word index stays (a user removed `logdex.db*` by hand); a new
    // database at the same path indexes other lines at the same times, so at the same ids.
    for ext in ["", "-wal", "-shm", ".lock"] {
        let mut p = s.db().into_os_string();
        p.push(ext);
        let _ = std::fs::remove_file(p);
    }
    let second = s.path("second.log");
    std::fs::write(&second, lines("beta")).unwrap();
    s.run(&["index", second.to_str().unwrap()]);

    assert_eq!(s.run(&["search", "alpha"]), "", "words of the old database");
    assert_eq!(s.run(&["search", "beta"]).lines().count(), 50);
    assert_eq!(s.run(&["search", "step"]).lines().count(), 50);
}

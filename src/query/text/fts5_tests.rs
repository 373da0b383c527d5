//! Checks this module against SQLite's real FTS5 (the bundled build the store uses): the
//! tokenizer splits and folds every character alike, the words expressions are accepted and
//! select what `matches` selects, and regex prefilters never drop a matching text.

use std::collections::BTreeSet;

use rusqlite::Connection;

use super::pattern::tests::{CONTEXT, random_pattern, sample};
use super::tokens::folded_words;
use super::{SearchMode, TextQuery, next_random as next};

const TOKENIZER: &str = "tokenize = 'unicode61 remove_diacritics 0'";

/// Every code point of the first three planes and of plane 14, and a sample of the rest, each
/// placed inside a word and at the start of one: `a{c}a {c}b`.
#[test]
fn tokenizer_agrees_with_fts5_on_every_character() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE t USING fts5(m, detail=full, {TOKENIZER});
         CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);"
    ))
    .unwrap();
    let chars: Vec<char> = (1..=0x10FFFF_u32)
        .filter(|&c| c < 0x30000 || (0xE0000..0xF0000).contains(&c) || c % 61 == 0)
        .filter_map(char::from_u32)
        .collect();
    let docs: Vec<String> = chars
        .chunks(512)
        .map(|chunk| chunk.iter().map(|c| format!("a{c}a {c}b ")).collect())
        .collect();
    let tx = conn.unchecked_transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO t(rowid, m) VALUES (?1, ?2)")
            .unwrap();
        for (i, d) in docs.iter().enumerate() {
            insert.execute(rusqlite::params![i as i64, d]).unwrap();
        }
    }
    tx.commit().unwrap();
    let mut rows: Vec<(i64, i64, String)> = conn
        .prepare("SELECT doc, offset, term FROM v")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.sort();
    let mut sqlite: Vec<Vec<String>> = vec![Vec::new(); docs.len()];
    for (doc, _, term) in rows {
        sqlite[doc as usize].push(term);
    }
    for (i, d) in docs.iter().enumerate() {
        let ours = folded_words(d);
        if ours != sqlite[i] {
            let at = ours.iter().zip(&sqlite[i]).position(|(a, b)| a != b);
            panic!(
                "document {i}: first difference at token {at:?}: ours {:?}, FTS5 {:?}",
                at.and_then(|k| ours.get(k)),
                at.and_then(|k| sqlite[i].get(k)),
            );
        }
    }
}

const TEXT_PARTS: &[&str] = &[
    "timeout",
    "Timeout",
    "TIMEOUT",
    "timeouts",
    "upstream",
    "after",
    "30s",
    "user-42",
    "user_42",
    "USER",
    "42",
    "4242",
    "10.0.0.1",
    "10.0.0.10",
    "/v1/orders",
    "GET",
    "POST",
    "error",
    "warn",
    "warning",
    "retry",
    "retrying",
    "straße",
    "STRASSE",
    "ΣΟΦΊΑ",
    "σοφίας",
    "οδος",
    "ΟΔΟΣ",
    "日本語",
    "café",
    "cafe\u{301}",
    "ſtop",
    "stop",
    "\u{212A}elvin",
    "kelvin",
    "e.g.",
    "debug",
    "a",
    "b",
    "c",
    "x",
    "and",
    "or",
    "not",
    "😀",
    "🥺x",
    "ꭰ",
    "Ꭰ",
    "İstanbul",
    "istanbul",
    "µs",
    "μs",
    "\u{1F97A}",
    "²",
    "O'Brien",
    "\"quoted\"",
];
const SEPARATORS: &[&str] = &[
    " ", " ", " ", "  ", "-", ".", "/", ": ", "\t", "\r\n", "_", ",", "\0", "\u{a0}", "—", "",
];

fn corpus() -> Vec<String> {
    let mut seed = 0xC0FF_EE12_3456_789A_u64;
    let mut texts = vec![
        String::new(),
        "upstream timeout after 30s (api-08)".to_owned(),
        "retrying upstream request 3/5".to_owned(),
        "upstream timeout on /v1/orders".to_owned(),
        "login by user-42 from 10.0.0.1".to_owned(),
    ];
    while texts.len() < 600 {
        let parts = 1 + next(&mut seed) % 10;
        let mut t = String::new();
        for _ in 0..parts {
            t.push_str(TEXT_PARTS[(next(&mut seed) % TEXT_PARTS.len() as u64) as usize]);
            t.push_str(SEPARATORS[(next(&mut seed) % SEPARATORS.len() as u64) as usize]);
        }
        texts.push(t);
    }
    texts
}

fn index(texts: &[String]) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(&format!(
        "CREATE VIRTUAL TABLE log_fts USING fts5(m, content='', detail=none, {TOKENIZER});"
    ))
    .unwrap();
    for (i, t) in texts.iter().enumerate() {
        conn.execute(
            "INSERT INTO log_fts(rowid, m) VALUES (?1, ?2)",
            rusqlite::params![i as i64, t],
        )
        .unwrap();
    }
    conn
}

fn fts_rows(conn: &Connection, expr: &str) -> BTreeSet<usize> {
    let mut stmt = conn
        .prepare("SELECT rowid FROM log_fts WHERE log_fts MATCH ?1 ORDER BY rowid")
        .unwrap();
    stmt.query_map([expr], |r| r.get::<_, i64>(0))
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .map(|r| r.unwrap_or_else(|e| panic!("{expr}: {e}")) as usize)
        .collect()
}

const QUERY_TERMS: &[&str] = &[
    "timeout",
    "upstream",
    "user-42",
    "42",
    "user",
    "time*",
    "retr*",
    "warn*",
    "10.0.0.1",
    "/v1/orders",
    "straße",
    "σοφία",
    "ΟΔΟΣ",
    "\"upstream timeout\"",
    "\"user 42\"",
    "日本語",
    "café",
    "cafe\u{301}",
    "stop",
    "kelvin",
    "e.g.",
    "a",
    "b",
    "x",
    "and",
    "\"after 30s\"",
    "st*",
    "ka*",
    "μs",
    "µ*",
    "🥺x",
    "ꭰ",
    "Ꭰ",
    "istanbul",
    "brien",
    "\"o brien\"*",
    "quoted",
    "42*",
];

fn random_query(seed: &mut u64, depth: u32) -> String {
    let n = 1 + next(seed) % 3;
    let mut parts = Vec::new();
    for i in 0..n {
        if i > 0 {
            let op = ["", "AND ", "OR ", "OR "][(next(seed) % 4) as usize];
            parts.push(op.to_owned());
        }
        let neg = ["", "", "", "-", "NOT "][(next(seed) % 5) as usize];
        let body = if depth > 0 && next(seed).is_multiple_of(4) {
            format!("({})", random_query(seed, depth - 1))
        } else {
            QUERY_TERMS[(next(seed) % QUERY_TERMS.len() as u64) as usize].to_owned()
        };
        parts.push(format!("{neg}{body} "));
    }
    parts.concat()
}

/// What the store does: FTS5 for candidates, `matches` on each when the expression is not
/// exact, a scan when there is no expression. The result must be what `matches` says.
#[test]
fn word_expressions_select_what_matches_selects() {
    let texts = corpus();
    let conn = index(&texts);
    let mut seed = 0x5EED_0000_0000_0001_u64;
    let mut queries: Vec<String> = QUERY_TERMS.iter().map(|s| s.to_string()).collect();
    queries.extend(
        [
            "timeout -retrying",
            "upstream AND NOT \"upstream timeout\"",
            "a OR -b",
            "-(a OR -b)",
            "(a OR b) -(c x)",
            "NOT (-a -b) x",
            "user-42 OR 10.0.0.1",
            "\"o brien\" -\"upstream timeout\" -x",
        ]
        .map(str::to_owned),
    );
    while queries.len() < 400 {
        queries.push(random_query(&mut seed, 2));
    }
    let (mut exact, mut inexact, mut none) = (0, 0, 0);
    for src in &queries {
        let q = TextQuery::parse(SearchMode::Words, src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let want: BTreeSet<usize> = (0..texts.len()).filter(|&i| q.matches(&texts[i])).collect();
        let Some(expr) = q.fts_expression() else {
            none += 1;
            continue;
        };
        let got = fts_rows(&conn, &expr);
        assert!(got.is_superset(&want), "{src} -> {expr}: FTS5 misses rows");
        if q.fts_is_exact() {
            exact += 1;
            assert_eq!(got, want, "{src} -> {expr}: claimed exact");
        } else {
            inexact += 1;
            let filtered: BTreeSet<usize> =
                got.into_iter().filter(|&i| q.matches(&texts[i])).collect();
            assert_eq!(filtered, want, "{src} -> {expr}");
        }
        // The store ANDs its own terms onto the expression in parentheses.
        let combined = format!("({expr}) AND \"timeout\"");
        let _ = fts_rows(&conn, &combined);
    }
    assert!(
        exact > 100 && inexact > 30 && none > 10,
        "{exact} {inexact} {none}"
    );
}

#[test]
fn regex_prefilters_never_drop_a_match() {
    let texts = corpus();
    let conn = index(&texts);
    let patterns = [
        r"timeout after \d+s",
        r"^upstream",
        r"(?i)^ſtop",
        r"(GET|POST) /v1/orders",
        r"user[-_]42\b",
        r" (οδος|σοφία)",
        r"(?i) kelvin",
        r"\d+\.\d+\.\d+\.\d+",
        r"(?m)^warning$",
        r" µs",
        r"(?-i)ΣΟΦΊΑ ",
        r"café|cafe\x{301}",
        r" ꭰ ",
        r" Ꭰ ",
        r"(?i) ꭰ ",
        r"\bx\b",
        r"^(a|b|c)+ ",
        r" e\.g\. ",
        r"İstanbul",
        r"(?i)i̇stanbul",
        r" 日本語",
        r"O'Brien",
        r#" "quoted""#,
    ];
    let mut useful = 0;
    for p in patterns {
        let q = TextQuery::parse(SearchMode::Regex, p).unwrap_or_else(|e| panic!("{p}: {e}"));
        let want: BTreeSet<usize> = (0..texts.len()).filter(|&i| q.matches(&texts[i])).collect();
        if let Some(expr) = q.fts_expression() {
            useful += 1;
            let got = fts_rows(&conn, &expr);
            assert!(
                got.is_superset(&want),
                "{p} -> {expr}: FTS5 misses {:?}",
                want.difference(&got)
                    .map(|&i| &texts[i])
                    .collect::<Vec<_>>()
            );
        }
    }
    assert!(useful > 12, "{useful}");
}

/// Prefilters of generated patterns, run by FTS5 over texts drawn from those same patterns.
#[test]
fn random_regex_prefilters_never_drop_a_match() {
    let mut seed = 0xFEED_F00D_0000_0007_u64;
    let mut patterns = Vec::new();
    let mut texts = Vec::new();
    while patterns.len() < 400 {
        let flags = ["", "(?i)", "(?m)"][(next(&mut seed) % 3) as usize];
        let src = format!("{flags}{}", random_pattern(&mut seed, 2));
        let Ok(q) = TextQuery::parse(SearchMode::Regex, &src) else {
            continue;
        };
        let TextQuery::Regex(r) = &q else { continue };
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(r.is_case_insensitive())
            .build()
            .parse(&src);
        let Ok(hir) = hir else { continue };
        for _ in 0..10 {
            let mut t = CONTEXT[(next(&mut seed) % CONTEXT.len() as u64) as usize].to_owned();
            sample(&hir, &mut seed, &mut t);
            t.push_str(CONTEXT[(next(&mut seed) % CONTEXT.len() as u64) as usize]);
            texts.push(t);
        }
        patterns.push(q);
    }
    let conn = index(&texts);
    let mut useful = 0;
    for q in &patterns {
        let Some(expr) = q.fts_expression() else {
            continue;
        };
        useful += 1;
        let want: BTreeSet<usize> = (0..texts.len()).filter(|&i| q.matches(&texts[i])).collect();
        let got = fts_rows(&conn, &expr);
        assert!(
            got.is_superset(&want),
            "{} -> {expr}: FTS5 misses {:?}",
            q.source(),
            want.difference(&got)
                .map(|&i| &texts[i])
                .collect::<Vec<_>>()
        );
    }
    assert!(useful > 40, "{useful}");
}

/// Long and deeply nested queries still make expressions FTS5 accepts: its parser has a
/// small fixed stack, which right-nested groups use up three times as fast as left-nested ones.
#[test]
fn large_queries_stay_within_fts5_limits() {
    let conn = index(&corpus());
    let words: Vec<String> = (0..400).map(|i| format!("w{i}")).collect();
    let phrases: Vec<String> = words.iter().map(|w| format!("\"{w} {w}\"")).collect();
    let mut queries = vec![
        words.join(" "),
        words.join(" OR "),
        format!("timeout -{}", words.join(" -")),
        format!("({}) timeout", phrases.join(" OR ")),
    ];
    // Each shape nests 16 levels of parentheses, the most a query may have.
    let shapes: [fn(usize, String) -> String; 5] = [
        |i, inner| format!("(w{i} OR (x{i} -y{i} {inner}))"),
        |i, inner| format!("a{i} b{i} -(c{i} d{i} -{inner})"),
        |i, inner| format!("(a{i} b{i} -c{i} {inner} OR d{i})"),
        |i, inner| format!("(a{i} AND b{i} AND c{i} AND {inner}) -z{i}"),
        |i, inner| format!("-(\"p{i} q{i}\" OR -(r{i} {inner}))"),
    ];
    for shape in shapes {
        let mut q = String::from("timeout");
        for i in 0..16 {
            q = shape(i, q);
            if q.matches('(').count() >= 16 {
                break;
            }
        }
        queries.push(q);
    }
    for src in &queries {
        let q = TextQuery::parse(SearchMode::Words, src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let expr = q.fts_expression().unwrap_or_else(|| panic!("{src}"));
        let _ = fts_rows(&conn, &expr);
        let _ = fts_rows(&conn, &format!("({expr}) AND \"timeout\""));
    }
}

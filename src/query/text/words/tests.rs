//! The words language: parsing, errors with their column, matching, and the FTS5 expression
//! and screen each query turns into.

use super::WordQuery;
use crate::query::text::SearchError;
use crate::query::text::next_random as next;

fn q(s: &str) -> WordQuery {
    match WordQuery::parse(s) {
        Ok(q) => q,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn fts(s: &str) -> Option<String> {
    q(s).fts_expression()
}

fn err(s: &str) -> String {
    match WordQuery::parse(s) {
        Ok(_) => panic!("{s:?} parsed"),
        Err(SearchError { message, column }) => format!("{column}: {message}"),
    }
}

/// The text with each highlighted range in brackets.
fn marked(query: &str, text: &str) -> String {
    let mut out = String::new();
    let mut at = 0;
    for r in q(query).highlights(text) {
        out.push_str(&text[at..r.start]);
        out.push('[');
        out.push_str(&text[r.clone()]);
        out.push(']');
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

#[test]
fn fts_expressions() {
    let cases = [
        ("timeout", r#""timeout""#),
        ("Timeout AND upstream", r#"("timeout" AND "upstream")"#),
        ("timeout upstream", r#"("timeout" AND "upstream")"#),
        // Nested groups come first: FTS5's parser needs less stack for them there.
        ("a OR b c", r#"(("b" AND "c") OR "a")"#),
        ("(a OR b) c", r#"(("a" OR "b") AND "c")"#),
        ("time*", r#""time" *"#),
        ("a -b", r#"("a" NOT "b")"#),
        ("a AND NOT b", r#"("a" NOT "b")"#),
        ("a NOT b -c", r#"("a" NOT ("b" OR "c"))"#),
        ("a -(b OR c)", r#"("a" NOT ("b" OR "c"))"#),
        ("a -(b -c)", r#"("a" NOT ("b" NOT "c"))"#),
        ("NOT NOT a", r#""a""#),
        ("and or not", r#"("and" AND "or" AND "not")"#),
        ("\"AND\"", r#""and""#),
        ("Ünïcode ΣΟΦΊΑ", r#"("ünïcode" AND "σοφία")"#),
        ("user-42", r#"("user" AND "42")"#),
        ("\"upstream timeout\"", r#"("upstream" AND "timeout")"#),
        ("/v1/orders*", r#"("v1" AND "orders" *)"#),
        ("\"user id\"*", r#"("user" AND "id" *)"#),
        ("a OR (b OR (c d))", r#"(("c" AND "d") OR "a" OR "b")"#),
        // A phrase cannot be subtracted (its tokens may occur apart), so it is left to matches.
        ("a -\"x y\"", r#""a""#),
        ("a -\"x y\" -z", r#"("a" NOT "z")"#),
        ("(a OR -b) c", r#""c""#),
        ("a (b OR -\"x y\")", r#""a""#),
        ("a -(b OR -c)", r#"(("a" AND "c") NOT "b")"#),
        ("-(a OR -b)", r#"("b" NOT "a")"#),
        ("NOT (-a -b) c", r#"(("a" OR "b") AND "c")"#),
        ("a (b OR c) d", r#"(("b" OR "c") AND "a" AND "d")"#),
        ("--dry-run", r#"("dry" AND "run")"#),
    ];
    for (input, expected) in cases {
        assert_eq!(fts(input).as_deref(), Some(expected), "{input}");
    }
}

#[test]
fn exactness() {
    for s in [
        "a",
        "a b",
        "a OR b",
        "a -b",
        "x*",
        "a -(b c)",
        "(a OR b) -c",
        "a -(b OR -c)",
    ] {
        assert!(q(s).fts_is_exact(), "{s}");
    }
    for s in [
        "user-42",
        "\"a b\"",
        "a -\"x y\"",
        "(a OR -b) c",
        "a (b OR -c)",
    ] {
        assert!(!q(s).fts_is_exact(), "{s}");
    }
}

#[test]
fn inexpressible_queries_have_no_expression() {
    for s in [
        "-a",
        "NOT a",
        "a OR -b",
        "-a -b",
        "-(a b)",
        "NOT (a OR b)",
        "a OR NOT \"x y\"",
    ] {
        assert_eq!(fts(s), None, "{s}");
        assert!(!q(s).fts_is_exact(), "{s}");
    }
}

#[test]
fn errors() {
    let cases = [
        ("", "1: the search is empty"),
        ("  \t ", "1: the search is empty"),
        (
            "(timeout",
            "9: missing closing parenthesis for the one at column 1",
        ),
        (
            "a (b (c) d",
            "11: missing closing parenthesis for the one at column 3",
        ),
        (
            "(",
            "2: missing closing parenthesis for the one at column 1",
        ),
        ("a)", "2: unmatched closing parenthesis"),
        (") a", "1: unmatched closing parenthesis"),
        ("(a))", "4: unmatched closing parenthesis"),
        ("a ()", "3: empty parentheses"),
        ("a ( ) b", "3: empty parentheses"),
        (
            "say \"hello",
            "11: missing closing quote for the one at column 5",
        ),
        ("\"\"", "1: empty quotes"),
        ("a \"  \"", "3: empty quotes"),
        ("timeout AND", "9: AND needs a term after it"),
        ("timeout OR", "9: OR needs a term after it"),
        ("OR x", "1: OR needs a term before it"),
        ("AND", "1: AND needs a term before it"),
        ("(AND x)", "2: AND needs a term before it"),
        ("a AND OR b", "3: AND needs a term after it"),
        ("(a OR)", "4: OR needs a term after it"),
        ("a NOT", "3: NOT needs a term after it"),
        ("NOT", "1: NOT needs a term after it"),
        ("a AND NOT", "7: NOT needs a term after it"),
        ("x -", "3: \"-\" needs a term right after it, as in -debug"),
        (
            "(x -)",
            "4: \"-\" needs a term right after it, as in -debug",
        ),
        (
            "a --",
            "3: the term \"--\" has no letters or digits to search for",
        ),
        (
            "...",
            "1: the term \"...\" has no letters or digits to search for",
        ),
        (
            "a \"--\"",
            "3: the quoted phrase \"--\" has no letters or digits to search for",
        ),
        (
            "*",
            "1: \"*\" needs letters or digits before it, as in time*",
        ),
        (
            "a -*",
            "4: \"*\" needs letters or digits before it, as in time*",
        ),
        ("ti*me", "3: \"*\" can only end a term, as in time*"),
        ("time**", "5: \"*\" can only end a term, as in time*"),
        (
            "foo-*",
            "5: \"*\" must come right after a letter or digit, as in time*",
        ),
        (
            "\"foo \"*",
            "7: \"*\" must come right after a letter or digit, as in time*",
        ),
        (
            ".*",
            "1: the term \".*\" has no letters or digits to search for",
        ),
        (
            "日本 (",
            "5: missing closing parenthesis for the one at column 4",
        ),
        ("é)", "2: unmatched closing parenthesis"),
    ];
    for (input, expected) in cases {
        assert_eq!(err(input), expected, "{input:?}");
    }
}

#[test]
fn error_display_is_one_line() {
    let e = WordQuery::parse("a (b").unwrap_err();
    assert_eq!(
        e.to_string(),
        "missing closing parenthesis for the one at column 3 (at column 5)"
    );
}

#[test]
fn leftmost_problem_wins() {
    assert_eq!(
        err("(a \"b"),
        "6: missing closing quote for the one at column 4"
    );
    assert_eq!(err("AND \"b"), "1: AND needs a term before it");
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
    assert_eq!(
        err(&deep),
        "17: parentheses nested too deeply (more than 16 levels)"
    );
    let ok = format!("{}a{}", "(".repeat(16), ")".repeat(16));
    assert!(q(&ok).matches("a"));
    let nots = format!("{}a", "NOT ".repeat(10_001));
    assert!(!q(&nots).matches("a"));
    assert!(q(&nots).matches("b"));
}

#[test]
fn matching_single_tokens_and_prefixes() {
    let t = q("timeout");
    assert!(t.matches("upstream timeout after 30s"));
    assert!(t.matches("TIMEOUT"));
    assert!(t.matches("(timeout)"));
    assert!(t.matches("x\r\ntimeout\r\n"));
    assert!(!t.matches("timeouts"));
    assert!(
        t.matches("connect_timeout"),
        "underscore separates, as in the index"
    );
    assert!(!t.matches("connecttimeout"));
    assert!(!t.matches(""));
    let p = q("time*");
    assert!(p.matches("Timeouts"));
    assert!(p.matches("time"));
    assert!(!p.matches("runtime"));
}

#[test]
fn matching_phrases() {
    let p = q("user-42");
    assert!(p.matches("login by USER_42 failed"));
    assert!(p.matches("user 42"));
    assert!(!p.matches("user 4242"));
    assert!(!p.matches("42 user"));
    assert!(!p.matches("user x 42"));
    let ip = q("10.0.0.1");
    assert!(ip.matches("from 10.0.0.1:443"));
    assert!(!ip.matches("from 10.0.0.10"));
    let path = q("/v1/orders");
    assert!(path.matches("GET /api/v1/orders?id=1"));
    assert!(!path.matches("GET /v1/order"));
    // Overlapping starts: the phrase "a a b" inside "a a a b".
    assert!(q("\"a a b\"").matches("a a a b"));
    assert!(q("\"x y\"*").matches("x yellow"));
    assert!(!q("\"x y\"*").matches("x z yellow"));
    assert!(q("e.g.").matches("see E.G. this"));
}

#[test]
fn matching_booleans() {
    let t = q("timeout -retry");
    assert!(t.matches("timeout"));
    assert!(!t.matches("timeout; retry"));
    assert!(q("-debug").matches("info"));
    assert!(!q("-debug").matches("DEBUG x"));
    let o = q("error OR warn* -ignored");
    assert!(o.matches("error"));
    assert!(o.matches("warning"));
    assert!(!o.matches("warning ignored"));
    assert!(
        o.matches("error ignored"),
        "NOT binds to warn* only through AND"
    );
    let g = q("(error OR warn*) -ignored");
    assert!(!g.matches("error ignored"));
    assert!(q("--dry-run").matches("started with --dry-run"));
    assert!(!q("-/health").matches("GET /health 200"));
    assert!(q("-/health").matches("GET /orders 200"));
    assert!(q("a OR -b").matches("c"));
    assert!(!q("a OR -b").matches("b"));
    assert!(q("NOT (a b)").matches("a"));
    assert!(!q("NOT (a b)").matches("b a"));
}

#[test]
fn matching_unicode() {
    assert!(q("straße").matches("Die STRASSE ist die Straße"));
    assert!(q("ΟΔΟΣ").matches("η οδος"), "final sigma folds like FTS5");
    assert!(q("οδος").matches("ΟΔΟΣ"));
    assert!(
        !q("日本語").matches("これは日本語です"),
        "no spaces: one token"
    );
    assert!(q("日本語").matches("日本語 です"));
    assert!(!q("日本").matches("日本語"));
    assert!(q("日本*").matches("日本語"));
    assert!(q("café").matches("CAFÉ au lait"));
    assert!(!q("cafe").matches("café"), "no diacritic removal");
    assert!(q("cafe\u{301}").matches("CAFE\u{301}"));
    assert!(q("emoji").matches("😀emoji😀"), "symbols separate");
    assert!(q("x").matches("\u{0}x\u{7f}"));
    assert!(q("ſtop").matches("STOP"));
}

#[test]
fn matching_never_panics_on_odd_text() {
    let texts = [
        "",
        "\u{0}",
        "\u{FEFF}a",
        "\u{10FFFF}",
        "\u{301}\u{301}",
        "a\u{301}",
        &"x".repeat(100_000),
        "\x1b[31mred\x1b[0m",
    ];
    let queries = ["x", "x*", "\"a b\"", "-a", "a OR -b", "red", "a\u{301}"];
    for s in queries {
        let w = q(s);
        for t in texts {
            let _ = w.matches(t);
            for r in w.highlights(t) {
                assert!(t.is_char_boundary(r.start) && t.is_char_boundary(r.end));
            }
        }
    }
    // The escape's tail joins the word, exactly as it does in the index.
    assert!(!q("red").matches("\x1b[31mred\x1b[0m"));
    assert!(q("31mred").matches("\x1b[31mred\x1b[0m"));
}

#[test]
fn highlighting() {
    assert_eq!(
        marked("timeout", "Timeout: upstream timeout"),
        "[Timeout]: upstream [timeout]"
    );
    assert_eq!(marked("time*", "runtime timeouts"), "runtime [time]outs");
    assert_eq!(
        marked("user-42", "user 42; user-43; USER_42"),
        "[user 42]; user-43; [USER_42]"
    );
    assert_eq!(marked("a -b", "a b a"), "[a] b [a]");
    assert_eq!(marked("-(a -b)", "a b"), "a [b]");
    assert_eq!(marked("a OR \"a b\"", "a b c"), "[a b] c");
    assert_eq!(marked("\"a a\"", "a a a"), "[a a a]");
    assert_eq!(marked("ſt*", "ſtop"), "[ſt]op");
    assert_eq!(marked("σο*", "ΣΟΦΊΑ"), "[ΣΟ]ΦΊΑ");
    assert_eq!(marked("x", "no match"), "no match");
    assert_eq!(marked("timeout", "a\r\nTIMEOUT\r\n"), "a\r\n[TIMEOUT]\r\n");
    assert_eq!(marked("a b", "\0a\x07b\x1b"), "\0[a]\x07[b]\x1b");
    assert_eq!(marked("\"a b\"", "a\u{0}b"), "[a\u{0}b]");
    assert_eq!(marked("日本語", "「日本語」"), "「[日本語]」");
}

#[test]
fn random_input_never_panics() {
    let alphabet: Vec<char> = "ab AND OR NOT -*\"()\t é日😀\u{301}.:_".chars().collect();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..20_000 {
        let len = (next(&mut seed) % 14) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next(&mut seed) % alphabet.len() as u64) as usize])
            .collect();
        match WordQuery::parse(&s) {
            Ok(w) => {
                let _ = w.fts_expression();
                let _ = w.matches(&s);
                let _ = w.highlights(&s);
            }
            Err(e) => assert!(
                e.column >= 1 && e.column <= s.chars().count() + 1,
                "{s:?}: {e}"
            ),
        }
    }
}

/// The literal screen in front of the token walk must never turn away a row the walk accepts.
#[test]
fn screen_never_rejects_a_match() {
    const PARTS: &[&str] = &[
        "timeout",
        "TIMEOUT",
        "ſtop",
        "STOP",
        "\u{212A}elvin",
        "ΟΔΟΣ",
        "οδος",
        "µs",
        "ΜS",
        "ϐeta",
        "straße",
        "STRASSE",
        "ẞ",
        "ǅ",
        "user-42",
        "e.g.",
        "x",
        " ",
        "-",
        "\u{301}",
        "é",
        "İ",
        "i",
    ];
    const QUERIES: &[&str] = &[
        "timeout",
        "stop",
        "st*",
        "kelvin",
        "οδοσ",
        "ΟΔΟΣ",
        "μs",
        "βeta",
        "ß*",
        "ǆ",
        "user-42",
        "e.g. OR x",
        "i*",
        "\"x x\"",
        "é -x",
        "ΜS OR stop",
    ];
    let mut seed = 77_u64;
    let texts: Vec<String> = (0..3000)
        .map(|_| {
            (0..1 + next(&mut seed) % 6)
                .map(|_| PARTS[(next(&mut seed) % PARTS.len() as u64) as usize])
                .collect()
        })
        .collect();
    let mut hits = 0;
    for src in QUERIES {
        let w = q(src);
        for t in &texts {
            let walked = w.program.walk(t);
            hits += usize::from(walked);
            assert_eq!(w.matches(t), walked, "{src} on {t:?}");
        }
    }
    assert!(hits > 2000, "{hits}");
}

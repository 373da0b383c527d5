//! Regex queries: smart case, errors with their column, hostile patterns refused, highlights,
//! and prefilters that never turn away a text the regex matches (random patterns and texts).

use regex_syntax::hir::{Class, Hir, HirKind};

use super::RegexQuery;
use super::prefilter::condition;
use crate::query::text::next_random as next;
use crate::query::text::tokens::folded_words;

fn q(s: &str) -> RegexQuery {
    match RegexQuery::parse(s) {
        Ok(q) => q,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn err(s: &str) -> String {
    match RegexQuery::parse(s) {
        Ok(_) => panic!("{s:?} parsed"),
        Err(e) => format!("{}: {}", e.column, e.message),
    }
}

fn prefilter(s: &str) -> Option<String> {
    q(s).fts_prefilter()
}

#[test]
fn smart_case() {
    for s in [
        "timeout",
        r"\S+",
        r"\W\D\B",
        r"\p{Lu}",
        r"\x41",
        r"(?P<Name>x)",
        r"\PL",
        "é",
    ] {
        assert!(q(s).is_case_insensitive(), "{s}");
    }
    for s in ["Timeout", "[A-Z]", "[A-z]", "x|Y", "É", r"(?i)X"] {
        assert!(!q(s).is_case_insensitive(), "{s}");
    }
    assert!(q("timeout").matches("TIMEOUT"));
    assert!(!q("Timeout").matches("TIMEOUT"));
    assert!(
        q(r"(?i)Timeout").matches("TIMEOUT"),
        "an explicit flag still wins"
    );
    assert!(q(r"\p{Lu}x").matches("AX"));
}

#[test]
fn errors_are_one_line_with_a_column() {
    let cases = [
        ("", "1: the search is empty"),
        ("(abc", "1: unclosed group"),
        ("timeout (after", "9: unclosed group"),
        ("a)", "2: unopened group"),
        ("[ab", "1: unclosed character class"),
        ("日本(x", "3: unclosed group"),
        ("*x", "1: repetition operator missing expression"),
        (
            "a{3,1}",
            "2: invalid repetition count range, the start must be <= the end",
        ),
        (r"\p{Nope}", "1: Unicode property not found"),
        (
            r"x\",
            "2: incomplete escape sequence, reached end of pattern prematurely",
        ),
    ];
    for (input, expected) in cases {
        let got = err(input);
        assert_eq!(got, expected, "{input:?}");
        assert!(!got.contains('\n'));
    }
}

#[test]
fn hostile_patterns_are_refused_quickly() {
    assert_eq!(
        err(r"(?:\w{1000}){1000}"),
        "1: the pattern is too large (it would need more than 10 MiB)"
    );
    let deep = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
    assert!(err(&deep).contains("nest"));
}

#[test]
fn matching_and_highlights() {
    let r = q(r"timeout after \d+s");
    assert!(r.matches("upstream timeout after 30s (api-08)"));
    assert!(!r.matches("timeout after s"));
    let spans: Vec<(usize, usize)> = q("a+")
        .highlights("aaa baa")
        .into_iter()
        .map(|r| (r.start, r.end))
        .collect();
    assert_eq!(spans, [(0, 3), (5, 7)]);
    assert!(
        q("x*").highlights("abc").is_empty(),
        "empty matches colour nothing"
    );
    let touching: Vec<(usize, usize)> = q("ab|cd")
        .highlights("abcd")
        .into_iter()
        .map(|r| (r.start, r.end))
        .collect();
    assert_eq!(touching, [(0, 4)]);
}

#[test]
fn prefilters() {
    let cases: &[(&str, Option<&str>)] = &[
        (r"timeout after \d+s", Some(r#""after""#)),
        (r"^timeout", Some(r#""timeout" *"#)),
        (r"^timeout$", Some(r#""timeout""#)),
        (r"(?m)^ERROR ", Some(r#""error""#)),
        (r" timeout ", Some(r#""timeout""#)),
        (r"\btimeout\b", None),
        (r"upstream timeout", Some(r#""timeout" *"#)),
        (r"upstream_timeout", Some(r#""timeout" *"#)),
        (r"upstream\w*timeout", None),
        (r"GET /v1/orders", Some(r#"("v1" AND "orders" *)"#)),
        (r"(GET|POST) /v1/orders", Some(r#"("v1" AND "orders" *)"#)),
        (
            r"error: (timeout|refused)",
            Some(r#"("timeout" * OR "refused" *)"#),
        ),
        (r"user[-_]id=\d+", Some(r#""id""#)),
        (r"foo\s+bar", Some(r#""bar" *"#)),
        (r"^[Kk]ernel: ", Some(r#""kernel""#)),
        (r"^kernel: ", Some(r#""kernel""#)),
        (r"^a|^b", None),
        (r".*", None),
        (r"^(foo|bar)+$", Some(r#"("foo" * OR "bar" *)"#)),
        (r"^x?timeout", Some(r#"("timeout" * OR "xtimeout" *)"#)),
        (
            r"^foo\s*bar",
            Some(r#"(("foo" AND "bar" *) OR "foobar" *)"#),
        ),
        (r"(?-u:\s)foo(?-u:\s)", Some(r#""foo""#)),
        (r" ſtop ", Some(r#""stop""#)),
        (r" ΣΟΦΊΑ ", Some(r#""σοφία""#)),
        (r" straße\.", Some(r#""straße""#)),
        (r" cafe\x{301} ", Some(r#""cafe" *"#)),
        (r"^\d+ items", Some(r#""items" *"#)),
        (r#"^say "hi" "#, Some(r#"("say" AND "hi")"#)),
        (r"[^a-z] done ", Some(r#""done""#)),
        // Up to 16 alternatives stay lined up with their neighbours; more are summarised.
        (
            r" (aa|bb|cc|dd|ee|ff|gg|hh|ii|jj|kk|ll|mm|nn|oo|pp)x ",
            Some(concat!(
                r#"("aax" OR "bbx" OR "ccx" OR "ddx" OR "eex" OR "ffx" OR "ggx" OR "hhx" OR "#,
                r#""iix" OR "jjx" OR "kkx" OR "llx" OR "mmx" OR "nnx" OR "oox" OR "ppx")"#
            )),
        ),
        (
            r" (aa|bb|cc|dd|ee|ff|gg|hh|ii|jj|kk|ll|mm|nn|oo|pp|qq)x ",
            None,
        ),
        (
            r" (aa|bb|cc|dd|ee|ff|gg|hh|ii|jj|kk|ll|mm|nn|oo|pp|qq) x ",
            Some(r#""x""#),
        ),
        (
            r" (a b|b c|c d|d e|e f|f g|g h|h i|i j|j k|k l|l m|m n|n o|o p|p q|q r) ",
            None,
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(prefilter(input).as_deref(), *expected, "{input}");
    }
}

#[test]
fn random_patterns_never_panic() {
    let alphabet: Vec<char> = r"ab(|)[]{}*+?\.^$-_ 1,9pdswSWé日".chars().collect();
    let mut seed = 0x2545_F491_4F6C_DD1D_u64;
    for _ in 0..5_000 {
        let len = (next(&mut seed) % 12) as usize;
        let s: String = (0..len)
            .map(|_| alphabet[(next(&mut seed) % alphabet.len() as u64) as usize])
            .collect();
        match RegexQuery::parse(&s) {
            Ok(r) => {
                let _ = r.fts_prefilter();
                let _ = r.highlights(&s);
            }
            Err(e) => assert!(
                e.column >= 1 && e.column <= s.chars().count() + 1,
                "{s:?}: {e}"
            ),
        }
    }
}

/// Patterns built from pieces that stress the prefilter: words, separators, classes that are
/// case variants, optional and repeated groups, anchors, and case flags.
pub(crate) fn random_pattern(seed: &mut u64, depth: u32) -> String {
    const WORDS: &[&str] = &[
        "timeout",
        "after",
        "GET",
        "v1",
        "orders",
        "user",
        "id",
        "ſtop",
        "Kelvin",
        "straße",
        "ΣΟΦΊΑ",
        "日本",
        "café",
        "x",
        "42",
        "e",
        "Ab",
    ];
    const SEPS: &[&str] = &[
        " ", "-", "/", ": ", r"\.", "_", ", ", r"\n", "\u{301}", "😀",
    ];
    const CLASSES: &[&str] = &[
        r"\d+",
        r"\s+",
        r"\s*",
        r"\w+",
        "[-_]",
        "[Kk]",
        "[0-9]",
        ".",
        ".*",
        r"\S+",
        "[[:alpha:]]+",
        r"\b",
        "^",
        "$",
        "[ab]",
        r"\W",
        "[ſs]",
    ];
    let n = 1 + next(seed) % 4;
    let mut out = String::new();
    for _ in 0..n {
        let piece = match next(seed) % 10 {
            0..=3 => WORDS[(next(seed) % WORDS.len() as u64) as usize].to_owned(),
            4 | 5 => SEPS[(next(seed) % SEPS.len() as u64) as usize].to_owned(),
            6 | 7 => CLASSES[(next(seed) % CLASSES.len() as u64) as usize].to_owned(),
            _ if depth > 0 => {
                let a = random_pattern(seed, depth - 1);
                let b = random_pattern(seed, depth - 1);
                let suffix = ["", "?", "+", "*", "{2}", "{0,2}"][(next(seed) % 6) as usize];
                if next(seed).is_multiple_of(2) {
                    format!("({a}|{b}){suffix}")
                } else {
                    format!("(?:{a}){suffix}")
                }
            }
            _ => "x".to_owned(),
        };
        out.push_str(&piece);
    }
    out
}

/// Appends to `out` a random string that `hir` matches (when its assertions allow).
pub(crate) fn sample(hir: &Hir, seed: &mut u64, out: &mut String) {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(l) => out.push_str(std::str::from_utf8(&l.0).unwrap_or("")),
        HirKind::Class(Class::Unicode(c)) => {
            let ranges = c.ranges();
            if let Some(r) = ranges.get((next(seed) % ranges.len().max(1) as u64) as usize) {
                let span = (r.end() as u32 - r.start() as u32).min(40) as u64;
                let offset = if span == 0 {
                    0
                } else {
                    next(seed) % (span + 1)
                } as u32;
                out.extend(char::from_u32(r.start() as u32 + offset));
            }
        }
        HirKind::Class(Class::Bytes(c)) => {
            if let Some(r) = c.ranges().first().filter(|r| r.start() < 0x80) {
                out.push(r.start() as char);
            }
        }
        HirKind::Repetition(r) => {
            let extra = r.max.unwrap_or(r.min + 3).saturating_sub(r.min).min(3);
            let times = r.min.min(5) + (next(seed) % (u64::from(extra) + 1)) as u32;
            for _ in 0..times {
                sample(&r.sub, seed, out);
            }
        }
        HirKind::Capture(c) => sample(&c.sub, seed, out),
        HirKind::Concat(subs) => subs.iter().for_each(|s| sample(s, seed, out)),
        HirKind::Alternation(subs) => {
            if let Some(s) = subs.get((next(seed) % subs.len().max(1) as u64) as usize) {
                sample(s, seed, out);
            }
        }
    }
}

/// Text put around samples to try to glue words onto them: letters, marks, and symbols the
/// tokenizer counts as letters.
pub(crate) const CONTEXT: &[&str] = &[
    "", " ", "x", "é", "1", "-", "\n", "😀", "\u{301}", "ſ", "\u{212A}", "_", "🥺", "²", "Σ",
    "\r\n", "\0",
];

/// Soundness: whenever the regex matches a text, the text's tokens satisfy the prefilter.
/// Texts are drawn from each pattern itself and wrapped in context that tries to glue words
/// on (letters, marks, symbols the tokenizer counts as letters).
#[test]
fn prefilter_is_a_superset() {
    let mut seed = 0x1234_5678_9ABC_DEF1_u64;
    let mut checked = 0;
    let mut useful = 0;
    for _ in 0..800 {
        let flags = ["", "(?i)", "(?-i)", "(?m)", "(?s)"][(next(&mut seed) % 5) as usize];
        let src = format!("{flags}{}", random_pattern(&mut seed, 2));
        let Ok(rq) = RegexQuery::parse(&src) else {
            continue;
        };
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(rq.is_case_insensitive())
            .build()
            .parse(&src)
            .unwrap_or_else(|e| panic!("{src:?}: {e}"));
        let cond = condition(&hir);
        if cond.to_fts().is_some() {
            useful += 1;
        }
        for _ in 0..25 {
            let mut text = String::new();
            text.push_str(CONTEXT[(next(&mut seed) % CONTEXT.len() as u64) as usize]);
            sample(&hir, &mut seed, &mut text);
            text.push_str(CONTEXT[(next(&mut seed) % CONTEXT.len() as u64) as usize]);
            if rq.matches(&text) {
                checked += 1;
                assert!(
                    cond.holds(&folded_words(&text)),
                    "{src:?} matches {text:?} but the prefilter {:?} rejects it",
                    cond.to_fts()
                );
            }
        }
    }
    assert!(checked > 5_000, "only {checked} matching texts");
    assert!(useful > 100, "only {useful} patterns had a prefilter");
}

#[test]
fn listed_prefilter_cases_hold() {
    let cases = [
        (r"timeout after \d+s", "upstream timeout after 30s"),
        (r"^timeout", "timeouts happen"),
        (r"(?i)^ſtop ", "STOP now"),
        (r"(?i) k ", "a \u{212A} b"),
        (r"(?i) σοφία ", "η ΣΟΦΊΑ x"),
        (r" οδος ", "x οδος y"),
        (r"(?m)^ERROR$", "ok\nERROR\nok"),
        (r"(?Rm)^x y$", "a\r\nx y\r\nb"),
        (r" a\x{301}b ", "x a\u{301}b y"),
        (r" ab", "x ab\u{301}c"),
        (r"user[-_]id", "USER_ID"),
        (r" 日本 ", "x 日本 y"),
    ];
    for (src, text) in cases {
        let rq = q(src);
        assert!(rq.matches(text), "{src} should match {text:?}");
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(rq.is_case_insensitive())
            .build()
            .parse(src)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            condition(&hir).holds(&folded_words(text)),
            "{src} on {text:?}"
        );
    }
}

//! Which characters make up words and how two characters compare, exactly as the store's FTS5
//! tokenizer (`unicode61 remove_diacritics 0`) sees them, so that a search gives the same answer
//! whether it runs through the index or over raw text.
//!
//! SQLite's character tables date from Unicode 6.1, so the rules below are stated against that
//! version rather than the (newer) one Rust's standard library follows.

use std::sync::LazyLock;

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind};

/// Sorted, disjoint inclusive ranges of code points.
struct Ranges(Vec<(u32, u32)>);

impl Ranges {
    fn contains(&self, c: char) -> bool {
        let c = c as u32;
        let i = self.0.partition_point(|&(_, end)| end < c);
        self.0.get(i).is_some_and(|&(start, _)| start <= c)
    }

    fn from_class(class: &ClassUnicode) -> Ranges {
        Ranges(
            class
                .ranges()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32))
                .collect(),
        )
    }
}

struct Tables {
    /// Non-ASCII characters that end a token.
    separators: Ranges,
    /// Characters assigned in Unicode 6.1, the only ones SQLite folds.
    known: Ranges,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    // Everything outside L*, N* and Co separates tokens, but only if it was assigned in Unicode
    // 6.1: SQLite files code points it does not know under a category that counts as a letter.
    let mut separators = class(r"[\p{M}\p{P}\p{S}\p{Z}\p{Cc}\p{Cf}]");
    separators.intersect(&class(r"\p{age:6.1}"));
    // Characters whose category changed after 6.1 (New Tai Lue and Vedic signs were marks then,
    // letters now; two Mongolian letters became marks), and two noncharacters SQLite's table
    // lists as separators.
    separators.union(&ranges(&[
        (0x19B0, 0x19C0),
        (0x19C8, 0x19C9),
        (0x1CF2, 0x1CF3),
        (0xFFFE, 0xFFFF),
    ]));
    separators.difference(&ranges(&[(0x1885, 0x1886)]));

    let mut known = class(r"\p{age:6.1}");
    // Cherokee had no lower case in 6.1; its capitals are their own folded form there.
    known.difference(&ranges(&[(0x13A0, 0x13F4)]));

    Tables {
        separators: Ranges::from_class(&separators),
        known: Ranges::from_class(&known),
    }
});

fn class(pattern: &str) -> ClassUnicode {
    // The patterns are fixed strings checked by the tests; an empty class would only make
    // every character a token character, never a crash.
    match regex_syntax::Parser::new()
        .parse(pattern)
        .map(|h| h.into_kind())
    {
        Ok(HirKind::Class(Class::Unicode(c))) => c,
        _ => ClassUnicode::empty(),
    }
}

fn ranges(list: &[(u32, u32)]) -> ClassUnicode {
    ClassUnicode::new(list.iter().filter_map(|&(a, b)| {
        Some(ClassUnicodeRange::new(
            char::from_u32(a)?,
            char::from_u32(b)?,
        ))
    }))
}

/// Combining marks that SQLite treats as diacritics: they never start a token but do not end
/// one either.
fn is_diacritic(c: char) -> bool {
    matches!(
        c as u32,
        0x300..=0x304
            | 0x306..=0x30C
            | 0x30F
            | 0x311
            | 0x31B
            | 0x323..=0x328
            | 0x32D..=0x32E
            | 0x330..=0x331
    )
}

/// True if `c` can start a token (and so can be part of one).
pub(crate) fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        !TABLES.separators.contains(c)
    }
}

/// True if `c`, following a token character, keeps the token going.
pub(crate) fn continues_token(c: char) -> bool {
    is_token_char(c) || is_diacritic(c)
}

/// True if `c` always separates tokens, wherever it stands.
pub(crate) fn is_separator(c: char) -> bool {
    !continues_token(c)
}

/// The case-folded form of a token character: one character for one, so byte ranges of the
/// original text can be recovered by counting characters.
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    // Case folding, unlike lower-casing, merges these variants with their ordinary letter.
    let special = match c {
        'µ' => 'μ',
        'ſ' => 's',
        'ς' => 'σ',
        'ϐ' => 'β',
        'ϑ' => 'θ',
        'ϕ' => 'φ',
        'ϖ' => 'π',
        'ϰ' => 'κ',
        'ϱ' => 'ρ',
        'ϵ' => 'ε',
        'ẛ' => 'ṡ',
        '\u{1FBE}' => 'ι',
        _ => c,
    };
    if special != c {
        return special;
    }
    // Outside the Basic Multilingual Plane SQLite folds only Deseret.
    let astral = c as u32 > 0xFFFF && !(0x10400..0x10428).contains(&(c as u32));
    if astral || !TABLES.known.contains(c) {
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.len(), lower.next()) {
        (1, Some(l)) => l,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_built() {
        assert!(TABLES.separators.0.len() > 300);
        assert!(TABLES.known.0.len() > 300);
    }

    #[test]
    fn ascii() {
        for b in 0u8..128 {
            let c = b as char;
            assert_eq!(is_token_char(c), c.is_ascii_alphanumeric(), "{b}");
        }
        assert_eq!(fold('Q'), 'q');
        assert_eq!(fold('7'), '7');
    }

    #[test]
    fn unicode_words_and_folds() {
        assert!(is_token_char('é'));
        assert!(is_token_char('日'));
        assert!(is_token_char('\u{E000}'), "private use");
        assert!(is_token_char('\u{1F97A}'), "unassigned in 6.1");
        assert!(!is_token_char('\u{1F600}'), "emoji assigned in 6.1");
        assert!(!is_token_char('\u{A0}'));
        assert!(!is_token_char('\u{2014}'));
        assert!(!is_token_char('\u{301}'));
        assert!(continues_token('\u{301}'));
        assert!(is_separator('\u{305}'));
        assert_eq!(fold('Σ'), 'σ');
        assert_eq!(fold('ς'), 'σ');
        assert_eq!(fold('İ'), 'İ');
        assert_eq!(fold('Ꭰ'), 'Ꭰ');
        assert_eq!(fold('\u{10400}'), '\u{10428}');
        assert_eq!(fold('\u{1E900}'), '\u{1E900}');
        assert_eq!(fold('K'), 'k');
    }

    #[test]
    fn folding_keeps_tokens_whole_and_is_idempotent() {
        // A folded token is sent back to FTS5 inside quotes and tokenised again: it must come
        // out as the same single token.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if continues_token(c) {
                let f = fold(c);
                assert_eq!(is_token_char(f), is_token_char(c), "{:X}", c as u32);
                assert!(continues_token(f), "{:X}", c as u32);
                assert_eq!(fold(f), f, "{:X}", c as u32);
            }
        }
    }
}

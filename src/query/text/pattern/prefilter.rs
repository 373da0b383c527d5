//! Derives from a regex the whole words (and word prefixes) that any match must contain, as an
//! FTS5 condition that selects a superset of the matching texts.
//!
//! Each part of the pattern is described by a few alternative shapes: sequences of positions
//! that are a known token character, a certain separator, or unknown (a gap of any length).
//! Concatenation joins shapes, so literal text on both sides of a group still lines up; a word
//! is taken only when a separator (or an anchor) bounds it inside the shape, because an unknown
//! neighbour could extend it into a longer token. When the alternatives grow too many they are
//! summarised into a condition and replaced by a gap, which only loses precision.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

use super::formula::Formula;
use crate::query::text::unicode::{fold, is_separator, is_token_char};

/// Alternatives kept per part before summarising.
const MAX_ALTS: usize = 16;
/// A class this small is examined character by character for a common folded form.
const MAX_LETTER_CLASS: u32 = 16;
/// A class up to this size is examined for being made of separators only (`\s` is 25).
const MAX_SEPARATOR_CLASS: u32 = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    /// A token character, folded.
    Tok(char),
    /// A character that always separates tokens, or the start or end of the text.
    Sep,
    /// Zero or more characters of any kind.
    Gap,
}

#[derive(Debug, Clone)]
struct Alt {
    seq: Vec<Pos>,
    /// What the parts already summarised away require.
    req: Formula,
}

type Shape = Vec<Alt>;

pub(crate) fn prefilter(hir: &Hir) -> Option<String> {
    condition(hir).to_fts()
}

/// The condition on the tokens of any text that `hir` matches.
pub(crate) fn condition(hir: &Hir) -> Formula {
    summarize(shape(hir))
}

fn one(seq: Vec<Pos>) -> Shape {
    vec![Alt {
        seq,
        req: Formula::True,
    }]
}

fn shape(hir: &Hir) -> Shape {
    match hir.kind() {
        HirKind::Empty => one(Vec::new()),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => one(s.chars().map(char_pos).collect()),
            Err(_) => one(vec![Pos::Gap]),
        },
        HirKind::Class(c) => one(vec![class_pos(c)]),
        HirKind::Look(look) => match look {
            Look::Start
            | Look::End
            | Look::StartLF
            | Look::EndLF
            | Look::StartCRLF
            | Look::EndCRLF => one(vec![Pos::Sep]),
            // Word boundaries follow regex's idea of a word character, which is not the
            // tokenizer's (symbols new since Unicode 6.1 are token characters there).
            _ => one(Vec::new()),
        },
        HirKind::Capture(c) => shape(&c.sub),
        HirKind::Concat(subs) => subs
            .iter()
            .fold(one(Vec::new()), |acc, s| concat(acc, shape(s))),
        HirKind::Alternation(subs) => alternation(subs.iter().map(shape).collect()),
        HirKind::Repetition(r) => repetition(r.min, r.max, shape(&r.sub)),
    }
}

fn char_pos(c: char) -> Pos {
    if is_token_char(c) {
        Pos::Tok(fold(c))
    } else if is_separator(c) {
        Pos::Sep
    } else {
        // A combining mark that may or may not extend the token before it.
        Pos::Gap
    }
}

/// A class is a known position if all its characters are separators, or all fold to the same
/// token character (as `[Kk]` or a case-insensitive letter does).
fn class_pos(class: &Class) -> Pos {
    let ranges: Vec<(char, char)> = match class {
        Class::Unicode(u) => u.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        Class::Bytes(b) => {
            if b.ranges().iter().any(|r| r.end() >= 0x80) {
                return Pos::Gap;
            }
            b.ranges()
                .iter()
                .map(|r| (r.start() as char, r.end() as char))
                .collect()
        }
    };
    let size: u32 = ranges
        .iter()
        .map(|&(a, b)| (b as u32).saturating_sub(a as u32) + 1)
        .sum();
    let chars = || ranges.iter().flat_map(|&(a, b)| a..=b);
    if size == 0 {
        return Pos::Gap;
    }
    if size <= MAX_SEPARATOR_CLASS && chars().all(is_separator) {
        return Pos::Sep;
    }
    if size <= MAX_LETTER_CLASS && chars().all(is_token_char) {
        let mut folded = chars().map(fold);
        if let Some(first) = folded.next()
            && folded.all(|f| f == first)
        {
            return Pos::Tok(first);
        }
    }
    Pos::Gap
}

fn concat(a: Shape, b: Shape) -> Shape {
    let a = if a.len() * b.len() > MAX_ALTS {
        vec![collapse(a)]
    } else {
        a
    };
    let b = if a.len() * b.len() > MAX_ALTS {
        vec![collapse(b)]
    } else {
        b
    };
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in &a {
        for y in &b {
            let mut seq = x.seq.clone();
            for &p in &y.seq {
                push(&mut seq, p);
            }
            out.push(compress(Alt {
                seq,
                req: Formula::and([x.req.clone(), y.req.clone()]),
            }));
        }
    }
    out
}

/// Appends `p`; runs of separators or of gaps mean the same as one.
fn push(seq: &mut Vec<Pos>, p: Pos) {
    let same_run = matches!(
        (seq.last(), p),
        (Some(Pos::Sep), Pos::Sep) | (Some(Pos::Gap), Pos::Gap)
    );
    if !same_run {
        seq.push(p);
    }
}

/// Moves the words between the first and last gap into the requirement: nothing joined on
/// later can change them, and the sequence stays as short as its two ends.
fn compress(alt: Alt) -> Alt {
    let first = alt.seq.iter().position(|p| *p == Pos::Gap);
    let last = alt.seq.iter().rposition(|p| *p == Pos::Gap);
    match (first, last) {
        (Some(f), Some(l)) if f < l => {
            let req = Formula::and([alt.req, words(&alt.seq[f..=l])]);
            let mut seq = alt.seq[..=f].to_vec();
            seq.extend_from_slice(&alt.seq[l + 1..]);
            Alt { seq, req }
        }
        _ => alt,
    }
}

fn alternation(shapes: Vec<Shape>) -> Shape {
    if shapes.iter().map(Vec::len).sum::<usize>() <= MAX_ALTS {
        return shapes.into_iter().flatten().collect();
    }
    let collapsed: Shape = shapes.into_iter().map(collapse).collect();
    if collapsed.len() <= MAX_ALTS {
        collapsed
    } else {
        vec![collapse(collapsed)]
    }
}

fn repetition(min: u32, max: Option<u32>, sub: Shape) -> Shape {
    if max == Some(0) {
        return one(Vec::new());
    }
    let separators_only = sub.iter().all(|a| {
        a.req == Formula::True && !a.seq.is_empty() && a.seq.iter().all(|p| *p == Pos::Sep)
    });
    let at_least_once = if separators_only {
        one(vec![Pos::Sep])
    } else if max == Some(1) {
        sub
    } else {
        // The first repeat keeps its shape; whatever follows is unknown.
        sub.into_iter()
            .map(|mut a| {
                push(&mut a.seq, Pos::Gap);
                compress(a)
            })
            .collect()
    };
    let only_gap =
        matches!(at_least_once.as_slice(), [a] if a.seq == [Pos::Gap] && a.req == Formula::True);
    if min == 0 && !only_gap {
        alternation(vec![one(Vec::new()), at_least_once])
    } else {
        at_least_once
    }
}

fn collapse(shape: Shape) -> Alt {
    Alt {
        seq: vec![Pos::Gap],
        req: summarize(shape),
    }
}

fn summarize(shape: Shape) -> Formula {
    Formula::or(
        shape
            .into_iter()
            .map(|a| Formula::and([a.req, words(&a.seq)])),
    )
}

/// The words a sequence pins down on its own, not knowing what surrounds it: a run of token
/// characters with a separator on both sides is a whole token; with one only before it, it
/// starts a token (a prefix, if it is long enough to narrow anything).
fn words(seq: &[Pos]) -> Formula {
    let mut found = Vec::new();
    let mut i = 0;
    // A formula is cut to a few dozen words anyway; a pasted page of text need not be read.
    while i < seq.len() && found.len() < 64 {
        if !matches!(seq[i], Pos::Tok(_)) {
            i += 1;
            continue;
        }
        let start = i;
        let mut word = String::new();
        while let Some(Pos::Tok(c)) = seq.get(i) {
            word.push(*c);
            i += 1;
        }
        let bounded_before = start > 0 && seq[start - 1] == Pos::Sep;
        let bounded_after = seq.get(i) == Some(&Pos::Sep);
        if bounded_before && bounded_after {
            found.push(Formula::Token(word));
        } else if bounded_before && word.chars().count() >= 2 {
            found.push(Formula::Prefix(word));
        }
    }
    Formula::and(found)
}

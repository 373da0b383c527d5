//! Splitting text into tokens the way the FTS5 tokenizer does, and comparing a token of the
//! text with a (folded) word of a query. Built for the per-row scan: no allocation per token.

use std::ops::Range;

use super::unicode::{continues_token, fold, is_token_char};

/// One token of a text: its byte range, and whether it is pure ASCII (then comparing it needs
/// no folding buffer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub ascii: bool,
}

impl Token {
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
}

/// The tokens of `text`, in order.
pub(crate) fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, pos: 0 }
}

pub(crate) struct Tokens<'a> {
    text: &'a str,
    pos: usize,
}

impl Tokens<'_> {
    /// The character at byte `i` (a character boundary) and its length.
    fn char_at(&self, i: usize) -> Option<(char, usize)> {
        let c = self.text.get(i..)?.chars().next()?;
        Some((c, c.len_utf8()))
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        // Skip separators; ASCII ones in a tight scan, others one character at a time.
        loop {
            let rest = bytes.get(i..)?;
            i += rest
                .iter()
                .position(|&b| b >= 0x80 || b.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let &b = bytes.get(i)?;
            if b < 0x80 {
                break;
            }
            let (c, len) = self.char_at(i)?;
            if is_token_char(c) {
                break;
            }
            i += len;
        }
        let start = i;
        let mut ascii = true;
        while let Some(rest) = bytes.get(i..) {
            i += rest
                .iter()
                .position(|&b| b >= 0x80 || !b.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            match bytes.get(i) {
                Some(&b) if b >= 0x80 => {}
                _ => break,
            }
            let Some((c, len)) = self.char_at(i) else {
                break;
            };
            if !continues_token(c) {
                break;
            }
            ascii = false;
            i += len;
        }
        self.pos = i;
        Some(Token {
            start,
            end: i,
            ascii,
        })
    }
}

/// Appends the folded form of `s` to `out`.
pub(crate) fn fold_into(s: &str, out: &mut String) {
    out.extend(s.chars().map(fold));
}

/// A token ready for comparison with folded query words.
pub(crate) enum Folded<'a> {
    /// An ASCII token as it stands in the text; compared ignoring ASCII case.
    Ascii(&'a str),
    /// A token already folded into a buffer.
    Folded(&'a str),
}

impl<'a> Folded<'a> {
    /// Views `token` of `text`, folding it into `buf` only when it is not ASCII.
    pub fn new(text: &'a str, token: Token, buf: &'a mut String) -> Folded<'a> {
        let s = text.get(token.range()).unwrap_or("");
        if token.ascii {
            Folded::Ascii(s)
        } else {
            buf.clear();
            fold_into(s, buf);
            Folded::Folded(buf)
        }
    }

    /// True if the token is exactly the folded word `w`.
    pub fn is(&self, w: &str) -> bool {
        match self {
            Folded::Ascii(s) => s.eq_ignore_ascii_case(w),
            Folded::Folded(s) => *s == w,
        }
    }

    /// True if the token starts with the folded word `w`.
    pub fn starts_with(&self, w: &str) -> bool {
        match self {
            Folded::Ascii(s) => s
                .as_bytes()
                .get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes())),
            Folded::Folded(s) => s.starts_with(w),
        }
    }
}

/// The folded tokens of `s`, for the words of a query.
pub(crate) fn folded_words(s: &str) -> Vec<String> {
    tokens(s)
        .map(|t| {
            let mut w = String::new();
            fold_into(&s[t.range()], &mut w);
            w
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<&str> {
        tokens(s).map(|t| &s[t.range()]).collect()
    }

    #[test]
    fn splits_like_fts5() {
        assert_eq!(
            split("user-42 at 10.0.0.1"),
            ["user", "42", "at", "10", "0", "0", "1"]
        );
        assert_eq!(
            split("GET /v1/orders?id=7"),
            ["GET", "v1", "orders", "id", "7"]
        );
        assert_eq!(split("snake_case e.g. x"), ["snake", "case", "e", "g", "x"]);
        assert_eq!(split("a\r\nb\tc\0d\x1b[31me"), ["a", "b", "c", "d", "31me"]);
        assert_eq!(split("—Über straße—日本語!"), ["Über", "straße", "日本語"]);
        assert_eq!(split(""), Vec::<&str>::new());
        assert_eq!(split(" ,; "), Vec::<&str>::new());
    }

    #[test]
    fn combining_marks_continue_but_never_start_a_token() {
        assert_eq!(split("cafe\u{301} \u{301}x"), ["cafe\u{301}", "x"]);
        assert_eq!(split("a\u{305}b"), ["a", "b"]);
    }

    #[test]
    fn ascii_flag() {
        let t: Vec<bool> = tokens("abc déf").map(|t| t.ascii).collect();
        assert_eq!(t, [true, false]);
    }

    #[test]
    fn comparison() {
        let mut buf = String::new();
        let text = "TimeOut ΣΟΦΊΑ";
        let toks: Vec<Token> = tokens(text).collect();
        let t = Folded::new(text, toks[0], &mut buf);
        assert!(t.is("timeout"));
        assert!(t.starts_with("time"));
        assert!(!t.starts_with("timeouts"));
        assert!(!t.is("time"));
        let t = Folded::new(text, toks[1], &mut buf);
        assert!(t.is("σοφία"));
        assert!(t.starts_with("σο"));
        assert_eq!(folded_words("Σοφίας-X"), ["σοφίασ", "x"]);
    }
}

//! The one way log text reaches the screen: split at the search's matches, each piece passed
//! through [`display::escape`](crate::display::escape) (so control and escape bytes show as
//! `^[`, `^G` … and are never executed), then scrolled sideways or wrapped by display width.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::display::escape;

/// `text` (one line, raw from the log) as spans: `mark` on the byte ranges in `highlights`,
/// `base` elsewhere; every piece escaped.
pub fn safe_spans(
    text: &str,
    highlights: &[Range<usize>],
    base: Style,
    mark: Style,
) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut push = |s: &str, style: Style| {
        if !s.is_empty() {
            out.push(Span::styled(escape(s, false).into_owned(), style));
        }
    };
    for r in highlights {
        let (start, end) = (r.start.max(at), r.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        push(&text[at..start], base);
        push(&text[start..end], mark);
        at = end;
    }
    push(&text[at..], base);
    out
}

/// Most of one line that a row ever shows (more than any screen is wide, even scrolled):
/// a 10 MB line costs what a short one costs.
pub const ROW_BYTES: usize = 16 * 1024;

/// The first line of a message, raw (escaping happens in [`safe_spans`]), at most
/// [`ROW_BYTES`] of it.
pub fn raw_first_line(message: &str) -> &str {
    let line = message.split('\n').next().unwrap_or("");
    clip(line.strip_suffix('\r').unwrap_or(line), ROW_BYTES)
}

/// One line of log-derived text (a name, a description, a message) ready for a table cell: its
/// first line, at most [`ROW_BYTES`], escaped.
pub fn safe_line(text: &str) -> String {
    escape(raw_first_line(text), false).into_owned()
}

/// `text` cut to `width` display columns, `…` marking a cut.
pub fn fit(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(char_width).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = char_width(c);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Drops the first `columns` display columns.
pub fn skip_columns(spans: Vec<Span<'static>>, columns: usize) -> Vec<Span<'static>> {
    if columns == 0 {
        return spans;
    }
    let mut left = columns;
    let mut out = Vec::new();
    for s in spans {
        if left == 0 {
            out.push(s);
            continue;
        }
        let mut cut = s.content.len();
        for (i, c) in s.content.char_indices() {
            if left == 0 {
                cut = i;
                break;
            }
            left = left.saturating_sub(char_width(c));
        }
        let rest = s.content[cut..].to_string();
        if !rest.is_empty() {
            out.push(Span::styled(rest, s.style));
        }
    }
    out
}

/// Breaks spans into rows of at most `width` columns, at most `max_rows` of them (the last one
/// ends with `…` when text was left over).
pub fn wrap(spans: Vec<Span<'static>>, width: usize, max_rows: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut rows: Vec<Line<'static>> = vec![Line::default()];
    let mut used = 0;
    'outer: for s in spans {
        let mut piece = String::new();
        for c in s.content.chars() {
            let w = char_width(c);
            if used + w > width {
                if let Some(row) = rows.last_mut() {
                    row.spans
                        .push(Span::styled(std::mem::take(&mut piece), s.style));
                }
                if rows.len() == max_rows {
                    if let Some(row) = rows.last_mut() {
                        row.spans.push(Span::raw("…"));
                    }
                    break 'outer;
                }
                rows.push(Line::default());
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        if let Some(row) = rows.last_mut() {
            row.spans.push(Span::styled(piece, s.style));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn control_bytes_are_shown_not_sent() {
        let attack = "\x1b[2J\x1b]0;title\x07\x1b]52;c;ZXZpbA==\x07 ok";
        let spans = safe_spans(attack, &[], Style::new(), Style::new());
        let shown = text(&spans);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(shown, "^[[2J^[]0;title^G^[]52;c;ZXZpbA==^G ok");
    }

    #[test]
    fn highlights_split_the_text_and_bad_ranges_are_ignored() {
        let mark = Style::new().bold();
        let spans = safe_spans("a timeout\x1b here", &[2..9, 40..50], Style::new(), mark);
        assert_eq!(text(&spans), "a timeout^[ here");
        assert_eq!(spans[1].content, "timeout");
        assert_eq!(spans[1].style, mark);
        // A range inside a multi-byte character is skipped, not a panic.
        let inside = std::ops::Range { start: 1, end: 2 };
        let spans = safe_spans("é", &[inside], Style::new(), mark);
        assert_eq!(text(&spans), "é");
    }

    #[test]
    fn long_lines_are_clipped_at_a_character_boundary() {
        let long = "é".repeat(20_000);
        let row = raw_first_line(&long);
        assert!(row.len() <= ROW_BYTES && row.len() > ROW_BYTES - 4);
        assert_eq!(clip("abc", 10), "abc");
        assert_eq!(clip("aé", 2), "a");
        assert_eq!(raw_first_line("one\r\ntwo"), "one");
    }

    #[test]
    fn cells_are_one_escaped_line_cut_to_their_width() {
        assert_eq!(
            safe_line("bad \x1b]0;t\x07 job\nsecond"),
            "bad ^[]0;t^G job"
        );
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("界界界", 4), "界…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn scrolling_and_wrapping_count_display_columns() {
        let spans = vec![Span::raw("ab"), Span::raw("界cd")];
        assert_eq!(text(&skip_columns(spans.clone(), 3)), "cd");
        let rows = wrap(spans, 3, 5);
        let rows: Vec<String> = rows.iter().map(|l| text(&l.spans)).collect();
        assert_eq!(rows, ["ab", "界c", "d"]);
        let rows = wrap(vec![Span::raw("abcdefgh")], 3, 2);
        assert_eq!(text(&rows[1].spans), "def…");
    }
}

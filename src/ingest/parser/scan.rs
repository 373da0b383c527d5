//! Byte-level reading helpers shared by the format readers: fixed-width digit runs, month and
//! weekday names, whitespace. Every helper checks bounds and returns `None` instead of panicking.

/// `n` ASCII digits at `i` as a number (`n` ≤ 9).
#[inline]
pub(super) fn digits(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let run = b.get(i..i.checked_add(n)?)?;
    let mut v = 0u32;
    for &c in run {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u32::from(d);
    }
    Some(v)
}

/// Between 1 and `max` ASCII digits at `i` (`max` ≤ 9): the value and the index after them.
#[inline]
pub(super) fn var_digits(b: &[u8], i: usize, max: usize) -> Option<(u32, usize)> {
    let mut v = 0u32;
    let mut j = i;
    while j < b.len() && j - i < max && b[j].is_ascii_digit() {
        v = v * 10 + u32::from(b[j] - b'0');
        j += 1;
    }
    (j > i).then_some((v, j))
}

/// Number of consecutive ASCII digits starting at `i`.
#[inline]
pub(super) fn digit_run(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |t| t.iter().take_while(|c| c.is_ascii_digit()).count())
}

#[inline]
pub(super) fn byte_is(b: &[u8], i: usize, want: u8) -> bool {
    b.get(i) == Some(&want)
}

#[inline]
pub(super) fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// Index of the first byte at or after `i` that is not a space or tab.
#[inline]
pub(super) fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_blank(b[i]) {
        i += 1;
    }
    i
}

/// True at the end of the input or before a space or tab: the place where a token may end.
#[inline]
pub(super) fn at_boundary(b: &[u8], i: usize) -> bool {
    b.get(i).is_none_or(|&c| is_blank(c))
}

/// `Jan`..`Dec` (any case) at `i`, as 1..=12.
pub(super) fn month_abbr(b: &[u8], i: usize) -> Option<u32> {
    let m = b.get(i..i + 3)?;
    let key = [
        m[0].to_ascii_lowercase(),
        m[1].to_ascii_lowercase(),
        m[2].to_ascii_lowercase(),
    ];
    let n = match &key {
        b"jan" => 1,
        b"feb" => 2,
        b"mar" => 3,
        b"apr" => 4,
        b"may" => 5,
        b"jun" => 6,
        b"jul" => 7,
        b"aug" => 8,
        b"sep" => 9,
        b"oct" => 10,
        b"nov" => 11,
        b"dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// `Mon`..`Sun` (any case) at `i`. Only its presence matters: the date says which day it was.
pub(super) fn is_weekday_abbr(b: &[u8], i: usize) -> bool {
    let Some(w) = b.get(i..i + 3) else {
        return false;
    };
    let key = [
        w[0].to_ascii_lowercase(),
        w[1].to_ascii_lowercase(),
        w[2].to_ascii_lowercase(),
    ];
    matches!(
        &key,
        b"mon" | b"tue" | b"wed" | b"thu" | b"fri" | b"sat" | b"sun"
    )
}

/// Reads a fraction of a second (the digits after `.` or `,`, any count) as milliseconds,
/// truncating past the third digit. Returns the milliseconds and the index after the digits.
pub(super) fn fraction_ms(b: &[u8], i: usize) -> Option<(u16, usize)> {
    let n = digit_run(b, i);
    if n == 0 {
        return None;
    }
    let mut ms = 0u16;
    for k in 0..3 {
        ms *= 10;
        if k < n {
            ms += u16::from(b[i + k] - b'0');
        }
    }
    Some((ms, i + n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_reject_short_and_non_digit_input() {
        assert_eq!(digits(b"2026", 0, 4), Some(2026));
        assert_eq!(digits(b"20x6", 0, 4), None);
        assert_eq!(digits(b"20", 0, 4), None);
        assert_eq!(digits(b"20", usize::MAX, 4), None);
        assert_eq!(var_digits(b"7:", 0, 2), Some((7, 1)));
        assert_eq!(var_digits(b"123", 0, 2), Some((12, 2)));
        assert_eq!(var_digits(b":", 0, 2), None);
    }

    #[test]
    fn fractions_truncate_to_milliseconds() {
        assert_eq!(fraction_ms(b"123456 ", 0), Some((123, 6)));
        assert_eq!(fraction_ms(b"5", 0), Some((500, 1)));
        assert_eq!(fraction_ms(b"04Z", 0), Some((40, 2)));
        assert_eq!(fraction_ms(b"Z", 0), None);
    }

    #[test]
    fn names_of_months_and_days() {
        assert_eq!(month_abbr(b"Dec 04", 0), Some(12));
        assert_eq!(month_abbr(b"oct", 0), Some(10));
        assert_eq!(month_abbr(b"De", 0), None);
        assert!(is_weekday_abbr(b"Sun Dec", 0));
        assert!(!is_weekday_abbr(b"Sux", 0));
    }
}

//! Choosing a file's format from its first lines: the format that reads the most of them, custom
//! formats first among equals, then the one whose typical layout the lines have, then the fixed
//! order of the built-ins. No format reading any line means plain text.

use std::borrow::Cow;
use std::cmp::Reverse;

use super::custom::Custom;
use super::formats::Builtin;

/// Lines sampled before choosing (fewer if the input ends first).
pub(super) const SAMPLE_LINES: usize = 64;
/// Bytes sampled before choosing: keeps a file of huge lines from being held in memory.
pub(super) const SAMPLE_BYTES: usize = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Choice {
    Builtin(Builtin),
    Custom(usize),
    Plain,
}

/// Lines read, custom or not, lines with the typical layout, place in the order (earlier first).
type Rank = (usize, bool, usize, Reverse<usize>);

pub(super) fn choose(lines: &[Cow<'_, str>], customs: &[Custom]) -> Choice {
    let mut best: Option<(Rank, Choice)> = None;
    let mut consider = |key, choice| {
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, choice));
        }
    };
    for (i, custom) in customs.iter().enumerate() {
        let read = lines.iter().filter(|l| custom.parse(l).is_some()).count();
        consider((read, true, read, Reverse(i)), Choice::Custom(i));
    }
    for (i, builtin) in Builtin::ALL.into_iter().enumerate() {
        let (mut read, mut typical) = (0, 0);
        for line in lines {
            if let Some(head) = builtin.parse(line) {
                read += 1;
                typical += usize::from(builtin.typical(&head));
            }
        }
        let order = Reverse(customs.len() + i);
        consider((read, false, typical, order), Choice::Builtin(builtin));
    }
    match best {
        Some(((read, ..), choice)) if read > 0 => choice,
        _ => Choice::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::parser::CustomFormat;

    fn pick(lines: &[&str]) -> Choice {
        let lines: Vec<Cow<'_, str>> = lines.iter().map(|l| Cow::Borrowed(*l)).collect();
        choose(&lines, &[])
    }

    #[test]
    fn shared_timestamps_are_told_apart_by_layout() {
        assert_eq!(
            pick(&[
                "2026-11-02 13:04:05,123 INFO [worker-3] job started",
                "2026-11-02 13:04:06,001 DEBUG [MainThread] cache hit"
            ]),
            Choice::Builtin(Builtin::Python)
        );
        assert_eq!(
            pick(&["2026-11-02 13:04:05,978 INFO [main] org.example.etl.Driver: starting"]),
            Choice::Builtin(Builtin::Log4j)
        );
        assert_eq!(
            pick(&["2026-11-02 13:04:05,747 - INFO  [main:Peer@1] - vote timed out: 400"]),
            Choice::Builtin(Builtin::Zookeeper)
        );
        assert_eq!(
            pick(&["2026-11-02T13:04:05.123Z INFO  runner: x"]),
            Choice::Builtin(Builtin::Iso)
        );
    }

    #[test]
    fn most_lines_win_and_nothing_means_plain() {
        assert_eq!(
            pick(&[
                "Jun 14 15:16:01 gw sshd[1]: x",
                "{\"ts\":1700000000,\"msg\":\"a\"}",
                "{\"ts\":1700000001,\"msg\":\"b\"}",
            ]),
            Choice::Builtin(Builtin::Json)
        );
        assert_eq!(pick(&["hello", "world"]), Choice::Plain);
        assert_eq!(pick(&[]), Choice::Plain);
    }

    #[test]
    fn custom_formats_win_ties() {
        let custom = Custom::compile(&CustomFormat {
            name: "mine".into(),
            pattern: r"^(?P<ts>\S+T\S+) (?P<message>.*)".into(),
            time_format: None,
        })
        .expect("compiles");
        let lines = [Cow::Borrowed("2026-11-02T13:04:05Z x")];
        assert_eq!(choose(&lines, &[custom]), Choice::Custom(0));
    }
}

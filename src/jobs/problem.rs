//! A problem found in a jobs file, with the line and column it is at (1-based, in characters).

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Problem {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl Problem {
    pub fn new(line: u32, column: u32, message: impl Into<String>) -> Problem {
        Problem {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Every problem of a file, in the order they appear in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} in the jobs file", count(self.0.len()))]
pub struct Problems(pub Vec<Problem>);

fn count(n: usize) -> String {
    if n == 1 {
        "1 problem".into()
    } else {
        format!("{n} problems")
    }
}

impl Problems {
    /// Orders problems by position; problems at one position keep the order they were found in.
    pub fn new(mut problems: Vec<Problem>) -> Problems {
        problems.sort_by_key(|p| (p.line, p.column));
        problems.dedup();
        Problems(problems)
    }

    /// One line per problem, `FILE:LINE:COLUMN: message`, as compilers write them.
    pub fn render(&self, file: &str) -> String {
        self.0.iter().map(|p| format!("{file}:{p}\n")).collect()
    }

    pub fn summary(&self) -> String {
        count(self.0.len())
    }
}

//! SQL functions logdex registers on its connections: `logdex_match(text, query)` applies
//! the search language (`query::text`) to a message, for entries the full-text index does not
//! cover yet and for what FTS5 cannot decide alone (phrases, regexes).

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;

use crate::query::{SearchMode, TextQuery};

pub const MATCH_FN: &str = "logdex_match";

pub fn register(c: &Connection) -> rusqlite::Result<()> {
    c.create_scalar_function(
        MATCH_FN,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            // The query is the same for every row of a statement: compile it once.
            let query = ctx.get_or_create_aux(
                1,
                |v| -> Result<TextQuery, Box<dyn std::error::Error + Send + Sync>> {
                    let text = v.as_str()?;
                    let mode = match text.as_bytes().first() {
                        Some(b'r') => SearchMode::Regex,
                        _ => SearchMode::Words,
                    };
                    Ok(TextQuery::parse(mode, text.get(1..).unwrap_or(""))?)
                },
            )?;
            let Ok(message) = ctx.get_raw(0).as_str() else {
                return Ok(false);
            };
            Ok(query.matches(message))
        },
    )
}

/// The second argument of `logdex_match`: the mode as one letter, then the query text.
pub fn encode_query(q: &TextQuery) -> String {
    let mode = match q {
        TextQuery::Words(_) => 'w',
        TextQuery::Regex(_) => 'r',
    };
    format!("{mode}{}", q.source())
}

//! The regex mode: a `regex` pattern with smart case, a bounded compiled size, one-line errors
//! that carry a column, and an FTS5 prefilter derived from the text every match must contain.

mod formula;
mod prefilter;

#[cfg(test)]
pub(crate) mod tests;

use std::ops::Range;

use regex_syntax::ast::{self, Ast, ClassSetItem, LiteralKind};
use regex_syntax::hir::translate::TranslatorBuilder;

use super::{SearchError, merge_ranges};

/// The most memory one compiled pattern may take, so a hostile pattern cannot exhaust it.
const SIZE_LIMIT: usize = 10 << 20;

#[derive(Debug, Clone)]
pub struct RegexQuery {
    source: String,
    regex: regex::Regex,
    case_insensitive: bool,
    prefilter: Option<String>,
}

impl RegexQuery {
    pub fn parse(input: &str) -> Result<RegexQuery, SearchError> {
        if input.is_empty() {
            return Err(SearchError::new("the search is empty", 1));
        }
        // regex's own errors are multi-line drawings; regex_syntax gives the same verdict with
        // a span, which becomes the column.
        let ast = ast::parse::Parser::new()
            .parse(input)
            .map_err(|e| located(input, e.kind(), e.span()))?;
        let case_insensitive = !has_typed_upper_case(&ast);
        let hir = TranslatorBuilder::new()
            .case_insensitive(case_insensitive)
            .build()
            .translate(input, &ast)
            .map_err(|e| located(input, e.kind(), e.span()))?;
        let regex = regex::RegexBuilder::new(input)
            .case_insensitive(case_insensitive)
            .size_limit(SIZE_LIMIT)
            .build()
            .map_err(|e| match e {
                regex::Error::CompiledTooBig(_) => SearchError::new(
                    format!(
                        "the pattern is too large (it would need more than {} MiB)",
                        SIZE_LIMIT >> 20
                    ),
                    1,
                ),
                _ => SearchError::new("the pattern is not a valid regular expression", 1),
            })?;
        Ok(RegexQuery {
            source: input.to_owned(),
            regex,
            case_insensitive,
            prefilter: prefilter::prefilter(&hir),
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// False when the pattern has a capital letter of its own, which asks for exact case.
    pub fn is_case_insensitive(&self) -> bool {
        self.case_insensitive
    }

    pub fn matches(&self, text: &str) -> bool {
        self.regex.is_match(text)
    }

    pub fn highlights(&self, text: &str) -> Vec<Range<usize>> {
        merge_ranges(self.regex.find_iter(text).map(|m| m.range()).collect())
    }

    /// An FTS5 expression that every matching text satisfies (it may select more), built from
    /// the whole words the pattern requires; None when it requires none worth asking for.
    pub fn fts_prefilter(&self) -> Option<String> {
        self.prefilter.clone()
    }
}

fn located(input: &str, kind: &impl std::fmt::Display, span: &ast::Span) -> SearchError {
    let offset = span.start.offset.min(input.len());
    let column = input
        .get(..offset)
        .map_or(1, |before| before.chars().count() + 1);
    SearchError::new(kind.to_string(), column)
}

/// True if the pattern spells out an upper-case letter itself; letters inside escapes (`\S`,
/// `\p{Lu}`, `\x41`) and group names do not count.
fn has_typed_upper_case(ast: &Ast) -> bool {
    struct Finder;
    impl ast::Visitor for Finder {
        type Output = ();
        type Err = ();

        fn finish(self) -> Result<(), ()> {
            Ok(())
        }

        fn visit_pre(&mut self, ast: &Ast) -> Result<(), ()> {
            match ast {
                Ast::Literal(lit) if typed_upper(lit) => Err(()),
                _ => Ok(()),
            }
        }

        fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), ()> {
            let found = match item {
                ClassSetItem::Literal(lit) => typed_upper(lit),
                ClassSetItem::Range(r) => typed_upper(&r.start) || typed_upper(&r.end),
                _ => false,
            };
            if found { Err(()) } else { Ok(()) }
        }
    }
    fn typed_upper(lit: &ast::Literal) -> bool {
        lit.kind == LiteralKind::Verbatim && lit.c.is_uppercase()
    }
    ast::visit(ast, Finder).is_err()
}

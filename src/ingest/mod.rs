//! Getting log files into the store: formats and multi-line grouping (`parser`), reading files
//! (plain and gzip) from a checkpoint, and the indexer that batches entries into the store.

pub mod discover;
pub mod follow;
pub mod indexer;
pub mod parser;
pub mod pipe;
pub mod reader;
pub mod scan;
pub mod snapshot;
pub mod stream;
pub mod watcher;

pub use discover::{SourceSpec, job_from_path};
pub use indexer::{IndexEvent, IndexOptions, IndexSummary, IngestError, LogIndexer};

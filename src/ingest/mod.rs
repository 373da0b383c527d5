//! Getting log files into the store: formats and multi-line grouping (`parser`), reading files
//! (plain and gzip) from a checkpoint, and the indexer that batches entries into the store.

pub mod parser;

//! Keeping a store healthy over months: retention, the vacuum schedule, backups and restore,
//! integrity checks and recovery from a damaged file. The policies live here; the SQL they need
//! lives in `store`.

pub mod backup;
pub mod recover;
pub mod retention;
pub mod schedule;

pub use schedule::Schedule;

//! Background work (indexing, the word index, checkpoints) runs at a lower CPU priority than the
//! threads a person waits on: on a busy machine a search or a keypress goes first and indexing
//! takes what is left, and on an idle one indexing still has every core.

/// The `nice` value background threads take (as `nice` gives by default).
const BACKGROUND_NICE: i32 = 10;

/// Lowers the calling thread's CPU priority (only the thread's, on Linux). Where the system
/// does not allow it, the thread goes on at its priority.
pub fn background_thread() {
    #[cfg(target_os = "linux")]
    {
        let tid = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(tid), BACKGROUND_NICE);
    }
}

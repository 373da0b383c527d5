//! The `logdex` binary: hands the command line to [`logdex::cli`] and turns its outcome into an exit code.

fn main() -> std::process::ExitCode {
    logdex::cli::main()
}

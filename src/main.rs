//! The `planboek` binary: all of it lives in the library.

fn main() -> std::process::ExitCode {
    planboek::cli::main()
}

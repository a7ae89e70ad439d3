//! The `planboek` binary: all of it lives in the library.

// mimalloc: the build allocates many short-lived strings on every thread, where glibc's
// malloc spent about 15 % of a build's samples (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    planboek::cli::main()
}

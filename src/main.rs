//! The `planboek` binary: all of it lives in the library.

// mimalloc: the build allocates many short-lived strings on every thread, where glibc's
// malloc spent about 15 % of a build's samples (see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` (milliseconds) in the `mi_option_t` of the mimalloc that
/// libmimalloc-sys 0.1.49 builds, which the crate leaves unnamed.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // mimalloc keeps the memory a thread frees for a second before it hands it back, and a
    // build frees and allocates hundreds of megabytes in that time: its peak stood about
    // 50 MB above what it used (docs/performance.md, *Peak memory*). A tenth of a second
    // costs no measurable time. MIMALLOC_PURGE_DELAY still overrides it.
    // SAFETY: options are plain values, set here before any other thread runs. The option's
    // default is checked first, so that a mimalloc numbering its options otherwise is left
    // as it is.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == 1000 {
            libmimalloc_sys::mi_option_set_default(PURGE_DELAY, 100);
        }
    }
    planboek::cli::main()
}

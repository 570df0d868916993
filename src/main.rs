/// Replay allocates for nearly every line it reads, on several threads at
/// once; mimalloc does that in about two thirds of the time glibc takes
/// (see the README's performance section). The benches use it too, so they
/// measure what ships. Built without transparent huge pages (`no_thp`), which
/// cost an idle `gavel run` 15 MB of RSS instead of 6.5.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gavel::cli::main()
}

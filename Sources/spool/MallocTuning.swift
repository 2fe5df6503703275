import CMalloc
import Glibc

/// How `spool serve` tunes glibc's malloc, so that memory freed after a burst goes back to the system.
///
/// Measured on a release build following 10,000 jobs held by `spool sim` (README, Performance): the process stayed
/// at 396 MB resident once every job was at fal, of which malloc had about 50 MB in use; during the submits up to
/// 300 MB were in use (libcurl's state and buffers for every submit waiting for a connection). Two things kept the
/// freed memory:
/// - glibc gives a thread that finds the other arenas busy an arena of its own, up to eight per core, and memory
///   freed into an arena stays with it. Spool's threads (the cooperative pool, Dispatch workers, the event loops,
///   the libcurl thread) allocate the same kinds of objects in turn, and following jobs kept spreading fresh
///   allocations over every arena: with 2,000 followed jobs malloc held 62 MB for 16 MB in use, still growing.
///   Two arenas carry the same work in about 60 % of that.
/// - Freed chunks below the mmap threshold (libcurl's 16 KB transfer buffers, one per submit waiting for a
///   connection) stay in the heap unless its top is free; only `malloc_trim` hands the pages inside back.
enum MallocTuning {
    /// The arenas allowed; glibc's own `MALLOC_ARENA_MAX` in the environment still wins.
    static let arenas: Int32 = 2
    /// Seconds between two `malloc_trim` calls.
    static let trimIntervalSeconds = 5.0

    /// Limits the arenas. Call before the process starts its worker threads: arenas made earlier stay.
    static func limitArenas() {
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        _ = mallopt(M_ARENA_MAX, arenas)
    }

    /// Returns free heap pages to the system every `trimIntervalSeconds` until the task is cancelled. A trim
    /// walks the free chunks of each arena and costs a few milliseconds even after a burst.
    static func trimPeriodically() -> Task<Void, Never> {
        Task.detached(priority: .background) {
            while (try? await Task.sleep(for: .seconds(trimIntervalSeconds))) != nil {
                _ = malloc_trim(0)
            }
        }
    }
}

import CMemory
import LogWardOutput

/// How logward asks the C allocator to treat freed memory. A pass allocates batches of about an eighth of a megabyte on
/// one thread and frees them on another, hundreds of times a second; glibc gives the top of a thread's heap back
/// to the kernel as soon as it is free and, a batch later, every page of it is faulted in and zeroed again (2% of
/// a pass). Kept for reuse instead, the memory a run holds is what it held at its peak, as before.
public enum AllocatorTuning {
    public static func keepFreedMemoryForReuse() {
        _ = logward_mallopt(logward_trim_threshold, 512 << 20)
        // Batches (128 KiB and a little more) come from the heap, not from fresh mappings; anything of a
        // megabyte or more is a mapping of its own, given back whole when freed. Tables that grow by doubling
        // (a day's visitors, its closed visits) otherwise leave each smaller copy in the heap as a hole that the
        // next, larger copy cannot use: the heap kept about twice the largest table (was 32 MiB: 76 MiB peak for a
        // day of 54,000 visitors where the live data was 30).
        _ = logward_mallopt(logward_mmap_threshold, 1 << 20)
    }
}

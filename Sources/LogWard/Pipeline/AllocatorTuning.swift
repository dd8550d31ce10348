import CMemory

/// How logward asks the C allocator to treat freed memory. A pass allocates batches of about half a megabyte on
/// one thread and frees them on another, hundreds of times a second; glibc gives the top of a thread's heap back
/// to the kernel as soon as it is free and, a batch later, every page of it is faulted in and zeroed again (2% of
/// a pass). Kept for reuse instead, the memory a run holds is what it held at its peak, as before.
public enum AllocatorTuning {
    public static func keepFreedMemoryForReuse() {
        _ = logward_mallopt(logward_trim_threshold, 512 << 20)
        // Batches come from the heap, not from fresh mappings (the largest threshold glibc takes).
        _ = logward_mallopt(logward_mmap_threshold, 32 << 20)
    }
}

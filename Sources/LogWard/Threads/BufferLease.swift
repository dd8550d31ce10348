/// Bytes kept by whoever holds the lease, on any thread, until its last reference goes: then the buffer goes back
/// where it came from (a read-ahead ring's slot, a pool). A pass hands its workers chunks this way, not copies.
public final class BufferLease: @unchecked Sendable {
    public let bytes: UnsafeRawBufferPointer
    /// Runs on the thread that drops the last reference: it takes a lock or signals, nothing more.
    private let giveBack: () -> Void

    public init(bytes: UnsafeRawBufferPointer, giveBack: @escaping () -> Void) {
        self.bytes = bytes
        self.giveBack = giveBack
    }

    deinit { giveBack() }
}

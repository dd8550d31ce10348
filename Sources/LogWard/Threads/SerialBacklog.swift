import Dispatch

/// Work done in order on a thread of its own, with at most `limit` pieces waiting: `submit` blocks rather than let
/// the backlog (and the memory it holds) grow. The statistics aggregator counts batches here while workers parse
/// the next ones.
public final class SerialBacklog: @unchecked Sendable {
    private let queue: DispatchQueue
    private let waiting: DispatchSemaphore

    public init(label: String, limit: Int) {
        queue = DispatchQueue(label: label)
        waiting = .permits(limit)
    }

    /// Queues `work` after what is queued, once fewer than `limit` pieces wait.
    public func submit(_ work: @escaping @Sendable () -> Void) {
        waiting.wait()
        queue.async { [self] in
            defer { waiting.signal() }
            work()
        }
    }

    /// Waits until every queued piece has run.
    public func drain() {
        queue.sync {}
    }
}

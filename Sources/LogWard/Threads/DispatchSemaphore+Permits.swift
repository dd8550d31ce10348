import Dispatch

extension DispatchSemaphore {
    /// A semaphore holding `count` permits, made at 0 and signalled `count` times: libdispatch traps when a semaphore
    /// is freed below the value it was made with, as one is when a pass stops early (a closed stdout, a write error)
    /// while permits are still out.
    package static func permits(_ count: Int) -> DispatchSemaphore {
        let semaphore = DispatchSemaphore(value: 0)
        for _ in 0..<count { semaphore.signal() }
        return semaphore
    }
}

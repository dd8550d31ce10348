import Dispatch
import Foundation

/// Work handed out in order to a pool of workers that run it in parallel, and its results taken back in the order
/// it was handed out: a pass's batches, parsed on any core and written in input order. Each piece runs on an idle
/// worker of the pool (a worker is one thread's at a time, so its state needs no lock); results wait here, keyed by
/// their place, until taken.
public final class OrderedWorkQueue<Worker: AnyObject, Result>: @unchecked Sendable {
    private let queue: DispatchQueue
    private let lock = NSLock()
    private var idleWorkers: [Worker]
    private let workersFree: DispatchSemaphore
    private let resultReady = NSCondition()
    private var results: [Int: Result] = [:]

    public init(label: String, workers: [Worker]) {
        precondition(!workers.isEmpty, "a queue without workers")
        queue = DispatchQueue(label: label, attributes: .concurrent)
        idleWorkers = workers
        workersFree = .permits(workers.count)
    }

    /// Runs `work` on the next idle worker, on another thread; what it returns is the result at `index`.
    public func submit(_ index: Int, _ work: @escaping @Sendable (Worker) -> Result) {
        queue.async { [self] in
            let worker = takeWorker()
            let result = work(worker)
            putWorker(worker)
            resultReady.lock()
            results[index] = result
            resultReady.signal()
            resultReady.unlock()
        }
    }

    /// Whether the result at `index` is in.
    public func isReady(_ index: Int) -> Bool {
        resultReady.lock()
        defer { resultReady.unlock() }
        return results[index] != nil
    }

    /// Waits for the result at `index` and takes it.
    public func take(_ index: Int) -> Result {
        resultReady.lock()
        defer { resultReady.unlock() }
        while results[index] == nil { resultReady.wait() }
        return results.removeValue(forKey: index)!
    }

    private func takeWorker() -> Worker {
        workersFree.wait()
        lock.lock()
        defer { lock.unlock() }
        return idleWorkers.removeLast()
    }

    private func putWorker(_ worker: Worker) {
        lock.lock()
        idleWorkers.append(worker)
        lock.unlock()
        workersFree.signal()
    }
}

import Dispatch
import Foundation

/// A thread that fills a `SlotRing`'s buffers ahead of the one reader that takes them in order: the read-ahead of a
/// pass's input (`ChunkStream` inflates the next chunks while the pass parses this one). `fill` writes a buffer and
/// says how many bytes it holds (0: the end); `position` is read after each fill, for the reader's progress.
public final class ReadAheadThread: @unchecked Sendable {
    private enum Slot {
        case filled(Int)
        case end
        case failed(any Error)
    }

    private let fill: (UnsafeMutableRawBufferPointer) throws -> Int
    private let position: () -> Int64
    private let ring: SlotRing<Slot>
    private let finished = DispatchSemaphore(value: 0)
    private let stopLock = NSLock()
    private var stopRequested = false
    private var holdingSlot = false
    private var consumerDone = false
    private let positionLock = NSLock()
    private var lastPosition: Int64 = 0

    public init(name: String, slots: Int, bufferSize: Int, fill: @escaping (UnsafeMutableRawBufferPointer) throws -> Int,
                position: @escaping () -> Int64) {
        self.fill = fill
        self.position = position
        ring = SlotRing(slots: slots, bufferSize: bufferSize)
        let thread = Thread { [self] in produce() }
        thread.name = name
        thread.start()
    }

    /// `position` after the last fill (ahead of what the reader has taken).
    public var filledPosition: Int64 {
        positionLock.lock()
        defer { positionLock.unlock() }
        return lastPosition
    }

    private var shouldStop: Bool {
        stopLock.lock()
        defer { stopLock.unlock() }
        return stopRequested
    }

    private func produce() {
        while true {
            let buffer = ring.claim()
            if shouldStop { break }
            let slot: Slot
            do {
                let count = try fill(buffer)
                slot = count == 0 ? .end : .filled(count)
            } catch {
                slot = .failed(error)
            }
            positionLock.lock()
            lastPosition = position()
            positionLock.unlock()
            ring.publish(slot)
            guard case .filled = slot else { break }
        }
        finished.signal()
    }

    /// The next filled bytes, valid until the following call; nil at the end; the error `fill` threw.
    package func next() throws -> UnsafeRawBufferPointer? {
        if consumerDone { return nil }
        if holdingSlot {
            ring.release()
            holdingSlot = false
        }
        let (buffer, slot) = ring.receive()
        switch slot {
        case .filled(let count):
            holdingSlot = true
            return UnsafeRawBufferPointer(rebasing: buffer[..<count])
        case .end:
            consumerDone = true
            return nil
        case .failed(let error):
            consumerDone = true
            throw error
        }
    }

    /// Waits for the thread to leave, so the ring's buffers outlive it.
    public func stop() {
        stopLock.lock()
        stopRequested = true
        stopLock.unlock()
        ring.wakeProducer()
        finished.wait()
    }
}

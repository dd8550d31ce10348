import Dispatch
import Foundation

/// Hands decoded chunks of one source to the caller, in order. With `readAhead`, a second thread inflates the
/// next chunks while the caller parses the current one; the bytes seen are the same either way.
public final class ChunkStream {
    public static let defaultChunkSize = 256 * 1024

    private let source: any ChunkSource
    private let readAhead: ReadAhead?
    private let buffer: UnsafeMutableRawBufferPointer?

    public init(source: any ChunkSource, chunkSize: Int = ChunkStream.defaultChunkSize, readAhead: Bool) {
        self.source = source
        if readAhead {
            self.readAhead = ReadAhead(source: source, chunkSize: chunkSize)
            buffer = nil
        } else {
            self.readAhead = nil
            buffer = .allocate(byteCount: chunkSize, alignment: 16)
        }
    }

    deinit {
        readAhead?.stop()
        buffer?.deallocate()
    }

    public var path: String { source.path }

    /// The next chunk, valid until the following call; nil at the clean end of the input.
    package func next() throws -> UnsafeRawBufferPointer? {
        if let readAhead { return try readAhead.next() }
        let count = try source.fill(buffer!)
        return count == 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer![..<count])
    }

    /// Input bytes consumed by the reader so far (ahead of the caller when reading ahead).
    public var inputOffset: Int64 { readAhead?.inputOffset ?? source.inputOffset }
}

/// Chunks inflated ahead by a reader thread into a `SlotRing`.
private final class ReadAhead: @unchecked Sendable {
    private enum Slot {
        case filled(Int)
        case end
        case failed(any Error)
    }

    private static let slotCount = 4
    private let source: any ChunkSource
    private let ring: SlotRing<Slot>
    private let finished = DispatchSemaphore(value: 0)
    private let stopLock = NSLock()
    private var stopRequested = false
    private var holdingSlot = false
    private var consumerDone = false
    private let offsetLock = NSLock()
    private var lastOffset: Int64 = 0

    init(source: any ChunkSource, chunkSize: Int) {
        self.source = source
        ring = SlotRing(slots: Self.slotCount, bufferSize: chunkSize)
        let thread = Thread { [self] in produce() }
        thread.name = "logward-reader"
        thread.start()
    }

    var inputOffset: Int64 {
        offsetLock.lock()
        defer { offsetLock.unlock() }
        return lastOffset
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
                let count = try source.fill(buffer)
                slot = count == 0 ? .end : .filled(count)
            } catch {
                slot = .failed(error)
            }
            offsetLock.lock()
            lastOffset = source.inputOffset
            offsetLock.unlock()
            ring.publish(slot)
            guard case .filled = slot else { break }
        }
        finished.signal()
    }

    func next() throws -> UnsafeRawBufferPointer? {
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

    /// Waits for the reader thread to leave, so the ring's buffers outlive it.
    func stop() {
        stopLock.lock()
        stopRequested = true
        stopLock.unlock()
        ring.wakeProducer()
        finished.wait()
    }
}

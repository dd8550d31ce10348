import Dispatch
import Foundation
import LogWardAggregate

/// Hands filled buffers to a second thread that writes them to the downstream sink (a compressor, usually),
/// so compression runs on its own core while this thread parses and anonymizes. Bytes arrive in order.
public final class BackgroundSink: ByteSink, @unchecked Sendable {
    private enum Command {
        case data(Int)
        case flush
        case finish
    }

    private static let slotCount = 4
    private let downstream: any ByteSink
    private var consumer: RingConsumerThread<Command>!
    private var ring: SlotRing<Command> { consumer.ring }
    private let errorLock = NSLock()
    private var failure: (any Error)?
    /// The downstream sink failed: what comes after is not written (read on the consumer thread only).
    private var failed = false
    /// The slot being filled (claimed, not yet published), and how much of it is.
    private var buffer: UnsafeMutableRawBufferPointer?
    private var used = 0
    private var ended = false

    package init(downstream: any ByteSink, bufferSize: Int = 256 * 1024) {
        self.downstream = downstream
        consumer = RingConsumerThread(name: "logward-writer", slots: Self.slotCount, bufferSize: bufferSize) { [self] buffer, command in
            consume(buffer, command)
        }
    }

    deinit {
        if !ended {
            // Abandoned without finish: stop the thread before the ring's buffers go.
            try? enqueue(.finish)
            consumer.waitForExit()
        }
    }

    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        var remaining = bytes
        while !remaining.isEmpty {
            if buffer == nil {
                buffer = ring.claim()
                used = 0
                try rethrowFailure()
            }
            let target = buffer!
            let count = min(remaining.count, target.count - used)
            UnsafeMutableRawBufferPointer(rebasing: target[used..<(used + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: remaining[..<count]))
            used += count
            remaining = UnsafeRawBufferPointer(rebasing: remaining[count...])
            if used == target.count { submit(.data(used)) }
        }
    }

    public func flush() throws {
        if buffer != nil { submit(.data(used)) }
        try enqueue(.flush)
    }

    public func finish() throws {
        guard !ended else { return }
        if buffer != nil { submit(.data(used)) }
        try enqueue(.finish)
        ended = true
        consumer.waitForExit()
        try rethrowFailure()
    }

    private func enqueue(_ command: Command) throws {
        buffer = ring.claim()
        submit(command)
        try rethrowFailure()
    }

    private func submit(_ command: Command) {
        ring.publish(command)
        buffer = nil
    }

    private func rethrowFailure() throws {
        errorLock.lock()
        defer { errorLock.unlock() }
        if let failure { throw failure }
    }

    /// The consumer thread's part: one slot's command; false after the last.
    private func consume(_ buffer: UnsafeMutableRawBufferPointer, _ command: Command) -> Bool {
        if !failed {
            do {
                switch command {
                case .data(let count): try downstream.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                case .flush: try downstream.flush()
                case .finish: try downstream.finish()
                }
            } catch {
                errorLock.lock()
                failure = error
                errorLock.unlock()
                failed = true
            }
        }
        if case .finish = command { return false }
        return true
    }
}

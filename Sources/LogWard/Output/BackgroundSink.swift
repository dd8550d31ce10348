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
    private let buffers: [UnsafeMutableRawBufferPointer]
    // Raw storage: the two threads touch different slots; an Array's copy-on-write would race.
    private let commands: UnsafeMutablePointer<Command>
    private let freeSlots = DispatchSemaphore.permits(BackgroundSink.slotCount)
    private let readySlots = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    private let errorLock = NSLock()
    private var failure: (any Error)?
    private var producerIndex = 0
    private var used = 0
    private var holding = false
    private var ended = false

    public init(downstream: any ByteSink, bufferSize: Int = 256 * 1024) {
        self.downstream = downstream
        buffers = (0..<Self.slotCount).map { _ in .allocate(byteCount: bufferSize, alignment: 16) }
        commands = .allocate(capacity: Self.slotCount)
        commands.initialize(repeating: .flush, count: Self.slotCount)
        let thread = Thread { [self] in consume() }
        thread.name = "logward-writer"
        thread.start()
    }

    deinit {
        if !ended {
            // Abandoned without finish: stop the thread before the buffers go.
            try? enqueue(.finish)
            exited.wait()
        }
        for buffer in buffers { buffer.deallocate() }
        commands.deinitialize(count: Self.slotCount)
        commands.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var remaining = bytes
        while !remaining.isEmpty {
            if !holding {
                freeSlots.wait()
                try rethrowFailure()
                holding = true
                used = 0
            }
            let buffer = buffers[producerIndex]
            let count = min(remaining.count, buffer.count - used)
            UnsafeMutableRawBufferPointer(rebasing: buffer[used..<(used + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: remaining[..<count]))
            used += count
            remaining = UnsafeRawBufferPointer(rebasing: remaining[count...])
            if used == buffer.count { submit(.data(used)) }
        }
    }

    public func flush() throws {
        if holding { submit(.data(used)) }
        try enqueue(.flush)
    }

    public func finish() throws {
        guard !ended else { return }
        if holding { submit(.data(used)) }
        try enqueue(.finish)
        ended = true
        exited.wait()
        try rethrowFailure()
    }

    private func enqueue(_ command: Command) throws {
        freeSlots.wait()
        holding = true
        submit(command)
        try rethrowFailure()
    }

    private func submit(_ command: Command) {
        commands[producerIndex] = command
        holding = false
        producerIndex = (producerIndex + 1) % Self.slotCount
        readySlots.signal()
    }

    private func rethrowFailure() throws {
        errorLock.lock()
        defer { errorLock.unlock() }
        if let failure { throw failure }
    }

    private func consume() {
        var index = 0
        var failed = false
        while true {
            readySlots.wait()
            let command = commands[index]
            if !failed {
                do {
                    switch command {
                    case .data(let count): try downstream.write(UnsafeRawBufferPointer(rebasing: buffers[index][..<count]))
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
            index = (index + 1) % Self.slotCount
            freeSlots.signal()
            if case .finish = command { break }
        }
        exited.signal()
    }
}

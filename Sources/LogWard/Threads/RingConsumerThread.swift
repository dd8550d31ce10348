import Dispatch
import Foundation

/// A thread that takes a `SlotRing`'s slots in order and hands each to `consume` (which returns false after the
/// last), the other side of a producer on the caller's thread: a `BackgroundSink` fills buffers, and this thread
/// compresses and writes them. The ring's buffers outlive the thread (`waitForExit`).
public final class RingConsumerThread<Message>: @unchecked Sendable {
    public let ring: SlotRing<Message>
    private let exited = DispatchSemaphore(value: 0)

    public init(name: String, slots: Int, bufferSize: Int, consume: @escaping @Sendable (UnsafeMutableRawBufferPointer, Message) -> Bool) {
        let ring = SlotRing<Message>(slots: slots, bufferSize: bufferSize)
        self.ring = ring
        let exited = self.exited
        let thread = Thread {
            while true {
                let (buffer, message) = ring.receive()
                let goOn = consume(buffer, message)
                ring.release()
                if !goOn { break }
            }
            exited.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Waits until `consume` has returned false and the thread has left.
    public func waitForExit() {
        exited.wait()
    }
}

import Dispatch

/// A single-producer, single-consumer ring of buffers, each handed over with a message: the read-ahead thread's
/// inflated chunks (`ChunkStream`) and the bytes a `BackgroundSink` compresses on its own thread. The producer
/// claims a free slot, fills its buffer and publishes it; the consumer receives slots in order and releases each
/// when done with its buffer. A slot belongs to one side at a time, so its buffer needs no lock.
public final class SlotRing<Message>: @unchecked Sendable {
    public let slotCount: Int
    public let buffers: [UnsafeMutableRawBufferPointer]
    // Raw storage, not an Array: the two threads touch different elements, and Array's copy-on-write would race.
    private let messages: UnsafeMutablePointer<Message?>
    private let freeSlots: DispatchSemaphore
    private let readySlots = DispatchSemaphore(value: 0)
    private var producerIndex = 0
    private var consumerIndex = 0

    public init(slots: Int, bufferSize: Int) {
        slotCount = slots
        buffers = (0..<slots).map { _ in .allocate(byteCount: bufferSize, alignment: 16) }
        messages = .allocate(capacity: slots)
        messages.initialize(repeating: nil, count: slots)
        freeSlots = .permits(slots)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        messages.deinitialize(count: slotCount)
        messages.deallocate()
    }

    /// Producer: waits for a free slot and returns its buffer, the producer's until `publish`.
    package func claim() -> UnsafeMutableRawBufferPointer {
        freeSlots.wait()
        return buffers[producerIndex]
    }

    /// Producer: hands the claimed slot to the consumer with `message`.
    public func publish(_ message: Message) {
        messages[producerIndex] = message
        producerIndex = (producerIndex + 1) % slotCount
        readySlots.signal()
    }

    /// Consumer: waits for the next published slot; its buffer is the consumer's until `release`.
    package func receive() -> (buffer: UnsafeMutableRawBufferPointer, message: Message) {
        readySlots.wait()
        let message = messages[consumerIndex].take()!
        return (buffers[consumerIndex], message)
    }

    /// Consumer: gives the received slot back to the producer.
    public func release() {
        consumerIndex = (consumerIndex + 1) % slotCount
        freeSlots.signal()
    }

    /// Wakes a producer waiting in `claim` without a slot being free, so it can see that it is to stop (it must
    /// not fill what it then gets).
    public func wakeProducer() {
        for _ in 0..<slotCount { freeSlots.signal() }
    }
}

import Foundation
import Testing
@testable import LogWard

/// The ring under the read-ahead thread and the background compressor (`SlotRing`): slots arrive in order with
/// their bytes and messages, a producer ahead by the whole ring waits, slots released out of order go back to the
/// producer in ring order, and a producer woken to stop gets out.
@Suite struct SlotRingTests {
    final class Received: @unchecked Sendable {
        var items: [(bytes: [UInt8], message: Int)] = []
    }

    @Test func slotsArriveInOrderWithTheirBytes() {
        let ring = SlotRing<Int>(slots: 3, bufferSize: 16)
        let received = Received()
        let done = DispatchSemaphore(value: 0)
        // 50 slots through a ring of 3: the producer waits for the consumer again and again.
        Thread {
            for _ in 0..<50 {
                let (slot, buffer, message) = ring.receive()
                received.items.append((Array(buffer[0..<message % 16]), message))
                ring.release(slot)
            }
            done.signal()
        }.start()
        for index in 0..<50 {
            let buffer = ring.claim()
            for offset in 0..<(index % 16) { buffer[offset] = UInt8(index &+ offset) }
            ring.publish(index)
        }
        done.wait()
        #expect(received.items.map(\.message) == Array(0..<50))
        for (index, item) in received.items.enumerated() {
            #expect(item.bytes == (0..<(index % 16)).map { UInt8(index &+ $0) })
        }
    }

    @Test func aProducerWaitingForAFullRingIsWokenToStop() {
        let ring = SlotRing<Int>(slots: 2, bufferSize: 8)
        let left = DispatchSemaphore(value: 0)
        let published = Received()
        Thread {
            // Nobody consumes: the third claim waits until woken.
            for index in 0..<3 {
                _ = ring.claim()
                if index == 2 { break }
                ring.publish(index)
                published.items.append(([], index))
            }
            left.signal()
        }.start()
        #expect(left.wait(timeout: .now() + 0.2) == .timedOut)
        ring.wakeProducer()
        #expect(left.wait(timeout: .now() + 10) == .success)
        #expect(published.items.map(\.message) == [0, 1])
        #expect(ring.receive().message == 0)
    }

    /// A pass's workers release kept chunks in any order, on any thread: a slot released before an older one is
    /// not handed to the producer until the older one is released too.
    @Test func slotsReleasedOutOfOrderGoBackInRingOrder() {
        let ring = SlotRing<Int>(slots: 3, bufferSize: 4)
        for index in 0..<3 {
            ring.claim()[0] = UInt8(index)
            ring.publish(index)
        }
        let slots = (0..<3).map { _ in ring.receive().slot }
        #expect(slots == [0, 1, 2])
        let claimed = DispatchSemaphore(value: 0)
        let claimedBuffer = Received()
        Thread {
            let buffer = ring.claim()
            claimedBuffer.items.append((Array(buffer), 3))
            ring.publish(3)
            claimed.signal()
        }.start()
        DispatchQueue.global().sync { ring.release(2) }
        ring.release(1)
        // Slots 1 and 2 are free, but the producer's next slot is 0, still held.
        #expect(claimed.wait(timeout: .now() + 0.2) == .timedOut)
        ring.release(0)
        #expect(claimed.wait(timeout: .now() + 10) == .success)
        #expect(claimedBuffer.items.first?.bytes.first == 0)
        // The two released before it are free too: two more claims do not wait.
        for index in 4..<6 {
            let buffer = ring.claim()
            #expect(Int(buffer[0]) == index - 3)
            ring.publish(index)
        }
    }
}

import Foundation
import Testing
@testable import LogWard

/// The ring under the read-ahead thread and the background compressor (`SlotRing`): slots arrive in order with
/// their bytes and messages, a producer ahead by the whole ring waits, and a producer woken to stop gets out.
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
                let (buffer, message) = ring.receive()
                received.items.append((Array(buffer[0..<message % 16]), message))
                ring.release()
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
}

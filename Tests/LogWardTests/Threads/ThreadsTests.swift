import Foundation
import Testing
@testable import LogWard

/// The generic parts that run on threads of their own (`Threads/`): order kept whatever the threads' timing,
/// bounded backlogs, errors handed across, threads that leave.
@Suite struct ThreadsTests {
    final class Worker: @unchecked Sendable {
        let lock = NSLock()
        var running = 0
        var overlapped = false
        var used = 0

        func run(_ index: Int) -> Int {
            lock.lock()
            running += 1
            overlapped = overlapped || running > 1
            used += 1
            lock.unlock()
            // Later pieces finish first now and then: the queue must still hand results back in order.
            usleep(useconds_t((index * 7919) % 5) * 200)
            lock.lock()
            running -= 1
            lock.unlock()
            return index * 2
        }
    }

    @Test func workQueueResultsComeBackInTheOrderHandedOut() {
        let workers = [Worker(), Worker(), Worker()]
        let queue = OrderedWorkQueue<Worker, Int>(label: "test.queue", workers: workers)
        for index in 0..<200 { queue.submit(index) { $0.run(index) } }
        let results = (0..<200).map { queue.take($0) }
        #expect(results == (0..<200).map { $0 * 2 })
        #expect(workers.allSatisfy { !$0.overlapped }, "a worker ran two pieces at once")
        #expect(workers.map(\.used).reduce(0, +) == 200)
        #expect(!queue.isReady(200))
    }

    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var items: [Int] = []
        func append(_ item: Int) {
            lock.lock()
            items.append(item)
            lock.unlock()
        }
    }

    @Test func backlogRunsInOrderAndHoldsAtItsLimit() {
        let backlog = SerialBacklog(label: "test.backlog", limit: 2)
        let log = Log()
        let gate = DispatchSemaphore(value: 0)
        backlog.submit { gate.wait(); log.append(0) }
        backlog.submit { log.append(1) }
        // Two wait (the first on the gate): a third submit must block until the first has run.
        let third = DispatchSemaphore(value: 0)
        Thread {
            backlog.submit { log.append(2) }
            third.signal()
        }.start()
        #expect(third.wait(timeout: .now() + 0.2) == .timedOut)
        gate.signal()
        #expect(third.wait(timeout: .now() + 5) == .success)
        for index in 3..<50 { backlog.submit { log.append(index) } }
        backlog.drain()
        #expect(log.items == Array(0..<50))
    }

    struct Failure: Error, Equatable {}

    @Test func readAheadHandsOverFillsInOrderThenTheEndOrTheError() throws {
        for failing in [false, true] {
            let produced = Log()
            let reader = ReadAheadThread(name: "test.read-ahead", slots: 3, bufferSize: 8, fill: { buffer in
                let index = produced.items.count
                produced.append(index)
                if index == 10 { return 0 }
                if failing && index == 6 { throw Failure() }
                for offset in 0..<(index % 8 + 1) { buffer[offset] = UInt8(index) }
                return index % 8 + 1
            }, position: { Int64(produced.items.count) })
            var chunks: [[UInt8]] = []
            do {
                while let chunk = try reader.next() { chunks.append(Array(chunk)) }
                #expect(!failing)
            } catch {
                #expect(failing && error as? Failure == Failure())
            }
            let expected = (0..<(failing ? 6 : 10)).map { index in [UInt8](repeating: UInt8(index), count: index % 8 + 1) }
            #expect(chunks == expected)
            #expect(try reader.next() == nil)
            #expect(reader.filledPosition == Int64(failing ? 7 : 11))
            reader.stop()
        }
    }

    @Test func ringConsumerTakesSlotsInOrderAndLeavesAfterTheLast() {
        let log = Log()
        let consumer = RingConsumerThread<Int>(name: "test.consumer", slots: 2, bufferSize: 4) { buffer, message in
            log.append(Int(buffer[0]) * 1000 + message)
            return message != 29
        }
        for index in 0..<30 {
            let buffer = consumer.ring.claim()
            buffer[0] = UInt8(index % 7)
            consumer.ring.publish(index)
        }
        consumer.waitForExit()
        #expect(log.items == (0..<30).map { ($0 % 7) * 1000 + $0 })
    }
}

import LogWardAnonymize
/// Hands values to `DispatchQueue.concurrentPerform` iterations that each touch a disjoint part of them (one
/// day, one output slot): the compiler cannot see that disjointness, so it is stated here.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}

import LogWardAnonymize
/// Breakdown keys (paths, status codes, browser names...) interned once per input: rows refer to them by id.
struct KeyNames {
    private(set) var names: [String] = []
    private var ids: [String: Int] = [:]
    private var byteIDs: [[UInt8]: Int] = [:]

    mutating func id(_ name: String) -> Int {
        if let id = ids[name] { return id }
        names.append(name)
        ids[name] = names.count - 1
        return names.count - 1
    }

    mutating func id(bytes: [UInt8]) -> Int {
        if let id = byteIDs[bytes] { return id }
        let id = self.id(String(storedText: bytes))
        byteIDs[bytes] = id
        return id
    }
}

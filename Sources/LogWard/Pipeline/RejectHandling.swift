import LogWardOutput
/// What anonymization does with a line that does not parse. Never: copy it raw.
public enum RejectHandling: String, Sendable, CaseIterable {
    /// Leave it out (counted).
    case drop
    /// Write it with identifying tokens replaced (`LineScrubber`), counted as scrubbed.
    case scrub
}

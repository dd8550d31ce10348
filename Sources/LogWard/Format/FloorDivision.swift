import LogWardInput
extension Int64 {
    /// The quotient rounded toward minus infinity (Swift's `/` rounds toward zero): the day or key period an epoch
    /// second before 1970 falls in. `divisor` is positive.
    @inline(__always)
    package func floorDivided(by divisor: Int64) -> Int64 {
        self >= 0 ? self / divisor : (self - divisor + 1) / divisor
    }
}

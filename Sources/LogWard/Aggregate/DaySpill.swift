import LogWardAnonymize
/// Where a collector sets aside the days its input has moved past (the statistics store, on disk), so statistics
/// memory holds the days still open, not every day of a file. A protocol here, so Aggregate does not reach up into
/// Output: `StatsStore` conforms.
public protocol DaySpill: AnyObject {
    func stage(_ day: DayStats) throws
}

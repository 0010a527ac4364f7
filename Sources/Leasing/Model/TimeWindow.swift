import Foundation

/// A half-open time range [start, end): a lease ending at 12:00 and one starting at 12:00 do not overlap.
public struct TimeWindow: Sendable, Equatable, CustomStringConvertible {
  public var start: Date
  public var end: Date

  public init(start: Date, end: Date) {
    self.start = start
    self.end = end
  }

  public var isValid: Bool { start < end }

  public func overlaps(_ other: TimeWindow) -> Bool { start < other.end && other.start < end }

  public func contains(_ other: TimeWindow) -> Bool { start <= other.start && other.end <= end }

  public var description: String { "\(LeasingDate.format(start)) - \(LeasingDate.format(end))" }
}

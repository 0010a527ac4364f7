import Foundation

/// Price lists of one currency ordered by effective date: each applies from its `effectiveFrom` until the next
/// one's. Rating splits every interval at these boundaries, so a price change in the middle of a billing period
/// gives two lines (one per list) instead of one line at a blended or wrong price.
public struct PriceSchedule: Sendable, Hashable {
  public let lists: [PriceList]

  /// Validates that there is at least one list, one currency, and no two lists with the same effective date.
  public init(_ lists: [PriceList]) throws(BillingError) {
    guard let first = lists.first else { throw .noPriceList("no price list given") }
    var issues: [PriceListIssue] = []
    var seen: [Date: PriceList] = [:]
    for list in lists {
      if list.currency != first.currency {
        issues.append(
          PriceListIssue(
            file: list.file, line: list.line, field: "currency",
            message:
              "'\(list.currency)' differs from '\(first.currency)' (\(first.source)); one schedule bills in one currency"
          ))
      }
      if let other = seen[list.effectiveFrom] {
        issues.append(
          PriceListIssue(
            file: list.file, line: list.line, field: "effective_from",
            message:
              "\(BillingPeriod.dayFormat(list.effectiveFrom)) is also the effective date of \(other.name) (\(other.source))"
          ))
      }
      seen[list.effectiveFrom] = list
    }
    if !issues.isEmpty { throw .invalidPriceList(issues) }
    self.lists = lists.sorted { $0.effectiveFrom < $1.effectiveFrom }
  }

  public var currency: String { lists[0].currency }

  /// The list in force at `date`, nil before the first one.
  public func list(at date: Date) -> PriceList? { lists.last { $0.effectiveFrom <= date } }

  /// [from, to) cut at price changes: each piece with the list in force. Time before the first list is not
  /// returned (nothing is priced then); `PriceSchedule.coverage` lets callers report it.
  public func segments(from: Date, to: Date) -> [(list: PriceList, from: Date, to: Date)] {
    guard from < to else { return [] }
    var result: [(list: PriceList, from: Date, to: Date)] = []
    for (index, list) in lists.enumerated() {
      let start = max(from, list.effectiveFrom)
      let end = index + 1 < lists.count ? min(to, lists[index + 1].effectiveFrom) : to
      if start < end { result.append((list, start, end)) }
    }
    return result
  }
}

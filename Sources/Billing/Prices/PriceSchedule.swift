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
    self.labels = self.lists.map(\.label)
  }

  /// `lists[i].label`, computed once: rating names the list on every line it accumulates.
  let labels: [String]

  public var currency: String { lists[0].currency }

  /// The list in force at `date`, nil before the first one.
  public func list(at date: Date) -> PriceList? { lists.last { $0.effectiveFrom <= date } }

  /// [from, to) cut at price changes: each piece with the list in force. Time before the first list is not
  /// returned (nothing is priced then); `PriceSchedule.coverage` lets callers report it.
  public func segments(from: Date, to: Date) -> [(list: PriceList, from: Date, to: Date)] {
    indexedSegments(from: from, to: to).map { (lists[$0.index], $0.from, $0.to) }
  }

  /// The same as `segments`, by index into `lists` (no copies of the lists).
  func indexedSegments(from: Date, to: Date) -> [(index: Int, from: Date, to: Date)] {
    guard from < to else { return [] }
    var result: [(index: Int, from: Date, to: Date)] = []
    for index in lists.indices {
      let start = max(from, lists[index].effectiveFrom)
      let end = index + 1 < lists.count ? min(to, lists[index + 1].effectiveFrom) : to
      if start < end { result.append((index, start, end)) }
    }
    return result
  }
}

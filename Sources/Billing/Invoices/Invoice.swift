import Foundation

/// A project's invoice for one billing period: one line per resource, charge component and price (a price
/// change mid-period gives two lines), subtotals per stack, and the total.
///
/// The content is a pure function of the ledger, the view, the price lists, the period and the time it was
/// rated up to (`ratedUntil`): re-rating gives the same value and the same `canonicalJSON()` bytes. Nothing
/// in it records *when* it was computed; a finalized invoice's `finalizedAt` lives beside it in the store.
public struct Invoice: Sendable, Hashable, Codable {
  public enum Status: String, Sendable, Hashable, Codable {
    /// The running (or not yet closed) period, recomputed on demand.
    case draft
    /// Written by `close-period`; never changes afterwards.
    case final
  }

  /// `<project>/<period>`: one invoice per project and period.
  public var id: String
  public var projectID: String
  public var projectName: String?
  public var period: BillingPeriod
  public var currency: String
  public var status: Status
  /// Open intervals were counted up to here (the period end once it has passed).
  public var ratedUntil: Date
  /// The price lists used, as `name@YYYY-MM-DD`.
  public var priceLists: [String]
  public var lines: [InvoiceLine]
  /// Per stack (rack): what its servers, and the volumes attached to them, and its fee cost. Lines of
  /// resources outside any stack are in no subtotal.
  public var stacks: [StackTotal]
  /// Sum of the (rounded) line amounts.
  public var total: DecimalNumber
  /// Resources the price lists did not price (a flavor without a price and no fallback), so an operator
  /// sees what was not charged instead of a silent zero.
  public var unpriced: [String]

  public init(
    projectID: String, projectName: String? = nil, period: BillingPeriod, currency: String, status: Status,
    ratedUntil: Date, priceLists: [String], lines: [InvoiceLine], unpriced: [String] = []
  ) {
    self.id = "\(projectID)/\(period.id)"
    self.projectID = projectID
    self.projectName = projectName
    self.period = period
    self.currency = currency
    self.status = status
    self.ratedUntil = ratedUntil
    self.priceLists = priceLists
    self.lines = lines
    self.unpriced = unpriced
    self.total = lines.reduce(DecimalNumber.zero) { $0 + $1.amount }
    var byStack: [String: (name: String?, amount: DecimalNumber)] = [:]
    for line in lines {
      guard let stack = line.stackID else { continue }
      let entry = byStack[stack] ?? (line.stackName, .zero)
      byStack[stack] = (entry.name ?? line.stackName, entry.amount + line.amount)
    }
    self.stacks = byStack.keys.sorted().map {
      StackTotal(stackID: $0, name: byStack[$0]!.name, amount: byStack[$0]!.amount)
    }
  }

  public var totalMoney: Money { Money(total, currency) }

  /// The lines charging this period (without adjustments of earlier ones).
  public var ownLines: [InvoiceLine] { lines.filter { !$0.isAdjustment } }

  /// The lines correcting earlier finalized periods.
  public var adjustmentLines: [InvoiceLine] { lines.filter(\.isAdjustment) }

  /// This invoice with `adjustments` appended after its own lines (totals and stack subtotals recomputed:
  /// an adjustment for a resource in a stack counts in that stack's subtotal).
  public func adding(adjustments: [InvoiceLine]) -> Invoice {
    guard !adjustments.isEmpty else { return self }
    return Invoice(
      projectID: projectID, projectName: projectName, period: period, currency: currency, status: status,
      ratedUntil: ratedUntil, priceLists: priceLists, lines: lines + adjustments, unpriced: unpriced)
  }

  /// Sorted keys, ISO 8601 times, amounts as strings: the same invoice is always the same bytes (what
  /// idempotence and the store's immutability check compare).
  public func canonicalJSON() -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .custom { date, encoder in
      var container = encoder.singleValueContainer()
      try container.encode(Invoice.timestamp(date))
    }
    // Encoding plain values cannot fail.
    return try! encoder.encode(self)
  }

  public static func decode(canonicalJSON data: Data) throws -> Invoice {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .custom { decoder in
      let text = try decoder.singleValueContainer().decode(String.self)
      guard let date = Invoice.parseTimestamp(text) else {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad time '\(text)'"))
      }
      return date
    }
    return try decoder.decode(Invoice.self, from: data)
  }

  /// UTC with microseconds only when there are any (`2026-11-03T10:00:00Z`, `…T10:00:00.250000Z`): exact for
  /// every time the ledger can hold.
  public static func timestamp(_ date: Date) -> String {
    let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    var seconds = micros / 1_000_000
    var fraction = micros % 1_000_000
    if fraction < 0 {
      fraction += 1_000_000
      seconds -= 1
    }
    let base = Date(timeIntervalSince1970: TimeInterval(seconds))
    let c = BillingPeriod.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: base)
    let text = String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    return fraction == 0 ? text + "Z" : text + String(format: ".%06dZ", fraction)
  }

  static func parseTimestamp(_ text: String) -> Date? {
    guard text.hasSuffix("Z") else { return nil }
    let parts = text.dropLast().split(separator: ".")
    guard let base = try? Date(String(parts[0]) + "Z", strategy: .iso8601) else { return nil }
    guard parts.count == 2, let micros = Int(parts[1]), parts[1].count == 6 else {
      return parts.count == 1 ? base : nil
    }
    let total = Int64(base.timeIntervalSince1970) * 1_000_000 + Int64(micros)
    return Date(timeIntervalSince1970: Double(total) / 1_000_000)
  }
}

/// One charge: a resource (or a fee), a component, a quantity in a unit at a unit price.
public struct InvoiceLine: Sendable, Hashable, Codable {
  /// `server`, `volume`, `floating_ip`, `image`, `stack`, `project`.
  public var resourceKind: String
  public var resourceID: String
  public var resourceName: String?
  public var stackID: String?
  public var stackName: String?
  /// `flavor`, `vcpu`, `ram`, `disk`, `volume`, `image`, `floating_ip`, `stack_fee`, `project_fee`.
  public var component: String
  /// What a customer reads: `SCS-2V-4 (active)`, `root disk 20 GiB (stopped)`, `volume 10 GiB ssd`.
  public var description: String
  /// In `unit`, rounded to 6 decimals for display; the amount is computed from the exact quantity.
  public var quantity: DecimalNumber
  /// `hour`, `vCPU-hour`, `GiB-hour`, `GiB-month`, `period`.
  public var unit: String
  public var unitPrice: DecimalNumber
  /// Rounded with the price list's rounding.
  public var amount: DecimalNumber
  /// The part of the period this line covers.
  public var from: Date
  public var to: Date
  /// `name@YYYY-MM-DD`.
  public var priceList: String
  /// Set only on adjustment lines: the id of the earlier, finalized period this line corrects (`2026-11`). Such
  /// a line carries the difference between that period's finalized invoice and its re-rating from today's
  /// ledger (positive: late usage billed; negative: a credit), see `InvoiceAdjustments`. Absent from the
  /// canonical JSON of ordinary lines, so invoices finalized before adjustments existed keep their bytes.
  public var adjusts: String? = nil

  /// Whether this line corrects an earlier finalized period rather than charging this one.
  public var isAdjustment: Bool { adjusts != nil }
}

public struct StackTotal: Sendable, Hashable, Codable {
  public var stackID: String
  public var name: String?
  public var amount: DecimalNumber

  public init(stackID: String, name: String?, amount: DecimalNumber) {
    self.stackID = stackID
    self.name = name
    self.amount = amount
  }
}

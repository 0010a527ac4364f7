import Foundation

/// Late usage after a period was closed: what a finalized invoice missed (or over-charged), carried to a later
/// invoice as adjustment lines, because a finalized invoice never changes.
///
/// The ledger can change for a period after its invoice was finalized: a late notification, a resync that
/// repairs drift, a correction row. Re-rating that period then gives another invoice. The difference is
/// billed (positive) or credited (negative) on a later invoice, line by line:
///
///     adjustment = re-rated amount − finalized amount − amounts already carried on later finalized invoices
///
/// per resource, component, description, unit price and price list (the identity of a line; a price change
/// mid-period keeps its two lines apart). Line amounts are already rounded with their price list's rounding,
/// so the differences are exact at that scale and `finalized + every adjustment = re-rated` to the cent.
/// Pure and deterministic: lines are sorted, so re-rating a draft stays byte-identical.
public enum InvoiceAdjustments {
  /// `adjustment for 2026-11: ` — what a customer reads before the corrected line's own description.
  public static func descriptionPrefix(_ period: String) -> String { "adjustment for \(period): " }

  /// Adjustment lines for the finalized invoice `finalized` of period P, given `rerated` (P rated again from
  /// the current ledger and price lists, for the same project) and `carried`: the adjustment lines for P on
  /// later finalized invoices (other lines are ignored, so passing every line of those invoices is fine).
  /// Empty when nothing changed in money. Only `finalized`'s own lines count: the adjustments it carries for
  /// even earlier periods are not part of P's usage.
  public static func lines(finalized: Invoice, rerated: Invoice, carried: [InvoiceLine]) -> [InvoiceLine] {
    let period = finalized.period.id
    let prefix = descriptionPrefix(period)
    var sums: [Key: Sum] = [:]
    func add(_ line: InvoiceLine, sign: Int, description: String, preferred: Bool) {
      let key = Key(
        kind: line.resourceKind, id: line.resourceID, component: line.component, description: description,
        unit: line.unit, unitPrice: line.unitPrice, priceList: line.priceList)
      var sum = sums[key] ?? Sum(template: line, from: line.from, to: line.to)
      if sign > 0 {
        sum.amount += line.amount
        sum.quantity += line.quantity
      } else {
        sum.amount = sum.amount - line.amount
        sum.quantity = sum.quantity - line.quantity
      }
      sum.from = min(sum.from, line.from)
      sum.to = max(sum.to, line.to)
      // Names and stack as the current view knows them (the re-rating), else as they were billed.
      if preferred && !sum.fromRerated {
        sum.template = line
        sum.fromRerated = true
      }
      sums[key] = sum
    }
    for line in rerated.lines where !line.isAdjustment {
      add(line, sign: 1, description: line.description, preferred: true)
    }
    for line in finalized.lines where !line.isAdjustment {
      add(line, sign: -1, description: line.description, preferred: false)
    }
    for line in carried where line.adjusts == period {
      let base =
        line.description.hasPrefix(prefix) ? String(line.description.dropFirst(prefix.count)) : line.description
      add(line, sign: -1, description: base, preferred: false)
    }
    var result: [InvoiceLine] = []
    for (key, sum) in sums where !sum.amount.isZero {
      var line = sum.template
      line.component = key.component
      line.description = prefix + key.description
      line.quantity = sum.quantity
      line.unit = key.unit
      line.unitPrice = key.unitPrice
      line.amount = sum.amount
      line.from = sum.from
      line.to = sum.to
      line.priceList = key.priceList
      line.adjusts = period
      result.append(line)
    }
    return sorted(result)
  }

  /// The order adjustment lines appear in: by corrected period, then like ordinary lines.
  public static func sorted(_ lines: [InvoiceLine]) -> [InvoiceLine] {
    lines.sorted {
      if $0.adjusts != $1.adjusts { return ($0.adjusts ?? "") < ($1.adjusts ?? "") }
      return ($0.resourceKind, $0.resourceID, $0.from, $0.component, $0.priceList, $0.description)
        < ($1.resourceKind, $1.resourceID, $1.from, $1.component, $1.priceList, $1.description)
    }
  }

  /// The sum of `lines`' amounts per corrected period (what `close-period` reports).
  public static func totals(_ lines: [InvoiceLine]) -> [(period: String, amount: DecimalNumber)] {
    var totals: [String: DecimalNumber] = [:]
    for line in lines { if let period = line.adjusts { totals[period, default: .zero] += line.amount } }
    return totals.keys.sorted().map { ($0, totals[$0]!) }
  }

  struct Key: Hashable {
    var kind: String
    var id: String
    var component: String
    var description: String
    var unit: String
    var unitPrice: DecimalNumber
    var priceList: String
  }

  struct Sum {
    var template: InvoiceLine
    var amount = DecimalNumber.zero
    var quantity = DecimalNumber.zero
    var from: Date
    var to: Date
    var fromRerated = false

    init(template: InvoiceLine, from: Date, to: Date) {
      self.template = template
      self.from = from
      self.to = to
    }
  }
}

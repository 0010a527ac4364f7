import Foundation
import StewardCore

/// How an invoice is shown: records for `-f table|json|yaml|csv|value`, and a self-contained HTML document a
/// customer can receive (inline CSS, no scripts, no external resources: it renders offline and prints on A4).
public enum InvoiceRenderer {
  public static let lineColumns = [
    "Resource", "Name", "Stack", "Description", "Quantity", "Unit", "Unit Price", "Amount", "From", "To", "Price List",
  ]

  /// One record per line, then one per stack subtotal and the total (Resource `stack:<id>` / `total`), so a
  /// CSV import or a table sums up without extra logic.
  public static func records(_ invoice: Invoice) -> [Record] {
    var records: [Record] = invoice.lines.map { line in
      [
        "Resource": .string("\(line.resourceKind)/\(line.resourceID)"), "Name": .optional(line.resourceName),
        "Stack": .optional(line.stackName ?? line.stackID), "Description": .string(line.description),
        "Quantity": .string(line.quantity.trimmed), "Unit": .string(line.unit),
        "Unit Price": .string(line.unitPrice.description),
        "Amount": .string(line.amount.description), "From": .string(Invoice.timestamp(line.from)),
        "To": .string(Invoice.timestamp(line.to)), "Price List": .string(line.priceList),
      ]
    }
    for stack in invoice.stacks {
      records.append([
        "Resource": .string("stack-total/\(stack.stackID)"), "Name": .optional(stack.name),
        "Stack": .optional(stack.name ?? stack.stackID),
        "Description": "stack subtotal", "Amount": .string(stack.amount.description),
      ])
    }
    // Lines correcting earlier finalized periods are ordinary lines above (description "adjustment for
    // 2026-10: …", counted in their stack's subtotal); this row sums them per corrected period.
    for (period, amount) in InvoiceAdjustments.totals(invoice.lines) {
      records.append([
        "Resource": .string("adjustments/\(period)"), "Description": .string("adjustments for \(period)"),
        "Amount": .string(amount.description),
      ])
    }
    records.append([
      "Resource": "total", "Name": .optional(invoice.projectName),
      "Description": .string("\(invoice.status.rawValue) invoice \(invoice.id)"),
      "Unit": .string(invoice.currency), "Amount": .string(invoice.total.description),
    ])
    return records
  }

  /// Sorted keys, indented: the invoice as APIs and `-f json` give it (the same fields as `canonicalJSON`).
  public static func json(_ invoice: Invoice) -> String {
    let object = try! JSONSerialization.jsonObject(with: invoice.canonicalJSON())
    let data = try! JSONSerialization.data(
      withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The summary of an invoice for `show`-style output.
  public static func summary(_ invoice: Invoice) -> Record {
    [
      "Invoice": .string(invoice.id), "Project": .string(invoice.projectID),
      "Project Name": .optional(invoice.projectName),
      "Period": .string(invoice.period.description), "Status": .string(invoice.status.rawValue),
      "Rated Until": .string(Invoice.timestamp(invoice.ratedUntil)), "Lines": .int(invoice.lines.count),
      "Total": .string("\(invoice.total) \(invoice.currency)"), "Price Lists": .strings(invoice.priceLists),
      "Unpriced": .strings(invoice.unpriced),
      "Adjustments": .strings(
        InvoiceAdjustments.totals(invoice.lines).map { "\($0.period): \($0.amount) \(invoice.currency)" }),
    ]
  }

  static func escape(_ text: String) -> String {
    var result = ""
    for c in text {
      switch c {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(c)
      }
    }
    return result
  }

  /// A complete HTML document. `issuer` is the operator's name and address lines shown in the header.
  public static func html(_ invoice: Invoice, issuer: [String] = []) -> String {
    let e = escape
    let c = invoice.currency
    func day(_ date: Date) -> String { BillingPeriod.dayFormat(date) }
    func time(_ date: Date) -> String {
      let t = Invoice.timestamp(date)
      return t.hasSuffix("T00:00:00Z") ? day(date) : t.replacingOccurrences(of: "T", with: " ")
    }
    var groups: [(title: String, lines: [InvoiceLine], subtotal: DecimalNumber?)] = []
    for stack in invoice.stacks {
      groups.append(
        ("Stack \(stack.name ?? stack.stackID)", invoice.lines.filter { $0.stackID == stack.stackID }, stack.amount))
    }
    let loose = invoice.lines.filter { $0.stackID == nil }
    if !loose.isEmpty { groups.append((invoice.stacks.isEmpty ? "Charges" : "Other charges", loose, nil)) }
    var rows = ""
    for group in groups {
      rows += "<tr class=\"group\"><th colspan=\"6\">\(e(group.title))</th></tr>\n"
      for line in group.lines {
        let name = line.resourceName.map { "\(e($0)) " } ?? ""
        rows += """
          <tr\(line.isAdjustment ? " class=\"adj\"" : "")><td>\(name)<span class="id">\(e(line.resourceKind)) \(e(line.resourceID))</span></td>\
          <td>\(e(line.description))<br><span class="id">\(time(line.from)) – \(time(line.to))</span></td>\
          <td class="n">\(e(line.quantity.trimmed))</td><td>\(e(line.unit))</td>\
          <td class="n">\(e(line.unitPrice.description))</td><td class="n">\(e(line.amount.description))</td></tr>

          """
      }
      if let subtotal = group.subtotal {
        rows +=
          "<tr class=\"sub\"><td colspan=\"5\">Subtotal \(e(group.title))</td><td class=\"n\">\(e(subtotal.description))</td></tr>\n"
      }
    }
    if invoice.lines.isEmpty { rows = "<tr><td colspan=\"6\">No charges in this period.</td></tr>\n" }
    let adjustments = InvoiceAdjustments.totals(invoice.lines).map { "\(e($0.period)): \(e($0.amount.description))" }
    let adjustmentNote =
      adjustments.isEmpty
      ? ""
      : "<p class=\"note\">Adjustments for earlier periods (usage recorded after their invoices were finalized; "
        + "negative amounts are credits), included above and in the total: \(adjustments.joined(separator: "; ")) "
        + "\(e(c)).</p>\n"
    let draft = invoice.status == .draft
    let unpriced =
      invoice.unpriced.isEmpty
      ? "" : "<p class=\"warn\">Not charged (no price): \(invoice.unpriced.map(e).joined(separator: "; "))</p>\n"
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>Invoice \(e(invoice.id))</title>
      <style>
      body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;margin:2.5em auto;max-width:60em;padding:0 1.5em}
      header{display:flex;justify-content:space-between;align-items:flex-start;border-bottom:2px solid #1d2330;padding-bottom:1em}
      h1{margin:0;font-size:1.8em}.issuer{text-align:right;white-space:pre-line}
      .meta{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1.5em;margin:1.5em 0}
      .meta dt{font-weight:600}.meta dd{margin:0}
      table{width:100%;border-collapse:collapse;font-size:.92em}
      th,td{padding:.45em .5em;border-bottom:1px solid #d8dce3;text-align:left;vertical-align:top}
      thead th{background:#eef1f5}.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      tr.group th{background:#f7f8fa;border-top:1px solid #b9c0cc}tr.sub td{font-weight:600}
      tfoot td{font-size:1.15em;font-weight:700;border-top:2px solid #1d2330;border-bottom:none}
      .id{color:#6b7383;font-size:.85em}.draft{color:#b3261e;font-weight:700;letter-spacing:.1em}
      .warn{color:#b3261e}tr.adj td{font-style:italic}.note{color:#1d2330}footer{margin-top:2em;color:#6b7383;font-size:.85em}
      @media print{body{margin:0}thead th,tr.group th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
      </style></head>
      <body>
      <header><div><h1>Invoice</h1>\(draft ? "<div class=\"draft\">DRAFT — not final, amounts may change</div>" : "")</div>
      <div class="issuer">\(issuer.map(e).joined(separator: "\n"))</div></header>
      <dl class="meta">
      <dt>Invoice</dt><dd>\(e(invoice.id))</dd>
      <dt>Customer</dt><dd>\(e(invoice.projectName ?? invoice.projectID))<br><span class="id">project \(e(invoice.projectID))</span></dd>
      <dt>Period</dt><dd>\(day(invoice.period.start)) to \(day(invoice.period.end)) (\(e(invoice.period.id)))</dd>
      <dt>Usage counted until</dt><dd>\(time(invoice.ratedUntil))</dd>
      <dt>Currency</dt><dd>\(e(c))</dd>
      </dl>
      <table>
      <thead><tr><th>Resource</th><th>Description</th><th class="n">Quantity</th><th>Unit</th><th class="n">Unit price</th><th class="n">Amount</th></tr></thead>
      <tbody>
      \(rows)</tbody>
      <tfoot><tr><td colspan="5">Total (\(e(c)))</td><td class="n">\(e(invoice.total.description))</td></tr></tfoot>
      </table>
      \(adjustmentNote)\(unpriced)<footer>Prices: \(invoice.priceLists.map(e).joined(separator: ", ")). Times are UTC. Amounts are rounded per line; the total is the sum of the lines.</footer>
      </body></html>

      """
  }
}

import Foundation
import StewardServer

/// One page of the dashboard overview: which projects to show (name filter, sort, page) and the totals over
/// all projects the caller may see. Computed on the server so a thousand projects never reach the browser
/// at once; the table keeps its query in its links, so it works without JavaScript.
struct OverviewPage {
  enum Sort: String, CaseIterable { case cost, name }

  static let defaultPerPage = 50
  static let perPageBounds = 10...200

  /// The request's `q`, `sort`, `page` and `per_page`.
  struct Query: Equatable {
    var filter = ""
    var sort = Sort.cost
    var page = 1
    var perPage = OverviewPage.defaultPerPage

    /// Parses the query string. A value that is not a number, a page below 1 or an unknown sort is a 400
    /// (a typo should not silently show something else); `per_page` outside 10…200 is clamped, and a page
    /// past the last one shows the last one.
    init(_ parameters: [String: String]) throws {
      filter = (parameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
      if let text = parameters["sort"], !text.isEmpty {
        guard let sort = Sort(rawValue: text) else {
          throw APIError.badRequest("sort: must be one of \(Sort.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.sort = sort
      }
      if let text = parameters["page"], !text.isEmpty {
        guard let page = Int(text), page >= 1 else { throw APIError.badRequest("page: must be a whole number from 1") }
        self.page = page
      }
      if let text = parameters["per_page"], !text.isEmpty {
        guard let perPage = Int(text) else {
          throw APIError.badRequest(
            "per_page: must be a whole number (\(OverviewPage.perPageBounds.lowerBound)…\(OverviewPage.perPageBounds.upperBound))"
          )
        }
        self.perPage = min(max(perPage, OverviewPage.perPageBounds.lowerBound), OverviewPage.perPageBounds.upperBound)
      }
    }

    init() {}

    /// The overview URL of this query on another page (only non-default values, percent-encoded).
    func link(page: Int) -> String {
      var items: [String] = []
      if !filter.isEmpty { items.append("q=\(Self.encode(filter))") }
      if sort != .cost { items.append("sort=\(sort.rawValue)") }
      if perPage != OverviewPage.defaultPerPage { items.append("per_page=\(perPage)") }
      if page != 1 { items.append("page=\(page)") }
      return "/dashboard" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
    }

    static func encode(_ text: String) -> String {
      var allowed = CharacterSet.alphanumerics
      allowed.insert(charactersIn: "-._~")
      return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
  }

  let query: Query
  /// Every project the caller may see (the totals).
  let totalCount: Int
  /// Projects with a credit or budget alert: a budget threshold crossed, the budget used up, or a
  /// negative credit balance.
  let alertCount: Int
  /// Cost this period over all projects, per currency.
  let totals: [String: Double]
  /// Projects matching the filter.
  let matchCount: Int
  /// The page actually shown (the requested one, or the last one when past the end).
  let page: Int
  let pageCount: Int
  let rows: ArraySlice<ProjectSummary>

  init(_ projects: [ProjectSummary], query: Query) {
    self.query = query
    totalCount = projects.count
    var totals: [String: Double] = [:]
    var alerts = 0
    for p in projects {
      if let c = p.cost { totals[c.currency, default: 0] += c.approximate }
      if Self.alerts(p) { alerts += 1 }
    }
    self.totals = totals
    alertCount = alerts
    let needle = query.filter
    let matching =
      needle.isEmpty
      ? projects
      : projects.filter { ($0.name ?? "").localizedCaseInsensitiveContains(needle) || $0.id.contains(needle) }
    matchCount = matching.count
    pageCount = max(1, (matching.count + query.perPage - 1) / query.perPage)
    page = min(query.page, pageCount)
    let sorted: [ProjectSummary]
    switch query.sort {
    case .name:
      sorted = matching.sorted { Self.nameOrder($0, $1) }
    case .cost:
      sorted = matching.sorted {
        let (a, b) = ($0.cost?.approximate ?? 0, $1.cost?.approximate ?? 0)
        return a != b ? a > b : Self.nameOrder($0, $1)
      }
    }
    let start = (page - 1) * query.perPage
    rows = sorted[min(start, sorted.count)..<min(start + query.perPage, sorted.count)]
  }

  static func alerts(_ p: ProjectSummary) -> Bool {
    guard let billing = p.billing else { return false }
    return !billing.crossedThresholds.isEmpty || (billing.budgetUsed ?? 0) >= 1
      || (billing.credit.map { $0.approximate < 0 } ?? false)
  }

  static func nameOrder(_ a: ProjectSummary, _ b: ProjectSummary) -> Bool {
    let (x, y) = (a.name ?? a.id, b.name ?? b.id)
    switch x.localizedCaseInsensitiveCompare(y) {
    case .orderedAscending: return true
    case .orderedDescending: return false
    case .orderedSame: return a.id < b.id
    }
  }

  /// The first and last position shown (1-based), for "51–100 of 1000".
  var range: (first: Int, last: Int) {
    rows.isEmpty ? (0, 0) : ((page - 1) * query.perPage + 1, (page - 1) * query.perPage + rows.count)
  }
}

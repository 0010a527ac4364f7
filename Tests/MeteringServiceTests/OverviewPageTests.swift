import Foundation
import Hummingbird
import HummingbirdTesting
import StewardServer
import Testing

@testable import MeteringService

@Suite("Dashboard overview: totals, paging, sort and name filter")
struct OverviewPageTests {
  /// Projects `p000`…`p{n-1}` named `team-000`…; project i costs i EUR, every tenth is over its budget.
  static func projects(_ n: Int) -> [ProjectSummary] {
    (0..<n).map { i in
      let id = String(format: "p%03d", i)
      let billing = i % 10 == 0 ? BillingState(budget: CostFigure(amount: "1", currency: "EUR"), budgetUsed: 1.5) : nil
      return ProjectSummary(
        id: id, name: String(format: "team-%03d", i), live: [:], cost: CostFigure(amount: "\(i)", currency: "EUR"),
        billing: billing)
    }
  }

  @Test func defaultsSortByCostDescendingFiftyPerPage() throws {
    let page = OverviewPage(Self.projects(120), query: try .init([:]))
    #expect(page.totalCount == 120)
    #expect(page.alertCount == 12)
    #expect(page.totals["EUR"] == Double((0..<120).reduce(0, +)))
    #expect(page.rows.count == 50)
    #expect(page.rows.first?.id == "p119")
    #expect(page.rows.last?.id == "p070")
    #expect(page.pageCount == 3)
    #expect(page.range == (1, 50))
  }

  @Test func lastPageSortByNameAndPastTheEnd() throws {
    let page = OverviewPage(Self.projects(120), query: try .init(["sort": "name", "page": "3"]))
    #expect(page.rows.map(\.id) == (100..<120).map { String(format: "p%03d", $0) })
    #expect(page.range == (101, 120))
    // A page past the last shows the last one.
    let past = OverviewPage(Self.projects(120), query: try .init(["sort": "name", "page": "99"]))
    #expect(past.page == 3)
    #expect(past.rows.first?.id == "p100")
    // No projects: one empty page.
    let empty = OverviewPage([], query: try .init(["page": "2"]))
    #expect(empty.page == 1 && empty.pageCount == 1 && empty.rows.isEmpty && empty.range == (0, 0))
  }

  @Test func filterMatchesNameCaseInsensitiveButTotalsCoverAll() throws {
    let page = OverviewPage(Self.projects(120), query: try .init(["q": " TEAM-04 ", "per_page": "10"]))
    #expect(page.query.filter == "TEAM-04")
    #expect(page.matchCount == 10)
    #expect(page.rows.first?.id == "p049")
    #expect(page.totalCount == 120)
    #expect(page.alertCount == 12)
    #expect(OverviewPage(Self.projects(120), query: try .init(["q": "p007"])).rows.map(\.id) == ["p007"])
  }

  @Test func perPageIsClampedBadValuesAreRefused() throws {
    #expect(try OverviewPage.Query(["per_page": "1"]).perPage == 10)
    #expect(try OverviewPage.Query(["per_page": "5000"]).perPage == 200)
    #expect(try OverviewPage.Query(["per_page": "-3"]).perPage == 10)
    #expect(try OverviewPage.Query(["per_page": "75"]).perPage == 75)
    for bad in [["page": "0"], ["page": "-1"], ["page": "two"], ["per_page": "many"], ["sort": "size"]] {
      #expect(throws: APIError.self) { try OverviewPage.Query(bad) }
    }
  }

  @Test func linksKeepTheQuery() throws {
    let query = try OverviewPage.Query(["q": "a b&c", "sort": "name", "per_page": "20"])
    #expect(query.link(page: 2) == "/dashboard?q=a%20b%26c&sort=name&per_page=20&page=2")
    #expect(try OverviewPage.Query([:]).link(page: 1) == "/dashboard")
  }

  @Test func dashboardPagesAndRefusesBadValues() async throws {
    typealias F = MeteringServiceFixture
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        let admin = try await DashboardTests.signIn(client, "root", "root-secret")
        try await client.execute(uri: "/dashboard?q=alpha&sort=name", method: .get, headers: [.cookie: admin]) {
          response in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"project-\(F.alpha)\""))
          #expect(!page.contains("id=\"project-\(F.beta)\""))
          #expect(page.contains("<option value=\"name\" selected>"))
          #expect(page.contains("1–1 of 1 matching “alpha” · page 1 of 1"))
          #expect(!page.contains("id=\"next-page\""))
        }
        // The search form's GET encodes spaces as `+`.
        try await client.execute(uri: "/dashboard?q=+alp%68a+&per_page=", method: .get, headers: [.cookie: admin]) {
          response in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"project-\(F.alpha)\""))
          #expect(!page.contains("id=\"project-\(F.beta)\""))
        }
        try await client.execute(uri: "/dashboard?q=al+pha", method: .get, headers: [.cookie: admin]) { response in
          #expect(response.status == .ok)
          #expect(String(buffer: response.body).contains("0–0 of 0 matching “al pha”"))
        }
        try await client.execute(uri: "/dashboard?per_page=x", method: .get, headers: [.cookie: admin]) { response in
          #expect(response.status == .badRequest)
          #expect(String(buffer: response.body).contains("per_page"))
        }
        try await client.execute(uri: "/dashboard?sort=size", method: .get, headers: [.cookie: admin]) {
          #expect($0.status == .badRequest)
        }
      }
    }
  }
}

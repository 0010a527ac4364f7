import Billing
import Foundation
import Hummingbird
import HummingbirdTesting
import Metering
import NIOCore
import NIOFoundationCompat
import Testing

@testable import MeteringService

@Suite("Billing through the service: costs, invoices, credits, budgets, dashboard money")
struct BillingRoutesTests {
  typealias F = MeteringServiceFixture

  static func decimal(_ value: Any?) -> DecimalNumber? { (value as? String).flatMap(DecimalNumber.init) }

  @Test func costsOfAClosedPeriodMatchTheHandComputedAmounts() async throws {
    try await F.with(billing: true) { f in
      let month = F.lastMonth
      let period = Period.label(month.start)
      // web-1 (SCS-2V-4, 0.04/h) ran from an hour into the month to its end.
      let hours = Int((month.end.timeIntervalSince(f.start) / 3600).rounded())
      let web1 = DecimalNumber(units: Int128(hours * 4), scale: 2)
      try await f.server.application.test(.router) { client in
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/costs?period=\(period)", method: .get, headers: F.headers("alpha")
        ) { response in
          #expect(response.status == .ok)
          let costs = try F.json(response.body)["costs"] as? [String: Any] ?? [:]
          #expect(costs["currency"] as? String == "EUR")
          let resources = costs["resources"] as? [[String: Any]] ?? []
          let server = resources.first { $0["id"] as? String == "srv-web-1" }
          #expect(Self.decimal(server?["amount"]) == web1)
          // The stopped server pays its 10 GiB disk only: 0.0001 × 10 × hours.
          let stopped = resources.first { $0["id"] as? String == "srv-web-2" }
          #expect(
            Self.decimal(stopped?["amount"])
              == DecimalNumber(units: Int128(hours), scale: 3).rounded(toScale: 2, .halfEven))
          // The rack's subtotal holds its servers, the attached volume and the stack fee, not the floating IP.
          let stacks = costs["stacks"] as? [[String: Any]] ?? []
          #expect(stacks.map { $0["stack_id"] as? String } == ["stack-web"])
          let total = Self.decimal(costs["total"])
          let sum = resources.compactMap { Self.decimal($0["amount"]) }.reduce(DecimalNumber.zero, +)
          #expect(total != nil && total! >= sum)
        }
        // The invoice document is Billing's canonical JSON, the same bytes each time.
        let first = try await client.execute(
          uri: "/v1/projects/\(F.alpha)/invoices/\(period)", method: .get, headers: F.headers("alpha")
        ) { response -> ByteBuffer in
          #expect(response.status == .ok)
          return response.body
        }
        let second = try await client.execute(
          uri: "/v1/projects/\(F.alpha)/invoices/\(period)", method: .get, headers: F.headers("alpha")
        ) { $0.body }
        #expect(first == second)
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/costs?period=13-2026", method: .get, headers: F.headers("alpha")
        ) { #expect($0.status == .badRequest) }
        try await client.execute(
          uri: "/v1/projects/\(F.beta)/costs", method: .get, headers: F.headers("alpha")
        ) { #expect($0.status == .forbidden) }
      }
    }
  }

  @Test func imagesAreCostedFromTheLedgerInTheAPIAndTheDashboard() async throws {
    try await F.with(billing: true) { f in
      let month = F.lastMonth
      let period = Period.label(month.start)
      // beta-image: 10 GiB from an hour into the month to its end, at 0.05 per GiB-month of 730 h.
      let seconds = Int128(month.end.timeIntervalSince(f.start).rounded())
      let amount = DecimalNumber(units: 5, scale: 2).multiplied(
        by: 10 * seconds, dividedBy: 730 * 3600, scale: 2, .halfEven)
      try await f.server.application.test(.router) { client in
        try await client.execute(
          uri: "/v1/projects/\(F.beta)/costs?period=\(period)", method: .get, headers: F.headers("beta")
        ) { response in
          #expect(response.status == .ok)
          let costs = try F.json(response.body)["costs"] as? [String: Any] ?? [:]
          let resources = costs["resources"] as? [[String: Any]] ?? []
          let image = resources.first { $0["id"] as? String == "img-beta" }
          #expect(image?["kind"] as? String == "image" && Self.decimal(image?["amount"]) == amount, "\(resources)")
        }
        try await client.execute(
          uri: "/v1/projects/\(F.beta)/invoices/\(period)", method: .get, headers: F.headers("beta")
        ) { response in
          #expect(response.status == .ok)
          let text = String(buffer: response.body)
          #expect(text.contains(#""component":"image""#) && text.contains(#""description":"image 10 GiB""#))
          #expect(text.contains(#""unit":"GiB-month""#) && text.contains(#""resourceName":"beta-image""#), "\(text)")
        }
        try await client.execute(
          uri: "/v1/projects/\(F.beta)/usage?from=\(month.start.ISO8601Format(.iso8601))"
            + "&to=\(month.end.ISO8601Format(.iso8601))",
          method: .get, headers: F.headers("beta")
        ) { response in
          #expect(response.status == .ok)
          let usage = try F.json(response.body)["usage"] as? [String: Any] ?? [:]
          let totals = usage["totals"] as? [String: Any] ?? [:]
          let hours = Double(seconds) / 3600
          #expect(abs((totals["image_gib_hours"] as? Double ?? 0) - 10 * hours) < 0.001, "\(totals)")
        }
        // The dashboard lists the image as a device of the project (outside any rack), with its size.
        let root = try await DashboardTests.signIn(client, "root", "root-secret")
        try await client.execute(uri: "/dashboard/projects/\(F.beta)", method: .get, headers: [.cookie: root]) {
          response in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"device-img-beta\""), "\(page)")
          #expect(page.contains("beta-image") && page.contains("10 GiB"))
        }
        try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: root]) { response in
          let page = String(buffer: response.body)
          let row = page.components(separatedBy: "id=\"project-\(F.beta)\"").dropFirst().first ?? ""
          #expect(row.prefix { $0 != "\n" }.contains("<td class=\"num images\">1</td>"), "\(page)")
        }
      }
    }
  }

  /// Last month closed, then a late notification: the running period's costs, invoice document and dashboard
  /// invoice page carry the difference as an adjustment, and last month's invoice stays as it was.
  @Test func lateUsageAfterCloseShowsAsAnAdjustment() async throws {
    try await F.with(billing: true) { f in
      let service = try #require(f.server.billing).service
      let month = F.lastMonth
      let period = Period.label(month.start)
      let closed = try await service.closePeriod(period, now: Date())
      let stored = try #require(closed.finalized.first { $0.invoice.projectID == F.beta })
      // beta-box was in fact stopped for a day, a day into last month: a credit.
      let spec = ResourceSpec(flavor: "SCS-1V-2", vcpus: 1, memoryMB: 2048, diskGB: 10)
      try await f.server.store.write { writer in
        for (offset, state, id) in [(86_400.0, "stopped", "late-1"), (2 * 86_400.0, "active", "late-2")] {
          try await writer.apply(
            Observation(
              key: ResourceKey(.server, "srv-beta"), time: f.start.addingTimeInterval(offset), sourceID: id,
              snapshot: ResourceSnapshot(projectID: F.beta, name: "beta-box", state: state, spec: spec)))
        }
      }
      let lastMonth = try BillingCycle.calendarMonth.period(period)
      let rerated = try await service.draft(projectID: F.beta, period: lastMonth, now: Date(), adjusted: false)
      let difference = rerated.total - stored.invoice.total
      #expect(difference.isNegative)
      try await f.server.application.test(.router) { client in
        try await client.execute(uri: "/v1/projects/\(F.beta)/costs", method: .get, headers: F.headers("beta")) {
          response in
          #expect(response.status == .ok)
          let costs = try F.json(response.body)["costs"] as? [String: Any] ?? [:]
          let adjustments = costs["adjustments"] as? [[String: Any]] ?? []
          #expect(adjustments.map { $0["period"] as? String } == [period], "\(costs)")
          #expect(Self.decimal(adjustments.first?["amount"]) == difference)
        }
        let running = Period.label(Date())
        try await client.execute(
          uri: "/v1/projects/\(F.beta)/invoices/\(running)", method: .get, headers: F.headers("beta")
        ) { response in
          let text = String(buffer: response.body)
          #expect(text.contains(#""adjusts":"\#(period)""#), "\(text)")
          #expect(text.contains("adjustment for \(period): SCS-1V-2: 1 vCPU (active)"))
        }
        // The overview shows this period's usage only (no re-rating of finalized months on each refresh).
        let usageOnly = try await service.draft(
          projectID: F.beta, period: try BillingCycle.calendarMonth.period(running), now: Date(), adjusted: false)
        try await client.execute(uri: "/v1/projects", method: .get, headers: F.headers("admin")) { response in
          let projects = try F.json(response.body)["projects"] as? [[String: Any]] ?? []
          let beta = projects.first { $0["id"] as? String == F.beta } ?? [:]
          let cost = beta["cost_this_period"] as? [String: Any]
          #expect(Self.decimal(cost?["amount"]) == usageOnly.total, "\(beta)")
        }
        // Last month's finalized invoice is the same bytes as when it was finalized.
        try await client.execute(
          uri: "/v1/projects/\(F.beta)/invoices/\(period)", method: .get, headers: F.headers("beta")
        ) { response in
          #expect(Data(buffer: response.body) == stored.content)
        }
        let root = try await DashboardTests.signIn(client, "root", "root-secret")
        try await client.execute(
          uri: "/dashboard/projects/\(F.beta)/invoices", method: .get, headers: [.cookie: root]
        ) { response in
          #expect(response.status == .ok)
          #expect(String(buffer: response.body).contains("adjustment for \(period)"))
        }
      }
    }
  }

  @Test func creditsAndBudgetsTakeExactAmountsOnly() async throws {
    try await F.with(billing: true) { f in
      try await f.server.application.test(.router) { client in
        // Only an admin adds credit; amounts are decimal strings, never floats.
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/credits", method: .post, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"amount": "100.00"}"#)
        ) { #expect($0.status == .forbidden) }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/credits", method: .post, headers: F.headers("admin"),
          body: ByteBuffer(string: #"{"amount": 100.1}"#)
        ) { response in
          #expect(response.status == .badRequest)
          #expect(F.fault(response.body).hasPrefix("amount:"))
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/credits", method: .post, headers: F.headers("admin"),
          body: ByteBuffer(string: #"{"amount": "100.00", "currency": "USD"}"#)
        ) { response in
          #expect(response.status == .badRequest)
          #expect(F.fault(response.body).hasPrefix("currency:"))
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/credits", method: .post, headers: F.headers("admin"),
          body: ByteBuffer(string: #"{"amount": "1000.00", "reason": "prepaid"}"#)
        ) { #expect($0.status == .created) }
        try await client.execute(uri: "/v1/projects/\(F.alpha)/credits", method: .get, headers: F.headers("alpha")) {
          response in
          let body = try F.json(response.body)
          let balance = body["balance"] as? [String: Any] ?? [:]
          #expect(Self.decimal(balance["credits"]) == DecimalNumber("1000.00"))
          let expected =
            Self.decimal(balance["credits"])! - Self.decimal(balance["finalized"])! - Self.decimal(balance["draft"])!
          #expect(Self.decimal(balance["balance"]) == expected)
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/budget", method: .put, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"amount": "50.00", "thresholds": [50, "eighty"]}"#)
        ) { response in
          #expect(response.status == .badRequest)
          #expect(F.fault(response.body).hasPrefix("thresholds[1]"))
        }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/budget", method: .put, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"amount": "-5"}"#)
        ) { #expect($0.status == .badRequest) }
        try await client.execute(
          uri: "/v1/projects/\(F.alpha)/budget", method: .put, headers: F.headers("alpha"),
          body: ByteBuffer(string: #"{"amount": "0.01", "thresholds": [50, 100]}"#)
        ) { #expect($0.status == .ok) }
        try await client.execute(uri: "/v1/projects/\(F.alpha)/budget", method: .get, headers: F.headers("alpha")) {
          response in
          let budget = try F.json(response.body)["budget"] as? [String: Any] ?? [:]
          #expect(budget["amount"] as? String == "0.01")
          #expect((budget["used"] as? Double ?? 0) > 1)
        }
        try await client.execute(uri: "/v1/projects/\(F.beta)/budget", method: .get, headers: F.headers("beta")) {
          #expect($0.status == .notFound)
        }
        try await client.execute(uri: "/v1/prices", method: .get, headers: F.headers("beta")) { response in
          let lists = try F.json(response.body)["price_lists"] as? [[String: Any]] ?? []
          let items = lists.first?["items"] as? [[String: Any]] ?? []
          #expect(items.contains { $0["item"] as? String == "flavor SCS-2V-4" && $0["price"] as? String == "0.0400" })
        }
        // The overview carries this period's cost, the credit and the budget state.
        try await client.execute(uri: "/v1/projects", method: .get, headers: F.headers("admin")) { response in
          let projects = try F.json(response.body)["projects"] as? [[String: Any]] ?? []
          let alpha = projects.first { $0["id"] as? String == F.alpha } ?? [:]
          let cost = alpha["cost_this_period"] as? [String: Any]
          #expect(cost?["currency"] as? String == "EUR")
          #expect((Self.decimal(cost?["amount"]) ?? .zero) > .zero)
          #expect((alpha["credit"] as? [String: Any])?["currency"] as? String == "EUR")
          #expect((alpha["budget"] as? [String: Any])?["amount"] as? String == "0.01")
        }
      }
    }
  }

  @Test func dashboardShowsMoneyInvoicesAndPrices() async throws {
    try await F.with(billing: true) { f in
      try await f.server.application.test(.router) { client in
        let cookie = try await DashboardTests.signIn(client, "alice", "alice-secret")
        try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: cookie]) { response in
          let page = String(buffer: response.body)
          #expect(!page.contains("id=\"no-prices\""))
          #expect(page.contains("EUR</td>"))
        }
        // The project page shows the API's exact figures: the running draft is rated up to each request's
        // "now", so each figure lies between the API's answers just before and just after the page.
        func costs() async throws -> [String: Any] {
          try await client.execute(
            uri: "/v1/projects/\(F.alpha)/costs", method: .get, headers: F.headers("alpha")
          ) { try F.json($0.body)["costs"] as? [String: Any] ?? [:] }
        }
        let before = try await costs()
        let page = try await client.execute(
          uri: "/dashboard/projects/\(F.alpha)", method: .get, headers: [.cookie: cookie]
        ) { String(buffer: $0.body) }
        let after = try await costs()
        #expect(page.contains("Cost per day"))
        func shown(after marker: String) -> DecimalNumber? {
          guard let range = page.range(of: marker) else { return nil }
          return page[range.upperBound...].firstMatch(of: /(-?[0-9]+(?:\.[0-9]+)?) EUR/).flatMap {
            DecimalNumber(String($0.1))
          }
        }
        func between(_ value: DecimalNumber?, _ low: Any?, _ high: Any?, _ what: String) {
          let (low, high) = (Self.decimal(low), Self.decimal(high))
          #expect(value != nil && low != nil && high != nil, "\(what): \(String(describing: value))")
          if let value, let low, let high {
            #expect(low <= value && value <= high, "\(what): \(low) <= \(value) <= \(high)")
          }
        }
        between(shown(after: "id=\"project-cost\">"), before["total"], after["total"], "project cost")
        func stackAmount(_ costs: [String: Any]) -> Any? {
          (costs["stacks"] as? [[String: Any]])?.first { $0["stack_id"] as? String == "stack-web" }?["amount"]
        }
        between(
          shown(after: "id=\"rack-stack-web\""), stackAmount(before), stackAmount(after),
          "rack subtotal (servers, attached volume and stack fee)")
        func resourceAmount(_ costs: [String: Any], _ id: String) -> Any? {
          (costs["resources"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["amount"]
        }
        between(
          shown(after: "id=\"device-srv-web-1\""), resourceAmount(before, "srv-web-1"),
          resourceAmount(after, "srv-web-1"), "server web-1")
        try await client.execute(
          uri: "/dashboard/projects/\(F.alpha)/invoices", method: .get, headers: [.cookie: cookie]
        ) { response in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"invoice-\(Period.label(Date()))\""))
          #expect(page.contains("draft"))
          #expect(page.contains("SCS-2V-4"))
        }
        try await client.execute(uri: "/dashboard/prices", method: .get, headers: [.cookie: cookie]) { response in
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"price-list\""))
          #expect(page.contains("flavor SCS-2V-4"))
          #expect(page.contains("0.0400"))
        }
      }
    }
  }
}

import Billing
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The webhook is really POSTed (AsyncHTTPClient to a live local HTTP server): JSON body, content type.
@Suite struct WebhookBudgetNotifierTests {
  @Test func postsTheEventAsJSON() async throws {
    let received = Mutex<[(contentType: String?, body: Data)]>([])
    let router = Router()
    router.post("/hook") { request, _ -> HTTPResponse.Status in
      let body = try await request.body.collect(upTo: 65536)
      received.withLock { $0.append((request.headers[.contentType], Data(buffer: body))) }
      return .noContent
    }
    let brokenCalls = Mutex(0)
    router.post("/broken") { _, _ -> HTTPResponse.Status in
      brokenCalls.withLock { $0 += 1 }
      return .internalServerError
    }
    let refusedCalls = Mutex(0)
    router.post("/refused") { _, _ -> HTTPResponse.Status in
      refusedCalls.withLock { $0 += 1 }
      return .forbidden
    }
    // Down twice (a redeploy), then up: the third attempt delivers.
    let flakyCalls = Mutex(0)
    router.post("/flaky") { request, _ -> HTTPResponse.Status in
      let call = flakyCalls.withLock { calls -> Int in
        calls += 1
        return calls
      }
      guard call > 2 else { return .serviceUnavailable }
      let body = try await request.body.collect(upTo: 65536)
      received.withLock { $0.append((request.headers[.contentType], Data(buffer: body))) }
      return .ok
    }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
      let port = try #require(client.port)
      let event = BudgetEvent(
        projectID: "p1", period: "2026-12", threshold: 80, budget: Money("40.00", "EUR")!,
        spent: Money("32.10", "EUR")!, recordedAt: t("2026-12-02T10:00:00Z"))
      let notifier = WebhookBudgetNotifier(backoff: .milliseconds(10))
      func budget(_ path: String) throws -> Budget {
        try Budget(projectID: "p1", amount: Money("40.00", "EUR")!, webhookURL: "http://127.0.0.1:\(port)/\(path)")
      }
      await notifier.notify(event, budget: try budget("hook"))
      await notifier.notify(event, budget: try budget("flaky"))
      // A failing endpoint is logged after the last attempt, never thrown: the event is already recorded.
      await notifier.notify(event, budget: try budget("broken"))
      // A refusal (4xx) would be refused again: one call only.
      await notifier.notify(event, budget: try budget("refused"))
    }
    #expect(flakyCalls.withLock { $0 } == 3)
    #expect(brokenCalls.withLock { $0 } == 3)
    #expect(refusedCalls.withLock { $0 } == 1)
    let calls = received.withLock { $0 }
    try #require(calls.count == 2)
    #expect(calls[1].body == calls[0].body)
    #expect(calls[0].contentType == "application/json")
    let object = try JSONSerialization.jsonObject(with: calls[0].body) as? [String: Any]
    #expect(object?["project_id"] as? String == "p1" && object?["threshold_percent"] as? Int == 80)
    #expect(object?["spent"] as? String == "32.10" && object?["currency"] as? String == "EUR")
  }
}

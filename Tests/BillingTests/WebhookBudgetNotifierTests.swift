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
    router.post("/broken") { _, _ -> HTTPResponse.Status in .internalServerError }
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    try await app.test(.live) { client in
      let port = try #require(client.port)
      let event = BudgetEvent(
        projectID: "p1", period: "2026-12", threshold: 80, budget: Money("40.00", "EUR")!,
        spent: Money("32.10", "EUR")!, recordedAt: t("2026-12-02T10:00:00Z"))
      let notifier = WebhookBudgetNotifier()
      await notifier.notify(
        event,
        budget: try Budget(projectID: "p1", amount: Money("40.00", "EUR")!, webhookURL: "http://127.0.0.1:\(port)/hook")
      )
      // A failing endpoint is logged, never thrown: the event is already recorded.
      await notifier.notify(
        event,
        budget: try Budget(
          projectID: "p1", amount: Money("40.00", "EUR")!, webhookURL: "http://127.0.0.1:\(port)/broken"))
    }
    let calls = received.withLock { $0 }
    try #require(calls.count == 1)
    #expect(calls[0].contentType == "application/json")
    let object = try JSONSerialization.jsonObject(with: calls[0].body) as? [String: Any]
    #expect(object?["project_id"] as? String == "p1" && object?["threshold_percent"] as? Int == 80)
    #expect(object?["spent"] as? String == "32.10" && object?["currency"] as? String == "EUR")
  }
}

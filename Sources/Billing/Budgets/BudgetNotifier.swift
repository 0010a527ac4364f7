import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import StewardCore

/// Told about each budget threshold the first time it is crossed in a period.
public protocol BudgetNotifier: Sendable {
  func notify(_ event: BudgetEvent, budget: Budget) async
}

/// Logs every event (warning level) and POSTs it as JSON to the budget's webhook, if it has one. A webhook that
/// cannot be reached, answers 429 or 5xx is tried again (`attempts` in all, doubling `backoff`): a receiver
/// being redeployed should not miss the one call a threshold makes. A 4xx other than 429 is not retried (the
/// same request would be refused again). What still fails is logged, never thrown: the event is already
/// recorded, and `steward billing budget events` lists it for whoever missed the call.
public struct WebhookBudgetNotifier: BudgetNotifier {
  let client: HTTPClient
  let logger: Logger
  let timeout: TimeAmount
  let attempts: Int
  let backoff: Duration

  public init(
    client: HTTPClient = .shared, logger: Logger = Logger(label: "steward.billing"), timeout: TimeAmount = .seconds(10),
    attempts: Int = 3, backoff: Duration = .seconds(2)
  ) {
    self.client = client
    self.logger = logger
    self.timeout = timeout
    self.attempts = max(1, attempts)
    self.backoff = backoff
  }

  /// The JSON body: `{"event": "budget.threshold", "project_id": …, "period": …, "threshold_percent": 80,
  /// "budget": "40.00", "spent": "34.69", "currency": "EUR", "recorded_at": "…Z"}`.
  public static func payload(_ event: BudgetEvent) -> Data {
    let record: Record = [
      "event": "budget.threshold", "project_id": .string(event.projectID), "period": .string(event.period),
      "threshold_percent": .int(event.threshold), "budget": .string(event.budget.amount.description),
      "spent": .string(event.spent.amount.description), "currency": .string(event.spent.currency),
      "recorded_at": .string(Invoice.timestamp(event.recordedAt)),
    ]
    return Data(Renderer.json(.object(record)).utf8)
  }

  public func notify(_ event: BudgetEvent, budget: Budget) async {
    logger.warning(
      "budget threshold crossed",
      metadata: [
        "project": "\(event.projectID)", "period": "\(event.period)", "threshold": "\(event.threshold)%",
        "spent": "\(event.spent)", "budget": "\(event.budget)",
      ])
    guard let url = budget.webhookURL else { return }
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "User-Agent", value: "steward-billing")
    request.body = .bytes(ByteBuffer(data: Self.payload(event)))
    var delay = backoff
    for attempt in 1...attempts {
      let failure: String
      let retryable: Bool
      do {
        let response = try await client.execute(request, timeout: timeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        let code = Int(response.status.code)
        if (200..<300).contains(code) { return }
        failure = "answered \(code)"
        retryable = code == 429 || code >= 500
      } catch {
        failure = "failed: \(error)"
        retryable = true
      }
      guard retryable, attempt < attempts else {
        logger.error(
          "budget webhook \(failure)",
          metadata: ["url": "\(Self.redacted(url))", "attempts": "\(attempt)", "project": "\(event.projectID)"])
        return
      }
      logger.warning(
        "budget webhook \(failure), trying again", metadata: ["url": "\(Self.redacted(url))", "in": "\(delay)"])
      try? await Task.sleep(for: delay)
      delay *= 2
    }
  }

  /// The URL without user info or query (either may hold a secret).
  static func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url) else { return "(invalid URL)" }
    components.user = nil
    components.password = nil
    components.query = nil
    return components.string ?? "(invalid URL)"
  }
}

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
/// fails or answers non-2xx is logged, not retried: the event is already recorded, and `steward billing budget
/// events` lists it for whoever missed the call.
public struct WebhookBudgetNotifier: BudgetNotifier {
  let client: HTTPClient
  let logger: Logger
  let timeout: TimeAmount

  public init(
    client: HTTPClient = .shared, logger: Logger = Logger(label: "steward.billing"), timeout: TimeAmount = .seconds(10)
  ) {
    self.client = client
    self.logger = logger
    self.timeout = timeout
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
    do {
      let response = try await client.execute(request, timeout: timeout)
      _ = try? await response.body.collect(upTo: 64 * 1024)
      if !(200..<300).contains(response.status.code) {
        logger.error("budget webhook answered \(response.status.code)", metadata: ["url": "\(Self.redacted(url))"])
      }
    } catch {
      logger.error("budget webhook failed: \(error)", metadata: ["url": "\(Self.redacted(url))"])
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

import Foundation
import NIOHTTP1

/// When to send a request again. Only idempotent requests with replayable bodies are retried, and only
/// for failures that another attempt can cure: 5xx, 429, 409 (a locked Ironic node, a Glance image
/// busy with an import) and connections that broke or timed out.
public struct RetryPolicy: Sendable {
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration

  public init(maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(8)) {
    self.maxAttempts = max(1, maxAttempts)
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }

  public static let none = RetryPolicy(maxAttempts: 1)

  static func isIdempotent(_ method: HTTPMethod) -> Bool {
    switch method {
    case .GET, .HEAD, .PUT, .DELETE, .OPTIONS: return true
    default: return false
    }
  }

  func shouldRetry(status: Int) -> Bool {
    status >= 500 || status == 429 || status == 409
  }

  /// Exponential backoff with full jitter; honours a `Retry-After` in seconds when the service sent one.
  func delay(attempt: Int, retryAfter: String?) -> Duration {
    if let retryAfter, let seconds = Double(retryAfter), seconds >= 0 {
      return min(.milliseconds(Int64(seconds * 1000)), maxDelay)
    }
    let exponential = baseDelay * (1 << min(attempt - 1, 16))
    let capped = min(exponential, maxDelay)
    let millis = Int64(capped.components.seconds * 1000 + capped.components.attoseconds / 1_000_000_000_000_000)
    return .milliseconds(Int64.random(in: (millis / 2)...max(millis / 2, millis)))
  }
}

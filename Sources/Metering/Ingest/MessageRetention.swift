import Foundation
import Synchronization

/// How long the consumer keeps the ids of processed messages, so the table that deduplicates deliveries
/// does not grow with every notification the cloud ever sent.
///
/// Why forgetting is safe: RabbitMQ redelivers a message only while it is unacked (a consumer crash or
/// a lost connection), so a duplicate arrives minutes after the original, never days. And if one did
/// arrive after its id was pruned, the ledger and the view would still not change: every observation is
/// also recorded per resource with its source id (`metering_observations`, kept for as long as the ledger),
/// and the engine ignores a source it has already applied to a resource. Only the counters of unknown
/// event types and of applied messages could count such a message twice.
///
/// The ingestor prunes inside a batch's transaction at most once per `interval`.
public final class MessageRetention: Sendable {
  /// Ids applied longer ago than this are forgotten; nil keeps them forever.
  public let window: TimeInterval?
  public let interval: TimeInterval
  private let lastPrune = Mutex<Date?>(nil)

  /// Seven days by default: far beyond any redelivery, small enough that the table stays a few million rows
  /// on a busy cloud.
  public init(window: TimeInterval? = 7 * 86_400, every interval: TimeInterval = 600) {
    self.window = window
    self.interval = interval
  }

  public static let forever = MessageRetention(window: nil)

  /// The cutoff to prune before, when a prune is due at `now` (and notes that one ran).
  func due(now: Date) -> Date? {
    guard let window else { return nil }
    return lastPrune.withLock { last in
      if let last, now.timeIntervalSince(last) < interval, last <= now { return nil }
      last = now
      return now.addingTimeInterval(-window)
    }
  }
}

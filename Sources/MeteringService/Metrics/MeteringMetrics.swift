import Foundation
import Metering
import Prometheus
import StewardServer
import Synchronization

/// `/metrics` in Prometheus' text format. Store-derived figures (messages applied, dead letters, lag, live
/// resources and cost per project) are read at scrape time, so every replica reports the same numbers;
/// the consumer's own counters (batches, outcomes) count what this process applied.
public final class MeteringMetrics: Sendable {
  public let registry = PrometheusCollectorRegistry()
  let applied: Gauge
  let deadLetters: Gauge
  let lag: Gauge
  let lastApplied: Gauge
  let openIntervals: Gauge
  let corrections: Gauge
  let projects: Gauge
  let consumed: [String: Counter]
  let batches: Counter
  /// Per-project series created so far, so a project that disappears loses its series.
  private let series = Mutex<(resources: Set<[String]>, costs: Set<[String]>)>(([], []))

  public init() {
    applied = registry.makeGauge(
      name: "steward_metering_events_applied", help: "Notifications applied to the ledger (all replicas).")
    deadLetters = registry.makeGauge(
      name: "steward_metering_dead_letters", help: "Messages kept as dead letters (could not be parsed or applied).")
    lag = registry.makeGauge(
      name: "steward_metering_consumer_lag_seconds",
      help:
        "Seconds between now and the timestamp of the newest event applied (grows on a quiet cloud too; read it with steward_metering_queue_messages)."
    )
    lastApplied = registry.makeGauge(
      name: "steward_metering_last_applied_timestamp_seconds", help: "When the last message was applied (Unix time).")
    openIntervals = registry.makeGauge(
      name: "steward_metering_open_intervals", help: "Usage intervals still open (resources being billed now).")
    corrections = registry.makeGauge(
      name: "steward_metering_ledger_corrections", help: "Ledger corrections made by late events.")
    projects = registry.makeGauge(name: "steward_metering_projects", help: "Projects with metered resources.")
    var consumed: [String: Counter] = [:]
    for outcome in ["applied", "duplicate", "unknown", "dead_letter"] {
      consumed[outcome] = registry.makeCounter(
        name: "steward_metering_consumer_messages_total", labels: [("outcome", outcome)],
        help: "Messages this process's consumer handled, by outcome.")
    }
    self.consumed = consumed
    batches = registry.makeCounter(
      name: "steward_metering_consumer_batches_total", help: "Batches this process's consumer committed.")
  }

  /// The broker's count of messages waiting in Steward's queue, from this process's consumer (`--consume`);
  /// the series exists only in a process that consumes.
  public func recordQueueMessages(_ count: UInt32) {
    registry.makeGauge(
      name: "steward_metering_queue_messages",
      help: "Messages waiting in Steward's queue, not yet delivered to the consumer (the broker's count, every 15 s)."
    ).set(to: Double(count))
  }

  /// The consumer loop's `onBatch`.
  public func record(_ summary: NotificationIngestor.Summary) {
    batches.increment()
    consumed["applied"]?.increment(by: Int64(summary.applied))
    consumed["duplicate"]?.increment(by: Int64(summary.duplicates))
    consumed["unknown"]?.increment(by: Int64(summary.unknown))
    consumed["dead_letter"]?.increment(by: Int64(summary.deadLettered))
  }

  /// Refreshes the store-derived gauges and renders the exposition.
  public func scrape(store: any MeteringStore, summaries: [ProjectSummary], now: Date = Date()) async throws -> String {
    let stats = try await store.read { try await $0.stats() }
    applied.set(to: Double(stats.messagesApplied))
    deadLetters.set(to: Double(stats.deadLetters))
    lag.set(to: stats.lastEventTime.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    lastApplied.set(to: stats.lastAppliedAt?.timeIntervalSince1970 ?? 0)
    openIntervals.set(to: Double(stats.openIntervals))
    corrections.set(to: Double(stats.corrections))
    projects.set(to: Double(summaries.count))
    var resourceLabels: Set<[String]> = []
    var costLabels: Set<[String]> = []
    for summary in summaries {
      for kind in ResourceReference.Kind.allCases where kind != .project && kind != .user {
        let labels = [summary.id, kind.rawValue]
        resourceLabels.insert(labels)
        resourceGauge(summary.id, kind.rawValue).set(to: Double(summary.live[kind] ?? 0))
      }
      if let cost = summary.cost {
        let labels = [summary.id, cost.currency]
        costLabels.insert(labels)
        costGauge(summary.id, cost.currency).set(to: cost.approximate)
      }
    }
    let (staleResources, staleCosts) = series.withLock { current in
      let stale = (current.resources.subtracting(resourceLabels), current.costs.subtracting(costLabels))
      current = (resourceLabels, costLabels)
      return stale
    }
    for labels in staleResources { registry.unregisterGauge(resourceGauge(labels[0], labels[1])) }
    for labels in staleCosts { registry.unregisterGauge(costGauge(labels[0], labels[1])) }
    return registry.emitToString()
  }

  // The registry insists on one help text per family, so each family is made in one place.
  func resourceGauge(_ project: String, _ kind: String) -> Gauge {
    registry.makeGauge(
      name: "steward_metering_resources", labels: [("project", project), ("kind", kind)],
      help: "Live resources per project and kind.")
  }

  func costGauge(_ project: String, _ currency: String) -> Gauge {
    registry.makeGauge(
      name: "steward_billing_cost_this_period", labels: [("project", project), ("currency", currency)],
      help: "Cost of the running billing period so far, per project.")
  }
}

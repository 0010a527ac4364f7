import Foundation
import Metering
import StewardServer

/// One project (team) as the API and the dashboard list it.
public struct ProjectSummary: Sendable, Hashable {
  public var id: String
  public var name: String?
  /// Live resources per kind (servers, volumes, stacks, floating IPs…).
  public var live: [ResourceReference.Kind: Int]
  public var cost: CostFigure?
  public var billing: BillingState?

  public var liveTotal: Int { live.values.reduce(0, +) }
}

/// The read side of the service: projects, resources and usage from the metering view and ledger, with the
/// policy applied (a project-scoped caller sees its project only) and the money figures of a `CostSource`.
public struct MeteringQueries: Sendable {
  public let store: any MeteringStore
  public let policy: Policy
  public let names: any ProjectNameSource
  public let costs: (any CostSource)?
  let overviewCache: OverviewCache

  public init(
    store: any MeteringStore, policy: Policy, names: any ProjectNameSource, costs: (any CostSource)?,
    overviewTTL: TimeInterval = 15
  ) {
    self.store = store
    self.policy = policy
    self.names = names
    self.costs = costs
    self.overviewCache = OverviewCache(ttl: overviewTTL)
  }

  /// The projects the caller may see, with live resource counts, this period's cost and billing state.
  /// For an admin that is every project in the view; the answer is cached for a few seconds, since the
  /// overview is the page everyone opens and rating every project on each load would not scale.
  public func projects(caller: Caller, now: Date = Date()) async throws -> [ProjectSummary] {
    let all = try await overviewCache.value(now: now) { try await self.computeSummaries(now: now) }
    if policy.permits("metering:project:list_all", caller) { return all }
    guard let own = caller.projectID else { return [] }
    if let summary = all.first(where: { $0.id == own }) { return [summary] }
    return [ProjectSummary(id: own, name: caller.projectName, live: [:], cost: nil, billing: nil)]
  }

  public func project(_ id: String, caller: Caller, now: Date = Date()) async throws -> ProjectSummary {
    try policy.enforce("metering:project:get", caller, project: id)
    let all = try await overviewCache.value(now: now) { try await self.computeSummaries(now: now) }
    if let summary = all.first(where: { $0.id == id }) { return summary }
    let name = await names.names()[id] ?? (caller.projectID == id ? caller.projectName : nil)
    return ProjectSummary(id: id, name: name, live: [:], cost: nil, billing: nil)
  }

  func computeSummaries(now: Date) async throws -> [ProjectSummary] {
    let entries = try await store.read { reader in
      try await reader.viewEntries(kind: nil, projectID: nil, includeDeleted: false)
    }
    var live: [String: [ResourceReference.Kind: Int]] = [:]
    for entry in entries {
      switch entry.key.kind {
      case .project: live[entry.key.id, default: [:]] = live[entry.key.id] ?? [:]
      case .user: continue
      default:
        guard let project = entry.snapshot?.projectID, !project.isEmpty else { continue }
        live[project, default: [:]][entry.key.kind, default: 0] += 1
      }
    }
    let period = Period.month(containing: now)
    var costs: [String: CostFigure] = [:]
    var states: [String: BillingState] = [:]
    if let source = self.costs {
      costs = try await source.projectCosts(from: period.start, to: period.end, now: now)
      states = try await source.billingStates(now: now)
      for id in costs.keys where live[id] == nil { live[id] = [:] }
      for id in states.keys where live[id] == nil { live[id] = [:] }
    }
    let names = await self.names.names()
    return live.keys.sorted { (names[$0] ?? $0, $0) < (names[$1] ?? $1, $1) }.map { id in
      ProjectSummary(id: id, name: names[id], live: live[id] ?? [:], cost: costs[id], billing: states[id])
    }
  }

  /// The project's resources from the view (live ones, or also deleted ones).
  public func resources(project: String, caller: Caller, includeDeleted: Bool = false) async throws -> [ViewEntry] {
    try policy.enforce("metering:project:get", caller, project: project)
    return try await store.read { reader in
      try await reader.viewEntries(kind: nil, projectID: project, includeDeleted: includeDeleted)
    }.filter { $0.key.kind != .project && $0.key.kind != .user }
  }

  /// One resource; 404 when unknown or when it belongs to a project the caller may not see.
  public func resource(_ key: ResourceKey, caller: Caller) async throws -> ViewEntry {
    let entry = try await store.read { try await $0.viewEntry(key) }
    guard let entry, let project = entry.snapshot?.projectID,
      policy.permits("metering:project:get", caller, project: project)
    else { throw APIError.notFound("no \(key.kind.rawValue) \(key.id) in the projects this caller may see") }
    return entry
  }

  public func usage(project: String, from: Date, to: Date, caller: Caller, now: Date = Date()) async throws
    -> UsageReport
  {
    try policy.enforce("metering:usage:get", caller, project: project)
    return try await store.usage(projectID: project, from: from, to: to, now: now)
  }

  /// Drops the cached overview (after an action or a team creation changed what it shows).
  public func invalidate() async { await overviewCache.clear() }

  /// Marks the cached overview stale: the next request still answers from it while it is recomputed (after the
  /// consumer applied notifications, which on a busy cloud happens every moment).
  public func refreshSoon() async { await overviewCache.markStale() }
}

/// The overview of all projects.
typealias OverviewCache = RefreshingCache<[ProjectSummary]>

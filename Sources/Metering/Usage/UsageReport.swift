import Foundation

/// A project's usage over [from, to) from the effective ledger: per resource, per (state, spec) line, in
/// hours, and totals. What Nova's `os-simple-tenant-usage` calls `total_hours` is `instanceHours`.
public struct UsageReport: Sendable, Hashable {
  public var projectID: String
  public var from: Date
  public var to: Date
  /// Open intervals are counted up to this time (the earlier of `to` and "now").
  public var countedUntil: Date
  public var resources: [ResourceUsage]
  public var totals: Totals

  public struct ResourceUsage: Sendable, Hashable {
    public var key: ResourceKey
    public var lines: [Line]
    /// Billable hours (lines in excluded states do not count).
    public var hours: Double
  }

  public struct Line: Sendable, Hashable {
    public var state: String
    public var spec: ResourceSpec
    public var hours: Double
    /// False for states the policy excludes (a server still building, a volume in error…).
    public var billable: Bool
  }

  public struct Totals: Sendable, Hashable {
    /// Server hours in billable states (Nova: launched_at to terminated_at, whatever the state).
    public var instanceHours = 0.0
    public var vcpuHours = 0.0
    public var memoryMBHours = 0.0
    public var diskGBHours = 0.0
    /// Server hours per flavor name.
    public var flavorHours: [String: Double] = [:]
    /// Server hours per state (billable or not), for policies that rate states differently.
    public var serverStateHours: [String: Double] = [:]
    public var volumeGBHours = 0.0
    /// Image bytes stored in billable states, as GiB (2^30 bytes) times hours.
    public var imageGiBHours = 0.0
    public var floatingIPHours = 0.0
  }
}

/// Which ledger states count. The default matches Nova's usage report (every state from launch to
/// termination), so the two can be compared; an operator who does not bill shelved servers adds
/// `shelved_offloaded` to `excludedServerStates`.
public struct UsagePolicy: Sendable, Hashable {
  /// Server states never billed.
  public var excludedServerStates: Set<String>
  /// Server states billed only once the server has been launched (been in a billable state), the way Nova
  /// counts from `launched_at` whatever follows. Nova stores `launched_at` truncated to the second and the
  /// ledger opens the first active interval there, so `compute.instance.update` notifications still saying
  /// "building", stamped a fraction of a second later, would otherwise cut a sliver out of every launch.
  public var unlaunchedServerStates: Set<String>
  public var excludedVolumeStates: Set<String>
  /// Glance statuses in which an image stores no data (yet, or any more): only `active` and `deactivated`
  /// images hold bytes.
  public var excludedImageStates: Set<String>

  public static let imageStatesWithoutData: Set<String> = [
    "queued", "saving", "uploading", "importing", "killed", "deleted", "pending_delete",
  ]

  public init(
    excludedServerStates: Set<String> = [], unlaunchedServerStates: Set<String> = ["building"],
    excludedVolumeStates: Set<String> = ["creating", "error", "deleting"],
    excludedImageStates: Set<String> = UsagePolicy.imageStatesWithoutData
  ) {
    self.excludedServerStates = excludedServerStates
    self.unlaunchedServerStates = unlaunchedServerStates
    self.excludedVolumeStates = excludedVolumeStates
    self.excludedImageStates = excludedImageStates
  }

  func isBillable(server row: UsageInterval, launchedAt: Date?) -> Bool {
    if excludedServerStates.contains(row.state) { return false }
    guard unlaunchedServerStates.contains(row.state) else { return true }
    return launchedAt.map { row.start >= $0 } ?? false
  }
}

extension UsageReport {
  /// Computes the report from effective ledger rows (`MeteringReader.intervals(projectID:…)`); rows of
  /// other projects are ignored.
  public static func compute(
    projectID: String, from: Date, to: Date, intervals: [UsageInterval], now: Date, policy: UsagePolicy = UsagePolicy()
  ) -> UsageReport {
    let until = min(to, max(now, from))
    var launched: [ResourceKey: Date] = [:]
    for row in intervals where row.projectID == projectID && row.key.kind == .server {
      let state = row.state
      guard !policy.excludedServerStates.contains(state), !policy.unlaunchedServerStates.contains(state) else {
        continue
      }
      launched[row.key] = min(launched[row.key] ?? row.start, row.start)
    }
    var totals = Totals()
    var byResource: [ResourceKey: [Line]] = [:]
    for row in intervals where row.projectID == projectID {
      let hours = row.seconds(from: from, to: until) / 3600
      guard hours > 0 else { continue }
      let billable: Bool
      switch row.key.kind {
      case .server:
        billable = policy.isBillable(server: row, launchedAt: launched[row.key])
        totals.serverStateHours[row.state, default: 0] += hours
        if billable {
          totals.instanceHours += hours
          totals.vcpuHours += hours * Double(row.spec.vcpus ?? 0)
          totals.memoryMBHours += hours * Double(row.spec.memoryMB ?? 0)
          totals.diskGBHours += hours * Double(row.spec.diskGB ?? 0)
          totals.flavorHours[row.spec.flavor ?? "unknown", default: 0] += hours
        }
      case .volume:
        billable = !policy.excludedVolumeStates.contains(row.state)
        if billable { totals.volumeGBHours += hours * Double(row.spec.diskGB ?? 0) }
      case .image:
        billable = !policy.excludedImageStates.contains(row.state) && (row.spec.sizeBytes ?? 0) > 0
        if billable { totals.imageGiBHours += hours * Double(row.spec.sizeBytes ?? 0) / 1_073_741_824 }
      case .floatingIP:
        billable = true
        totals.floatingIPHours += hours
      default:
        billable = false
      }
      var lines = byResource[row.key, default: []]
      if let i = lines.firstIndex(where: { $0.state == row.state && $0.spec == row.spec }) {
        lines[i].hours += hours
      } else {
        lines.append(Line(state: row.state, spec: row.spec, hours: hours, billable: billable))
      }
      byResource[row.key] = lines
    }
    let resources = byResource.keys.sorted().map { key in
      let lines = byResource[key]!
      return ResourceUsage(key: key, lines: lines, hours: lines.filter(\.billable).reduce(0) { $0 + $1.hours })
    }
    return UsageReport(
      projectID: projectID, from: from, to: to, countedUntil: until, resources: resources, totals: totals)
  }
}

extension MeteringStore {
  /// The usage report of one project over [from, to), read in one snapshot.
  public func usage(
    projectID: String, from: Date, to: Date, now: Date = Date(), policy: UsagePolicy = UsagePolicy()
  ) async throws -> UsageReport {
    let rows = try await read { try await $0.intervals(projectID: projectID, kind: nil, from: from, to: to) }
    return UsageReport.compute(projectID: projectID, from: from, to: to, intervals: rows, now: now, policy: policy)
  }
}

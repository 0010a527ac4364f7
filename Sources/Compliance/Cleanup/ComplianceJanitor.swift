import Foundation
import OpenStack
import StewardCore

/// Finds what compliance checks left behind (anything named with the test prefix, `scs-test-` by
/// default, in the member's project; with an admin session also the scs-0302 test domains) and removes
/// it in dependency order: servers, backups, volumes, router interfaces and routers, networks, security
/// groups, secrets, domains. Plan first, then apply, like every manager.
public struct ComplianceJanitor: Reconciler {
  public let session: Session
  public let adminSession: Session?
  public let prefix: String
  public let waiter: Waiter

  public init(
    session: Session, adminSession: Session? = nil, prefix: String = CheckContext.resourcePrefix,
    waiter: Waiter = Waiter()
  ) {
    self.session = session
    self.adminSession = adminSession
    self.prefix = prefix
    self.waiter = waiter
  }

  /// A leftover: its kind (deletion order), id and name.
  public struct Leftover: Sendable, Equatable {
    public var kind: Kind
    public var id: String
    public var name: String

    public init(kind: Kind, id: String, name: String) {
      self.kind = kind
      self.id = id
      self.name = name
    }

    public enum Kind: String, Sendable, CaseIterable, Comparable {
      case server, backup, volume, router, network
      case securityGroup = "security_group"
      case secret, domain

      var order: Int { Self.allCases.firstIndex(of: self)! }
      public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.order < rhs.order }
    }
  }

  /// Pure: leftovers whose name starts with `prefix`, in dependency order, each with its plan change.
  public static func doomed(_ observed: [Leftover], prefix: String) -> [(leftover: Leftover, change: Change)] {
    observed.filter { $0.name.hasPrefix(prefix) }
      .sorted { ($0.kind, $0.name, $0.id) < ($1.kind, $1.name, $1.id) }
      .map { leftover in
        (
          leftover,
          Change(
            .delete, kind: leftover.kind.rawValue, target: "\(leftover.name) (\(leftover.id))",
            reason: "left by a compliance check")
        )
      }
  }

  public static func plan(_ observed: [Leftover], prefix: String) -> Plan {
    Plan(doomed(observed, prefix: prefix).map(\.change))
  }

  public func observe() async throws -> [Leftover] {
    var found: [Leftover] = []
    let catalog = try await session.currentToken().catalog
    let types = Set(catalog.services.map(\.type))
    let compute = try await session.compute()
    found += try await compute.servers.list().collect().map { Leftover(kind: .server, id: $0.id, name: $0.name) }
    if !types.isDisjoint(with: ["block-storage", "volumev3", "volume"]) {
      let storage = try await session.blockStorage()
      found += try await storage.backups.list().collect().map {
        Leftover(kind: .backup, id: $0.id, name: $0.name ?? "")
      }
      found += try await storage.volumes.list().collect().map {
        Leftover(kind: .volume, id: $0.id, name: $0.name ?? "")
      }
    }
    let network = try await session.network()
    let project = try await session.currentToken().project?.id
    found += try await network.routers.list().collect().filter { project == nil || $0.projectID == project }
      .map { Leftover(kind: .router, id: $0.id, name: $0.name) }
    found += try await network.networks.list().collect().filter { project == nil || $0.projectID == project }
      .map { Leftover(kind: .network, id: $0.id, name: $0.name) }
    found += try await network.securityGroups.list().collect().filter { project == nil || $0.projectID == project }
      .map { Leftover(kind: .securityGroup, id: $0.id, name: $0.name) }
    if types.contains("key-manager") {
      found += try await session.keyManager().secrets().map { Leftover(kind: .secret, id: $0.id, name: $0.name ?? "") }
    }
    if let adminSession {
      found += try await adminSession.identity().domains.list().map {
        Leftover(kind: .domain, id: $0.id, name: $0.name)
      }
    }
    return found
  }

  public func plan() async throws -> Plan {
    Self.plan(try await observe(), prefix: prefix)
  }

  /// Deletes every planned leftover that is still there (the cloud is observed again, so a plan printed
  /// earlier is re-checked); a failure is reported and the rest still attempted.
  public func apply(_ plan: Plan) async throws -> ApplyReport {
    let wanted = Set(plan.actionable.map(\.id))
    var outcomes: [ApplyReport.Outcome] = []
    for (leftover, change) in Self.doomed(try await observe(), prefix: prefix) where wanted.contains(change.id) {
      do {
        try await delete(leftover)
        outcomes.append(.init(change: change))
      } catch {
        outcomes.append(.init(change: change, error: String(describing: error)))
      }
    }
    return ApplyReport(outcomes)
  }

  func delete(_ leftover: Leftover) async throws {
    switch leftover.kind {
    case .server:
      let servers = try await session.compute().servers
      do { try await servers.delete(leftover.id) } catch let error as OpenStackError where error.isNotFound { return }
      try await servers.waitForDeletion(leftover.id, waiter: waiter)
    case .backup:
      let storage = try await session.blockStorage()
      try await storage.backups.deleteIfPresent(leftover.id)
      try await waiter.wait(for: "deletion of backup \(leftover.id)", done: ["gone"]) {
        try await storage.backups.find(leftover.id) == nil ? "gone" : "present"
      }
    case .volume:
      let storage = try await session.blockStorage()
      try await storage.volumes.deleteIfPresent(leftover.id)
    case .router:
      let network = try await session.network()
      let ports = try await network.ports.list([URLQueryItem(name: "device_id", value: leftover.id)]).collect()
      for port in ports where port.deviceOwner?.hasPrefix("network:router_interface") == true {
        for subnet in port.fixedIPs?.compactMap(\.subnetID) ?? [] {
          try? await network.removeInterface(router: leftover.id, subnet: subnet)
        }
      }
      try await network.routers.deleteIfPresent(leftover.id)
    case .network:
      try await session.network().networks.deleteIfPresent(leftover.id)
    case .securityGroup:
      try await session.network().securityGroups.deleteIfPresent(leftover.id)
    case .secret:
      try await session.keyManager().deleteSecret(leftover.id)
    case .domain:
      guard let adminSession else { return }
      let domains = try await adminSession.identity().domains
      try await domains.delete(leftover.id)
    }
  }
}

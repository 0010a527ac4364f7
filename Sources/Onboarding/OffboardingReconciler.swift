import Foundation
import OpenStack
import StewardCore

/// Removes what onboarding made, in reverse order: router interface, router, subnet, network, the
/// project's security groups, user, project, and the domain when nothing else lives in it. Refuses while
/// the project still has servers, so no tenant workload is deleted by accident.
public struct OffboardingReconciler: Reconciler {
  public let session: Session
  public let spec: TenantSpec

  public init(session: Session, spec: TenantSpec) {
    self.session = session
    self.spec = spec
  }

  enum Step: Sendable, Equatable {
    case removeInterface(router: String, subnet: String)
    case deleteRouter(String)
    case deleteSubnet(String)
    case deleteNetwork(String)
    case deleteSecurityGroup(String)
    case deleteUser(String)
    case deleteProject(String)
    case deleteDomain(String)
    case keepDomain(String)
  }

  func steps() async throws -> [(step: Step, change: Change)] {
    let identity = try await session.identity()
    guard let domain = try await identity.domains.list(name: spec.domain).first else { return [] }
    // One listing per kind, the tenant's own found in it by name: the domain's fate is decided from the same
    // answer. (Keystone's `?name=` user filter once answered empty for a user its unfiltered listing held, under
    // the full test suite's load: the offboard then kept user and domain.)
    let projects = try await identity.projects.list(domainID: domain.id)
    let users = try await identity.users.list(domainID: domain.id)
    let project = projects.first { $0.name == spec.project }
    let user = users.first { $0.name == spec.user }
    var steps: [(step: Step, change: Change)] = []
    func add(_ step: Step, _ kind: String, _ target: String) {
      steps.append((step: step, change: Change(.delete, kind: kind, target: target, reason: "offboarding")))
    }
    if let project {
      let servers = try await session.compute().servers.list(projectID: project.id).collect()
      if !servers.isEmpty {
        throw OnboardingError.offboardingBlocked(
          "project \(spec.project) still has \(servers.count) servers (\(servers.prefix(5).map(\.name).joined(separator: ", "))); delete them first"
        )
      }
      let network = try await session.network()
      let byProject = [URLQueryItem(name: "project_id", value: project.id)]
      let routers = try await network.routers.list(byProject).collect()
      let subnets = try await network.subnets.list(byProject).collect()
      for router in routers {
        let ports = try await network.ports.list([URLQueryItem(name: "device_id", value: router.id)]).collect()
        for port in ports where port.deviceOwner?.hasPrefix("network:router_interface") == true {
          for ip in port.fixedIPs ?? [] {
            if let subnet = ip.subnetID {
              add(
                .removeInterface(router: router.id, subnet: subnet), "router_interface", "\(router.name) -> \(subnet)")
            }
          }
        }
        add(.deleteRouter(router.id), "router", router.name)
      }
      for subnet in subnets { add(.deleteSubnet(subnet.id), "subnet", subnet.name) }
      for net in try await network.networks.list(byProject).collect() {
        add(.deleteNetwork(net.id), "network", net.name)
      }
      for group in try await network.securityGroups.list(byProject).collect() {
        add(.deleteSecurityGroup(group.id), "security_group", group.name)
      }
    }
    if let user { add(.deleteUser(user.id), "user", "\(spec.domain)/\(spec.user)") }
    if let project { add(.deleteProject(project.id), "project", "\(spec.domain)/\(spec.project)") }
    let otherProjects = projects.filter { $0.id != project?.id }
    let otherUsers = users.filter { $0.id != user?.id }
    if otherProjects.isEmpty && otherUsers.isEmpty {
      add(.deleteDomain(domain.id), "domain", spec.domain)
    } else {
      // Listed, so the plan says why the domain stays (and a later run deletes it once it is empty).
      steps.append(
        (
          step: .keepDomain(domain.id),
          change: Change(
            .keep, kind: "domain", target: spec.domain,
            reason: Self.keepReason(projects: otherProjects.map(\.name), users: otherUsers.map(\.name))
          )
        ))
    }
    return steps
  }

  /// Names what else lives in the domain (at most five of each), so an operator can see what to move first.
  static func keepReason(projects: [String], users: [String]) -> String {
    func named(_ names: [String], _ noun: String) -> String? {
      guard !names.isEmpty else { return nil }
      let shown = names.sorted().prefix(5).joined(separator: ", ")
      return "\(names.count) other \(noun)\(names.count == 1 ? "" : "s") (\(shown)\(names.count > 5 ? ", ..." : ""))"
    }
    let parts = [named(projects, "project"), named(users, "user")].compactMap { $0 }
    return "kept: it still holds " + parts.joined(separator: " and ")
  }

  public func plan() async throws -> Plan {
    Plan(try await steps().map(\.change))
  }

  public func apply(_ plan: Plan) async throws -> ApplyReport {
    await ApplyReport.inOrder(try await steps(), approved: plan) { try await perform($0) }
  }

  private func perform(_ step: Step) async throws {
    switch step {
    case .removeInterface(let router, let subnet):
      try await session.network().removeInterface(router: router, subnet: subnet)
    case .deleteRouter(let id): try await session.network().routers.deleteIfPresent(id)
    case .deleteSubnet(let id): try await session.network().subnets.deleteIfPresent(id)
    case .deleteNetwork(let id): try await session.network().networks.deleteIfPresent(id)
    case .deleteSecurityGroup(let id): try await session.network().securityGroups.deleteIfPresent(id)
    case .deleteUser(let id): try await session.identity().users.delete(id)
    case .deleteProject(let id): try await session.identity().projects.delete(id)
    case .deleteDomain(let id): try await session.identity().domains.delete(id)
    case .keepDomain: break
    }
  }
}

import Foundation
import OpenStack

/// Ironic nodes through the OpenStack client with the service's credentials (which must be allowed to change
/// `lessee` on the offered nodes: system scope, or the owner project's admin). Mirrors esi-leap: the lessee
/// field grants the use, `properties.lease_uuid` records which lease did it.
public actor IronicNodeBackend: ResourceBackend {
  public nonisolated let resourceType = "ironic_node"
  let session: Session
  let powerOffOnRelease: Bool
  let listTTL: TimeInterval
  private var cached: (nodes: [LeasableResource], at: Date)?

  public init(session: Session, powerOffOnRelease: Bool = false, listTTL: TimeInterval = 10) {
    self.session = session
    self.powerOffOnRelease = powerOffOnRelease
    self.listTTL = listTTL
  }

  static func resource(_ node: Node) -> LeasableResource {
    var leaseUUID: String?
    if case .string(let value)? = node.properties?["lease_uuid"] { leaseUUID = value }
    return LeasableResource(
      type: "ironic_node", uuid: node.uuid, name: node.name, ownerProjectID: node.owner, lesseeProjectID: node.lessee,
      leaseUUID: leaseUUID, resourceClass: node.resourceClass, provisionState: node.provisionState,
      maintenance: node.maintenance)
  }

  public func resolve(_ ident: String) async throws -> LeasableResource {
    let nodes = try await session.baremetal().nodes
    do {
      guard let node = try await nodes.find(ident) else {
        throw LeasingError.invalid("ironic_node \(ident) not found in Ironic.")
      }
      return Self.resource(node)
    } catch let error as OpenStackError where error.isNotFound {
      throw LeasingError.invalid("ironic_node \(ident) not found in Ironic.")
    } catch let error as OpenStackError {
      throw LeasingError(.unavailable, "Ironic could not be asked about node \(ident): \(error.message)")
    }
  }

  public func list() async throws -> [LeasableResource] {
    if let cached, Date().timeIntervalSince(cached.at) < listTTL { return cached.nodes }
    var result: [LeasableResource] = []
    do {
      for try await page in try await session.baremetal().nodes.list(pageSize: 1000) {
        result += page.map(Self.resource)
      }
    } catch let error as OpenStackError {
      throw LeasingError(.unavailable, "Ironic could not list nodes: \(error.message)")
    }
    cached = (result, Date())
    return result
  }

  public func setLease(_ resourceUUID: String, leaseUUID: String, lessee: String) async throws {
    cached = nil
    _ = try await session.baremetal().nodes.update(
      resourceUUID, [.add("/properties/lease_uuid", .string(leaseUUID)), .add("/lessee", .string(lessee))])
  }

  public func removeLease(_ resourceUUID: String, leaseUUID: String) async throws {
    cached = nil
    let nodes = try await session.baremetal().nodes
    let node: Node
    do {
      node = try await nodes.get(resourceUUID)
    } catch let error as OpenStackError where error.isNotFound {
      return  // The node is gone: nothing holds it any more.
    }
    let current = Self.resource(node)
    guard current.leaseUUID == leaseUUID else { return }
    var operations: [JSONPatchOperation] = [.remove("/properties/lease_uuid")]
    if current.lesseeProjectID != nil { operations.append(.remove("/lessee")) }
    _ = try await nodes.update(resourceUUID, operations)
    if powerOffOnRelease, node.powerState == "power on" {
      try await nodes.setPower(resourceUUID, .off)
    }
  }
}

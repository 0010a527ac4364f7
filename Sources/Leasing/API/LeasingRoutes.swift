import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat
import OpenStack
import StewardServer
import Storage

/// esi-leap's v1 API on Hummingbird: `/v1/offers`, `/v1/offers/{id}/claim`, `/v1/leases`, `/v1/nodes`, and the
/// version documents python-esileapclient reads at `/` and `/v1`.
public struct LeasingRoutes: Sendable {
  public let service: LeasingService

  public init(service: LeasingService) { self.service = service }

  public static let publicPaths: Set<String> = ["/", "/v1", "/v1/"]

  public func register(on router: Hummingbird.Router<StewardRequestContext>) {
    router.get("/") { _, _ in Self.json(.ok, Self.versions) }
    router.get("/v1") { _, _ in Self.json(.ok, Self.version) }

    router.get("/v1/offers") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let query = try OfferQuery(parameters: Self.parameters(request))
        var offers = try await service.offers(query, caller: caller)
        let nodes = await self.nodeIndex(for: offers.map { ($0.resourceType, $0.resourceUUID) })
        if let resourceClass = query.resourceClass {
          offers = offers.filter { nodes[$0.resourceUUID]?.resourceClass == resourceClass }
        }
        let availabilities = try await service.availabilities(offers)
        let names = await service.projects.names(including: offers.flatMap(\.projectIDs))
        return Self.json(.ok, ["offers": offers.map { self.render($0, nodes, names, availabilities[$0.uuid]) }])
      }
    }
    router.post("/v1/offers") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let input = try OfferInput(json: try await JSONResponse.object(from: request, context: context))
        let offer = try await service.createOffer(input, caller: caller)
        let availabilities = try await service.availabilities([offer])
        let nodes = await nodeIndex(for: [(offer.resourceType, offer.resourceUUID)])
        let names = await service.projects.names(including: offer.projectIDs)
        return Self.json(.created, render(offer, nodes, names, availabilities[offer.uuid]))
      }
    }
    router.get("/v1/offers/:id") { _, context in
      try await handle {
        let offer = try await service.offer(try context.parameters.require("id"), caller: try context.requireCaller())
        let availabilities = try await service.availabilities([offer])
        let nodes = await nodeIndex(for: [(offer.resourceType, offer.resourceUUID)])
        let names = await service.projects.names(including: offer.projectIDs)
        return Self.json(.ok, render(offer, nodes, names, availabilities[offer.uuid]))
      }
    }
    router.delete("/v1/offers/:id") { _, context in
      try await handle {
        try await service.deleteOffer(try context.parameters.require("id"), caller: try context.requireCaller())
        return JSONResponse.empty(.ok)
      }
    }
    router.post("/v1/offers/:id/claim") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let input = try ClaimInput(json: try await Self.optionalObject(request, context))
        let lease = try await service.claim(try context.parameters.require("id"), input, caller: caller)
        return Self.json(
          .created,
          render(
            lease, await nodeIndex(for: [(lease.resourceType, lease.resourceUUID)]),
            await service.projects.names(including: lease.projectIDs)))
      }
    }

    router.get("/v1/leases") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let query = try LeaseQuery(parameters: Self.parameters(request))
        var leases = try await service.leases(query, caller: caller)
        let nodes = await self.nodeIndex(for: leases.map { ($0.resourceType, $0.resourceUUID) })
        if let resourceClass = query.resourceClass {
          leases = leases.filter { nodes[$0.resourceUUID]?.resourceClass == resourceClass }
        }
        let names = await service.projects.names(including: leases.flatMap(\.projectIDs))
        return Self.json(.ok, ["leases": leases.map { self.render($0, nodes, names) }])
      }
    }
    router.post("/v1/leases") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let input = try LeaseInput(json: try await JSONResponse.object(from: request, context: context))
        let lease = try await service.createLease(input, caller: caller)
        return Self.json(
          .created,
          render(
            lease, await nodeIndex(for: [(lease.resourceType, lease.resourceUUID)]),
            await service.projects.names(including: lease.projectIDs)))
      }
    }
    router.get("/v1/leases/:id") { _, context in
      try await handle {
        let lease = try await service.lease(try context.parameters.require("id"), caller: try context.requireCaller())
        return Self.json(
          .ok,
          render(
            lease, await nodeIndex(for: [(lease.resourceType, lease.resourceUUID)]),
            await service.projects.names(including: lease.projectIDs)))
      }
    }
    router.delete("/v1/leases/:id") { _, context in
      try await handle {
        try await service.deleteLease(try context.parameters.require("id"), caller: try context.requireCaller())
        return JSONResponse.empty(.ok)
      }
    }

    router.get("/v1/nodes") { _, context in
      try await handle {
        let views = try await service.nodes(caller: try context.requireCaller())
        let names = await service.projects.names(
          including: views.flatMap { [$0.resource.ownerProjectID, $0.resource.lesseeProjectID].compactMap { $0 } })
        let nodes: [[String: Any]] = views.map { view in
          [
            "uuid": view.resource.uuid, "name": view.resource.name ?? NSNull(),
            "resource_type": view.resource.type,
            "owner": Self.projectName(view.resource.ownerProjectID, names),
            "lessee": Self.projectName(view.resource.lesseeProjectID, names),
            "maintenance": view.resource.maintenance.map { String(describing: $0).capitalized } ?? NSNull(),
            "provision_state": view.resource.provisionState ?? NSNull(),
            "resource_class": view.resource.resourceClass ?? NSNull(),
            "offer_uuid": view.offerUUID ?? NSNull(), "lease_uuid": view.resource.leaseUUID ?? NSNull(),
            "future_offers": view.futureOffers.joined(separator: " "),
            "future_leases": view.futureLeases.joined(separator: " "),
          ]
        }
        return Self.json(.ok, ["nodes": nodes])
      }
    }
  }

  // MARK: - plumbing

  /// Runs a handler and turns leasing and storage errors into API errors.
  func handle(_ body: () async throws -> Response) async throws -> Response {
    do {
      return try await body()
    } catch let error as LeasingError {
      throw Self.apiError(error)
    } catch let error as StorageError where error.kind == .conflict || error.kind == .constraint {
      throw APIError.conflict("the change conflicts with a concurrent one: \(error.message)")
    }
  }

  static func apiError(_ error: LeasingError) -> APIError {
    switch error.kind {
    case .invalidInput: return .badRequest(error.message)
    case .notFound: return .notFound(error.message)
    case .forbidden: return .forbidden(error.message)
    case .conflict: return .conflict(error.message)
    case .unavailable: return APIError(.serviceUnavailable, error.message)
    }
  }

  static func parameters(_ request: Request) -> [String: String] {
    var result: [String: String] = [:]
    for (name, value) in request.uri.queryParameters {
      let key = String(name)
      let text = String(value)
      // Empty values (`?status=`) count as absent, as WSME treats them.
      if !text.isEmpty { result[key] = text }
    }
    return result
  }

  static func optionalObject(_ request: Request, _ context: StewardRequestContext) async throws -> [String: Any] {
    let buffer = try await request.body.collect(upTo: 1 << 20)
    if buffer.readableBytes == 0 { return [:] }
    guard let object = try? JSONSerialization.jsonObject(with: Data(buffer: buffer)) else {
      throw APIError.badRequest("the request body is not valid JSON")
    }
    guard let dictionary = object as? [String: Any] else {
      throw APIError.badRequest("the request body must be a JSON object")
    }
    return dictionary
  }

  /// The nodes behind a few offers or leases, looked up one by one (a show must not cost a full node list).
  func nodeIndex(for items: [(type: String, uuid: String)]) async -> [String: LeasableResource] {
    guard items.count <= 20 else { return await nodeIndex() }
    var index: [String: LeasableResource] = [:]
    for item in items {
      guard let backend = try? service.resources.backend(item.type),
        let node = try? await backend.resolve(item.uuid)
      else { continue }
      index[node.uuid] = node
    }
    return index
  }

  func nodeIndex() async -> [String: LeasableResource] {
    var index: [String: LeasableResource] = [:]
    for backend in service.resources.backends.values {
      guard let nodes = try? await backend.list() else { continue }
      for node in nodes { index[node.uuid] = node }
    }
    return index
  }

  static func projectName(_ id: String?, _ names: [String: String]) -> Any {
    guard let id else { return NSNull() }
    return names[id] ?? id
  }

  func render(
    _ offer: Offer, _ nodes: [String: LeasableResource], _ names: [String: String], _ availabilities: [TimeWindow]?
  ) -> [String: Any] {
    let node = nodes[offer.resourceUUID]
    return [
      "uuid": offer.uuid, "name": offer.name ?? NSNull(), "project_id": offer.projectID,
      "project": Self.projectName(offer.projectID, names), "lessee_id": offer.lesseeID ?? NSNull(),
      "lessee": Self.projectName(offer.lesseeID, names), "resource_type": offer.resourceType,
      "resource_uuid": offer.resourceUUID, "resource": node?.name ?? offer.resourceUUID,
      "resource_class": node?.resourceClass ?? NSNull(), "start_time": LeasingDate.format(offer.startTime),
      "end_time": LeasingDate.format(offer.endTime), "status": offer.status.rawValue,
      "properties": Self.any(.object(offer.properties)),
      "availabilities": (availabilities ?? []).map { [LeasingDate.format($0.start), LeasingDate.format($0.end)] },
      "parent_lease_uuid": offer.parentLeaseUUID ?? NSNull(),
    ]
  }

  func render(_ lease: Lease, _ nodes: [String: LeasableResource], _ names: [String: String]) -> [String: Any] {
    let node = nodes[lease.resourceUUID]
    return [
      "uuid": lease.uuid, "name": lease.name ?? NSNull(), "project_id": lease.projectID,
      "project": Self.projectName(lease.projectID, names), "owner_id": lease.ownerID,
      "owner": Self.projectName(lease.ownerID, names), "resource_type": lease.resourceType,
      "resource_uuid": lease.resourceUUID, "resource": node?.name ?? lease.resourceUUID,
      "resource_class": node?.resourceClass ?? NSNull(), "start_time": LeasingDate.format(lease.startTime),
      "end_time": LeasingDate.format(lease.endTime),
      "fulfill_time": lease.fulfillTime.map(LeasingDate.format) ?? NSNull(),
      "expire_time": lease.expireTime.map(LeasingDate.format) ?? NSNull(), "status": lease.status.rawValue,
      "properties": Self.any(.object(lease.properties)), "offer_uuid": lease.offerUUID ?? NSNull(),
      "parent_lease_uuid": lease.parentLeaseUUID ?? NSNull(), "purpose": lease.purpose ?? NSNull(),
    ]
  }

  static func any(_ value: JSONValue) -> Any {
    switch value {
    case .null: return NSNull()
    case .bool(let flag): return flag
    case .int(let number): return number
    case .double(let number): return number
    case .string(let text): return text
    case .array(let items): return items.map(any)
    case .object(let fields): return fields.mapValues(any)
    }
  }

  static func json(_ status: HTTPResponse.Status, _ object: Any) -> Response {
    let data =
      (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    return Response(
      status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// Version documents as keystoneauth's discovery reads them (it needs the `self` link).
  static var versionEntry: [String: Any] {
    [
      "id": "v1", "status": "CURRENT", "min_version": "1.0", "version": "1.0",
      "links": [["rel": "self", "href": "/v1/"]],
    ]
  }
  static var version: [String: Any] { ["version": versionEntry] }
  static var versions: [String: Any] { ["versions": [versionEntry], "default_version": versionEntry] }
}

extension Offer {
  /// The projects an offer's API form names (`project`, `lessee`).
  var projectIDs: [String] { [projectID] + (lesseeID.map { [$0] } ?? []) }
}

extension Lease {
  /// The projects a lease's API form names (`project`, `owner`).
  var projectIDs: [String] { [projectID, ownerID] }
}

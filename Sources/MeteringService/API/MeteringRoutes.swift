import Foundation
import HTTPTypes
import Hummingbird
import Metering
import NIOCore
import OpenStack
import StewardServer

/// The REST API under `/v1`: projects, resources, usage, portal actions, key pairs, quotas and limits, team
/// creation. Billing routes (costs, invoices, credits, budgets, prices) are added by `BillingRoutes`.
public struct MeteringRoutes: Sendable {
  public let queries: MeteringQueries
  public let actions: PortalActions
  public let teams: TeamCreator?

  public init(queries: MeteringQueries, actions: PortalActions, teams: TeamCreator?) {
    self.queries = queries
    self.actions = actions
    self.teams = teams
  }

  public static let publicPaths: Set<String> = ["/", "/v1", "/v1/"]

  public func register(on router: Hummingbird.Router<StewardRequestContext>) {
    router.get("/") { _, _ in Self.json(.ok, ["versions": [Self.version]]) }
    router.get("/v1") { _, _ in Self.json(.ok, ["version": Self.version]) }

    router.get("/v1/projects") { request, context in
      let caller = try context.requireCaller()
      let pagination = try Pagination(RequestBody.parameters(request))
      let page = try pagination.page(try await queries.projects(caller: caller), id: \.id)
      var body: [String: Any] = ["projects": page.items.map(Self.render)]
      if let links = pagination.links(path: "/v1/projects", next: page.next) { body["projects_links"] = links }
      return Self.json(.ok, body)
    }
    router.get("/v1/projects/:project") { _, context in
      let caller = try context.requireCaller()
      let summary = try await queries.project(try context.parameters.require("project"), caller: caller)
      return Self.json(.ok, ["project": Self.render(summary)])
    }
    router.get("/v1/projects/:project/resources") { request, context in
      let caller = try context.requireCaller()
      let parameters = RequestBody.parameters(request)
      let deleted = try Self.flag(parameters, "deleted")
      var entries = try await queries.resources(
        project: try context.parameters.require("project"), caller: caller, includeDeleted: deleted)
      if let kind = parameters["kind"] {
        guard let parsed = ResourceReference.Kind(rawValue: kind) else {
          throw APIError.badRequest(
            "kind: '\(kind)' is not a resource kind (\(ResourceReference.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
          )
        }
        entries = entries.filter { $0.key.kind == parsed }
      }
      return Self.json(.ok, ["resources": entries.map(Self.render)])
    }
    router.get("/v1/projects/:project/usage") { request, context in
      let caller = try context.requireCaller()
      let now = Date()
      let window = try RequestBody.window(RequestBody.parameters(request), now: now)
      let report = try await queries.usage(
        project: try context.parameters.require("project"), from: window.from, to: window.to, caller: caller, now: now)
      return Self.json(.ok, ["usage": Self.render(report)])
    }
    router.get("/v1/resources/:kind/:id") { _, context in
      let caller = try context.requireCaller()
      let key = try Self.key(context)
      return Self.json(.ok, ["resource": Self.render(try await queries.resource(key, caller: caller))])
    }
    for (path, kind) in [("servers", ResourceReference.Kind.server), ("stacks", .stack), ("volumes", .volume)] {
      router.post("/v1/\(path)/:id/actions") { request, context in
        let caller = try context.requireCaller()
        let action = try ResourceAction.parse(try await RequestBody.object(request), kind: kind)
        let key = ResourceKey(kind, try context.parameters.require("id"))
        try await actions.perform(action, on: key, token: try Self.token(request), caller: caller)
        return Self.json(.accepted, ["action": action.rawValue, "kind": kind.rawValue, "id": key.id])
      }
    }

    router.get("/v1/keypairs") { request, context in
      let caller = try context.requireCaller()
      let keypairs = try await actions.keypairs(token: try Self.token(request), caller: caller)
      return Self.json(.ok, ["keypairs": keypairs.map { Self.render($0) }])
    }
    router.post("/v1/keypairs") { request, context in
      let caller = try context.requireCaller()
      let body = try await RequestBody.object(request)
      let name = try RequestBody.string(body, "name")
      guard name.count <= 255, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_. @".contains($0) }) else {
        throw APIError.badRequest("name: letters, digits, '-', '_', '.', '@' and spaces only, at most 255")
      }
      let publicKey = try RequestBody.optionalString(body, "public_key")
      let type = try RequestBody.optionalString(body, "type")
      if let type, type != "ssh", type != "x509" { throw APIError.badRequest("type: ssh or x509") }
      let created = try await actions.createKeypair(
        KeypairCreate(name: name, publicKey: publicKey, type: type), token: try Self.token(request), caller: caller)
      return Self.json(.created, ["keypair": Self.render(created, includePrivate: true)])
    }
    router.delete("/v1/keypairs/:name") { request, context in
      let caller = try context.requireCaller()
      try await actions.deleteKeypair(
        try context.parameters.require("name"), token: try Self.token(request), caller: caller)
      return JSONResponse.empty(.noContent)
    }

    router.get("/v1/projects/:project/quotas") { _, context in
      let caller = try context.requireCaller()
      let (quotas, errors) = try await actions.quotas(
        project: try context.parameters.require("project"), caller: caller)
      var body: [String: Any] = [:]
      for (service, set) in quotas {
        body[service] = set.mapValues { ["limit": $0.limit, "in_use": $0.inUse, "reserved": $0.reserved] }
      }
      return Self.json(.ok, ["quotas": body, "errors": errors])
    }
    router.put("/v1/projects/:project/quotas") { request, context in
      let caller = try context.requireCaller()
      let project = try context.parameters.require("project")
      try await actions.updateQuotas(project: project, body: try await RequestBody.object(request), caller: caller)
      let (quotas, errors) = try await actions.quotas(project: project, caller: caller)
      var body: [String: Any] = [:]
      for (service, set) in quotas {
        body[service] = set.mapValues { ["limit": $0.limit, "in_use": $0.inUse, "reserved": $0.reserved] }
      }
      return Self.json(.ok, ["quotas": body, "errors": errors])
    }
    router.get("/v1/projects/:project/limits") { _, context in
      let caller = try context.requireCaller()
      let limits = try await actions.limits(project: try context.parameters.require("project"), caller: caller)
      return Self.json(.ok, ["limits": limits])
    }

    router.post("/v1/teams") { request, context in
      let caller = try context.requireCaller()
      try queries.policy.enforce("metering:team:create", caller)
      let team = try TeamRequest(json: try await RequestBody.object(request))
      guard let teams else { throw APIError(.serviceUnavailable, "the service runs without a cloud") }
      let result = try await teams.create(team)
      await queries.invalidate()
      return Self.json(
        .created,
        ["team": ["project_id": result.projectID, "name": team.name, "steps": result.steps.map(\.description)]])
    }
  }

  // MARK: - rendering

  static var version: [String: Any] {
    [
      "id": "v1", "status": "CURRENT",
      "links": [["rel": "self", "href": "/v1"]],
    ]
  }

  static func render(_ summary: ProjectSummary) -> [String: Any] {
    var body: [String: Any] = [
      "id": summary.id, "name": summary.name ?? NSNull(),
      "live_resources": Dictionary(uniqueKeysWithValues: summary.live.map { ($0.key.rawValue, $0.value) }),
      "cost_this_period": summary.cost.map(render) ?? NSNull(),
    ]
    if let billing = summary.billing {
      body["credit"] = billing.credit.map(render) ?? NSNull()
      body["budget"] = billing.budget.map(render) ?? NSNull()
      body["budget_used"] = billing.budgetUsed ?? NSNull()
      body["thresholds_crossed"] = billing.crossedThresholds
    }
    return body
  }

  static func render(_ figure: CostFigure) -> [String: Any] { ["amount": figure.amount, "currency": figure.currency] }

  static func render(_ entry: ViewEntry) -> [String: Any] {
    let s = entry.snapshot
    var body: [String: Any] = [
      "kind": entry.key.kind.rawValue, "id": entry.key.id, "name": s?.name ?? NSNull(),
      "project_id": s?.projectID ?? NSNull(), "state": s?.state ?? NSNull(),
      "first_observed": iso(entry.firstObserved), "last_observed": iso(entry.lastObserved),
      "deleted_at": entry.deletedAt.map(iso) ?? NSNull(),
    ]
    if let s {
      var spec: [String: Any] = [:]
      if let flavor = s.spec.flavor { spec["flavor"] = flavor }
      if let vcpus = s.spec.vcpus { spec["vcpus"] = vcpus }
      if let memory = s.spec.memoryMB { spec["memory_mb"] = memory }
      if let disk = s.spec.diskGB { spec["disk_gb"] = disk }
      if let bytes = s.spec.sizeBytes { spec["size_bytes"] = bytes }
      body["spec"] = spec
      if let stack = s.stackID { body["stack_id"] = stack }
      if !s.attachedTo.isEmpty { body["attached_to"] = s.attachedTo }
      if let address = s.address { body["address"] = address }
    }
    return body
  }

  static func render(_ report: UsageReport) -> [String: Any] {
    let t = report.totals
    return [
      "project_id": report.projectID, "from": iso(report.from), "to": iso(report.to),
      "counted_until": iso(report.countedUntil),
      "resources": report.resources.map { r -> [String: Any] in
        [
          "kind": r.key.kind.rawValue, "id": r.key.id, "hours": round3(r.hours),
          "lines": r.lines.map { line -> [String: Any] in
            [
              "state": line.state, "flavor": line.spec.flavor ?? NSNull(), "vcpus": line.spec.vcpus ?? NSNull(),
              "memory_mb": line.spec.memoryMB ?? NSNull(), "disk_gb": line.spec.diskGB ?? NSNull(),
              "size_bytes": line.spec.sizeBytes ?? NSNull(), "hours": round3(line.hours), "billable": line.billable,
            ]
          },
        ]
      },
      "totals": [
        "instance_hours": round3(t.instanceHours), "vcpu_hours": round3(t.vcpuHours),
        "memory_mb_hours": round3(t.memoryMBHours), "disk_gb_hours": round3(t.diskGBHours),
        "volume_gb_hours": round3(t.volumeGBHours), "image_gib_hours": round3(t.imageGiBHours),
        "floating_ip_hours": round3(t.floatingIPHours),
        "flavor_hours": t.flavorHours.mapValues(round3),
      ],
    ]
  }

  static func render(_ keypair: Keypair, includePrivate: Bool = false) -> [String: Any] {
    var body: [String: Any] = [
      "name": keypair.name, "fingerprint": keypair.fingerprint ?? NSNull(), "type": keypair.type ?? NSNull(),
      "public_key": keypair.publicKey ?? NSNull(),
    ]
    // Only the create answer carries a generated private key, once, to the user who asked for it.
    if includePrivate, let key = keypair.privateKey { body["private_key"] = key }
    return body
  }

  static func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

  static func iso(_ date: Date) -> String { date.ISO8601Format(.iso8601) }

  static func json(_ status: HTTPResponse.Status, _ value: Any) -> Response {
    let data =
      (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    return Response(
      status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  static func token(_ request: Request) throws -> String {
    guard let token = request.headers[HTTPField.Name("X-Auth-Token")!], !token.isEmpty else {
      throw APIError.unauthorized("authentication required: send a Keystone token in X-Auth-Token")
    }
    return token
  }

  static func flag(_ parameters: [String: String], _ name: String) throws -> Bool {
    guard let value = parameters[name] else { return false }
    switch value.lowercased() {
    case "true", "1", "yes": return true
    case "false", "0", "no": return false
    default: throw APIError.badRequest("\(name): expected true or false, not '\(value)'")
    }
  }

  static func key(_ context: StewardRequestContext) throws -> ResourceKey {
    let kind = try context.parameters.require("kind")
    guard let parsed = ResourceReference.Kind(rawValue: kind) else {
      throw APIError.badRequest(
        "kind: '\(kind)' is not a resource kind (\(ResourceReference.Kind.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    return ResourceKey(parsed, try context.parameters.require("id"))
  }
}

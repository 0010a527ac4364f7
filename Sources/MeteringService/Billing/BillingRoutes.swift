import Billing
import Foundation
import Hummingbird
import Metering
import OpenStack
import StewardServer

/// `/v1` billing: costs (the running period's draft, per resource and stack), invoices (drafts and finalized
/// ones, exactly as `steward billing invoice -f json` writes them), credits and balance, budgets, the price
/// list. Amounts travel as decimal strings, never as JSON numbers.
public struct BillingRoutes: Sendable {
  public let bridge: BillingBridge
  public let queries: MeteringQueries

  public init(bridge: BillingBridge, queries: MeteringQueries) {
    self.bridge = bridge
    self.queries = queries
  }

  var service: BillingService { bridge.service }
  var policy: Policy { queries.policy }

  public func register(on router: Hummingbird.Router<StewardRequestContext>) {
    router.get("/v1/prices") { _, context in
      try policy.enforce("billing:prices:get", try context.requireCaller())
      let lists = try await bridge.priceLists()
      return MeteringRoutes.json(
        .ok,
        [
          "price_lists": lists.map { list -> [String: Any] in
            [
              "currency": list.currency, "effective_from": list.effectiveFrom,
              "items": list.items.map { ["item": $0.item, "unit": $0.unit, "price": $0.price] },
            ]
          }
        ])
    }
    router.get("/v1/projects/:project/costs") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:cost:get", caller, project: project)
        let invoice = try await service.invoice(
          projectID: project, period: RequestBody.parameters(request)["period"], now: Date())
        var resources: [String: (kind: String, id: String, name: String?, amount: DecimalNumber)] = [:]
        for line in invoice.lines {
          let key = "\(line.resourceKind)/\(line.resourceID)"
          let entry = resources[key] ?? (line.resourceKind, line.resourceID, line.resourceName, .zero)
          resources[key] = (entry.kind, entry.id, entry.name, entry.amount + line.amount)
        }
        return MeteringRoutes.json(
          .ok,
          [
            "costs": [
              "project_id": project, "period": invoice.period.id, "status": invoice.status.rawValue,
              "currency": invoice.currency, "total": invoice.total.description,
              "rated_until": Invoice.timestamp(invoice.ratedUntil),
              "stacks": invoice.stacks.map {
                ["stack_id": $0.stackID, "name": $0.name ?? NSNull(), "amount": $0.amount.description] as [String: Any]
              },
              "resources": resources.keys.sorted().map { key -> [String: Any] in
                let r = resources[key]!
                return ["kind": r.kind, "id": r.id, "name": r.name ?? NSNull(), "amount": r.amount.description]
              },
              "unpriced": invoice.unpriced,
              // Included in `total` and `resources`: corrections of earlier finalized periods, by period.
              "adjustments": InvoiceAdjustments.totals(invoice.lines).map {
                ["period": $0.period, "amount": $0.amount.description]
              },
            ]
          ])
      }
    }
    router.get("/v1/projects/:project/invoices") { _, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:invoice:get", caller, project: project)
        let views = try await bridge.invoices(projectID: project, now: Date())
        return MeteringRoutes.json(
          .ok,
          [
            "invoices": views.map {
              ["period": $0.period, "status": $0.state, "total": $0.total.amount, "currency": $0.total.currency]
            }
          ])
      }
    }
    router.get("/v1/projects/:project/invoices/:period") { _, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:invoice:get", caller, project: project)
        let invoice = try await service.invoice(
          projectID: project, period: try context.parameters.require("period"), now: Date())
        return Response(
          status: .ok, headers: [.contentType: "application/json"],
          body: .init(byteBuffer: .init(bytes: invoice.canonicalJSON())))
      }
    }
    router.get("/v1/projects/:project/credits") { _, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:credit:get", caller, project: project)
        let credits = try await service.store.credits(projectID: project)
        let balance = try await service.balance(projectID: project, now: Date())
        return MeteringRoutes.json(
          .ok,
          [
            "credits": credits.map(Self.render),
            "balance": [
              "credits": balance.credits.amount.description, "finalized": balance.finalized.amount.description,
              "draft": balance.draft.amount.description, "balance": balance.balance.amount.description,
              "currency": balance.balance.currency, "exhausted": balance.isExhausted,
            ] as [String: Any],
          ])
      }
    }
    router.post("/v1/projects/:project/credits") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:credit:add", caller, project: project)
        let body = try await RequestBody.object(request)
        let amount = try Self.money(
          body, "amount", currency: try RequestBody.optionalString(body, "currency"),
          default: service.schedule.currency)
        guard amount.currency == service.schedule.currency else {
          throw APIError.badRequest("currency: the price list bills in \(service.schedule.currency)")
        }
        let reason = try RequestBody.optionalString(body, "reason") ?? "added by \(caller.userName ?? caller.userID)"
        let credit = try await service.store.addCredit(projectID: project, amount: amount, reason: reason, at: Date())
        await queries.invalidate()
        return MeteringRoutes.json(.created, ["credit": Self.render(credit)])
      }
    }
    router.get("/v1/projects/:project/budget") { _, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:budget:get", caller, project: project)
        guard let budget = try await service.store.budgets(projectID: project).first else {
          throw APIError.notFound("project \(project) has no budget")
        }
        let state = try await bridge.billingStates(now: Date())[project]
        return MeteringRoutes.json(
          .ok, ["budget": Self.render(budget, used: state?.budgetUsed, crossed: state?.crossedThresholds ?? [])])
      }
    }
    router.put("/v1/projects/:project/budget") { request, context in
      try await handle {
        let caller = try context.requireCaller()
        let project = try context.parameters.require("project")
        try policy.enforce("billing:budget:set", caller, project: project)
        let body = try await RequestBody.object(request)
        let amount = try Self.money(
          body, "amount", currency: try RequestBody.optionalString(body, "currency"),
          default: service.schedule.currency)
        var thresholds = [50, 80, 100]
        if let raw = body["thresholds"], raw != .null {
          guard case .array(let items) = raw else {
            throw APIError.badRequest("thresholds: expected a list of percentages")
          }
          thresholds = try items.enumerated().map { index, item in
            guard case .int(let value) = item else {
              throw APIError.badRequest("thresholds[\(index)]: expected a whole percentage")
            }
            return value
          }
        }
        let webhook = try RequestBody.optionalString(body, "webhook_url")
        let budget: Budget
        do {
          budget = try Budget(projectID: project, amount: amount, thresholds: thresholds, webhookURL: webhook)
        } catch let error as BillingError {
          throw APIError.badRequest("budget: \(error.description)")
        }
        guard amount.currency == service.schedule.currency else {
          throw APIError.badRequest("currency: the price list bills in \(service.schedule.currency)")
        }
        try await service.store.save(budget: budget, at: Date())
        await bridge.drafts.clear()
        await queries.invalidate()
        return MeteringRoutes.json(.ok, ["budget": Self.render(budget, used: nil, crossed: [])])
      }
    }
  }

  /// Billing's errors as API answers: bad input 400, unknown 404, a finalized invoice 409.
  func handle(_ body: () async throws -> Response) async throws -> Response {
    do {
      return try await body()
    } catch let error as BillingError {
      switch error {
      case .notFound(let message): throw APIError.notFound(message)
      case .immutable(let message): throw APIError.conflict(message)
      default: throw APIError.badRequest(error.description)
      }
    }
  }

  /// An amount given as a decimal string (`"100.00"`) or a whole number; never a binary float.
  static func money(
    _ body: [String: OpenStack.JSONValue], _ key: String, currency: String?, default defaultCurrency: String
  ) throws -> Money {
    let text: String
    switch body[key] {
    case .string(let value): text = value
    case .int(let value): text = String(value)
    case nil, .null: throw APIError.badRequest("\(key): required, a decimal string such as \"100.00\"")
    default: throw APIError.badRequest("\(key): give the amount as a decimal string such as \"100.00\"")
    }
    guard let amount = DecimalNumber(text) else { throw APIError.badRequest("\(key): '\(text)' is not a decimal") }
    let code = currency ?? defaultCurrency
    guard Money.isCurrencyCode(code) else { throw APIError.badRequest("currency: '\(code)' is not an ISO 4217 code") }
    return Money(amount, code)
  }

  static func render(_ credit: Credit) -> [String: Any] {
    [
      "id": credit.id, "amount": credit.amount.amount.description, "currency": credit.amount.currency,
      "reason": credit.reason, "created_at": Invoice.timestamp(credit.createdAt),
    ]
  }

  static func render(_ budget: Budget, used: Double?, crossed: [String]) -> [String: Any] {
    [
      "project_id": budget.projectID, "amount": budget.amount.amount.description, "currency": budget.amount.currency,
      "thresholds": budget.thresholds, "webhook_url": budget.webhookURL ?? NSNull(),
      "used": used ?? NSNull(), "thresholds_crossed": crossed,
    ]
  }
}

import Billing
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metering
import NIOCore
import OpenStack
import StewardServer

/// The web dashboard under `/dashboard`: sign-in with Keystone credentials, the overview of all projects,
/// a project's racks and devices with status and cost, its cost chart, invoices and the price list.
/// Pages are rendered on the server from templates compiled into the binary. Authentication is the session
/// cookie (the token middleware lets `/dashboard` through); every state-changing form carries the
/// session's CSRF token besides.
public struct DashboardRoutes: Sendable {
  public let queries: MeteringQueries
  public let actions: PortalActions
  public let sessions: DashboardSessions
  public let authenticator: any DashboardAuthenticator
  public let billing: (any BillingViews)?
  /// Set the cookie's Secure attribute (behind TLS).
  public let secureCookies: Bool
  let logger: Logger

  public static let prefix = "/dashboard"
  static let cookieName = "steward_session"

  public init(
    queries: MeteringQueries, actions: PortalActions, sessions: DashboardSessions,
    authenticator: any DashboardAuthenticator, billing: (any BillingViews)?, secureCookies: Bool = false,
    logger: Logger
  ) {
    self.queries = queries
    self.actions = actions
    self.sessions = sessions
    self.authenticator = authenticator
    self.billing = billing
    self.secureCookies = secureCookies
    self.logger = logger
  }

  public func register(on router: Hummingbird.Router<StewardRequestContext>) {
    router.get("/dashboard/login") { request, _ in
      if await session(request) != nil { return Self.redirect("/dashboard") }
      return Self.html(.ok, DashboardTemplates.render("login", ["title": "Sign in", "domain": "Default"]))
    }
    router.post("/dashboard/login") { request, _ in
      let form = try await Self.form(request)
      let username = form["username"]?.trimmingCharacters(in: .whitespaces) ?? ""
      let password = form["password"] ?? ""
      let project = form["project"]?.trimmingCharacters(in: .whitespaces)
      let domain = form["domain"].flatMap { $0.isEmpty ? nil : $0 } ?? "Default"
      func again(_ status: HTTPResponse.Status, _ message: String) -> Response {
        Self.html(
          status,
          DashboardTemplates.render(
            "login",
            ["title": "Sign in", "error": message, "username": username, "project": project ?? "", "domain": domain]))
      }
      guard !username.isEmpty else { return again(.badRequest, "Enter a user name.") }
      guard !password.isEmpty else { return again(.badRequest, "Enter the password.") }
      do {
        let (caller, token) = try await authenticator.login(
          username: username, password: password, project: project, domain: domain)
        let session = await sessions.create(caller: caller, token: token)
        logger.info("dashboard sign-in: user \(caller.userID) project \(caller.projectID ?? "-")")
        var response = Self.redirect("/dashboard")
        response.setCookie(cookie(session.id, maxAge: max(60, Int(session.expiresAt.timeIntervalSinceNow))))
        return response
      } catch let error as APIError {
        logger.info("dashboard sign-in refused for user name \(username): \(error.status.code)")
        return again(error.status, error.message)
      }
    }
    router.post("/dashboard/logout") { request, _ in
      let form = try await Self.form(request)
      if let session = await session(request), form["csrf"] == session.csrf {
        await sessions.remove(session.id)
      }
      var response = Self.redirect("/dashboard/login")
      response.setCookie(cookie("", maxAge: 0))
      return response
    }

    router.get("/dashboard") { request, _ in
      try await page(request) { session in
        let now = Date()
        // Parsed as a form: the search form's GET writes spaces as `+`, which the URI's parameters keep.
        let query = try OverviewPage.Query(Self.parseForm(request.uri.query ?? ""))
        let projects = try await queries.projects(caller: session.caller, now: now)
        let hasCosts = queries.costs != nil
        let overview = OverviewPage(projects, query: query)
        var context = base(session, title: "Overview")
        context["period"] = Period.label(now)
        context["projectCount"] = overview.totalCount
        context["alertCount"] = overview.alertCount
        context["hasCosts"] = hasCosts
        if hasCosts, !overview.totals.isEmpty {
          context["totalCost"] = overview.totals.sorted { $0.key < $1.key }
            .map { String(format: "%.2f %@", $0.value, $0.key) }.joined(separator: ", ")
        }
        context["filter"] = query.filter
        context["perPage"] = query.perPage
        context["sortCost"] = query.sort == .cost
        context["sortName"] = query.sort == .name
        context["matchCount"] = overview.matchCount
        context["filtered"] = !query.filter.isEmpty
        context["first"] = overview.range.first
        context["last"] = overview.range.last
        context["page"] = overview.page
        context["pageCount"] = overview.pageCount
        if overview.page > 1 { context["prev"] = query.link(page: overview.page - 1) }
        if overview.page < overview.pageCount { context["next"] = query.link(page: overview.page + 1) }
        context["projects"] = overview.rows.map { p -> [String: Any] in
          var row: [String: Any] = [
            "id": p.id, "label": p.name ?? p.id, "servers": p.live[.server] ?? 0, "volumes": p.live[.volume] ?? 0,
            "stacks": p.live[.stack] ?? 0, "floatingIPs": p.live[.floatingIP] ?? 0, "images": p.live[.image] ?? 0,
            "cost": p.cost?.display ?? (hasCosts ? "0" : "–"), "credit": p.billing?.credit?.display ?? "–",
          ]
          if let budget = p.billing?.budget { row["budget"] = Self.budget(budget, used: p.billing?.budgetUsed) }
          return row
        }
        return Self.html(.ok, DashboardTemplates.render("overview", context))
      }
    }

    router.get("/dashboard/projects/:project") { request, context in
      try await page(request) { session in
        let project = try context.parameters.require("project")
        return Self.html(
          .ok,
          try await projectPage(project, session: session, notice: RequestBody.parameters(request)["notice"]))
      }
    }

    router.post("/dashboard/projects/:project/actions") { request, context in
      try await page(request) { session in
        let project = try context.parameters.require("project")
        let form = try await Self.form(request)
        guard form["csrf"] == session.csrf else {
          throw APIError.forbidden("the form is stale or was not sent by this dashboard; reload the page")
        }
        guard let kindText = form["kind"], let kind = ResourceReference.Kind(rawValue: kindText) else {
          throw APIError.badRequest("kind: not a resource kind")
        }
        guard let id = form["id"], !id.isEmpty else { throw APIError.badRequest("id: required") }
        let action = try ResourceAction.parse(["action": .string(form["action"] ?? "")], kind: kind)
        try await actions.perform(action, on: ResourceKey(kind, id), token: session.token, caller: session.caller)
        let notice = "\(action.rawValue) requested for \(kind.rawValue) \(id)"
        return Self.redirect(
          "/dashboard/projects/\(project)?notice=\(notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        )
      }
    }

    router.get("/dashboard/projects/:project/invoices") { request, context in
      try await page(request) { session in
        let project = try context.parameters.require("project")
        try queries.policy.enforce("billing:invoice:get", session.caller, project: project)
        let summary = try await queries.project(project, caller: session.caller)
        var page = base(session, title: "Invoices")
        page["label"] = summary.name ?? project
        if let billing {
          let invoices = try await billing.invoices(projectID: project, now: Date())
          page["emptyText"] = "No invoices yet."
          page["invoices"] = invoices.map { invoice -> [String: Any] in
            [
              "period": invoice.period, "state": invoice.state, "total": invoice.total.display,
              "lines": invoice.lines.map {
                [
                  "resource": $0.resource, "description": $0.description, "quantity": $0.quantity,
                  "unitPrice": $0.unitPrice, "amount": $0.amount,
                ]
              },
            ]
          }
        } else {
          page["emptyText"] = "Billing is not configured on this service."
        }
        return Self.html(.ok, DashboardTemplates.render("invoices", page))
      }
    }

    router.get("/dashboard/prices") { request, _ in
      try await page(request) { session in
        try queries.policy.enforce("billing:prices:get", session.caller)
        var page = base(session, title: "Price list")
        if let billing {
          page["emptyText"] = "No price list is loaded."
          page["prices"] = try await billing.priceLists().map { list -> [String: Any] in
            [
              "currency": list.currency, "effective": list.effectiveFrom,
              "items": list.items.map { ["item": $0.item, "unit": $0.unit, "price": $0.price] },
            ]
          }
        } else {
          page["emptyText"] = "Billing is not configured on this service."
        }
        return Self.html(.ok, DashboardTemplates.render("prices", page))
      }
    }
  }

  // MARK: - the project page

  func projectPage(_ project: String, session: DashboardSession, notice: String?) async throws -> String {
    let caller = session.caller
    let now = Date()
    let period = Period.month(containing: now)
    let summary = try await queries.project(project, caller: caller, now: now)
    let entries = try await queries.resources(project: project, caller: caller)
    var costs: [ResourceKey: CostFigure] = [:]
    var points: [CostChart.Point] = []
    var chartTitle = "Cost per day, \(Period.label(now))"
    var unit = "cost"
    if let source = queries.costs {
      costs = try await source.resourceCosts(projectID: project, from: period.start, to: period.end, now: now)
      let daily = try await source.dailyCosts(projectID: project, from: period.start, to: period.end, now: now)
      points = daily.map { CostChart.Point(day: $0.day, value: $0.cost.approximate, label: $0.cost.display) }
      unit = daily.first?.cost.currency ?? summary.cost?.currency ?? "cost"
    } else {
      chartTitle = "Server hours per day, \(Period.label(now)) (no price list)"
      unit = "server hours"
      points = try await dailyServerHours(project: project, from: period.start, to: min(now, period.end))
    }
    let allowed = queries.policy.permits("metering:resource:action", caller, project: project)
    func actionsFor(_ entry: ViewEntry) -> [[String: Any]] {
      guard allowed else { return [] }
      return ResourceAction.allowed(for: entry.key.kind).map {
        [
          "project": project, "csrf": session.csrf, "kind": entry.key.kind.rawValue, "id": entry.key.id,
          "action": $0.rawValue, "confirm": $0 == .destroy, "name": entry.snapshot?.name ?? entry.key.id,
        ]
      }
    }
    func device(_ entry: ViewEntry) -> [String: Any] {
      let s = entry.snapshot
      var detail: [String] = []
      if let flavor = s?.spec.flavor { detail.append(flavor) }
      if entry.key.kind == .server, let vcpus = s?.spec.vcpus { detail.append("\(vcpus) vCPU") }
      if entry.key.kind == .server, let ram = s?.spec.memoryMB { detail.append("\(ram) MB") }
      if let gb = s?.spec.diskGB { detail.append("\(gb) GB") }
      if let bytes = s?.spec.sizeBytes { detail.append(Self.byteSize(bytes)) }
      if let address = s?.address { detail.append(address) }
      return [
        "id": entry.key.id, "kind": entry.key.kind.rawValue, "name": s?.name ?? entry.key.id,
        "status": s?.state ?? "unknown", "detail": detail.joined(separator: " · "),
        "cost": costs[entry.key]?.display ?? "", "actions": actionsFor(entry),
      ]
    }
    let stacks = entries.filter { $0.key.kind == .stack }
    let servers = entries.filter { $0.key.kind == .server }
    let volumes = entries.filter { $0.key.kind == .volume }
    let floatingIPs = entries.filter { $0.key.kind == .floatingIP }
    let images = entries.filter { $0.key.kind == .image }
    let stackIDs = Set(stacks.map(\.key.id))
    var rackOf: [String: String] = [:]
    for server in servers {
      if let stack = server.snapshot?.stackID, stackIDs.contains(stack) { rackOf[server.key.id] = stack }
    }
    var devicesByRack: [String: [[String: Any]]] = [:]
    var unracked: [[String: Any]] = []
    // Exact money, as on the invoice: the devices' costs and the stack's own fee, added as decimals.
    var rackCost: [String: DecimalNumber] = [:]
    func exact(_ key: ResourceKey) -> DecimalNumber { costs[key].flatMap { DecimalNumber($0.amount) } ?? .zero }
    for stack in stacks { rackCost[stack.key.id] = exact(stack.key) }
    for entry in servers + volumes + floatingIPs + images {
      var rack: String?
      switch entry.key.kind {
      case .server: rack = rackOf[entry.key.id]
      case .volume: rack = entry.snapshot?.attachedTo.lazy.compactMap { rackOf[$0] }.first
      default: rack = nil
      }
      if let rack {
        devicesByRack[rack, default: []].append(device(entry))
        rackCost[rack, default: .zero] += exact(entry.key)
      } else {
        unracked.append(device(entry))
      }
    }
    let currency = costs.values.first?.currency
    var page = base(session, title: summary.name ?? project)
    page["id"] = project
    page["label"] = summary.name ?? project
    page["period"] = Period.label(now)
    page["cost"] = summary.cost?.display ?? (queries.costs == nil ? "– (no price list)" : "0")
    if let credit = summary.billing?.credit { page["credit"] = credit.display }
    if let budget = summary.billing?.budget { page["budget"] = Self.budget(budget, used: summary.billing?.budgetUsed) }
    if let notice { page["notice"] = notice }
    page["chart"] = CostChart.svg(title: chartTitle, unit: unit, points: points)
    page["racks"] = stacks.sorted { ($0.snapshot?.name ?? $0.key.id) < ($1.snapshot?.name ?? $1.key.id) }.map {
      stack -> [String: Any] in
      let devices = devicesByRack[stack.key.id] ?? []
      var rack: [String: Any] = [
        "id": stack.key.id, "name": stack.snapshot?.name ?? stack.key.id, "status": stack.snapshot?.state ?? "unknown",
        "count": devices.count, "devices": devices, "actions": actionsFor(stack),
      ]
      if let currency { rack["cost"] = "\(rackCost[stack.key.id] ?? .zero) \(currency)" }
      return rack
    }
    page["unracked"] = unracked
    return DashboardTemplates.render("project", page)
  }

  /// Billable server hours per UTC day from the ledger (the chart when no price list is loaded).
  func dailyServerHours(project: String, from: Date, to: Date) async throws -> [CostChart.Point] {
    guard from < to else { return [] }
    let rows = try await queries.store.read {
      try await $0.intervals(projectID: project, kind: .server, from: from, to: to)
    }
    let policy = UsagePolicy()
    return Period.days(from: from, to: to).map { day in
      let end = min(day.addingTimeInterval(86_400), to)
      let hours =
        rows.filter { !policy.excludedServerStates.contains($0.state) }.reduce(0.0) {
          $0 + $1.seconds(from: day, to: end)
        } / 3600
      return CostChart.Point(day: day, value: hours, label: String(format: "%.2f server hours", hours))
    }
  }

  // MARK: - plumbing

  func session(_ request: Request) async -> DashboardSession? {
    guard let id = request.cookies[Self.cookieName]?.value, !id.isEmpty else { return nil }
    return await sessions.session(id)
  }

  /// Runs a page handler for a signed-in user: without a session, a redirect to the sign-in form; errors
  /// become an HTML error page with their status (never a trace).
  func page(_ request: Request, _ body: (DashboardSession) async throws -> Response) async throws -> Response {
    guard let session = await session(request) else { return Self.redirect("/dashboard/login") }
    do {
      return try await body(session)
    } catch let error as APIError {
      return errorPage(session, error.status, error.message)
    } catch let error as OpenStackError {
      logger.error("dashboard: \(error.description)")
      return errorPage(session, .badGateway, "The cloud did not answer as expected: \(error.message)")
    } catch {
      logger.error("dashboard: internal error \(String(reflecting: type(of: error)))")
      return errorPage(session, .internalServerError, "Internal error; see the service log.")
    }
  }

  func errorPage(_ session: DashboardSession, _ status: HTTPResponse.Status, _ message: String) -> Response {
    var context = base(session, title: status.reasonPhrase)
    context["heading"] = "\(status.code) \(status.reasonPhrase)"
    context["message"] = message
    return Self.html(status, DashboardTemplates.render("error", context))
  }

  func base(_ session: DashboardSession, title: String) -> [String: Any] {
    var user: [String: Any] = ["name": session.caller.userName ?? session.caller.userID, "csrf": session.csrf]
    if let project = session.caller.projectName ?? session.caller.projectID { user["project"] = project }
    return ["title": title, "user": user]
  }

  func cookie(_ value: String, maxAge: Int) -> Cookie {
    Cookie(
      name: Self.cookieName, value: value, maxAge: maxAge, path: Self.prefix, secure: secureCookies, httpOnly: true,
      sameSite: .strict)
  }

  /// `3 MiB`, `1.5 GiB`: an image's size for the device list (binary units, as the price per GiB).
  static func byteSize(_ bytes: Int64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    let text = unit == 0 || value >= 100 ? String(Int(value.rounded())) : String(format: "%.1f", value)
    return "\(text.hasSuffix(".0") ? String(text.dropLast(2)) : text) \(units[unit])"
  }

  static func budget(_ budget: CostFigure, used: Double?) -> [String: Any] {
    let share = used ?? 0
    return [
      "amount": budget.display, "used": String(format: "%.0f", share * 100),
      "width": String(format: "%.0f", min(share, 1) * 100),
      "over": share >= 1,
    ]
  }

  static func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
    Response(
      status: status,
      headers: [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
        HTTPField.Name("Content-Security-Policy")!:
          "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
      ],
      body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func redirect(_ location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location, .contentLength: "0"])
  }

  /// An `application/x-www-form-urlencoded` body.
  static func form(_ request: Request) async throws -> [String: String] {
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: 64 * 1024)
    } catch {
      throw APIError(.contentTooLarge, "the form is too large")
    }
    return parseForm(String(buffer: buffer))
  }

  static func parseForm(_ text: String) -> [String: String] {
    var fields: [String: String] = [:]
    for pair in text.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
      }
      guard let name = parts.first else { continue }
      fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
    }
    return fields
  }
}

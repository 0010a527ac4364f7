import Billing
import Foundation
import Metering
import OpenStack
import StewardServer

/// The service's money side on the Billing library: costs for the overview, the project page and `/metrics`,
/// invoices and the price list for the dashboard, billing accounts for new teams. Every figure is rated from
/// the ledger with exact decimals; `CostFigure` only carries the resulting text.
public struct BillingBridge: CostSource, BillingViews, TeamAccounts {
  public let service: BillingService
  let drafts: DraftCache

  /// - Parameter draftTTL: how long the running period's drafts of all projects are reused (the overview,
  ///   `/metrics` and the budget bars all read them; rating every project on each page load would not scale).
  public init(service: BillingService, draftTTL: TimeInterval = 15) {
    self.service = service
    self.drafts = DraftCache(ttl: draftTTL)
  }

  static func figure(_ money: Money) -> CostFigure {
    CostFigure(amount: money.amount.description, currency: money.currency)
  }

  func currentInvoices(now: Date) async throws -> [String: Invoice] {
    try await drafts.value(now: now) {
      Dictionary(
        // This period's usage: adjustments for finalized periods are on each project's invoice and costs
        // (re-rating every finalized month for all projects on each refresh would not scale).
        try await service.currentInvoices(now: now, adjusted: false).map { ($0.projectID, $0) },
        uniquingKeysWith: { a, _ in a })
    }
  }

  // MARK: CostSource

  public func projectCosts(from: Date, to: Date, now: Date) async throws -> [String: CostFigure] {
    try await currentInvoices(now: now).mapValues { Self.figure($0.totalMoney) }
  }

  public func resourceCosts(projectID: String, from: Date, to: Date, now: Date) async throws -> [ResourceKey:
    CostFigure]
  {
    let invoice = try await service.invoice(projectID: projectID, now: now)
    var sums: [ResourceKey: DecimalNumber] = [:]
    for line in invoice.lines {
      guard let kind = ResourceReference.Kind(rawValue: line.resourceKind) else { continue }
      sums[ResourceKey(kind, line.resourceID), default: .zero] += line.amount
    }
    return sums.mapValues { CostFigure(amount: $0.description, currency: invoice.currency) }
  }

  /// Each day's cost: the draft rated up to the end of each day, differenced (so fees land on the day the
  /// period starts, as the invoice charges them).
  public func dailyCosts(projectID: String, from: Date, to: Date, now: Date) async throws -> [(
    day: Date, cost: CostFigure
  )] {
    let period = try await service.period(projectID: projectID, id: nil, now: now)
    var result: [(day: Date, cost: CostFigure)] = []
    // Adjustments for earlier finalized periods land on the first day, like fees (rated once, not per day).
    var previous = try await service.adjustments(projectID: projectID, for: period, now: now).reduce(
      DecimalNumber.zero
    ) { $0 - $1.amount }
    for day in Period.days(from: period.start, to: min(now, period.end)) {
      let until = min(day.addingTimeInterval(86_400), now)
      let invoice = try await service.draft(projectID: projectID, period: period, now: until, adjusted: false)
      result.append((day, CostFigure(amount: (invoice.total - previous).description, currency: invoice.currency)))
      previous = invoice.total
    }
    return result
  }

  public func billingStates(now: Date) async throws -> [String: BillingState] {
    let invoices = try await currentInvoices(now: now)
    var states: [String: BillingState] = [:]
    let credits = Dictionary(grouping: try await service.store.credits(), by: \.projectID)
    for projectID in credits.keys {
      let balance = try await service.balance(projectID: projectID, now: now)
      states[projectID, default: BillingState()].credit = Self.figure(balance.balance)
    }
    let events = Dictionary(grouping: try await service.store.budgetEvents(), by: \.projectID)
    for budget in try await service.store.budgets() {
      var state = states[budget.projectID] ?? BillingState()
      state.budget = Self.figure(budget.amount)
      let spent = invoices[budget.projectID]?.total ?? .zero
      state.budgetUsed = Self.share(spent, of: budget.amount.amount)
      let period = try await service.period(projectID: budget.projectID, id: nil, now: now).id
      state.crossedThresholds = (events[budget.projectID] ?? []).filter { $0.period == period }.map {
        "\($0.threshold)%"
      }
      states[budget.projectID] = state
    }
    return states
  }

  /// `spent / budget` for a progress bar (display only).
  static func share(_ spent: DecimalNumber, of budget: DecimalNumber) -> Double {
    guard let a = Double(spent.description), let b = Double(budget.description), b > 0 else { return 0 }
    return a / b
  }

  // MARK: BillingViews

  public func invoices(projectID: String, now: Date) async throws -> [InvoiceView] {
    let running = try await service.invoice(projectID: projectID, now: now)
    var result = [Self.view(running)]
    for stored in try await service.store.invoices(projectID: projectID).sorted(by: {
      $0.invoice.period > $1.invoice.period
    }) where stored.invoice.period.id != running.period.id {
      result.append(Self.view(stored.invoice))
    }
    return result
  }

  static func view(_ invoice: Invoice) -> InvoiceView {
    InvoiceView(
      period: invoice.period.id, state: invoice.status.rawValue, total: figure(invoice.totalMoney),
      lines: invoice.lines.map { line in
        InvoiceView.Line(
          resource: "\(line.resourceKind) \(line.resourceName ?? line.resourceID)", description: line.description,
          quantity: "\(line.quantity) \(line.unit)", unitPrice: line.unitPrice.description,
          amount: line.amount.description)
      })
  }

  public func priceLists() async throws -> [PriceListView] {
    service.schedule.lists.map { list in
      var items: [PriceListView.Item] = []
      for (flavor, price) in list.flavorHour.sorted(by: { $0.key < $1.key }) {
        items.append(.init(item: "flavor \(flavor)", unit: "hour", price: price.description))
      }
      if let p = list.vcpuHour {
        items.append(.init(item: "vCPU (flavors without a price)", unit: "vCPU-hour", price: p.description))
      }
      if let p = list.ramGiBHour {
        items.append(.init(item: "RAM (flavors without a price)", unit: "GiB-hour", price: p.description))
      }
      if let p = list.diskGiBHour { items.append(.init(item: "root disk", unit: "GiB-hour", price: p.description)) }
      if let p = list.volumeGiBMonth { items.append(.init(item: "volume", unit: "GiB-month", price: p.description)) }
      for (type, price) in list.volumeTypeGiBMonth.sorted(by: { $0.key < $1.key }) {
        items.append(.init(item: "volume type \(type)", unit: "GiB-month", price: price.description))
      }
      if let p = list.imageGiBMonth { items.append(.init(item: "image", unit: "GiB-month", price: p.description)) }
      if let p = list.floatingIPHour { items.append(.init(item: "floating IP", unit: "hour", price: p.description)) }
      if let p = list.stackFee { items.append(.init(item: "stack (rack) fee", unit: "period", price: p.description)) }
      if let p = list.projectFee {
        items.append(.init(item: "project (team) fee", unit: "period", price: p.description))
      }
      return PriceListView(
        currency: list.currency, effectiveFrom: BillingPeriod.dayFormat(list.effectiveFrom), items: items)
    }
  }

  // MARK: TeamAccounts

  public func validate(settings: [String: OpenStack.JSONValue]) throws {
    _ = try Self.account(project: "", name: nil, settings: settings, now: Date())
  }

  public func open(project: String, name: String, settings: [String: OpenStack.JSONValue]) async throws {
    try await service.store.save(
      account: try Self.account(project: project, name: name, settings: settings, now: Date()))
    await drafts.clear()
  }

  public func close(project: String) async throws {
    try await service.store.removeAccount(projectID: project)
    await drafts.clear()
  }

  static func account(project: String, name: String?, settings: [String: OpenStack.JSONValue], now: Date) throws
    -> BillingAccount
  {
    var anchor = 1
    var enforcement = EnforcementPolicy.none
    for (key, value) in settings {
      switch key {
      case "anchor_day":
        guard case .int(let day) = value, (1...28).contains(day) else {
          throw APIError.badRequest("billing.anchor_day: a day of the month from 1 to 28")
        }
        anchor = day
      case "enforcement":
        guard case .string(let text) = value, let policy = EnforcementPolicy(rawValue: text) else {
          throw APIError.badRequest(
            "billing.enforcement: one of \(EnforcementPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        enforcement = policy
      default:
        throw APIError.badRequest("billing.\(key): unknown field (anchor_day, enforcement)")
      }
    }
    do {
      return BillingAccount(
        projectID: project, name: name, cycle: try BillingCycle(anchorDay: anchor), enforcement: enforcement,
        createdAt: now)
    } catch {
      throw APIError.badRequest("billing.anchor_day: \(error)")
    }
  }
}

/// The running period's drafts of every project.
typealias DraftCache = RefreshingCache<[String: Invoice]>

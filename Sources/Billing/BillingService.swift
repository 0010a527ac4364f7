import Foundation
import Metering

/// Billing on top of metering: rates the ledger with the price schedule, reads and writes the billing store.
/// What the CLI and the metering service (REST API, dashboard) call; all of it is safe to call concurrently.
///
/// - Drafts are computed on demand from the effective ledger and never stored; a closed period's invoice is
///   read from the store and never re-rated.
/// - Projects without a billing account bill by calendar month, without enforcement.
public struct BillingService: Sendable {
  public let store: BillingStore
  public let metering: any MeteringStore
  public let schedule: PriceSchedule

  public init(store: BillingStore, metering: any MeteringStore, schedule: PriceSchedule) {
    self.store = store
    self.metering = metering
    self.schedule = schedule
  }

  /// The project's cycle (its account's, else calendar months).
  public func cycle(projectID: String) async throws -> BillingCycle {
    try await store.account(projectID: projectID)?.cycle ?? .calendarMonth
  }

  /// The period `id` (`YYYY-MM`) of the project's cycle, or the running one when nil.
  public func period(projectID: String, id: String?, now: Date) async throws -> BillingPeriod {
    let cycle = try await cycle(projectID: projectID)
    return try id.map { id throws(BillingError) in try cycle.period(id) } ?? cycle.period(containing: now)
  }

  /// The finalized invoice when the period is closed, else the draft rated up to `now`.
  public func invoice(projectID: String, period id: String? = nil, now: Date) async throws -> Invoice {
    let period = try await period(projectID: projectID, id: id, now: now)
    if let stored = try await store.invoice(projectID: projectID, period: period.id) { return stored.invoice }
    return try await draft(projectID: projectID, period: period, now: now)
  }

  /// Rates the project's ledger for `period` (open intervals up to `now`); never stored.
  public func draft(projectID: String, period: BillingPeriod, now: Date) async throws -> Invoice {
    let (intervals, entries) = try await metering.read { reader in
      let intervals = try await reader.intervals(projectID: projectID, kind: nil, from: period.start, to: period.end)
      var entries: [ViewEntry] = []
      for kind in RatingView.kinds {
        entries += try await reader.viewEntries(kind: kind, projectID: projectID, includeDeleted: true)
      }
      return (intervals, entries)
    }
    let account = try await store.account(projectID: projectID)
    return Rater.rate(
      projectID: projectID, projectName: account?.name ?? Self.projectName(projectID, entries), period: period,
      intervals: intervals, view: RatingView(entries: entries), schedule: schedule, now: now)
  }

  static func projectName(_ projectID: String, _ entries: [ViewEntry]) -> String? {
    entries.first { $0.key.kind == .project && $0.key.id == projectID }?.snapshot?.name
  }

  /// Drafts of every project with usage in the running calendar-month period or an account (accounts on
  /// another cycle get their own running period), by project id: the dashboard overview and `/metrics`.
  public func currentInvoices(now: Date) async throws -> [Invoice] {
    try await rateAll(now: now) { cycle in cycle.period(containing: now) }.map(\.invoice)
  }

  /// Finalizes period `id` for every account and every project with usage in it (or only `projects`).
  /// Refuses a period that has not ended yet. Re-running is harmless: identical invoices are left as they
  /// are; an invoice that would now differ (a late ledger correction) is reported in `conflicts`, never
  /// overwritten.
  ///
  /// `dryRun` rates everything and returns the invoices in `wouldFinalize` without writing anything (a preview
  /// of the close, and how the rating benchmark measures rating alone).
  public func closePeriod(_ id: String, projects: Set<String>? = nil, now: Date, dryRun: Bool = false) async throws
    -> CloseResult
  {
    var result = CloseResult()
    let rated = try await rateAll(now: now, only: projects) { cycle throws(BillingError) in
      let period = try cycle.period(id)
      guard period.hasEnded(at: now) else {
        throw .invalidPeriod(
          "period \(period) has not ended yet; it can be closed from \(Invoice.timestamp(period.end))")
      }
      return period
    }
    if dryRun {
      result.wouldFinalize = rated.map(\.invoice)
      return result
    }
    for item in rated {
      do {
        let stored = try await store.finalize(item.invoice, at: now)
        if stored.finalizedAt == now { result.finalized.append(stored) } else { result.unchanged.append(stored) }
      } catch let error as BillingError {
        guard case .immutable(let message) = error else { throw error }
        result.conflicts.append(message)
      }
    }
    return result
  }

  public struct CloseResult: Sendable {
    public var finalized: [FinalizedInvoice] = []
    /// Already finalized with the same content.
    public var unchanged: [FinalizedInvoice] = []
    /// Already finalized with different content (kept as it was).
    public var conflicts: [String] = []
    /// Dry run: the invoices rated (drafts), nothing written.
    public var wouldFinalize: [Invoice] = []
  }

  struct Rated: Sendable {
    var invoice: Invoice
  }

  /// Rates every known project (accounts plus ledger projects) for the period `periodOf` gives its cycle.
  func rateAll(
    now: Date, only: Set<String>? = nil, _ periodOf: (BillingCycle) throws(BillingError) -> BillingPeriod
  ) async throws -> [Rated] {
    let accounts = try await store.accounts()
    var cycles: [Int: BillingCycle] = [BillingCycle.calendarMonth.anchorDay: .calendarMonth]
    var anchorOf: [String: Int] = [:]
    var names: [String: String] = [:]
    for account in accounts {
      cycles[account.cycle.anchorDay] = account.cycle
      anchorOf[account.projectID] = account.cycle.anchorDay
      if let name = account.name { names[account.projectID] = name }
    }
    let entries = try await metering.read { reader in
      var entries: [ViewEntry] = []
      for kind in RatingView.kinds {
        entries += try await reader.viewEntries(kind: kind, projectID: nil, includeDeleted: true)
      }
      return entries
    }
    for entry in entries where entry.key.kind == .project {
      if names[entry.key.id] == nil, let name = entry.snapshot?.name { names[entry.key.id] = name }
    }
    let view = RatingView(entries: entries)
    var result: [Rated] = []
    for anchor in cycles.keys.sorted() {
      let period = try periodOf(cycles[anchor]!)
      let intervals = try await metering.read { reader in
        try await reader.intervals(projectID: nil, kind: nil, from: period.start, to: period.end)
      }
      func belongs(_ project: String) -> Bool {
        (anchorOf[project] ?? 1) == anchor && (only?.contains(project) ?? true)
      }
      // An account is billed (project fee) from the period it was created in, not before.
      let accountProjects = Set(
        accounts.filter { $0.createdAt < period.end && belongs($0.projectID) }.map(\.projectID))
      let invoices = Rater.rateAll(
        period: period, intervals: intervals.filter { belongs($0.projectID) }, view: view, schedule: schedule,
        now: now, projects: accountProjects, projectNames: names)
      result += invoices.map { Rated(invoice: $0) }
    }
    return result.sorted { $0.invoice.projectID < $1.invoice.projectID }
  }

  /// `credits - finalized invoices - drafts`. Drafts are the running period and every earlier period not yet
  /// closed, back to the newest finalized invoice (at most 24 periods, and not before the account existed).
  public func balance(projectID: String, now: Date) async throws -> Balance {
    let currency = schedule.currency
    var credits = DecimalNumber.zero
    for credit in try await store.credits(projectID: projectID) {
      guard credit.amount.currency == currency else {
        throw BillingError.currencyMismatch(currency, credit.amount.currency)
      }
      credits += credit.amount.amount
    }
    let totals = try await store.finalizedTotals(projectID: projectID)
    if let other = totals.keys.first(where: { $0 != currency }) { throw BillingError.currencyMismatch(currency, other) }
    let finalized = totals[currency] ?? .zero
    let account = try await store.account(projectID: projectID)
    let cycle = account?.cycle ?? .calendarMonth
    let closed = Set(try await store.invoices(projectID: projectID).map(\.invoice.period.id))
    let firstList = schedule.lists[0].effectiveFrom
    var draft = DecimalNumber.zero
    var period = cycle.period(containing: now)
    for _ in 0..<24 {
      if closed.contains(period.id) { break }
      draft += try await self.draft(projectID: projectID, period: period, now: now).total
      if let created = account?.createdAt, period.start <= created { break }
      if period.end <= firstList { break }
      period = cycle.previous(period)
    }
    return Balance(
      projectID: projectID, credits: Money(credits, currency), finalized: Money(finalized, currency),
      draft: Money(draft, currency), balance: Money(credits - finalized - draft, currency))
  }
}

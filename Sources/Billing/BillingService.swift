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

  /// Rates the project's ledger for `period` (open intervals up to `now`); never stored. With `adjusted` (the
  /// default) the draft also carries the adjustments still pending for the project's finalized periods before
  /// `period` (see `adjustments(projectID:for:now:)`); `balance` asks without them and counts them once.
  public func draft(projectID: String, period: BillingPeriod, now: Date, adjusted: Bool = true) async throws
    -> Invoice
  {
    let (intervals, entries) = try await metering.read { reader in
      let intervals = try await reader.intervals(projectID: projectID, kind: nil, from: period.start, to: period.end)
      var entries: [ViewEntry] = []
      for kind in RatingView.kinds {
        entries += try await reader.viewEntries(kind: kind, projectID: projectID, includeDeleted: true)
      }
      return (intervals, entries)
    }
    let account = try await store.account(projectID: projectID)
    let view = RatingView(entries: entries)
    let rated = Rater.rate(
      projectID: projectID, projectName: account?.name ?? Self.projectName(projectID, entries), period: period,
      intervals: intervals, view: view, schedule: schedule, now: now,
      chargesFees: Self.isBilled(hasUsage: !intervals.isEmpty, accountCreatedAt: account?.createdAt, in: period))
    guard adjusted else { return rated }
    let finalized = try await store.invoices(projectID: projectID)
    let pending = try await adjustments(
      for: [projectID: period], finalized: [projectID: finalized], view: view, now: now)
    return rated.adding(adjustments: pending[projectID] ?? [])
  }

  /// Whether a project gets an invoice (and so its flat fees) for a period: when it used something in it, or
  /// its billing account existed before the period ended. `close-period` finalizes exactly these, so a draft
  /// and the balance charge no fee that no finalized invoice would ever carry.
  static func isBilled(hasUsage: Bool, accountCreatedAt: Date?, in period: BillingPeriod) -> Bool {
    hasUsage || accountCreatedAt.map { $0 < period.end } ?? false
  }

  /// How many periods before an invoice's period are looked at for adjustments: the project's finalized
  /// invoices of periods that started in the 12 months before are re-rated; late usage older than that is no
  /// longer carried (a bounded cost for every draft).
  public static let adjustmentLookbackMonths = 12

  /// The earliest period start an invoice of `period` carries adjustments for.
  public static func adjustmentLookbackStart(_ period: BillingPeriod) -> Date {
    BillingPeriod.utc.date(byAdding: .month, value: -adjustmentLookbackMonths, to: period.start)!
  }

  /// The adjustment lines the project's invoice of `period` carries: for each of its finalized periods that
  /// started in the `adjustmentLookbackMonths` before `period`, the difference between the finalized invoice and
  /// a re-rating of that period from today's ledger and price lists, less what later finalized invoices
  /// (other than `period`'s own) already carried. Empty when no finalized period changed.
  public func adjustments(projectID: String, for period: BillingPeriod, now: Date) async throws -> [InvoiceLine] {
    let entries = try await metering.read { reader in
      var entries: [ViewEntry] = []
      for kind in RatingView.kinds {
        entries += try await reader.viewEntries(kind: kind, projectID: projectID, includeDeleted: true)
      }
      return entries
    }
    let finalized = try await store.invoices(projectID: projectID)
    return try await adjustments(
      for: [projectID: period], finalized: [projectID: finalized], view: RatingView(entries: entries), now: now)[
        projectID] ?? []
  }

  /// Adjustments for many projects at once, each for its own target period: every finalized period involved
  /// is read and rated once for all the projects that need it (what `close-period` and the overview use).
  func adjustments(
    for targets: [String: BillingPeriod], finalized: [String: [FinalizedInvoice]], view: RatingView, now: Date
  ) async throws -> [String: [InvoiceLine]] {
    var candidates: [String: [FinalizedInvoice]] = [:]
    var needs: [BillingPeriod: Set<String>] = [:]
    for (project, target) in targets {
      let from = Self.adjustmentLookbackStart(target)
      let earlier = (finalized[project] ?? [])
        .filter {
          $0.invoice.period.start >= from && $0.invoice.period.start < target.start && $0.invoice.period.id != target.id
        }
        .sorted { $0.invoice.period < $1.invoice.period }
      guard !earlier.isEmpty else { continue }
      candidates[project] = Array(earlier)
      for stored in earlier {
        guard stored.invoice.currency == schedule.currency else {
          throw BillingError.currencyMismatch(schedule.currency, stored.invoice.currency)
        }
        needs[stored.invoice.period, default: []].insert(project)
      }
    }
    guard !needs.isEmpty else { return [:] }
    var rerated: [BillingPeriod: [String: Invoice]] = [:]
    let single = targets.count == 1 ? targets.keys.first : nil
    for period in needs.keys.sorted() {
      let projects = needs[period]!
      let intervals = try await metering.read { reader in
        try await reader.intervals(projectID: single, kind: nil, from: period.start, to: period.end)
      }
      let invoices = Rater.rateAll(
        period: period, intervals: intervals.filter { projects.contains($0.projectID) }, view: view,
        schedule: schedule, now: max(now, period.end), projects: projects)
      rerated[period] = Dictionary(uniqueKeysWithValues: invoices.map { ($0.projectID, $0) })
    }
    var result: [String: [InvoiceLine]] = [:]
    for (project, earlier) in candidates {
      let target = targets[project]!
      let all = finalized[project] ?? []
      var lines: [InvoiceLine] = []
      for stored in earlier {
        let period = stored.invoice.period
        guard let again = rerated[period]?[project] else { continue }
        // Carried elsewhere: on finalized invoices other than the corrected one and the target itself (so
        // re-closing an invoice that carries adjustments rates the same lines again).
        let carried = all.filter { $0.invoice.period.id != period.id && $0.invoice.period.id != target.id }
          .flatMap(\.invoice.adjustmentLines)
        lines += InvoiceAdjustments.lines(finalized: stored.invoice, rerated: again, carried: carried)
      }
      if !lines.isEmpty { result[project] = InvoiceAdjustments.sorted(lines) }
    }
    return result
  }

  static func projectName(_ projectID: String, _ entries: [ViewEntry]) -> String? {
    entries.first { $0.key.kind == .project && $0.key.id == projectID }?.snapshot?.name
  }

  /// Drafts of every project with usage in the running calendar-month period or an account (accounts on
  /// another cycle get their own running period), by project id: the dashboard overview and `/metrics`.
  /// Without `adjusted` they show this period's usage only: carrying adjustments re-rates every finalized
  /// period in the look-back for all projects (about one full rating per month), too much for a page that
  /// refreshes every few seconds; the project's own invoice and costs carry them.
  public func currentInvoices(now: Date, adjusted: Bool = true) async throws -> [Invoice] {
    try await rateAll(now: now, adjusted: adjusted) { cycle in cycle.period(containing: now) }.map(\.invoice)
  }

  /// Finalizes period `id` for every account and every project with usage in it (or only `projects`), and
  /// every project with adjustments pending for an earlier finalized period. Refuses a period that has not
  /// ended yet. Each invoice carries the adjustments of the project's earlier finalized periods whose ledger
  /// changed since (reported in `changes`); once finalized, those differences are never carried again.
  /// Re-running is harmless: identical invoices are left as they are; an invoice that would now differ (a
  /// late ledger change for this very period) is kept, reported in `changes`, and the difference goes on the
  /// project's next invoice.
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
    func carried(_ invoice: Invoice) -> [Change] {
      InvoiceAdjustments.totals(invoice.adjustmentLines).map {
        Change(
          projectID: invoice.projectID, period: $0.period, difference: Money($0.amount, invoice.currency),
          carriedTo: invoice.period.id, planned: dryRun)
      }
    }
    if dryRun {
      result.wouldFinalize = rated.map(\.invoice)
      result.changes = rated.flatMap { carried($0.invoice) }
      return result
    }
    for item in rated {
      do {
        let stored = try await store.finalize(item.invoice, at: now)
        if stored.finalizedAt == now {
          result.finalized.append(stored)
          result.changes += carried(stored.invoice)
        } else {
          result.unchanged.append(stored)
        }
      } catch let error as BillingError {
        guard case .immutable = error,
          let stored = try await store.invoice(projectID: item.invoice.projectID, period: item.invoice.period.id)
        else { throw error }
        result.unchanged.append(stored)
        // This period's own charges changed (its adjustment lines may differ too, when an earlier period
        // changed again: the next invoice carries that for the earlier period itself).
        // Only what no other finalized invoice carried yet is reported (names or stacks renamed since change no
        // money and are not reported either).
        let others = try await store.invoices(projectID: stored.invoice.projectID).filter {
          $0.invoice.period.id != stored.invoice.period.id
        }
        let difference = InvoiceAdjustments.lines(
          finalized: stored.invoice, rerated: item.invoice, carried: others.flatMap(\.invoice.adjustmentLines))
        guard !difference.isEmpty else { continue }
        result.changes.append(
          Change(
            projectID: stored.invoice.projectID, period: stored.invoice.period.id,
            difference: Money(difference.reduce(.zero) { $0 + $1.amount }, stored.invoice.currency), carriedTo: nil))
      }
    }
    return result
  }

  public struct CloseResult: Sendable {
    public var finalized: [FinalizedInvoice] = []
    /// Already finalized (kept as it was, whether or not re-rating now gives the same).
    public var unchanged: [FinalizedInvoice] = []
    /// Finalized periods whose ledger changed since: carried as adjustments on an invoice of this close, or
    /// (`carriedTo` nil) a period closed again that now differs, left for the project's next invoice.
    public var changes: [Change] = []
    /// Dry run: the invoices rated (drafts), nothing written.
    public var wouldFinalize: [Invoice] = []
  }

  /// A finalized period of a project that re-rates to a different total today.
  public struct Change: Sendable, Hashable, CustomStringConvertible {
    public var projectID: String
    /// The finalized period that changed.
    public var period: String
    /// Re-rated minus billed (positive: late usage billed; negative: credited).
    public var difference: Money
    /// The period whose invoice carries the difference; nil when it goes on the next invoice not yet closed.
    public var carriedTo: String?
    /// A dry run: `carriedTo`'s invoice would carry it, nothing was written.
    public var planned: Bool

    public init(projectID: String, period: String, difference: Money, carriedTo: String?, planned: Bool = false) {
      self.projectID = projectID
      self.period = period
      self.difference = difference
      self.carriedTo = carriedTo
      self.planned = planned
    }

    /// `2026-11 for project p1 changed by +1.23 EUR since it was finalized; carried to 2026-12`.
    public var description: String {
      let sign = difference.amount.isNegative ? "" : "+"
      let head = "\(period) for project \(projectID) changed by \(sign)\(difference) since it was finalized"
      guard let carriedTo else {
        return head + "; the finalized invoice is kept and the difference is carried to the next invoice"
      }
      return head + (planned ? "; would be carried to \(carriedTo)" : "; carried to \(carriedTo)")
    }
  }

  struct Rated: Sendable {
    var invoice: Invoice
  }

  /// Rates every known project (accounts plus ledger projects) for the period `periodOf` gives its cycle.
  func rateAll(
    now: Date, only: Set<String>? = nil, adjusted: Bool = true,
    _ periodOf: (BillingCycle) throws(BillingError) -> BillingPeriod
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
      let accountProjects = Set(
        accounts.filter {
          Self.isBilled(hasUsage: false, accountCreatedAt: $0.createdAt, in: period) && belongs($0.projectID)
        }.map(\.projectID))
      var invoices = Rater.rateAll(
        period: period, intervals: intervals.filter { belongs($0.projectID) }, view: view, schedule: schedule,
        now: now, projects: accountProjects, projectNames: names)
      // Adjustments for earlier finalized periods: every rated project, and projects with finalized invoices
      // but nothing to bill in this period (an invoice of adjustments only, without fees).
      // Only projects with a finalized invoice in the look-back are read (all their invoices from its start
      // on: later ones may carry adjustments too).
      guard adjusted else {
        result += invoices.map { Rated(invoice: $0) }
        continue
      }
      let from = Self.adjustmentLookbackStart(period)
      let candidates = try await store.projectsWithInvoices(periodStartFrom: from, before: period.start)
        .filter(belongs)
      var finalized: [String: [FinalizedInvoice]] = [:]
      if !candidates.isEmpty {
        for stored in try await store.invoices(periodStartFrom: from, projectIDs: candidates) {
          finalized[stored.invoice.projectID, default: []].append(stored)
        }
      }
      var targets: [String: BillingPeriod] = [:]
      for project in candidates { targets[project] = period }
      let pending = try await adjustments(for: targets, finalized: finalized, view: view, now: now)
      let rated = Set(invoices.map(\.projectID))
      for (index, invoice) in invoices.enumerated() {
        if let lines = pending[invoice.projectID] { invoices[index] = invoice.adding(adjustments: lines) }
      }
      for project in pending.keys.sorted() where !rated.contains(project) {
        let empty = Invoice(
          projectID: project, projectName: names[project], period: period, currency: schedule.currency,
          status: .draft, ratedUntil: min(period.end, max(now, period.start)), priceLists: [], lines: [])
        invoices.append(empty.adding(adjustments: pending[project]!))
      }
      result += invoices.map { Rated(invoice: $0) }
    }
    return result.sorted { $0.invoice.projectID < $1.invoice.projectID }
  }

  /// `credits - finalized invoices - drafts`. Drafts are the running period and every earlier period not yet
  /// closed, back to the newest finalized invoice (at most 24 periods, and not before the account existed),
  /// plus the adjustments pending for finalized periods (counted once, though every draft shows them).
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
    // Pending adjustments once (every draft shows them until one carrying them is finalized).
    let running = cycle.period(containing: now)
    var draft = try await adjustments(projectID: projectID, for: running, now: now)
      .reduce(DecimalNumber.zero) { $0 + $1.amount }
    var period = running
    for _ in 0..<24 {
      if closed.contains(period.id) { break }
      draft += try await self.draft(projectID: projectID, period: period, now: now, adjusted: false).total
      if let created = account?.createdAt, period.start <= created { break }
      if period.end <= firstList { break }
      period = cycle.previous(period)
    }
    return Balance(
      projectID: projectID, credits: Money(credits, currency), finalized: Money(finalized, currency),
      draft: Money(draft, currency), balance: Money(credits - finalized - draft, currency))
  }
}

import Foundation
import Storage

/// Billing's tables on Steward's database (SQLite or PostgreSQL): accounts, finalized invoices, credits,
/// budgets and budget events. Money is stored as decimal TEXT (`"12.30"`) with its currency, never as a float.
///
/// Finalized invoices are immutable twice over: `finalize` refuses to replace a different invoice (and
/// returns the stored one when asked to write the same bytes again, so `close-period` can be re-run), and
/// database triggers reject any UPDATE or DELETE of `billing_invoices` and `billing_credits`, whoever issues it.
public struct BillingStore: Sendable {
  public let database: any Database

  public static let migrations = MigrationSet(
    module: "billing",
    [
      Migration(1, "accounts, finalized invoices, credits, budgets, budget events") { d in
        var statements = [
          """
          CREATE TABLE billing_accounts (
            project_id TEXT PRIMARY KEY, name TEXT, anchor_day BIGINT NOT NULL, enforcement TEXT NOT NULL,
            created_at BIGINT NOT NULL)
          """,
          """
          CREATE TABLE billing_invoices (
            project_id TEXT NOT NULL, period TEXT NOT NULL, period_start BIGINT NOT NULL, period_end BIGINT NOT NULL,
            currency TEXT NOT NULL, total TEXT NOT NULL, content TEXT NOT NULL, finalized_at BIGINT NOT NULL,
            PRIMARY KEY (project_id, period))
          """,
          "CREATE INDEX billing_invoices_period ON billing_invoices (period)",
          """
          CREATE TABLE billing_credits (
            id \(d.autoIncrementPrimaryKey), project_id TEXT NOT NULL, amount TEXT NOT NULL, currency TEXT NOT NULL,
            reason TEXT NOT NULL, created_at BIGINT NOT NULL)
          """,
          "CREATE INDEX billing_credits_project ON billing_credits (project_id, id)",
          """
          CREATE TABLE billing_budgets (
            project_id TEXT PRIMARY KEY, amount TEXT NOT NULL, currency TEXT NOT NULL, thresholds TEXT NOT NULL,
            webhook_url TEXT, updated_at BIGINT NOT NULL)
          """,
          """
          CREATE TABLE billing_budget_events (
            project_id TEXT NOT NULL, period TEXT NOT NULL, threshold BIGINT NOT NULL, budget TEXT NOT NULL,
            spent TEXT NOT NULL, currency TEXT NOT NULL, recorded_at BIGINT NOT NULL,
            PRIMARY KEY (project_id, period, threshold))
          """,
        ]
        switch d {
        case .sqlite:
          for table in ["billing_invoices", "billing_credits"] {
            for operation in ["UPDATE", "DELETE"] {
              statements.append(
                """
                CREATE TRIGGER \(table)_no_\(operation.lowercased()) BEFORE \(operation) ON \(table)
                BEGIN SELECT RAISE(ABORT, '\(table) rows are immutable'); END
                """)
            }
          }
        case .postgres:
          statements.append(
            """
            CREATE FUNCTION billing_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '% rows are immutable', TG_TABLE_NAME; END $$
            """)
          for table in ["billing_invoices", "billing_credits"] {
            statements.append(
              """
              CREATE TRIGGER \(table)_immutable BEFORE UPDATE OR DELETE ON \(table)
              FOR EACH ROW EXECUTE FUNCTION billing_immutable()
              """)
          }
        }
        return statements
      },
      Migration(2, "finalized invoices by period start (adjustments' look-back)") { _ in
        ["CREATE INDEX billing_invoices_start ON billing_invoices (period_start)"]
      },
    ])

  /// Opens the store, applying pending billing migrations.
  public static func open(_ database: any Database) async throws -> BillingStore {
    try await Migrator.migrate(database, [migrations])
    return BillingStore(database: database)
  }

  public init(database: any Database) { self.database = database }

  // MARK: accounts

  /// Creates or updates an account (cycle, enforcement, name); `createdAt` of an existing account is kept.
  @discardableResult
  public func save(account: BillingAccount) async throws -> BillingAccount {
    try await database.write { db in
      try await db.execute(
        """
        INSERT INTO billing_accounts (project_id, name, anchor_day, enforcement, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (project_id) DO UPDATE SET name = excluded.name, anchor_day = excluded.anchor_day,
          enforcement = excluded.enforcement
        """,
        [
          .text(account.projectID), .text(account.name), .integer(account.cycle.anchorDay),
          .text(account.enforcement.rawValue), .date(account.createdAt),
        ])
      return try await Self.account(db, account.projectID)!
    }
  }

  /// Removes an account that has no history yet, with its budget: how a team that failed half-way is
  /// undone. An account with finalized invoices or credits is refused (`immutable`), because those records
  /// must keep the account they were issued to. Returns false when there was no account.
  @discardableResult
  public func removeAccount(projectID: String) async throws -> Bool {
    try await database.write { db in
      guard try await Self.account(db, projectID) != nil else { return false }
      for table in ["billing_invoices", "billing_credits"] {
        if try await db.queryOne("SELECT 1 AS found FROM \(table) WHERE project_id = ? LIMIT 1", [.text(projectID)])
          != nil
        {
          throw BillingError.immutable(
            "project \(projectID): the billing account has \(table == "billing_invoices" ? "finalized invoices" : "credits") and cannot be removed"
          )
        }
      }
      for table in ["billing_budget_events", "billing_budgets", "billing_accounts"] {
        try await db.execute("DELETE FROM \(table) WHERE project_id = ?", [.text(projectID)])
      }
      return true
    }
  }

  public func account(projectID: String) async throws -> BillingAccount? {
    try await database.read { db in try await Self.account(db, projectID) }
  }

  public func accounts() async throws -> [BillingAccount] {
    try await database.read { db in
      try await db.query("SELECT * FROM billing_accounts ORDER BY project_id", []).map(Self.account)
    }
  }

  static func account(_ db: any SQLExecutor, _ projectID: String) async throws -> BillingAccount? {
    try await db.queryOne("SELECT * FROM billing_accounts WHERE project_id = ?", [.text(projectID)]).map(account)
  }

  static func account(_ row: SQLRow) throws -> BillingAccount {
    let raw = try row.string("enforcement")
    guard let enforcement = EnforcementPolicy(rawValue: raw) else {
      throw StorageError(.decoding, "billing: unknown enforcement policy '\(raw)'")
    }
    return BillingAccount(
      projectID: try row.string("project_id"), name: try row.optionalString("name"),
      cycle: try BillingCycle(anchorDay: try row.int("anchor_day")), enforcement: enforcement,
      createdAt: try row.date("created_at"))
  }

  // MARK: invoices

  /// Stores `invoice` (its status set to `final`) as the immutable invoice of its project and period. When one
  /// is already stored: the same content returns the stored one (re-running close-period is harmless), a
  /// different content throws `BillingError.immutable` and changes nothing.
  public func finalize(_ invoice: Invoice, at time: Date) async throws -> FinalizedInvoice {
    var finalized = invoice
    finalized.status = .final
    let final = finalized
    let content = final.canonicalJSON()
    let text = String(decoding: content, as: UTF8.self)
    return try await database.write { db in
      if let existing = try await Self.invoice(db, invoice.projectID, invoice.period.id) {
        guard existing.content == content else {
          throw BillingError.immutable(
            "invoice \(invoice.id) was finalized at \(Invoice.timestamp(existing.finalizedAt)) with total "
              + "\(existing.invoice.totalMoney); re-rating now gives \(final.totalMoney). Finalized invoices never "
              + "change: book the difference as a credit or on the next period")
        }
        return existing
      }
      try await db.execute(
        """
        INSERT INTO billing_invoices (project_id, period, period_start, period_end, currency, total, content,
          finalized_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
          .text(final.projectID), .text(final.period.id), .date(final.period.start), .date(final.period.end),
          .text(final.currency), .text(final.total.description), .text(text), .date(time),
        ])
      return FinalizedInvoice(invoice: final, finalizedAt: time, content: content)
    }
  }

  public func invoice(projectID: String, period: String) async throws -> FinalizedInvoice? {
    try await database.read { db in try await Self.invoice(db, projectID, period) }
  }

  /// Finalized invoices, optionally of one project or one period, by project then period.
  public func invoices(projectID: String? = nil, period: String? = nil) async throws -> [FinalizedInvoice] {
    try await database.read { db in
      var conditions: [String] = []
      var bindings: [SQLValue] = []
      if let projectID {
        conditions.append("project_id = ?")
        bindings.append(.text(projectID))
      }
      if let period {
        conditions.append("period = ?")
        bindings.append(.text(period))
      }
      let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
      return try await db.query("SELECT * FROM billing_invoices\(filter) ORDER BY project_id, period_start", bindings)
        .map(Self.finalized)
    }
  }

  /// Projects with a finalized invoice of a period starting in [`from`, `before`): who may have adjustments
  /// to carry (a light query: nothing is decoded).
  public func projectsWithInvoices(periodStartFrom from: Date, before: Date) async throws -> Set<String> {
    try await database.read { db in
      Set(
        try await db.query(
          "SELECT DISTINCT project_id FROM billing_invoices WHERE period_start >= ? AND period_start < ?",
          [.date(from), .date(before)]
        ).map { try $0.string("project_id") })
    }
  }

  /// Finalized invoices of periods starting at `from` or later, of `projectIDs` only (others are not
  /// decoded), by project then period.
  public func invoices(periodStartFrom from: Date, projectIDs: Set<String>) async throws -> [FinalizedInvoice] {
    try await database.read { db in
      try await db.query(
        "SELECT * FROM billing_invoices WHERE period_start >= ? ORDER BY project_id, period_start", [.date(from)]
      ).filter { projectIDs.contains(try $0.string("project_id")) }.map(Self.finalized)
    }
  }

  /// Sum of finalized totals per project and currency (what balances subtract).
  public func finalizedTotals(projectID: String) async throws -> [String: DecimalNumber] {
    try await database.read { db in
      var totals: [String: DecimalNumber] = [:]
      for row in try await db.query(
        "SELECT currency, total FROM billing_invoices WHERE project_id = ?", [.text(projectID)])
      {
        totals[try row.string("currency"), default: .zero] += try Self.decimal(row, "total")
      }
      return totals
    }
  }

  static func invoice(_ db: any SQLExecutor, _ projectID: String, _ period: String) async throws -> FinalizedInvoice? {
    try await db.queryOne(
      "SELECT * FROM billing_invoices WHERE project_id = ? AND period = ?", [.text(projectID), .text(period)]
    ).map(finalized)
  }

  static func finalized(_ row: SQLRow) throws -> FinalizedInvoice {
    let content = Data(try row.string("content").utf8)
    let invoice: Invoice
    do {
      invoice = try Invoice.decode(canonicalJSON: content)
    } catch {
      throw StorageError(
        .decoding,
        "billing: stored invoice \(try row.string("project_id"))/\(try row.string("period")) is unreadable: \(error)")
    }
    return FinalizedInvoice(invoice: invoice, finalizedAt: try row.date("finalized_at"), content: content)
  }

  static func decimal(_ row: SQLRow, _ column: String) throws -> DecimalNumber {
    let text = try row.string(column)
    guard let value = DecimalNumber(text) else {
      throw StorageError(.decoding, "billing: \(column) '\(text)' is not a decimal")
    }
    return value
  }

  // MARK: credits

  /// Books a credit (negative amounts correct earlier ones). The amount is kept exactly as given.
  @discardableResult
  public func addCredit(projectID: String, amount: Money, reason: String, at time: Date) async throws -> Credit {
    guard Money.isCurrencyCode(amount.currency) else {
      throw BillingError.invalidInput("'\(amount.currency)' is not an ISO 4217 currency code")
    }
    guard !amount.amount.isZero else { throw BillingError.invalidInput("a credit of zero changes nothing") }
    return try await database.write { db in
      let row = try await db.queryOne(
        "INSERT INTO billing_credits (project_id, amount, currency, reason, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        [.text(projectID), .text(amount.amount.description), .text(amount.currency), .text(reason), .date(time)])
      return Credit(
        id: try row?.int64("id") ?? 0, projectID: projectID, amount: amount, reason: reason, createdAt: time)
    }
  }

  /// Credits in booking order, optionally of one project.
  public func credits(projectID: String? = nil) async throws -> [Credit] {
    try await database.read { db in
      let filter = projectID == nil ? "" : " WHERE project_id = ?"
      return try await db.query(
        "SELECT * FROM billing_credits\(filter) ORDER BY id", projectID.map { [.text($0)] } ?? []
      ).map { row in
        Credit(
          id: try row.int64("id"), projectID: try row.string("project_id"),
          amount: Money(try Self.decimal(row, "amount"), try row.string("currency")), reason: try row.string("reason"),
          createdAt: try row.date("created_at"))
      }
    }
  }

  // MARK: budgets

  @discardableResult
  public func save(budget: Budget, at time: Date) async throws -> Budget {
    try await database.write { db in
      try await db.execute(
        """
        INSERT INTO billing_budgets (project_id, amount, currency, thresholds, webhook_url, updated_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (project_id) DO UPDATE SET amount = excluded.amount, currency = excluded.currency,
          thresholds = excluded.thresholds, webhook_url = excluded.webhook_url, updated_at = excluded.updated_at
        """,
        [
          .text(budget.projectID), .text(budget.amount.amount.description), .text(budget.amount.currency),
          .text(budget.thresholds.map(String.init).joined(separator: ",")), .text(budget.webhookURL), .date(time),
        ])
      return budget
    }
  }

  public func budgets(projectID: String? = nil) async throws -> [Budget] {
    try await database.read { db in
      let filter = projectID == nil ? "" : " WHERE project_id = ?"
      return try await db.query(
        "SELECT * FROM billing_budgets\(filter) ORDER BY project_id", projectID.map { [.text($0)] } ?? []
      ).map { row in
        let thresholds = try row.string("thresholds").split(separator: ",").compactMap { Int($0) }
        return try Budget(
          projectID: try row.string("project_id"),
          amount: Money(try Self.decimal(row, "amount"), try row.string("currency")), thresholds: thresholds,
          webhookURL: try row.optionalString("webhook_url"))
      }
    }
  }

  /// Records the event unless this threshold of this period was already recorded; true when it is new (and so
  /// must be notified). Concurrent checkers agree: the primary key lets exactly one insert win.
  public func record(_ event: BudgetEvent) async throws -> Bool {
    try await database.write { db in
      let inserted = try await db.execute(
        """
        INSERT INTO billing_budget_events (project_id, period, threshold, budget, spent, currency, recorded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
        """,
        [
          .text(event.projectID), .text(event.period), .integer(event.threshold),
          .text(event.budget.amount.description), .text(event.spent.amount.description), .text(event.spent.currency),
          .date(event.recordedAt),
        ])
      return inserted == 1
    }
  }

  public func budgetEvents(projectID: String? = nil) async throws -> [BudgetEvent] {
    try await database.read { db in
      let filter = projectID == nil ? "" : " WHERE project_id = ?"
      return try await db.query(
        "SELECT * FROM billing_budget_events\(filter) ORDER BY project_id, period, threshold",
        projectID.map { [.text($0)] } ?? []
      ).map { row in
        let currency = try row.string("currency")
        return BudgetEvent(
          projectID: try row.string("project_id"), period: try row.string("period"),
          threshold: try row.int("threshold"),
          budget: Money(try Self.decimal(row, "budget"), currency),
          spent: Money(try Self.decimal(row, "spent"), currency),
          recordedAt: try row.date("recorded_at"))
      }
    }
  }
}

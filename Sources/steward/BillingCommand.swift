import ArgumentParser
import Billing
import Foundation
import Logging
import Metering
import StewardCore
import Storage

/// `steward billing …`: price lists, invoices, closing periods, accounts, credits, budgets and the opt-in
/// credit enforcement, on the same database as `steward metering` (the ledger is what is billed).
struct BillingCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "billing", abstract: "Rating and billing from the usage ledger: prices, invoices, credits, budgets.",
    subcommands: [
      Prices.self, InvoiceCommand.self, ClosePeriod.self, Balance.self, Account.self, Credits.self, BudgetCommand.self,
      Enforce.self,
    ])

  struct PriceOptions: ParsableArguments {
    @Option(
      name: .customLong("prices"),
      help: "Price list YAML file (repeat for several; default: $STEWARD_PRICES, else ./prices.yaml).")
    var files: [String] = []

    func schedule() throws -> PriceSchedule {
      let files =
        self.files.isEmpty
        ? (ProcessInfo.processInfo.environment["STEWARD_PRICES"].map { $0.split(separator: ",").map(String.init) }
          ?? ["prices.yaml"]) : self.files
      return try PriceListLoader.schedule(files: files)
    }
  }

  /// Opens the database (metering's options and default), applies billing's migrations next to metering's.
  static func withService<T: Sendable>(
    _ store: MeteringCommand.StoreOptions, prices: PriceOptions, _ body: (BillingService) async throws -> T
  ) async throws -> T {
    let schedule = try prices.schedule()
    return try await withStores(store) { metering, billing in
      try await body(BillingService(store: billing, metering: metering, schedule: schedule))
    }
  }

  static func withStores<T: Sendable>(
    _ store: MeteringCommand.StoreOptions, _ body: (SQLMeteringStore, BillingStore) async throws -> T
  ) async throws -> T {
    try await store.withStore { metering in
      try await body(metering, try await BillingStore.open(metering.database))
    }
  }

  /// A project id or name the metering view knows, or the id of a project owning resources in it (or a
  /// billing account's id). An unknown one is refused:
  /// billing it would invent an invoice with only the flat project fee for a project that does not exist.
  static func projectID(_ text: String, in service: BillingService) async throws -> String {
    let resolved = try await MeteringCommand.projectID(text, in: service.metering)
    if resolved != text { return resolved }
    let inView = try await service.metering.read { reader in
      // A project the notifications never named (created before metering started, no resync yet) is still
      // known when it owns something in the view, e.g. the images the consumer followed.
      if try await reader.viewEntry(ResourceKey(.project, text)) != nil { return true }
      return !(try await reader.viewEntries(kind: nil, projectID: text, includeDeleted: true).isEmpty)
    }
    if inView { return text }
    if try await service.store.account(projectID: text) != nil { return text }
    throw ValidationError(
      "no project '\(text)' in the metering view or the billing accounts (run `steward metering sync`, or give its id)")
  }

  static func money(_ text: String, _ currency: String, option: String) throws -> Money {
    guard Money.isCurrencyCode(currency) else {
      throw ValidationError("--currency '\(currency)' is not an ISO 4217 code (three uppercase letters, e.g. EUR)")
    }
    guard let money = Money(text, currency) else {
      throw ValidationError("\(option) '\(text)' is not a decimal amount (e.g. 50.00)")
    }
    return money
  }

  // MARK: prices

  struct Prices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "prices", abstract: "Validate or show price lists.", subcommands: [Validate.self, Show.self])

    struct Validate: StewardSubcommand {
      static let configuration = CommandConfiguration(
        abstract: "Check price list files; every problem is reported with file:line and field (exit 2).")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "Price list YAML files (together one schedule).") var files: [String]

      func execute() async throws {
        let schedule = try PriceListLoader.schedule(files: files)
        output(
          Renderer.list(
            schedule.lists.map { list in
              [
                "Name": .string(list.name), "Currency": .string(list.currency),
                "Effective From": .string(BillingPeriod.dayFormat(list.effectiveFrom)), "Source": .string(list.source),
                "Valid": true,
              ]
            }, format: global.format))
      }
    }

    struct Show: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "Show every price of the lists, one per row.")
      @OptionGroup var global: GlobalOptions
      @Argument(help: "Price list YAML files.") var files: [String]

      func execute() async throws {
        let schedule = try PriceListLoader.schedule(files: files)
        var records: [Record] = []
        for list in schedule.lists {
          func add(_ item: String, _ unit: String, _ price: DecimalNumber?) {
            guard let price else { return }
            records.append([
              "Price List": .string(list.label), "Item": .string(item), "Unit": .string(unit),
              "Price": .string(price.description), "Currency": .string(list.currency),
            ])
          }
          for (flavor, price) in list.flavorHour.sorted(by: { $0.key < $1.key }) {
            add("flavor \(flavor)", "hour", price)
          }
          add("vCPU (other flavors)", "vCPU-hour", list.vcpuHour)
          add("RAM (other flavors)", "GiB-hour", list.ramGiBHour)
          add("root disk", "GiB-hour", list.diskGiBHour)
          add("volume", "GiB-month", list.volumeGiBMonth)
          for (type, price) in list.volumeTypeGiBMonth.sorted(by: { $0.key < $1.key }) {
            add("volume type \(type)", "GiB-month", price)
          }
          add("image", "GiB-month", list.imageGiBMonth)
          add("floating IP", "hour", list.floatingIPHour)
          add("stack fee", "period", list.stackFee)
          add("project fee", "period", list.projectFee)
          let rules = list.serverStates.rules.sorted { $0.key < $1.key }.filter {
            $0.value != list.serverStates.defaultCharge
          }
          records.append([
            "Price List": .string(list.label), "Item": "server states",
            "Unit": "state: charge",
            "Price": .string(
              (rules.map { "\($0.key)=\($0.value.rawValue)" } + ["other=\(list.serverStates.defaultCharge.rawValue)"])
                .joined(separator: " ")),
            "Currency": .string(list.currency),
          ])
          records.append([
            "Price List": .string(list.label), "Item": "rounding (per line)",
            "Unit": .string("\(list.rounding.scale) decimals"), "Price": .string(list.rounding.mode.rawValue),
            "Currency": .string(list.currency),
          ])
        }
        output(Renderer.list(records, format: global.format))
      }
    }
  }

  // MARK: invoice

  struct InvoiceCommand: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "invoice",
      abstract: "A project's invoice: the finalized one for a closed period, else a draft rated up to now.",
      discussion: "-f table|csv lists the lines with stack subtotals and the total; -f json gives the invoice document."
    )
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: MeteringCommand.StoreOptions
    @OptionGroup var prices: PriceOptions
    @Option(help: "Project id, or its name as the metering view knows it.") var project: String
    @Option(help: "Billing period YYYY-MM (default: the running one).") var period: String?
    @Option(help: "Also write the invoice as a self-contained HTML document to this file.") var html: String?
    @Option(help: "Issuer shown on the HTML invoice (repeat for address lines).") var issuer: [String] = []

    func execute() async throws {
      let invoice = try await BillingCommand.withService(store, prices: prices) { service in
        try await service.invoice(
          projectID: try await BillingCommand.projectID(project, in: service), period: period, now: Date())
      }
      if let html {
        do {
          try Data(InvoiceRenderer.html(invoice, issuer: issuer).utf8).write(to: URL(fileURLWithPath: html))
        } catch {
          throw ValidationError("cannot write \(html): \(error.localizedDescription)")
        }
      }
      switch global.format {
      case .json: output(InvoiceRenderer.json(invoice))
      case .table:
        output(Renderer.show(InvoiceRenderer.summary(invoice), format: .table))
        output(Renderer.list(InvoiceRenderer.records(invoice), columns: InvoiceRenderer.lineColumns, format: .table))
      default:
        output(
          Renderer.list(InvoiceRenderer.records(invoice), columns: InvoiceRenderer.lineColumns, format: global.format))
      }
    }
  }

  struct ClosePeriod: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "close-period",
      abstract: "Finalize a period's invoices (every account and every project with usage); they never change after.",
      discussion: """
        Refuses a period that has not ended. Late usage for a period already finalized (a late notification, a \
        resync, a correction) never changes its invoice: the difference is carried to the next invoice as \
        adjustment lines ("adjustment for 2026-11: …", positive billed, negative credited), for finalized \
        periods that started in the 12 months before, and reported on stderr. Re-running is harmless: invoices already finalized are left \
        alone; one that re-rating would now change is kept and reported, and its difference goes on the next \
        invoice.
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: MeteringCommand.StoreOptions
    @OptionGroup var prices: PriceOptions
    @Option(help: "Billing period YYYY-MM (default: the previous calendar month).") var period: String?
    @Option(help: "Only these projects (repeat).") var project: [String] = []
    @Flag(help: "Rate and show what would be finalized; write nothing.") var dryRun = false

    func execute() async throws {
      let now = Date()
      let id = period ?? BillingCycle.calendarMonth.previous(BillingCycle.calendarMonth.period(containing: now)).id
      let only = project.isEmpty ? nil : Set(project)
      let result = try await BillingCommand.withService(store, prices: prices) { service in
        try await service.closePeriod(id, projects: only, now: now, dryRun: dryRun)
      }
      if dryRun {
        let rated = result.wouldFinalize
        let total = rated.reduce(DecimalNumber.zero) { $0 + $1.total }
        let records: [Record] = rated.map { invoice in
          [
            "Invoice": .string(invoice.id), "Period": .string(invoice.period.description),
            "Total": .string(invoice.totalMoney.description), "Lines": .int(invoice.lines.count),
            "Result": "would finalize",
          ]
        }
        output(
          Renderer.list(records, columns: ["Invoice", "Period", "Total", "Lines", "Result"], format: global.format))
        for change in result.changes {
          FileHandle.standardError.write(Data("steward: \(change)\n".utf8))
        }
        FileHandle.standardError.write(
          Data(
            "dry run: \(rated.count) invoices, \(rated.reduce(0) { $0 + $1.lines.count }) lines, total \(total)\n".utf8)
        )
        return
      }
      let records: [Record] =
        result.finalized.map { ($0, "finalized") }.map(Self.record)
        + result.unchanged.map { ($0, "already final") }.map(Self.record)
      output(
        Renderer.list(
          records, columns: ["Invoice", "Period", "Total", "Finalized At", "Result"], format: global.format))
      for change in result.changes { FileHandle.standardError.write(Data("steward: \(change)\n".utf8)) }
    }

    static func record(_ item: (FinalizedInvoice, String)) -> Record {
      [
        "Invoice": .string(item.0.invoice.id), "Period": .string(item.0.invoice.period.description),
        "Total": .string(item.0.invoice.totalMoney.description),
        "Finalized At": .string(Invoice.timestamp(item.0.finalizedAt)), "Result": .string(item.1),
      ]
    }
  }

  struct Balance: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Credits minus finalized invoices minus drafts of the periods not closed yet.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: MeteringCommand.StoreOptions
    @OptionGroup var prices: PriceOptions
    @Option(help: "Project id.") var project: String

    func execute() async throws {
      let balance = try await BillingCommand.withService(store, prices: prices) { service in
        try await service.balance(projectID: try await BillingCommand.projectID(project, in: service), now: Date())
      }
      output(Renderer.show(BillingCommand.record(balance), format: global.format))
    }
  }

  static func record(_ b: Billing.Balance) -> Record {
    [
      "Project": .string(b.projectID), "Credits": .string(b.credits.description),
      "Finalized Invoices": .string(b.finalized.description), "Drafts": .string(b.draft.description),
      "Balance": .string(b.balance.description), "Exhausted": .bool(b.isExhausted),
    ]
  }

  // MARK: accounts

  struct Account: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Billing accounts: cycle and the opt-in enforcement policy.", subcommands: [Set.self, List.self])

    struct Set: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "Create or update a project's billing account.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions
      @Option(help: "Project id.") var project: String
      @Option(help: "Customer name shown on invoices.") var name: String?
      @Option(help: "Day of the month periods start (1-28; default 1: calendar months).") var anchorDay: Int?
      @Option(help: "When credit is exhausted: none, stop or shelve the project's servers (steward billing enforce).")
      var enforcement: EnforcementPolicy?

      func execute() async throws {
        let saved = try await BillingCommand.withStores(store) { _, billing in
          var account =
            try await billing.account(projectID: project) ?? BillingAccount(projectID: project, createdAt: Date())
          if let name { account.name = name }
          if let anchorDay { account.cycle = try BillingCycle(anchorDay: anchorDay) }
          if let enforcement { account.enforcement = enforcement }
          return try await billing.save(account: account)
        }
        output(Renderer.show(Account.record(saved), format: global.format))
      }
    }

    struct List: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "List billing accounts.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions

      func execute() async throws {
        let accounts = try await BillingCommand.withStores(store) { _, billing in try await billing.accounts() }
        output(Renderer.list(accounts.map(Account.record), format: global.format))
      }
    }

    static func record(_ a: BillingAccount) -> Record {
      [
        "Project": .string(a.projectID), "Name": .optional(a.name), "Anchor Day": .int(a.cycle.anchorDay),
        "Enforcement": .string(a.enforcement.rawValue), "Created": .string(Invoice.timestamp(a.createdAt)),
      ]
    }
  }

  // MARK: credits

  struct Credits: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Prepaid credit: add (negative amounts correct) and list.", subcommands: [Add.self, List.self])

    struct Add: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "Book a credit for a project.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions
      @Option(help: "Project id.") var project: String
      @Option(help: "Amount, e.g. 50.00 (negative to correct an earlier credit).") var amount: String
      @Option(help: "ISO 4217 currency code (must be the price lists').") var currency: String
      @Option(help: "Why (shown in the list).") var reason: String = "prepaid credit"

      func execute() async throws {
        let money = try BillingCommand.money(amount, currency, option: "--amount")
        let credit = try await BillingCommand.withStores(store) { _, billing in
          try await billing.addCredit(projectID: project, amount: money, reason: reason, at: Date())
        }
        output(Renderer.show(Credits.record(credit), format: global.format))
      }
    }

    struct List: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "List credits (optionally of one project).")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions
      @Option(help: "Project id.") var project: String?

      func execute() async throws {
        let credits = try await BillingCommand.withStores(store) { _, billing in
          try await billing.credits(projectID: project)
        }
        output(Renderer.list(credits.map(Credits.record), format: global.format))
      }
    }

    static func record(_ c: Credit) -> Record {
      [
        "ID": .int(Int(c.id)), "Project": .string(c.projectID), "Amount": .string(c.amount.amount.description),
        "Currency": .string(c.amount.currency), "Reason": .string(c.reason),
        "Created": .string(Invoice.timestamp(c.createdAt)),
      ]
    }
  }

  // MARK: budgets

  struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "budget", abstract: "Budgets per period with alert thresholds.",
      subcommands: [Set.self, List.self, Check.self, Events.self])

    struct Set: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "Set a project's budget per billing period.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions
      @Option(help: "Project id.") var project: String
      @Option(help: "Budget per period, e.g. 500.00.") var amount: String
      @Option(help: "ISO 4217 currency code.") var currency: String
      @Option(
        name: .customLong("threshold"), help: "Alert at this percentage of the budget (repeat; default 50, 80, 100).")
      var thresholds: [Int] = []
      @Option(help: "Webhook URL the threshold events are POSTed to (JSON).") var webhook: String?

      func execute() async throws {
        let budget = try Budget(
          projectID: project, amount: try BillingCommand.money(amount, currency, option: "--amount"),
          thresholds: thresholds.isEmpty ? [50, 80, 100] : thresholds, webhookURL: webhook)
        let saved = try await BillingCommand.withStores(store) { _, billing in
          try await billing.save(budget: budget, at: Date())
        }
        output(Renderer.show(BudgetCommand.record(saved), format: global.format))
      }
    }

    struct List: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "List budgets.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions

      func execute() async throws {
        let budgets = try await BillingCommand.withStores(store) { _, billing in try await billing.budgets() }
        output(Renderer.list(budgets.map(BudgetCommand.record), format: global.format))
      }
    }

    struct Check: StewardSubcommand {
      static let configuration = CommandConfiguration(
        abstract:
          "Compare spending with budgets; record and notify (log, webhook) thresholds crossed for the first time.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions
      @OptionGroup var prices: PriceOptions

      func execute() async throws {
        LoggingBootstrap.enableInfo(debug: global.debug)
        let events = try await BillingCommand.withService(store, prices: prices) { service in
          try await service.checkBudgets(now: Date(), notifier: WebhookBudgetNotifier())
        }
        output(Renderer.list(events.map(BudgetCommand.record), format: global.format))
      }
    }

    struct Events: StewardSubcommand {
      static let configuration = CommandConfiguration(abstract: "List recorded threshold events.")
      @OptionGroup var global: GlobalOptions
      @OptionGroup var store: MeteringCommand.StoreOptions
      @Option(help: "Project id.") var project: String?

      func execute() async throws {
        let events = try await BillingCommand.withStores(store) { _, billing in
          try await billing.budgetEvents(projectID: project)
        }
        output(Renderer.list(events.map(BudgetCommand.record), format: global.format))
      }
    }

    static func record(_ b: Budget) -> Record {
      [
        "Project": .string(b.projectID), "Amount": .string(b.amount.amount.description),
        "Currency": .string(b.amount.currency),
        "Thresholds": .string(b.thresholds.map { "\($0)%" }.joined(separator: " ")), "Webhook": .optional(b.webhookURL),
      ]
    }

    static func record(_ e: BudgetEvent) -> Record {
      [
        "Project": .string(e.projectID), "Period": .string(e.period), "Threshold": .string("\(e.threshold)%"),
        "Spent": .string(e.spent.description), "Budget": .string(e.budget.description),
        "Recorded": .string(Invoice.timestamp(e.recordedAt)),
      ]
    }
  }

  // MARK: enforcement

  struct Enforce: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Stop or shelve servers of opted-in projects whose credit is exhausted (plan only without --apply).",
      discussion: """
        Only accounts with `steward billing account set --enforcement stop|shelve` are considered. The plan \
        lists each server and why; --apply carries it out through Nova with the (admin) cloud of --os-cloud.
        """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: MeteringCommand.StoreOptions
    @OptionGroup var prices: PriceOptions
    @Flag(help: "Carry out the plan (default: dry run, print it only).") var apply = false

    func execute() async throws {
      let (plan, steps) = try await BillingCommand.withService(store, prices: prices) { service in
        try await service.enforcementPlan(now: Date())
      }
      output(plan.render(format: global.format))
      guard apply, !steps.isEmpty else { return }
      let report = try await global.withSession { session in
        await BillingService.applyEnforcement(steps, session: session)
      }
      output(report.render(format: global.format))
      if !report.succeeded { throw ExitCode(1) }
    }
  }
}

extension EnforcementPolicy: ExpressibleByArgument {}

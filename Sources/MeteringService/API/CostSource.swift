import Foundation
import Metering

/// An amount of money for display and JSON: the exact decimal as text (never a Double) and its currency.
public struct CostFigure: Sendable, Hashable, Codable {
  public var amount: String
  public var currency: String

  public init(amount: String, currency: String) {
    self.amount = amount
    self.currency = currency
  }

  /// `12.34 EUR`.
  public var display: String { "\(amount) \(currency)" }
  /// For charts and sorting only; money arithmetic never goes through it.
  public var approximate: Double { Double(amount) ?? 0 }
}

/// A project's billing state for the overview: credit balance and budget use.
public struct BillingState: Sendable, Hashable {
  public var credit: CostFigure?
  /// The budget for the period, and the share of it used (0…, may exceed 1).
  public var budget: CostFigure?
  public var budgetUsed: Double?
  /// Thresholds crossed this period (e.g. `80%`).
  public var crossedThresholds: [String]

  public init(
    credit: CostFigure? = nil, budget: CostFigure? = nil, budgetUsed: Double? = nil, crossedThresholds: [String] = []
  ) {
    self.credit = credit
    self.budget = budget
    self.budgetUsed = budgetUsed
    self.crossedThresholds = crossedThresholds
  }
}

/// Where the service's money figures come from: the billing library rating the ledger with the price list.
/// Without one the service shows usage only (cost columns say "no price list").
public protocol CostSource: Sendable {
  /// Each project's cost over [from, min(to, now)).
  func projectCosts(from: Date, to: Date, now: Date) async throws -> [String: CostFigure]
  /// One project's cost per resource over the window.
  func resourceCosts(projectID: String, from: Date, to: Date, now: Date) async throws -> [ResourceKey: CostFigure]
  /// One project's cost per day (UTC) over the window, for the chart.
  func dailyCosts(projectID: String, from: Date, to: Date, now: Date) async throws -> [(day: Date, cost: CostFigure)]
  /// Credit and budget state of every project with an account.
  func billingStates(now: Date) async throws -> [String: BillingState]
}

/// An invoice as the dashboard and the API show it (amounts already formatted exactly by the billing side).
public struct InvoiceView: Sendable, Hashable {
  public struct Line: Sendable, Hashable {
    public var resource: String
    public var description: String
    public var quantity: String
    public var unitPrice: String
    public var amount: String

    public init(resource: String, description: String, quantity: String, unitPrice: String, amount: String) {
      self.resource = resource
      self.description = description
      self.quantity = quantity
      self.unitPrice = unitPrice
      self.amount = amount
    }
  }

  /// `2026-11`.
  public var period: String
  /// `draft` or `final`.
  public var state: String
  public var total: CostFigure
  public var lines: [Line]

  public init(period: String, state: String, total: CostFigure, lines: [Line]) {
    self.period = period
    self.state = state
    self.total = total
    self.lines = lines
  }
}

/// The price list in force, as rows for display.
public struct PriceListView: Sendable, Hashable {
  public struct Item: Sendable, Hashable {
    public var item: String
    public var unit: String
    public var price: String

    public init(item: String, unit: String, price: String) {
      self.item = item
      self.unit = unit
      self.price = price
    }
  }

  public var currency: String
  public var effectiveFrom: String
  public var items: [Item]

  public init(currency: String, effectiveFrom: String, items: [Item]) {
    self.currency = currency
    self.effectiveFrom = effectiveFrom
    self.items = items
  }
}

/// Invoices and the price list for the dashboard's pages.
public protocol BillingViews: Sendable {
  /// The draft of the running period first, then finalized invoices, newest first.
  func invoices(projectID: String, now: Date) async throws -> [InvoiceView]
  func priceLists() async throws -> [PriceListView]
}

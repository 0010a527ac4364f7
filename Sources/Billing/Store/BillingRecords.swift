import Foundation

/// A project's billing account (team, in Concertim's terms): when its periods start and what happens when its
/// credit runs out.
public struct BillingAccount: Sendable, Hashable, Codable {
  public var projectID: String
  public var name: String?
  public var cycle: BillingCycle
  /// What `steward billing enforce` may do to the project's servers once its balance is exhausted. `none`
  /// unless the operator opts in per account.
  public var enforcement: EnforcementPolicy
  public var createdAt: Date

  public init(
    projectID: String, name: String? = nil, cycle: BillingCycle = .calendarMonth,
    enforcement: EnforcementPolicy = .none, createdAt: Date
  ) {
    self.projectID = projectID
    self.name = name
    self.cycle = cycle
    self.enforcement = enforcement
    self.createdAt = createdAt
  }
}

public enum EnforcementPolicy: String, Sendable, Hashable, Codable, CaseIterable {
  case none
  /// Stop (power off) active servers: disks kept, most charges stop.
  case stop
  /// Shelve active servers: disk billing only, the hypervisor freed.
  case shelve
}

/// A finalized invoice as stored: its canonical content and when it was finalized.
public struct FinalizedInvoice: Sendable, Hashable {
  public var invoice: Invoice
  public var finalizedAt: Date
  /// The canonical JSON bytes stored (what the immutability check compares).
  public var content: Data
}

/// Prepaid credit (positive) or a correction (negative). Credits are append-only: a mistake is corrected with
/// another credit, never edited away.
public struct Credit: Sendable, Hashable, Codable {
  public var id: Int64
  public var projectID: String
  public var amount: Money
  public var reason: String
  public var createdAt: Date
}

/// A spending limit per billing period with alert thresholds in percent of `amount` (e.g. 50, 80, 100).
public struct Budget: Sendable, Hashable, Codable {
  public var projectID: String
  public var amount: Money
  public var thresholds: [Int]
  /// Where threshold events are POSTed (JSON); nil logs only.
  public var webhookURL: String?

  public init(projectID: String, amount: Money, thresholds: [Int] = [50, 80, 100], webhookURL: String? = nil)
    throws(BillingError)
  {
    guard !amount.amount.isNegative, !amount.amount.isZero else {
      throw .invalidInput("budget amount must be positive, got \(amount)")
    }
    guard !thresholds.isEmpty, thresholds.allSatisfy({ (1...1000).contains($0) }) else {
      throw .invalidInput("budget thresholds must be percentages between 1 and 1000")
    }
    if let webhookURL {
      guard let url = URL(string: webhookURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
        throw .invalidInput("webhook '\(webhookURL)' is not an http(s) URL")
      }
    }
    self.projectID = projectID
    self.amount = amount
    self.thresholds = Array(Set(thresholds)).sorted()
    self.webhookURL = webhookURL
  }

  /// The amount at which `threshold` percent is reached.
  public func limit(_ threshold: Int) -> DecimalNumber {
    amount.amount.multiplied(by: Int128(threshold), dividedBy: 100, scale: max(amount.amount.scale, 2), .halfEven)
  }
}

/// A threshold crossed in one period; recorded once (the store's key is project, period, threshold).
public struct BudgetEvent: Sendable, Hashable, Codable {
  public var projectID: String
  public var period: String
  public var threshold: Int
  public var budget: Money
  public var spent: Money
  public var recordedAt: Date

  public init(projectID: String, period: String, threshold: Int, budget: Money, spent: Money, recordedAt: Date) {
    self.projectID = projectID
    self.period = period
    self.threshold = threshold
    self.budget = budget
    self.spent = spent
    self.recordedAt = recordedAt
  }
}

/// `credits - finalized invoices - drafts` (drafts: periods not closed yet, the running one included).
public struct Balance: Sendable, Hashable, Codable {
  public var projectID: String
  public var credits: Money
  public var finalized: Money
  public var draft: Money
  public var balance: Money

  public init(projectID: String, credits: Money, finalized: Money, draft: Money, balance: Money) {
    self.projectID = projectID
    self.credits = credits
    self.finalized = finalized
    self.draft = draft
    self.balance = balance
  }

  public var isExhausted: Bool { balance.amount.isNegative || balance.amount.isZero }
}

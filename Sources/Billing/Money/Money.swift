/// An amount in one currency (ISO 4217 code such as `EUR`). Arithmetic between different currencies is a
/// programming error the caller must rule out first (`BillingError.currencyMismatch`), so only the checked
/// `adding(_:)` is offered; invoices and balances keep one currency throughout.
public struct Money: Sendable, Hashable, Codable, CustomStringConvertible {
  public var amount: DecimalNumber
  public var currency: String

  public init(_ amount: DecimalNumber, _ currency: String) {
    self.amount = amount
    self.currency = currency
  }

  /// Parses the amount text (`"12.50"`); nil when it is not a decimal.
  public init?(_ text: String, _ currency: String) {
    guard let amount = DecimalNumber(text) else { return nil }
    self.init(amount, currency)
  }

  public static func zero(_ currency: String) -> Money { Money(.zero, currency) }

  public func adding(_ other: Money) throws(BillingError) -> Money {
    guard other.currency == currency else { throw .currencyMismatch(currency, other.currency) }
    return Money(amount + other.amount, currency)
  }

  public func subtracting(_ other: Money) throws(BillingError) -> Money {
    try adding(Money(other.amount.negated, other.currency))
  }

  /// `12.30 EUR`.
  public var description: String { "\(amount) \(currency)" }

  /// Whether `code` looks like an ISO 4217 code: three uppercase letters.
  public static func isCurrencyCode(_ code: String) -> Bool {
    code.count == 3 && code.allSatisfy { $0.isASCII && $0.isUppercase }
  }
}

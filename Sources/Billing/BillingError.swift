/// Billing's failures, each with the facts an operator needs; the CLI maps `isInputError` to exit code 2.
public enum BillingError: Error, Sendable, Equatable, CustomStringConvertible {
  case currencyMismatch(String, String)
  /// A price list that does not validate; every issue names file, line and field.
  case invalidPriceList([PriceListIssue])
  case noPriceList(String)
  case invalidPeriod(String)
  case invalidInput(String)
  /// A finalized invoice exists and differs from what was asked to be written.
  case immutable(String)
  case notFound(String)

  public var description: String {
    switch self {
    case .currencyMismatch(let a, let b): return "currency mismatch: \(a) and \(b)"
    case .invalidPriceList(let issues):
      return "invalid price list:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    case .noPriceList(let message), .invalidPeriod(let message), .invalidInput(let message),
      .immutable(let message), .notFound(let message):
      return message
    }
  }

  /// Bad configuration or input (exit code 2) rather than a failed operation (1).
  public var isInputError: Bool {
    switch self {
    case .immutable, .notFound: return false
    default: return true
    }
  }
}

/// Why a leasing operation was refused, in esi-leap's words; the HTTP layer maps the kind to a status code.
public struct LeasingError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    case invalidInput
    case notFound
    case forbidden
    case conflict
    case unavailable
  }

  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }

  static func invalid(_ message: String) -> LeasingError { LeasingError(.invalidInput, message) }

  static func invalidTimeRange(_ resource: String, _ window: TimeWindow) -> LeasingError {
    .invalid(
      "Attempted to create \(resource) resource with an invalid Start Time and End Time. Start Time must be strictly less than End Time. Got \(LeasingDate.format(window.start)), \(LeasingDate.format(window.end))."
    )
  }

  static func offerNotFound(_ ident: String) -> LeasingError {
    LeasingError(.notFound, "Offer with name or uuid \(ident) not found.")
  }

  static func leaseNotFound(_ ident: String) -> LeasingError {
    LeasingError(.notFound, "Lease with name or uuid \(ident) not found.")
  }

  static func accessDenied(_ type: String, _ ident: String) -> LeasingError {
    LeasingError(.forbidden, "Access was denied to \(type) \(ident).")
  }

  static func ruleDenied(_ rule: String) -> LeasingError {
    LeasingError(.forbidden, "Access was denied to \(rule).")
  }

  static func timeConflict(_ type: String, _ uuid: String) -> LeasingError {
    LeasingError(.conflict, "Time conflict for \(type) \(uuid).")
  }
}

/// What went wrong in the database layer, in terms a caller can act on: a conflict can be retried or reported as
/// 409, a constraint names what was violated, everything else is an internal failure with its cause.
public struct StorageError: Error, CustomStringConvertible, Sendable {
  public enum Kind: Sendable, Equatable {
    /// Bad database URL or path.
    case configuration
    /// A concurrent transaction won (serialization failure or deadlock) and retries ran out.
    case conflict
    /// A unique, foreign key or check constraint refused the write.
    case constraint
    /// A migration failed or the schema is newer than this program.
    case migration
    /// A row could not be read as the type asked for.
    case decoding
    /// Anything else the database said.
    case database
  }

  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  static func decoding(_ message: String) -> StorageError { StorageError(.decoding, message) }

  public var description: String { message }
}

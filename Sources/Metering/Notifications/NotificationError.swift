/// Why a message could not be turned into a `OpenStackNotification`. Malformed messages go to the dead-letter
/// table with this error (and are acked), so the description names the field that was wrong.
public enum NotificationError: Error, Sendable, Hashable {
  /// Not JSON, or JSON that is not an object (the body, or the string inside `oslo.message`).
  case invalidJSON(String)
  /// An `oslo.version` this parser does not know (only "2.0" exists today).
  case unsupportedEnvelope(version: String)
  /// A field every notification (or this event type) needs is absent or null.
  case missingField(eventType: String?, field: String)
  /// A field has the wrong type or an unparseable value.
  case invalidField(eventType: String?, field: String, reason: String)
}

extension NotificationError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .invalidJSON(let reason): return "not a JSON notification: \(reason)"
    case .unsupportedEnvelope(let version): return "unsupported oslo.messaging envelope version \(version)"
    case .missingField(let type, let field): return "\(type.map { "\($0): " } ?? "")missing field \(field)"
    case .invalidField(let type, let field, let reason):
      return "\(type.map { "\($0): " } ?? "")invalid field \(field): \(reason)"
    }
  }
}

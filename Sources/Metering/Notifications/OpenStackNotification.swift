import Foundation

/// One OpenStack notification, unwrapped from its oslo.messaging envelope, with the typed event the
/// metering layer applies. `messageID` is what deduplication keys on; `timestamp` (when the service
/// emitted it) decides between out-of-order events, never the arrival order.
public struct OpenStackNotification: Sendable, Hashable {
  public var messageID: String
  public var eventType: String
  public var publisherID: String
  /// INFO, WARN, ERROR… as the service set it (oslo uppercases it, older services used lowercase).
  public var priority: String?
  public var timestamp: Date
  /// `_context_request_id` (unversioned) or the payload's `request_id` (nova versioned): ties the event
  /// to the API call that caused it.
  public var requestID: String?
  public var payload: JSONValue
  public var event: MeteringEvent

  public init(
    messageID: String, eventType: String, publisherID: String, priority: String?, timestamp: Date,
    requestID: String?, payload: JSONValue, event: MeteringEvent
  ) {
    self.messageID = messageID
    self.eventType = eventType
    self.publisherID = publisherID
    self.priority = priority
    self.timestamp = timestamp
    self.requestID = requestID
    self.payload = payload
    self.event = event
  }

  /// Parses an AMQP message body: either oslo.messaging's envelope
  /// `{"oslo.version": "2.0", "oslo.message": "<the message as a JSON string>"}` (what messagingv2
  /// sends) or the message itself (the `messaging` driver, and replays). Unknown event types parse to
  /// `.unknown`; anything that is not a well-formed notification throws `NotificationError`.
  public static func parse(_ body: some Collection<UInt8>) throws(NotificationError) -> OpenStackNotification {
    let envelope: JSONValue
    let inner: [UInt8]?
    do {
      (envelope, inner) = try JSONParser.parse(Array(body), rawMember: "oslo.message")
    } catch {
      throw .invalidJSON(error.description)
    }
    guard case .object(var message) = envelope else { throw .invalidJSON("expected a JSON object") }
    if let version = message["oslo.version"] {
      guard version.string == "2.0" else { throw .unsupportedEnvelope(version: version.description) }
      guard let inner else { throw .missingField(eventType: nil, field: "oslo.message") }
      message = try decodeObject(inner)
    } else if let inner {
      // Not an envelope: a message that happens to have a string member "oslo.message" keeps it.
      message["oslo.message"] = .string(String(decoding: inner, as: UTF8.self))
    }
    return try parse(message: message)
  }

  static func parse(message: [String: JSONValue]) throws(NotificationError) -> OpenStackNotification {
    let top = PayloadFields(message, path: "", eventType: nil)
    let eventType = try top.string("event_type")
    let fields = PayloadFields(message, path: "", eventType: eventType)
    let messageID = try fields.string("message_id")
    let publisherID = try fields.optionalString("publisher_id") ?? ""
    guard let timestamp = try fields.date("timestamp") else {
      throw .missingField(eventType: eventType, field: "timestamp")
    }
    guard let payload = message["payload"], !payload.isNull else {
      throw .missingField(eventType: eventType, field: "payload")
    }
    guard case .object(let payloadObject) = payload else {
      throw .invalidField(eventType: eventType, field: "payload", reason: "expected an object")
    }
    let payloadFields = PayloadFields(payloadObject, path: "payload", eventType: eventType)
    var requestID = try fields.optionalString("_context_request_id")
    if requestID == nil { requestID = try payloadFields.fields("nova_object.data")?.optionalString("request_id") }
    let event = try MeteringEvent.parse(eventType: eventType, payload: payloadFields)
    return OpenStackNotification(
      messageID: messageID, eventType: eventType, publisherID: publisherID,
      priority: try fields.optionalString("priority"), timestamp: timestamp, requestID: requestID, payload: payload,
      event: event)
  }

  private static func decodeObject(_ bytes: [UInt8]) throws(NotificationError) -> [String: JSONValue] {
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      throw .invalidJSON(error.description)
    }
    guard case .object(let object) = value else { throw .invalidJSON("expected a JSON object") }
    return object
  }
}

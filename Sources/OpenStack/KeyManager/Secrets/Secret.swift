public struct Secret: Decodable, Sendable {
  public let secretRef: String
  public let name: String?
  public let secretType: String?
  public let status: String?

  /// The UUID at the end of `secret_ref`.
  public var id: String { Self.id(fromRef: secretRef) }

  static func id(fromRef ref: String) -> String {
    String(ref.split(separator: "/").last ?? Substring(ref))
  }

  enum CodingKeys: String, CodingKey {
    case secretRef = "secret_ref"
    case name
    case secretType = "secret_type"
    case status
  }
}

public struct SecretCreate: Encodable, Sendable {
  public var name: String
  public var payload: String
  public var payloadContentType: String
  public var secretType: String

  public init(name: String, payload: String, payloadContentType: String = "text/plain", secretType: String = "opaque") {
    self.name = name
    self.payload = payload
    self.payloadContentType = payloadContentType
    self.secretType = secretType
  }

  enum CodingKeys: String, CodingKey {
    case name
    case payload
    case payloadContentType = "payload_content_type"
    case secretType = "secret_type"
  }
}

import Foundation

/// A Nova key pair. Key pairs belong to a user, not a project; `privateKey` is set only in the answer to a
/// create that let Nova generate the key (microversions below 2.92).
public struct Keypair: Decodable, Sendable, Equatable {
  public let name: String
  public let publicKey: String?
  public let fingerprint: String?
  public let type: String?
  public let userID: String?
  public let privateKey: String?

  enum CodingKeys: String, CodingKey {
    case name, fingerprint, type
    case publicKey = "public_key"
    case userID = "user_id"
    case privateKey = "private_key"
  }
}

public struct KeypairCreate: Encodable, Sendable {
  public var name: String
  /// nil asks Nova to generate the key (refused from microversion 2.92 on).
  public var publicKey: String?
  /// `ssh` (default) or `x509`.
  public var type: String?

  public init(name: String, publicKey: String? = nil, type: String? = nil) {
    self.name = name
    self.publicKey = publicKey
    self.type = type
  }

  enum CodingKeys: String, CodingKey {
    case name, type
    case publicKey = "public_key"
  }
}

import Foundation
import NIOHTTP1

/// Masks secrets before anything is logged: token headers and the JSON keys that carry passwords,
/// application credential secrets and admin passwords.
enum Redaction {
  static let secretHeaders: Set<String> = ["x-auth-token", "x-subject-token", "x-service-token", "authorization"]
  static let secretKeys = [
    "password", "secret", "adminPass", "admin_pass", "original_password", "token", "id_token",
    "application_credential_secret", "access_token", "refresh_token",
  ]

  static func headers(_ headers: HTTPHeaders) -> String {
    headers.map { name, value in
      let shown = secretHeaders.contains(name.lowercased()) ? "***" : value
      return "\(name): \(shown)"
    }.joined(separator: "; ")
  }

  static func body(_ data: Data) -> String {
    var text = String(decoding: data, as: UTF8.self)
    for key in secretKeys {
      text = text.replacingOccurrences(
        of: "\"\(key)\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"", with: "\"\(key)\": \"***\"",
        options: .regularExpression)
    }
    // `"token": {"id": "…"}` in token-method authentication.
    text = text.replacingOccurrences(
      of: "(\"token\"\\s*:\\s*\\{\\s*\"id\"\\s*:\\s*)\"[^\"]*\"", with: "$1\"***\"",
      options: .regularExpression)
    return text
  }
}

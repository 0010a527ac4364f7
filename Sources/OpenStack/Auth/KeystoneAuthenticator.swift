import Foundation
import NIOHTTP1

/// Turns a cloud's auth settings into a Keystone v3 token request and its answer into a `Token`.
/// Pure request building lives here so it can be unit-tested; the session sends it.
struct KeystoneAuthenticator: Sendable {
  let settings: AuthSettings
  let authType: AuthType

  /// `POST /v3/auth/tokens` body for the configured method and scope.
  func requestBody() -> JSONValue {
    var identity: [String: JSONValue] = [:]
    switch authType {
    case .password:
      var user: [String: JSONValue] = ["password": .string(settings.password ?? "")]
      if let id = settings.userID {
        user["id"] = .string(id)
      } else {
        user["name"] = .string(settings.username ?? "")
        user["domain"] = domainReference(id: settings.userDomainID, name: settings.userDomainName)
      }
      identity = ["methods": ["password"], "password": .object(["user": .object(user)])]
    case .applicationCredential:
      var credential: [String: JSONValue] = ["secret": .string(settings.applicationCredentialSecret ?? "")]
      if let id = settings.applicationCredentialID {
        credential["id"] = .string(id)
      } else {
        credential["name"] = .string(settings.applicationCredentialName ?? "")
        var user: [String: JSONValue] = [:]
        if let id = settings.userID {
          user["id"] = .string(id)
        } else {
          user["name"] = .string(settings.username ?? "")
          user["domain"] = domainReference(id: settings.userDomainID, name: settings.userDomainName)
        }
        credential["user"] = .object(user)
      }
      identity = ["methods": ["application_credential"], "application_credential": .object(credential)]
    case .token:
      identity = ["methods": ["token"], "token": .object(["id": .string(settings.token ?? "")])]
    }
    var auth: [String: JSONValue] = ["identity": .object(identity)]
    // An application credential carries its own scope; Keystone refuses another.
    if authType != .applicationCredential, let scope = scope() {
      auth["scope"] = scope
    }
    return .object(["auth": .object(auth)])
  }

  func scope() -> JSONValue? {
    if let id = settings.projectID {
      return .object(["project": .object(["id": .string(id)])])
    }
    if let name = settings.projectName {
      return .object([
        "project": .object([
          "name": .string(name),
          "domain": domainReference(id: settings.projectDomainID, name: settings.projectDomainName),
        ])
      ])
    }
    if let id = settings.domainID {
      return .object(["domain": .object(["id": .string(id)])])
    }
    if let name = settings.domainName {
      return .object(["domain": .object(["name": .string(name)])])
    }
    if let system = settings.systemScope {
      return .object(["system": .object([system: true])])
    }
    return nil
  }

  private func domainReference(id: String?, name: String?) -> JSONValue {
    if let id { return .object(["id": .string(id)]) }
    return .object(["name": .string(name ?? "Default")])
  }

  /// Resolves the identity v3 base from `auth_url`: used as is when it names `/v3`, otherwise by
  /// version discovery on the given URL (`versions.values[].links[rel=self]`), else `<auth_url>/v3`.
  static func identityBase(authURL: String, discovered: Data?) -> URL? {
    let trimmed = authURL.hasSuffix("/") ? String(authURL.dropLast()) : authURL
    if trimmed.hasSuffix("/v3") { return URL(string: trimmed) }
    if let discovered, let document = try? JSONDecoder().decode(JSONValue.self, from: discovered) {
      var entries: [JSONValue] = []
      if let values = document["versions"]?["values"]?.arrayValue {
        entries = values
      } else if let values = document["versions"]?.arrayValue {
        entries = values
      } else if let single = document["version"] {
        entries = [single]
      }
      for entry in entries where entry["id"]?.stringValue?.hasPrefix("v3") == true {
        let links = entry["links"]?.arrayValue ?? []
        if let href = links.first(where: { $0["rel"]?.stringValue == "self" })?["href"]?.stringValue {
          return URL(string: href.hasSuffix("/") ? String(href.dropLast()) : href)
        }
      }
    }
    return URL(string: trimmed + "/v3")
  }
}

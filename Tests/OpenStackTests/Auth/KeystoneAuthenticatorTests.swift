import Foundation
import Testing

@testable import OpenStack

@Suite struct KeystoneAuthenticatorTests {
  func settings(_ configure: (inout AuthSettings) -> Void) -> AuthSettings {
    var settings = AuthSettings(authURL: "http://k:5000/v3")
    configure(&settings)
    return settings
  }

  @Test func passwordWithProjectScopeByName() {
    let body = KeystoneAuthenticator(
      settings: settings {
        $0.username = "admin"
        $0.password = "pw"
        $0.userDomainName = "Default"
        $0.projectName = "admin"
        $0.projectDomainID = "default"
      }, authType: .password
    ).requestBody()
    let expected: JSONValue = [
      "auth": [
        "identity": [
          "methods": ["password"],
          "password": ["user": ["name": "admin", "password": "pw", "domain": ["name": "Default"]]],
        ],
        "scope": ["project": ["name": "admin", "domain": ["id": "default"]]],
      ]
    ]
    #expect(body == expected)
  }

  @Test func passwordWithUserIDAndDomainScope() {
    let body = KeystoneAuthenticator(
      settings: settings {
        $0.userID = "u1"
        $0.password = "pw"
        $0.domainID = "d1"
      }, authType: .password
    ).requestBody()
    #expect(body["auth"]?["identity"]?["password"]?["user"] == ["id": "u1", "password": "pw"])
    #expect(body["auth"]?["scope"] == ["domain": ["id": "d1"]])
  }

  @Test func unscopedWhenNothingNamed() {
    let body = KeystoneAuthenticator(
      settings: settings {
        $0.username = "u"
        $0.password = "pw"
        $0.userDomainID = "default"
      }, authType: .password
    ).requestBody()
    #expect(body["auth"]?["scope"] == nil)
  }

  @Test func identityBaseFromDiscovery() {
    let document = Data(
      #"{"versions": {"values": [{"id": "v3.14", "status": "stable", "links": [{"rel": "self", "href": "http://k:5000/v3/"}]}]}}"#
        .utf8)
    #expect(
      KeystoneAuthenticator.identityBase(authURL: "http://k:5000", discovered: document)?.absoluteString
        == "http://k:5000/v3")
    #expect(
      KeystoneAuthenticator.identityBase(authURL: "http://k:5000/v3/", discovered: nil)?.absoluteString
        == "http://k:5000/v3")
    #expect(
      KeystoneAuthenticator.identityBase(authURL: "http://k/identity", discovered: nil)?.absoluteString
        == "http://k/identity/v3")
  }
}

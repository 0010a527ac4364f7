import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import MeteringService

@Suite("Dashboard pages")
struct DashboardTests {
  typealias F = MeteringServiceFixture

  static func form(_ fields: [String: String]) -> ByteBuffer {
    ByteBuffer(
      string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }
        .joined(separator: "&"))
  }

  static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

  /// Signs in and returns the Cookie header value.
  static func signIn(_ client: some TestClientProtocol, _ user: String, _ password: String) async throws -> String {
    try await client.execute(
      uri: "/dashboard/login", method: .post, headers: formHeaders,
      body: form(["username": user, "password": password, "project": "", "domain": "Default"])
    ) { response in
      #expect(response.status == .seeOther)
      #expect(response.headers[.location] == "/dashboard")
      let cookie = try #require(response.headers[.setCookie])
      #expect(cookie.contains("HttpOnly"))
      #expect(cookie.contains("SameSite=Strict"))
      #expect(cookie.contains("Path=/dashboard"))
      return String(cookie.prefix { $0 != ";" })
    }
  }

  @Test func signInFormAndRefusals() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        try await client.execute(uri: "/dashboard", method: .get) { response in
          #expect(response.status == .seeOther)
          #expect(response.headers[.location] == "/dashboard/login")
        }
        try await client.execute(uri: "/dashboard/login", method: .get) { response in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("<form method=\"post\" action=\"/dashboard/login\""))
          #expect(page.contains("name=\"password\" type=\"password\""))
          #expect(!page.contains("http://") || page.contains("http://www.w3.org"))  // nothing from elsewhere
        }
        try await client.execute(
          uri: "/dashboard/login", method: .post, headers: Self.formHeaders,
          body: Self.form(["username": "alice", "password": "wrong-guess"])
        ) { response in
          #expect(response.status == .unauthorized)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"login-error\""))
          #expect(!page.contains("wrong-guess"))
          #expect(page.contains("value=\"alice\""))
        }
        try await client.execute(
          uri: "/dashboard/login", method: .post, headers: Self.formHeaders, body: Self.form(["username": "alice"])
        ) { #expect($0.status == .badRequest) }
        // A forged cookie is no session.
        try await client.execute(
          uri: "/dashboard", method: .get, headers: [.cookie: "steward_session=0123456789abcdef"]
        ) { #expect($0.status == .seeOther) }
      }
    }
  }

  @Test func overviewProjectPageAndLogout() async throws {
    try await F.with { f in
      try await f.server.application.test(.router) { client in
        let admin = try await Self.signIn(client, "root", "root-secret")
        try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: admin]) { response in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"project-\(F.alpha)\""))
          #expect(page.contains("id=\"project-\(F.beta)\""))
          #expect(page.contains(">alpha</a>"))
          #expect(page.contains("<td class=\"num servers\">2</td>"))
          #expect(page.contains("id=\"no-prices\""))
        }
        let alice = try await Self.signIn(client, "alice", "alice-secret")
        try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: alice]) { response in
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"project-\(F.alpha)\""))
          #expect(!page.contains("id=\"project-\(F.beta)\""))
        }
        let csrf = try await client.execute(
          uri: "/dashboard/projects/\(F.alpha)", method: .get, headers: [.cookie: alice]
        ) { response -> String in
          #expect(response.status == .ok)
          let page = String(buffer: response.body)
          #expect(page.contains("id=\"rack-stack-web\""))
          #expect(page.contains("<strong class=\"name\">web-1</strong>"))
          #expect(page.contains("class=\"device active\" id=\"device-srv-web-1\""))
          #expect(page.contains("class=\"device stopped\" id=\"device-srv-web-2\""))
          // The attached volume sits in the rack of its server; the floating IP outside.
          let rack = page.components(separatedBy: "id=\"rack-stack-web\"")[1].components(separatedBy: "</section>")[0]
          #expect(rack.contains("device-vol-data"))
          #expect(!rack.contains("device-fip-1"))
          #expect(page.contains("<svg"))
          #expect(page.contains("class=\"cost-chart\""))
          #expect(!page.contains("srv-gone"))
          let marker = "name=\"csrf\" value=\""
          return String(page.components(separatedBy: marker)[1].prefix { $0 != "\"" })
        }
        try await client.execute(uri: "/dashboard/projects/\(F.beta)", method: .get, headers: [.cookie: alice]) {
          response in
          #expect(response.status == .forbidden)
          #expect(String(buffer: response.body).contains("id=\"error-message\""))
        }
        // An action without the form's CSRF token is refused.
        var headers = Self.formHeaders
        headers[.cookie] = alice
        try await client.execute(
          uri: "/dashboard/projects/\(F.alpha)/actions", method: .post, headers: headers,
          body: Self.form(["kind": "server", "id": "srv-web-1", "action": "off", "csrf": "forged"])
        ) { #expect($0.status == .forbidden) }
        try await client.execute(
          uri: "/dashboard/logout", method: .post, headers: headers, body: Self.form(["csrf": csrf])
        ) { response in
          #expect(response.status == .seeOther)
          #expect(response.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
        try await client.execute(uri: "/dashboard", method: .get, headers: [.cookie: alice]) {
          #expect($0.status == .seeOther)
        }
      }
    }
  }
}

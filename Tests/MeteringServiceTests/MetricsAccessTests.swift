import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import MeteringService

@Suite("/metrics access: open, or a bearer token")
struct MetricsAccessTests {
  typealias F = MeteringServiceFixture
  static let token = "s3cr3t-Token_with.chars~+/="

  @Test func openAccessAllowsEveryone() {
    #expect(MetricsAccess.open.isOpen)
    #expect(MetricsAccess.open.allows(authorization: nil))
    #expect(MetricsAccess.open.allows(authorization: "Bearer anything"))
  }

  @Test func bearerAccessAllowsOnlyTheExactToken() throws {
    let access = try MetricsAccess.bearer(Self.token)
    #expect(!access.isOpen)
    #expect(access.allows(authorization: "Bearer \(Self.token)"))
    #expect(access.allows(authorization: "bearer \(Self.token)"), "the scheme is case-insensitive")
    #expect(access.allows(authorization: "BEARER  \(Self.token)"), "more than one space after the scheme")
    for refused in [
      nil, "", "Bearer", "Bearer ", "Bearer \(Self.token.dropLast())", "Bearer \(Self.token)x",
      "Bearer x\(Self.token)", "Bearer \(Self.token.uppercased())", "Basic \(Self.token)", Self.token,
      "Bearer \(Self.token) extra", "Token \(Self.token)",
    ] {
      #expect(!access.allows(authorization: refused), "\(refused ?? "no header")")
    }
  }

  @Test func constantTimeComparisonIsEquality() {
    let expected = Array("abcdef".utf8)
    #expect(MetricsAccess.constantTimeEquals(expected, expected))
    for given in ["", "abcde", "abcdefg", "abcdeg", "bbcdef", "ABCDEF", "abcdef\0"] {
      #expect(!MetricsAccess.constantTimeEquals(expected, Array(given.utf8)), "\(given)")
    }
    // A prefix that pads to the expected bytes with the complement still differs.
    #expect(!MetricsAccess.constantTimeEquals(Array("a".utf8), []))
  }

  @Test func tokensAreOneHeaderSafeWord() {
    for bad in ["", "two words", "tab\there", "new\nline", "ünïcode"] {
      #expect(throws: MetricsAccess.Invalid.self, "\(bad)") { try MetricsAccess.bearer(bad) }
    }
  }

  @Test func tokenFileIsReadLikePrometheusCredentialsFile() throws {
    let dir = NSTemporaryDirectory() + "steward-metrics-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let file = dir + "/token"
    try Data("  \(Self.token)\n".utf8).write(to: URL(fileURLWithPath: file))
    #expect(try MetricsAccess.bearer(file: file) == MetricsAccess.bearer(Self.token))

    try Data("\n \n".utf8).write(to: URL(fileURLWithPath: file))
    #expect(throws: MetricsAccess.Invalid("\(file): the metrics token file is empty")) {
      try MetricsAccess.bearer(file: file)
    }
    try Data("two words\n".utf8).write(to: URL(fileURLWithPath: file))
    #expect(throws: MetricsAccess.Invalid.self) { try MetricsAccess.bearer(file: file) }
    let error = #expect(throws: MetricsAccess.Invalid.self) { try MetricsAccess.bearer(file: dir + "/missing") }
    #expect(error?.message == "\(dir)/missing: cannot read the metrics token file")
  }

  @Test func routeAnswers401WithoutTheTokenAndTheFiguresWithIt() async throws {
    try await F.with(metricsAccess: try .bearer(Self.token)) { f in
      try await f.server.application.test(.router) { client in
        for header in [nil, "Bearer wrong", "Basic \(Self.token)"] as [String?] {
          var headers = HTTPFields()
          if let header { headers[.authorization] = header }
          try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"steward-metrics\"")
            let text = String(buffer: response.body)
            #expect(!text.contains("steward_metering"), "no figures without the token")
            #expect(!text.contains(Self.token))
          }
        }
        try await client.execute(
          uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.token)"]
        ) { response in
          #expect(response.status == .ok)
          #expect(String(buffer: response.body).contains("steward_metering_resources{project=\"\(F.alpha)\""))
        }
        // A Keystone token is not the metrics token, and the rest of the service is unaffected.
        try await client.execute(uri: "/metrics", method: .get, headers: F.headers("admin")) {
          #expect($0.status == .unauthorized)
        }
        try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
      }
    }
  }
}

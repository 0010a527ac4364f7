import Foundation
import NIOHTTP1

@testable import OpenStack

/// An in-process stand-in for the network: answers from a handler and records what was sent, so the
/// session's mechanics (auth reuse, re-auth, retry, paging) can be tested without sockets.
actor FakeTransport: HTTPTransport {
  typealias Handler = @Sendable (HTTPRequest, Int) async throws -> HTTPResponse
  private(set) var requests: [HTTPRequest] = []
  private let handler: Handler

  init(_ handler: @escaping Handler) {
    self.handler = handler
  }

  func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
    requests.append(request)
    return try await handler(request, requests.count)
  }

  nonisolated func shutdown() async throws {}

  func paths() -> [String] { requests.map { "\($0.method.rawValue) \($0.url.path)" } }

  func count(_ method: HTTPMethod, _ path: String) -> Int {
    requests.filter { $0.method == method && $0.url.path == path }.count
  }
}

enum Fixtures {
  static let keystone = "http://keystone.test:5000/v3"

  static func cloud() -> CloudConfig {
    var auth = AuthSettings(authURL: keystone)
    auth.username = "admin"
    auth.password = "adminpass"
    auth.userDomainName = "Default"
    auth.projectName = "admin"
    auth.projectDomainName = "Default"
    return CloudConfig(name: "test", authType: .password, auth: auth, regionName: "RegionOne")
  }

  static func tokenResponse(_ value: String, expiresIn: TimeInterval = 3600) -> HTTPResponse {
    let expires = OpenStackDate.format(Date().addingTimeInterval(expiresIn))
    let body = """
      {"token": {"expires_at": "\(expires)", "user": {"id": "u1", "name": "admin"},
       "project": {"id": "p1", "name": "admin", "domain": {"id": "default", "name": "Default"}},
       "roles": [{"id": "r1", "name": "admin"}],
       "catalog": [
         {"type": "compute", "name": "nova", "endpoints": [
           {"interface": "public", "region_id": "RegionOne", "url": "http://nova.test:8774/v2.1"},
           {"interface": "public", "region_id": "RegionTwo", "url": "http://nova2.test:8774/v2.1"}]},
         {"type": "image", "name": "glance", "endpoints": [
           {"interface": "public", "region_id": "RegionOne", "url": "http://glance.test:9292"}]},
         {"type": "volumev3", "name": "cinder", "endpoints": [
           {"interface": "public", "region_id": "RegionOne", "url": "http://cinder.test:8776/v3/%(projectID)s"}]},
         {"type": "baremetal", "name": "ironic", "endpoints": [
           {"interface": "public", "region_id": "RegionOne", "url": "http://ironic.test:6385"}]}
       ]}}
      """
    return HTTPResponse(status: 201, headers: ["X-Subject-Token": value], body: Data(body.utf8))
  }

  static func json(_ status: Int, _ text: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
    HTTPResponse(status: status, headers: headers, body: Data(text.utf8))
  }

  static let novaVersion = json(200, #"{"version": {"id": "v2.1", "version": "2.104", "min_version": "2.1"}}"#)

  static func session(_ transport: FakeTransport, retry: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(1)))
    -> Session
  {
    Session(config: cloud(), transport: transport, retryPolicy: retry)
  }
}

actor Counter {
  private var value = 0
  func next() -> Int {
    value += 1
    return value
  }
}

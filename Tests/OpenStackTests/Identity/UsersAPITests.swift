import Foundation
import NIOHTTP1
import Testing

@testable import OpenStack

/// Finding a user by name in a domain: Keystone's `?name=` filter is trusted when it finds the user; an empty
/// answer is checked against the domain's listing (Keystone once answered empty for a user it listed).
@Suite struct UsersAPITests {
  static let alice = #"{"id": "u9", "name": "alice", "domain_id": "d1", "enabled": true}"#

  static let token = HTTPResponse(
    status: 201, headers: ["X-Subject-Token": "t1"],
    body: Data(
      """
      {"token": {"expires_at": "\(OpenStackDate.format(Date().addingTimeInterval(3600)))",
       "user": {"id": "u1", "name": "admin"},
       "project": {"id": "p1", "name": "admin", "domain": {"id": "default", "name": "Default"}},
       "roles": [{"id": "r1", "name": "admin"}],
       "catalog": [{"type": "identity", "name": "keystone", "endpoints": [
         {"interface": "public", "region_id": "RegionOne", "url": "\(Fixtures.keystone)"}]}]}}
      """.utf8))

  func transport(nameFilterFinds: Bool, inDomain: Bool) -> FakeTransport {
    FakeTransport { request, _ in
      if request.method == .POST { return Self.token }
      let query = request.url.query ?? ""
      if query.contains("name=alice") {
        return Fixtures.json(200, #"{"users": [\#(nameFilterFinds ? Self.alice : "")], "links": {"next": null}}"#)
      }
      return Fixtures.json(200, #"{"users": [\#(inDomain ? Self.alice : "")], "links": {"next": null}}"#)
    }
  }

  func userRequests(_ transport: FakeTransport) async -> [String] {
    await transport.requests.filter { $0.url.path.hasSuffix("/users") }.map { $0.url.query ?? "" }
  }

  @Test func aUserTheNameFilterFindsCostsOneCall() async throws {
    let transport = transport(nameFilterFinds: true, inDomain: true)
    let user = try await Fixtures.session(transport).identity().users.named("alice", domainID: "d1")
    #expect(user?.id == "u9")
    #expect(await userRequests(transport).count == 1)
  }

  @Test func anEmptyNameFilterIsCheckedAgainstTheDomainListing() async throws {
    let transport = transport(nameFilterFinds: false, inDomain: true)
    let user = try await Fixtures.session(transport).identity().users.named("alice", domainID: "d1")
    #expect(user?.id == "u9")
    let queries = await userRequests(transport)
    #expect(queries.count == 2 && queries[1] == "domain_id=d1", "\(queries)")
  }

  @Test func aMissingUserIsMissing() async throws {
    let transport = transport(nameFilterFinds: false, inDomain: false)
    #expect(try await Fixtures.session(transport).identity().users.named("alice", domainID: "d1") == nil)
  }
}

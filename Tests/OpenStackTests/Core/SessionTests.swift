import Foundation
import NIOHTTP1
import Testing

@testable import OpenStack

@Suite("Session: authentication, retries, microversions, paging")
struct SessionTests {
  @Test func oneTokenServesManyConcurrentRequests() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens":
        try await Task.sleep(for: .milliseconds(20))
        return Fixtures.tokenResponse("tok-1")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      default:
        return Fixtures.json(
          200, #"{"flavor": {"id": "1", "name": "f", "vcpus": 1, "ram": 512, "disk": 1, "swap": ""}}"#)
      }
    }
    let session = Fixtures.session(transport)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for _ in 0..<20 {
        group.addTask { _ = try await session.compute().flavors.get("1") }
      }
      try await group.waitForAll()
    }
    #expect(await transport.count(.POST, "/v3/auth/tokens") == 1)
    // Version discovery, too, happens once for all concurrent first callers.
    #expect(
      await transport.requests.filter { $0.url.path.hasPrefix("/v2.1") && !$0.url.path.contains("flavors") }.count == 1)
    let tokens = await transport.requests.filter { $0.url.path == "/v2.1/flavors/1" }.map {
      $0.headers.first(name: "X-Auth-Token")
    }
    #expect(tokens.count == 20 && tokens.allSatisfy { $0 == "tok-1" })
  }

  @Test func revokedTokenIsReplacedOn401AndTheRequestRepeated() async throws {
    let issued = Counter()
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens":
        return Fixtures.tokenResponse(await issued.next() == 1 ? "tok-old" : "tok-new")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      default:
        return request.headers.first(name: "X-Auth-Token") == "tok-old"
          ? Fixtures.json(401, #"{"error": {"message": "The request you have made requires authentication."}}"#)
          : Fixtures.json(200, #"{"extra_specs": {"a": "b"}}"#)
      }
    }
    let session = Fixtures.session(transport)
    #expect(try await session.compute().flavors.extraSpecs("1") == ["a": "b"])
    #expect(await transport.count(.POST, "/v3/auth/tokens") == 2)
    #expect(await transport.count(.GET, "/v2.1/flavors/1/os-extra_specs") == 2)
  }

  @Test func persistent401IsNotRetriedForever() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      default: return Fixtures.json(401, #"{"error": {"message": "nope"}}"#)
      }
    }
    let session = Fixtures.session(transport)
    await #expect(throws: OpenStackError.self) { _ = try await session.image().images.get("x") }
    #expect(await transport.count(.GET, "/v2/images/x") == 2)
  }

  @Test func wrongPasswordIsAnAuthenticationErrorNamingTheCloud() async throws {
    let transport = FakeTransport { _, _ in
      Fixtures.json(
        401,
        #"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#
      )
    }
    let session = Fixtures.session(transport)
    do {
      _ = try await session.currentToken()
      Issue.record("expected an error")
    } catch let error as OpenStackError {
      #expect(error.isUnauthorized)
      #expect(error.description.contains("requires authentication"))
      #expect(error.description.contains("cloud 'test'"))
    }
    #expect(await transport.count(.POST, "/v3/auth/tokens") == 1)
  }

  @Test func idempotentRequestsAreRetriedOn503AndConnectionErrors() async throws {
    let transport = FakeTransport { request, count in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      default:
        struct Refused: Error, CustomStringConvertible { var description: String { "connectionRefused" } }
        if count == 3 { return Fixtures.json(503, "busy") }
        if count == 4 { throw Refused() }
        return Fixtures.json(200, #"{"extra_specs": {"k": "v"}}"#)
      }
    }
    let session = Fixtures.session(transport)
    #expect(try await session.compute().flavors.extraSpecs("x") == ["k": "v"])
    #expect(await transport.count(.GET, "/v2.1/flavors/x/os-extra_specs") == 3)
  }

  @Test func postIsNotRetried() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      default: return Fixtures.json(503, #"{"computeFault": {"message": "down", "code": 503}}"#)
      }
    }
    let session = Fixtures.session(transport)
    await #expect(throws: OpenStackError.self) {
      _ = try await session.compute().flavors.create(FlavorCreate(name: "x", vcpus: 1, ram: 1, disk: 1))
    }
    #expect(await transport.count(.POST, "/v2.1/flavors") == 1)
  }

  @Test func retriesStopAtTheLimitWithTheServiceMessage() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      default:
        return Fixtures.json(
          409, #"{"conflictingRequest": {"message": "Flavor is locked", "code": 409}}"#,
          headers: ["x-openstack-request-id": "req-42"])
      }
    }
    let session = Fixtures.session(transport, retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
    do {
      try await session.compute().flavors.delete("f1")
      Issue.record("expected an error")
    } catch let error as OpenStackError {
      #expect(error.status == 409)
      #expect(error.isConflict)
      #expect(error.requestID == "req-42")
      #expect(error.message == "Flavor is locked")
      #expect(
        error.description
          == "DELETE http://nova.test:8774/v2.1/flavors/f1 failed with HTTP 409: Flavor is locked (request id req-42)")
    }
    #expect(await transport.count(.DELETE, "/v2.1/flavors/f1") == 3)
  }

  @Test func microversionIsNegotiatedAndSent() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      case "/v1", "/v1/":
        return Fixtures.json(
          200, "{}",
          headers: ["X-OpenStack-Ironic-API-Minimum-Version": "1.1", "X-OpenStack-Ironic-API-Maximum-Version": "1.70"])
      default: return Fixtures.json(200, #"{"flavors": [], "nodes": []}"#)
      }
    }
    let session = Fixtures.session(transport)
    let compute = try await session.client(.compute)
    #expect(compute.microversion == Microversion(2, 96))
    let baremetal = try await session.client(.baremetal)
    #expect(baremetal.microversion == Microversion(1, 70))
    #expect(baremetal.baseURL.absoluteString == "http://ironic.test:6385/v1")
    _ = try await ComputeAPI(compute).flavors.list().collect()
    _ = try await BaremetalAPI(baremetal).nodes.list().collect()
    let sent = await transport.requests
    let flavorList = sent.first { $0.url.path == "/v2.1/flavors/detail" }
    #expect(flavorList?.headers.first(name: "OpenStack-API-Version") == "compute 2.96")
    #expect(flavorList?.headers.first(name: "X-OpenStack-Nova-API-Version") == "2.96")
    let nodeList = sent.first { $0.url.path == "/v1/nodes/detail" }
    #expect(nodeList?.headers.first(name: "X-OpenStack-Ironic-API-Version") == "1.70")
  }

  @Test func endpointsAreChosenByRegionAndVersionedOnce() async throws {
    let transport = FakeTransport { request, _ in
      request.url.path == "/v3/auth/tokens" ? Fixtures.tokenResponse("t") : Fixtures.json(404, "")
    }
    var config = Fixtures.cloud()
    config.regionName = "RegionTwo"
    let regionTwo = Session(config: config, transport: transport, retryPolicy: .none)
    #expect(try await regionTwo.client(.compute).baseURL.absoluteString == "http://nova2.test:8774/v2.1")
    await #expect(throws: OpenStackError.self) { _ = try await regionTwo.client(.image) }
    await #expect(throws: OpenStackError.self) { _ = try await regionTwo.client(.network) }
    let image = try await Fixtures.session(transport).client(.image)
    #expect(image.baseURL.absoluteString == "http://glance.test:9292/v2")
    // Cinder is found under its alias volumev3 with the project substituted; no range is published here.
    let volume = try await Session(config: Fixtures.cloud(), transport: transport).client(.blockStorage)
    #expect(volume.baseURL.absoluteString == "http://cinder.test:8776/v3/p1")
    #expect(volume.microversion == Microversion(3, 0))
  }

  @Test func pagesFollowLinksAndNextFields() async throws {
    let transport = FakeTransport { request, _ in
      let query = request.url.query ?? ""
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      case "/v2.1/flavors/detail":
        if query.contains("marker=2") {
          return Fixtures.json(
            200, #"{"flavors": [{"id": "3", "name": "c", "vcpus": 1, "ram": 1, "disk": 0, "swap": 0}]}"#)
        }
        return Fixtures.json(
          200,
          #"{"flavors": [{"id": "1", "name": "a", "vcpus": 1, "ram": 1, "disk": 0, "swap": ""}, {"id": "2", "name": "b", "vcpus": 1, "ram": 1, "disk": 0, "swap": 0}], "flavors_links": [{"rel": "next", "href": "http://internal-host/v2.1/flavors/detail?limit=2&marker=2&isPublic=None"}]}"#
        )
      case "/v2/images":
        if query.contains("marker=i2") { return Fixtures.json(200, #"{"images": [{"id": "i3", "status": "active"}]}"#) }
        return Fixtures.json(
          200,
          #"{"images": [{"id": "i1", "status": "active", "os_distro": "debian"}, {"id": "i2", "status": "queued"}], "next": "/v2/images?marker=i2"}"#
        )
      default: return Fixtures.json(404, "")
      }
    }
    let session = Fixtures.session(transport)
    let flavors = try await session.compute().flavors.list(pageSize: 2).collect()
    #expect(flavors.map(\.id) == ["1", "2", "3"])
    let images = try await session.image().images.list().collect()
    #expect(images.map(\.id) == ["i1", "i2", "i3"])
    #expect(images[0].properties["os_distro"] == "debian")
    // The next link's host is not followed; its query is re-applied to our endpoint.
    #expect(await transport.requests.allSatisfy { $0.url.host != "internal-host" })
  }

  @Test func repeatedMarkerStopsPaging() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      default:
        return Fixtures.json(200, #"{"images": [{"id": "i1", "status": "active"}], "next": "/v2/images?marker=i1"}"#)
      }
    }
    let images = try await Fixtures.session(transport).image().images.list().collect()
    #expect(images.count == 2)
  }

  @Test func connectionRefusedBecomesATransportError() async throws {
    let transport = FakeTransport { _, _ in
      struct Refused: Error, CustomStringConvertible {
        var description: String { "connect(descriptor:addr:size:): Connection refused (errno: 111)" }
      }
      throw Refused()
    }
    let session = Fixtures.session(transport, retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
    do {
      _ = try await session.currentToken()
      Issue.record("expected an error")
    } catch let error as OpenStackError {
      #expect(error.isTransport)
      #expect(error.description.contains("connection refused"))
    }
    #expect(await transport.requests.count == 2)
  }

  @Test func permissiveExtraSpecsAreWrittenBeforeStrictValidation() async throws {
    let transport = FakeTransport { request, _ in
      switch request.url.path {
      case "/v3/auth/tokens": return Fixtures.tokenResponse("t")
      case "/v2.1", "/v2.1/": return Fixtures.novaVersion
      default: return Fixtures.json(200, #"{"extra_specs": {}}"#)
      }
    }
    let flavors = try await Fixtures.session(transport).compute().flavors
    try await flavors.setExtraSpecs("f", ["scs:cpu-type": "shared-core"], validation: .permissive)
    try await flavors.setExtraSpecs("f", ["scs:cpu-type": "shared-core"])
    let versions = await transport.requests.filter { $0.url.path.hasSuffix("os-extra_specs") }.map {
      $0.headers.first(name: "OpenStack-API-Version")
    }
    #expect(versions == ["compute 2.85", "compute 2.96"])
  }
}

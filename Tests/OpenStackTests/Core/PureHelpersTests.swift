import Foundation
import NIOHTTP1
import Testing

@testable import OpenStack

@Suite struct ErrorMessageTests {
  @Test(arguments: [
    (
      #"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#,
      "The request you have made requires authentication."
    ),
    (
      #"{"itemNotFound": {"code": 404, "message": "Flavor xyz could not be found."}}"#, "Flavor xyz could not be found."
    ),
    (
      #"{"NeutronError": {"type": "NetworkNotFound", "message": "Network abc could not be found.", "detail": ""}}"#,
      "Network abc could not be found."
    ),
    (
      #"{"error_message": "{\"faultstring\": \"Node n1 could not be found.\", \"debuginfo\": null}"}"#,
      "Node n1 could not be found."
    ),
    (
      #"{"errors": [{"status": 400, "title": "Bad Request", "detail": "JSON does not validate"}]}"#,
      "JSON does not validate"
    ),
    (
      "<html><body><h1>404 Not Found</h1>\nNo image found with ID x\n</body></html>",
      "404 Not Found No image found with ID x"
    ),
    ("Not allowed to delete members for image x.<br /><br />\n\n\n", "Not allowed to delete members for image x."),
  ])
  func serviceMessagesAreExtracted(body: String, expected: String) {
    #expect(OpenStackError.serviceMessage(from: Data(body.utf8), contentType: nil) == expected)
  }
}

@Suite struct RedactionTests {
  @Test func secretsNeverReachTheLog() {
    let body = Data(
      #"{"auth": {"identity": {"methods": ["password", "application_credential"], "password": {"user": {"name": "admin", "password": "hunter2"}}, "application_credential": {"id": "x", "secret": "s\"q"}}}}"#
        .utf8)
    let text = Redaction.body(body)
    #expect(!text.contains("hunter2"))
    #expect(!text.contains("s\\\"q"))
    #expect(text.contains("\"name\": \"admin\"") || text.contains("\"name\":\"admin\""))
    let headers = Redaction.headers([
      "X-Auth-Token": "gAAAAsecret", "X-Subject-Token": "gAAAA2", "Accept": "application/json",
    ])
    #expect(!headers.contains("gAAAA"))
    #expect(headers.contains("Accept: application/json"))
  }

  @Test func tokenMethodIDIsMasked() {
    let text = Redaction.body(
      Data(#"{"auth": {"identity": {"methods": ["token"], "token": {"id": "gAAAAtoken"}}}}"#.utf8))
    #expect(!text.contains("gAAAAtoken"))
  }
}

@Suite struct DateAndVersionTests {
  @Test(arguments: [
    "2026-11-23T22:01:47Z", "2026-11-23T22:01:47.000000Z", "2026-11-23T23:01:47.000000+01:00",
    "2026-11-23T22:01:47", "2026-11-23T22:01:47.000000",
  ])
  func openStackTimestampsParse(text: String) {
    #expect(OpenStackDate.parse(text) == Date(timeIntervalSince1970: 1_795_471_307))
  }

  @Test func garbageDoesNotParse() {
    #expect(OpenStackDate.parse("yesterday") == nil)
    #expect(OpenStackDate.parse("2026-13-01") == nil)
  }

  @Test func microversionsCompareNumerically() {
    #expect(Microversion("2.9")! < Microversion("2.10")!)
    #expect(Microversion("v2.1") == Microversion(2, 1))
    #expect(Microversion("2") == nil)
  }

  @Test func versionRangesFromEveryDocumentShape() {
    let nova = Data(#"{"version": {"id": "v2.1", "version": "2.104", "min_version": "2.1"}}"#.utf8)
    #expect(Session.versionRange(in: nova, major: 2)! == (Microversion(2, 1), Microversion(2, 104)))
    let placement = Data(#"{"versions": [{"id": "v1.0", "max_version": "1.39", "min_version": "1.0"}]}"#.utf8)
    #expect(Session.versionRange(in: placement, major: 1)! == (Microversion(1, 0), Microversion(1, 39)))
    let cinder = Data(#"{"versions": [{"id": "v3.0", "version": "3.71", "min_version": "3.0"}]}"#.utf8)
    #expect(Session.versionRange(in: cinder, major: 3)! == (Microversion(3, 0), Microversion(3, 71)))
  }

  @Test func versionedBaseAppendsOnlyWhenMissing() {
    #expect(Session.versionedBase("http://h:9292", versionPath: "v2")?.absoluteString == "http://h:9292/v2")
    #expect(Session.versionedBase("http://h:9292/", versionPath: "v2")?.absoluteString == "http://h:9292/v2")
    #expect(Session.versionedBase("http://h:8774/v2.1/", versionPath: "v2.1")?.absoluteString == "http://h:8774/v2.1")
    #expect(Session.versionedBase("http://h:8776/v3/p1", versionPath: "v3")?.absoluteString == "http://h:8776/v3/p1")
    #expect(
      Session.versionedBase("http://h/compute/v2.1", versionPath: "v2.1")?.absoluteString == "http://h/compute/v2.1")
    #expect(Session.versionedBase("http://h:9696", versionPath: "v2.0")?.absoluteString == "http://h:9696/v2.0")
    #expect(Session.versionedBase("not a url", versionPath: "v2") == nil)
  }
}

@Suite struct CatalogTests {
  let catalog = ServiceCatalog(services: [
    .init(
      id: "1", type: "volumev3", name: "cinder",
      endpoints: [
        .init(id: "a", interface: "public", regionID: "R1", region: "R1", url: "http://c1/v3/%(projectID)s"),
        .init(id: "b", interface: "internal", regionID: "R1", region: "R1", url: "http://c1-int/v3"),
      ])
  ])

  @Test func aliasesInterfaceAndRegion() throws {
    #expect(
      try catalog.endpoint(type: "block-storage", interface: "public", region: "R1") == "http://c1/v3/%(projectID)s")
    #expect(try catalog.endpoint(type: "block-storage", interface: "internal", region: nil) == "http://c1-int/v3")
    #expect(throws: OpenStackError.self) {
      try catalog.endpoint(type: "block-storage", interface: "admin", region: nil)
    }
    do {
      _ = try catalog.endpoint(type: "block-storage", interface: "public", region: "R2")
    } catch let error as OpenStackError {
      #expect(error.description.contains("in region R2"))
      #expect(error.description.contains("public@R1"))
    }
  }

  @Test func urlComponentsArePercentEncoded() async {
    let transport = FakeTransport { _, _ in HTTPResponse(status: 200) }
    let session = Session(config: Fixtures.cloud(), transport: transport)
    let client = ServiceClient(
      session: session, service: .image, baseURL: URL(string: "http://g/v2")!, microversion: nil)
    #expect(
      client.url(["images", "a/b c"], query: [URLQueryItem(name: "name", value: "x&y=z")]).absoluteString
        == "http://g/v2/images/a%2Fb%20c?name=x%26y%3Dz")
  }
}

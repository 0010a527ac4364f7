import Foundation
import Leasing
import OpenStack
import Testing

/// The real python-esileapclient CLI (`openstack esi …`, PyPI, installed by `scripts/esileapclient install` in
/// its own venv) against `steward serve` in-process. The client finds the service through
/// `lease_endpoint_override` in a clouds.yaml written for the test.
@Suite("python-esileapclient against the leasing service", .testCloud, .serialized)
struct EsiLeapClientTests {
  static let openstack: String = {
    if let path = ProcessInfo.processInfo.environment["STEWARD_ESILEAPCLIENT"], !path.isEmpty { return path }
    let base =
      ProcessInfo.processInfo.environment["TESTCLOUD_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? NSHomeDirectory() + "/.cache/steward-testcloud"
    return base + "/esileapclient-venv/bin/openstack"
  }()

  static var available: Bool {
    ProcessInfo.processInfo.environment["CI"] == "true" || FileManager.default.isExecutableFile(atPath: openstack)
  }

  /// A clouds.yaml with the demo clouds pointing their `lease` service at `endpoint`.
  static func cloudsFile(endpoint: String) throws -> String {
    var text = "clouds:\n"
    for cloud in ["steward-demo", "steward-demo2"] {
      let config = try TestCloud.config(cloud)
      let auth = config.auth
      text += """
          \(cloud):
            auth:
              auth_url: "\(auth.authURL)"
              username: "\(auth.username ?? "")"
              password: "\(auth.password ?? "")"
              project_name: "\(auth.projectName ?? "")"
              user_domain_name: "\(auth.userDomainName ?? "Default")"
              project_domain_name: "\(auth.projectDomainName ?? "Default")"
            region_name: "\(config.regionName ?? "RegionOne")"
            identity_api_version: 3
            lease_endpoint_override: "\(endpoint)/v1"

        """
    }
    let path = NSTemporaryDirectory() + "steward-esi-clouds-\(UUID().uuidString.prefix(8)).yaml"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  struct Result {
    let status: Int32
    let output: String
    let error: String
  }

  /// Runs `openstack --os-cloud <cloud> esi <arguments> -f json`.
  static func esi(_ cloud: String, _ clouds: String, _ arguments: [String]) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: openstack)
    process.arguments = ["--os-cloud", cloud, "esi"] + arguments
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OS_") }
    environment["OS_CLIENT_CONFIG_FILE"] = clouds
    environment["PYTHONWARNINGS"] = "ignore"
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
      error: String(decoding: error, as: UTF8.self))
  }

  static func json(_ result: Result) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(result.output.utf8))
  }

  @Test(.enabled(if: available, "python-esileapclient not installed; run scripts/esileapclient install"))
  func offerCreateListClaimLeaseListDelete() async throws {
    let demo = try await TestCloud.with("steward-demo") { try await $0.currentToken().project!.id }
    let demo2 = try await TestCloud.with("steward-demo2") { try await $0.currentToken().project!.id }
    let nodeID = try await LeasingIntegrationTests.makeNode(owner: demo)
    let system = Session(config: try TestCloud.config("steward-system"))
    let server = try await LeasingIntegrationTests.RunningServer.start(
      database: LeasingIntegrationTests.databasePath(), session: system)
    let clouds = try Self.cloudsFile(endpoint: server.endpoint)
    defer { try? FileManager.default.removeItem(atPath: clouds) }
    do {
      let start = LeasingDate.format(Date().addingTimeInterval(-60))
      let end = LeasingDate.format(Date().addingTimeInterval(3600))
      let created = try Self.esi(
        "steward-demo", clouds,
        ["offer", "create", nodeID, "--start-time", start, "--end-time", end, "-f", "json"])
      #expect(created.status == 0, "\(created.error)")
      let offer = try #require(try Self.json(created) as? [String: Any])
      let offerUUID = try #require(offer["uuid"] as? String)
      #expect(offer["status"] as? String == "available")

      let listed = try Self.esi("steward-demo2", clouds, ["offer", "list", "-f", "json"])
      #expect(listed.status == 0, "\(listed.error)")
      let offers = try #require(try Self.json(listed) as? [[String: Any]])
      #expect(offers.contains { ($0["UUID"] as? String) == offerUUID })

      let claimEnd = LeasingDate.format(Date().addingTimeInterval(1800))
      let claimed = try Self.esi(
        "steward-demo2", clouds, ["offer", "claim", offerUUID, "--end-time", claimEnd, "-f", "json"])
      #expect(claimed.status == 0, "\(claimed.error)")
      let lease = try #require(try Self.json(claimed) as? [String: Any])
      let leaseUUID = try #require(lease["uuid"] as? String)
      // The CLI shows project names (the service resolves them through Keystone).
      #expect(lease["project"] as? String == "demo2")
      #expect(lease["offer_uuid"] as? String == offerUUID)

      // A second claim of the same window fails through the CLI too.
      let conflict = try Self.esi(
        "steward-demo", clouds, ["offer", "claim", offerUUID, "--end-time", claimEnd, "-f", "json"])
      #expect(conflict.status != 0)

      let leases = try Self.esi("steward-demo2", clouds, ["lease", "list", "-f", "json"])
      #expect(leases.status == 0, "\(leases.error)")
      let rows = try #require(try Self.json(leases) as? [[String: Any]])
      #expect(rows.contains { ($0["UUID"] as? String) == leaseUUID })

      try await LeasingIntegrationTests.eventually("lessee set") {
        try await LeasingIntegrationTests.ironicNode(nodeID).lessee == demo2
      }
      let nodes = try Self.esi("steward-demo", clouds, ["node", "list", "-f", "json"])
      #expect(nodes.status == 0, "\(nodes.error)")
      let nodeName = try await LeasingIntegrationTests.ironicNode(nodeID).name ?? nodeID
      let nodeRows = try #require(try Self.json(nodes) as? [[String: Any]])
      let row = nodeRows.first { ($0["Name"] as? String) == nodeName }
      #expect(row?["Owner"] as? String == "demo")
      #expect(row?["Lessee"] as? String == "demo2")

      let deleted = try Self.esi("steward-demo2", clouds, ["lease", "delete", leaseUUID])
      #expect(deleted.status == 0, "\(deleted.error)")
      try await LeasingIntegrationTests.eventually("lessee removed") {
        try await LeasingIntegrationTests.ironicNode(nodeID).lessee == nil
      }
      let withdrawn = try Self.esi("steward-demo", clouds, ["offer", "delete", offerUUID])
      #expect(withdrawn.status == 0, "\(withdrawn.error)")
      try await server.stop()
      await system.shutdown()
      try await LeasingIntegrationTests.deleteNode(nodeID)
    } catch {
      try? await server.stop()
      await system.shutdown()
      try? await LeasingIntegrationTests.deleteNode(nodeID)
      throw error
    }
  }
}

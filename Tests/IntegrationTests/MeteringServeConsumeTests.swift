import Foundation
import NIOHTTP1
import OpenStack
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `steward metering serve --consume` as an operator runs it: one process serving the API while it follows
/// the cloud's notifications (no resync in this mode), so what the API shows can only have come from the
/// notifications; SIGTERM stops both cleanly.
@Suite("steward metering serve --consume against the real cloud", .testCloud)
struct MeteringServeConsumeTests {
  @Test func theServedViewFollowsNotificationsAndSIGTERMStopsBoth() async throws {
    let queue = TestCloud.name("serve-consume")
    let path = MeteringTestSupport.temporaryDatabase("serve-consume")
    defer { MeteringTestSupport.removeDatabase(path) }
    let process = try StewardProcess(
      [
        "--os-cloud", "steward-admin", "metering", "serve", "--consume", "--transport-url", TestBroker.url,
        "--queue", queue, "--database", path, "--port", "0", "--budget-check-seconds", "0",
        "--token-cache-seconds", "5",
      ], environment: ["OS_CLIENT_CONFIG_FILE": TestCloud.cloudsFile])
    defer { if process.isRunning { process.send(SIGKILL) } }
    defer { Task { await MeteringTestSupport.deleteQueues([queue]) } }

    var port: Int?
    let listening = try await MeteringTestSupport.eventually(.seconds(60)) {
      port = Self.listeningPort(in: process.log)
      return port != nil || !process.isRunning
    }
    let endpoint = "http://127.0.0.1:\(try #require(port, "serve logs its port: \(process.tail)"))"
    try #require(listening && process.isRunning, "\(process.tail)")
    let bound = try await MeteringTestSupport.eventually(.seconds(60)) {
      ((try? await MeteringTestSupport.queueInfo(queue))?.consumerCount ?? 0) > 0
    }
    try #require(bound, "the service consumes its own queue: \(process.tail)")
    let adminToken = try await TestCloud.with("steward-admin") { try await $0.currentToken().value }

    try await MeteringTestSupport.withProject("serve-consume") { projectID, session in
      let storage = try await session.blockStorage()
      let volume = try await storage.volumes.create(VolumeCreate(name: TestCloud.name("served-vol"), size: 1))
      do {
        let seen = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
          let (status, json) = try await Self.get(endpoint + "/v1/resources/volume/\(volume.id)", token: adminToken)
          let resource = json["resource"] as? [String: Any]
          return status == 200 && resource?["project_id"] as? String == projectID
            && resource?["state"] as? String == "available"
        }
        #expect(seen, "the volume's notifications reached the served view: \(process.tail)")
        // The project's own token sees it in its project listing.
        let memberToken = try await session.currentToken().value
        let (status, json) = try await Self.get(
          endpoint + "/v1/projects/\(projectID)/resources?kind=volume", token: memberToken)
        #expect(status == 200)
        let ids = (json["resources"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids == [volume.id])

        try await storage.volumes.delete(volume.id)
        let deleted = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(500)) {
          let (_, json) = try await Self.get(endpoint + "/v1/resources/volume/\(volume.id)", token: adminToken)
          return (json["resource"] as? [String: Any])?["deleted_at"] is String
        }
        #expect(deleted, "the delete notification closed it: \(process.tail)")
        // The consumer reports its queue's backlog as the broker counts it (nothing waits: all applied).
        let (metricsStatus, metrics) = try await MeteringServeMetricsTests.get(
          endpoint + "/metrics", authorization: nil)
        #expect(metricsStatus == 200)
        #expect(metrics.contains("\nsteward_metering_queue_messages 0"), "\(metrics.prefix(2000))")
      } catch {
        try? await storage.volumes.deleteIfPresent(volume.id)
        throw error
      }
    }

    process.send(SIGTERM)
    let exit = await process.wait(timeout: .seconds(60))
    #expect(
      exit == StewardProcess.Exit(status: 0, bySignal: false), "SIGTERM stops serve and consumer: \(process.tail)")
  }

  /// The port from "metering service listening on 127.0.0.1:PORT".
  static func listeningPort(in log: String) -> Int? {
    guard let range = log.range(of: "listening on 127.0.0.1:") else { return nil }
    return Int(log[range.upperBound...].prefix { $0.isNumber })
  }

  static func get(_ url: String, token: String) async throws -> (Int, [String: Any]) {
    let transport = AsyncHTTPTransport(verifyTLS: true, caCertificateFile: nil)
    defer { Task { try? await transport.shutdown() } }
    let response = try await transport.execute(
      HTTPRequest(
        method: .GET, url: URL(string: url)!, headers: ["Accept": "application/json", "X-Auth-Token": token],
        body: .none))
    return (response.status, (try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]) ?? [:])
  }
}

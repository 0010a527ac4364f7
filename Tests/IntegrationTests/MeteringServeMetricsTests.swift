import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import OpenStack
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The built `steward metering serve` with `--metrics-token-file`, over HTTP: /metrics answers Prometheus'
/// bearer token from the file and nothing else, while /healthz stays open; a token file it cannot use is a
/// configuration error (exit 2) before anything listens.
@Suite("steward metering serve guards /metrics with a bearer token", .testCloud)
struct MeteringServeMetricsTests {
  static let environment = ["OS_CLIENT_CONFIG_FILE": TestCloud.cloudsFile]

  /// A port nothing listens on now: bound to 0, read, released.
  static func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
  }

  static func get(_ url: String, authorization: String?) async throws -> (status: Int, body: String) {
    let transport = AsyncHTTPTransport(verifyTLS: true, caCertificateFile: nil)
    defer { Task { try? await transport.shutdown() } }
    var headers: HTTPHeaders = [:]
    if let authorization { headers.add(name: "Authorization", value: authorization) }
    let response = try await transport.execute(
      HTTPRequest(method: .GET, url: URL(string: url)!, headers: headers, body: .none))
    return (response.status, String(decoding: response.body, as: UTF8.self))
  }

  @Test func metricsAnswerOnlyTheTokenFromTheFile() async throws {
    let dir = NSTemporaryDirectory() + "steward-serve-metrics-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let token = UUID().uuidString + UUID().uuidString
    let tokenFile = dir + "/metrics-token"
    try Data("\(token)\n".utf8).write(to: URL(fileURLWithPath: tokenFile))
    _ = chmod(tokenFile, 0o600)
    let port = try await Self.freePort()
    let process = try StewardProcess(
      [
        "metering", "serve", "--os-cloud", "steward-admin", "--database", dir + "/metering.sqlite", "--port",
        "\(port)", "--metrics-token-file", tokenFile, "--budget-check-seconds", "0",
      ], environment: Self.environment)
    defer { if process.isRunning { process.send(SIGKILL) } }
    let base = "http://127.0.0.1:\(port)"

    let up = try await MeteringTestSupport.eventually(.seconds(120), every: .milliseconds(250)) {
      guard process.isRunning else { return true }
      return (try? await Self.get(base + "/healthz", authorization: nil).status) == 200
    }
    try #require(up && process.isRunning, "the service answers /healthz: \(process.tail)")

    for refused in [nil, "Bearer wrong", "Bearer \(token.dropLast())", "Basic \(token)", "Bearer \(token)x"] {
      let answer = try await Self.get(base + "/metrics", authorization: refused)
      #expect(answer.status == 401, "\(refused ?? "no header"): \(answer.body)")
      #expect(!answer.body.contains("steward_metering"))
    }
    let scraped = try await Self.get(base + "/metrics", authorization: "Bearer \(token)")
    #expect(scraped.status == 200)
    #expect(scraped.body.contains("# TYPE steward_metering_events_applied gauge"), "\(scraped.body.prefix(500))")
    #expect(!process.log.contains(token), "the token never reaches the log")

    process.send(SIGTERM)
    let exit = await process.wait(timeout: .seconds(60))
    #expect(exit == StewardProcess.Exit(status: 0, bySignal: false), "\(process.tail)")
  }

  @Test func unusableTokenFileIsABadConfiguration() async throws {
    let dir = NSTemporaryDirectory() + "steward-serve-metrics-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let empty = dir + "/empty"
    FileManager.default.createFile(atPath: empty, contents: Data("\n".utf8))
    for (file, message) in [
      (dir + "/missing", "--metrics-token-file \(dir)/missing: cannot read the metrics token file"),
      (empty, "--metrics-token-file \(empty): the metrics token file is empty"),
    ] {
      let (exit, output) = try await StewardProcess.run(
        [
          "metering", "serve", "--os-cloud", "steward-admin", "--database", dir + "/metering.sqlite", "--port",
          "\(try await Self.freePort())", "--metrics-token-file", file,
        ], environment: Self.environment)
      #expect(exit == StewardProcess.Exit(status: 2, bySignal: false), "\(output)")
      #expect(output.contains(message), "\(output)")
    }
    #expect(!FileManager.default.fileExists(atPath: dir + "/metering.sqlite"), "nothing opened before the check")
  }

  @Test func helpSaysHowToProtectMetrics() async throws {
    let (exit, output) = try await StewardProcess.run(["metering", "serve", "--help"])
    #expect(exit == StewardProcess.Exit(status: 0, bySignal: false))
    let text = output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains("--metrics-token-file <path>"))
    #expect(text.contains("protect it at the network level"), "\(output)")
  }
}

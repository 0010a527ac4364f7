import AMQP
import Dispatch
import Foundation
import NIOCore

/// The test cloud's RabbitMQ (127.0.0.1:5682, guest/guest, vhost /). `STEWARD_TESTCLOUD_AMQP` overrides
/// the URL. Tests gate on `.testCloud`: the broker is part of the cloud the harness starts.
enum TestBroker {
  static let url =
    ProcessInfo.processInfo.environment["STEWARD_TESTCLOUD_AMQP"].flatMap { $0.isEmpty ? nil : $0 }
    ?? "amqp://guest:guest@127.0.0.1:5682/"

  /// The broker's TLS listener (127.0.0.1:5681, `TESTCLOUD_PORT_RABBIT_TLS`) and the CA the harness made for
  /// it on this `up` (`$TESTCLOUD_DIR/etc/rabbitmq/tls/ca.pem`).
  static let tlsPort = ProcessInfo.processInfo.environment["TESTCLOUD_PORT_RABBIT_TLS"].flatMap(Int.init) ?? 5681
  static let caFile = URL(fileURLWithPath: TestCloud.cloudsFile).deletingLastPathComponent()
    .appendingPathComponent("etc/rabbitmq/tls/ca.pem").path

  static func configuration(heartbeat: UInt16 = 60) throws -> AMQPConfiguration {
    var c = try AMQPConfiguration(url: url)
    c.heartbeat = heartbeat
    c.connectionName = "steward-tests"
    return c
  }

  static func with<T: Sendable>(
    heartbeat: UInt16 = 60, _ body: (AMQPConnection) async throws -> T
  ) async throws -> T {
    let connection = try await AMQPConnection.connect(try configuration(heartbeat: heartbeat))
    do {
      let result = try await body(connection)
      try? await connection.close()
      return result
    } catch {
      try? await connection.close()
      throw error
    }
  }

  /// Declares a unique exchange + durable queue bound with `notifications.info`, runs `body`, deletes both.
  static func withQueue<T: Sendable>(
    _ prefix: String, _ body: (AMQPConnection, _ exchange: String, _ queue: String) async throws -> T
  ) async throws -> T {
    try await with { connection in
      let exchange = TestCloud.name("\(prefix)-x")
      let queue = TestCloud.name("\(prefix)-q")
      let admin = try await connection.openChannel()
      try await admin.exchangeDeclare(exchange, type: "topic", durable: false)
      try await admin.queueDeclare(queue, durable: true)
      try await admin.queueBind(queue: queue, exchange: exchange, routingKey: "notifications.info")
      defer {
        Task {
          try? await with { c in
            let ch = try await c.openChannel()
            try await ch.queueDelete(queue)
            try await ch.exchangeDelete(exchange)
          }
        }
      }
      let result = try await body(connection, exchange, queue)
      let cleanup = try await connection.openChannel()
      try await cleanup.queueDelete(queue)
      try await cleanup.exchangeDelete(exchange)
      return result
    }
  }

  /// rabbitmqctl run with the harness's environment (its node name, epmd port and cookie home), or nil
  /// when this machine has no harness-run RabbitMQ to administer.
  static var rabbitmqctl: (env: String, binary: String)? {
    let base =
      ProcessInfo.processInfo.environment["TESTCLOUD_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? NSHomeDirectory() + "/.cache/steward-testcloud"
    let env = base + "/etc/rabbitmq/env.sh"
    let binary = "/usr/lib/rabbitmq/bin/rabbitmqctl"
    guard FileManager.default.fileExists(atPath: env), FileManager.default.isExecutableFile(atPath: binary) else {
      return nil
    }
    return (env, binary)
  }

  struct RabbitmqctlFailed: Error, CustomStringConvertible {
    var status: Int32
    var output: String
    var description: String { "rabbitmqctl failed (\(status)): \(output)" }
  }

  /// Runs rabbitmqctl with the harness's environment; throws with its output when it fails or when this
  /// machine has no harness-run broker.
  @discardableResult
  static func ctl(_ arguments: [String]) throws -> String {
    guard let ctl = rabbitmqctl else { throw RabbitmqctlFailed(status: -1, output: "no harness-run RabbitMQ here") }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", ". \"$1\"; shift; exec \"$@\"", "bash", ctl.env, ctl.binary] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw RabbitmqctlFailed(status: process.terminationStatus, output: output)
    }
    return output
  }

  /// `ctl` off the cooperative thread pool (a stop_app takes many seconds on a loaded machine).
  @discardableResult
  static func ctlInBackground(_ arguments: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async { continuation.resume(with: Result { try ctl(arguments) }) }
    }
  }

  /// Has the broker close our connection from `localAddress` (320 CONNECTION_FORCED), as an operator or
  /// a broker shutdown would. rabbitmqctl closes connections by Erlang pid, so this looks the pid up by
  /// our client port first (two CLI runs, about 5 s). Returns false when rabbitmqctl is not usable here
  /// (no harness-run broker); throws when it is there but fails, so no test passes without the close.
  static func forceClose(localAddress: String) throws -> Bool {
    guard let ctl = rabbitmqctl else { return false }
    let port = String(localAddress.split(separator: ":").last ?? "")
    let script = """
      . "$1"
      pid=$("$2" list_connections -q pid peer_port | awk -v p="$3" '$2 == p { print $1 }')
      [ -n "$pid" ] || { echo "no connection with peer port $3"; exit 3; }
      exec "$2" close_connection "$pid" 'steward test: forced close'
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script, "bash", ctl.env, ctl.binary, port]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw RabbitmqctlFailed(status: process.terminationStatus, output: output)
    }
    return true
  }
}

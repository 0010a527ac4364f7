import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The built `steward` executable as a child process, for tests that must kill it (SIGKILL mid-burst,
/// SIGTERM for a graceful stop) the way an operator's init system would. Output goes to a log file the
/// failure messages quote.
final class StewardProcess: @unchecked Sendable {
  /// `STEWARD_BINARY`, else `steward` next to the test runner (`swift build --build-tests` builds both
  /// into the same directory), else the package's `.build/debug/steward`.
  static let binary: String? = {
    let fm = FileManager.default
    if let path = ProcessInfo.processInfo.environment["STEWARD_BINARY"], !path.isEmpty { return path }
    var candidates: [URL] = []
    var runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
    for _ in 0..<4 {
      runner.deleteLastPathComponent()
      candidates.append(runner.appendingPathComponent("steward"))
    }
    let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    candidates.append(package.appendingPathComponent(".build/debug/steward"))
    return candidates.map { $0.resolvingSymlinksInPath().path }.first { fm.isExecutableFile(atPath: $0) }
  }()

  let process = Process()
  let logPath: String
  let arguments: [String]

  init(_ arguments: [String], environment: [String: String] = [:]) throws {
    guard let binary = Self.binary else { throw Missing() }
    self.arguments = arguments
    logPath = NSTemporaryDirectory() + "steward-process-\(UUID().uuidString.prefix(8)).log"
    FileManager.default.createFile(atPath: logPath, contents: nil)
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  struct Missing: Error, CustomStringConvertible {
    var description: String { "no steward executable built (swift build --build-tests, or set STEWARD_BINARY)" }
  }

  var pid: Int32 { process.processIdentifier }
  var isRunning: Bool { process.isRunning }

  func send(_ signal: Int32) { _ = kill(pid, signal) }

  struct Exit: Equatable, CustomStringConvertible {
    var status: Int32
    var bySignal: Bool
    var description: String { bySignal ? "killed by signal \(status)" : "exit status \(status)" }
  }

  /// The exit, or nil if it still runs after `timeout`.
  func wait(timeout: Duration) async -> Exit? {
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
      if ContinuousClock.now > deadline { return nil }
      try? await Task.sleep(for: .milliseconds(50))
    }
    return Exit(status: process.terminationStatus, bySignal: process.terminationReason == .uncaughtSignal)
  }

  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// The last lines of the log, for failure messages.
  var tail: String { log.split(separator: "\n").suffix(15).joined(separator: "\n") }

  /// Runs to completion (for short commands such as `metering status`) and returns the output.
  static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60))
    async throws -> (Exit?, String)
  {
    let p = try StewardProcess(arguments, environment: environment)
    let exit = await p.wait(timeout: timeout)
    if exit == nil { p.send(SIGKILL) }
    defer { try? FileManager.default.removeItem(atPath: p.logPath) }
    return (exit, p.log)
  }

  func kill9AndWait() async -> Exit? {
    send(SIGKILL)
    return await wait(timeout: .seconds(30))
  }

  /// Failure messages quote the log while the test runs; afterwards it goes.
  deinit {
    if process.isRunning { _ = kill(process.processIdentifier, SIGKILL) }
    try? FileManager.default.removeItem(atPath: logPath)
  }
}

/// Copies of the recorded real notification stream (Tests/MeteringTests/Fixtures/recorded-testcloud.jsonl),
/// each copy with its own ids (message ids, servers, volumes, projects…), consistently within a copy, like
/// benchmarks/metering-replay/multiply.py: copy k is the same cloud activity done by other resources.
enum RecordedBurst {
  static let lines: [String] = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("MeteringTests/Fixtures/recorded-testcloud.jsonl")
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
  }()

  static func copies(_ count: Int) -> [[UInt8]] {
    let id = #/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}/#
    var bodies: [[UInt8]] = []
    bodies.reserveCapacity(count * lines.count)
    for _ in 0..<count {
      var fresh: [Substring: String] = [:]
      for line in lines {
        let copy = line.replacing(id) { match -> String in
          if let known = fresh[match.output] { return known }
          let uuid = UUID().uuidString.lowercased()
          let new = match.output.count == 32 ? uuid.replacingOccurrences(of: "-", with: "") : uuid
          fresh[match.output] = new
          return new
        }
        bodies.append(Array(copy.utf8))
      }
    }
    return bodies
  }
}

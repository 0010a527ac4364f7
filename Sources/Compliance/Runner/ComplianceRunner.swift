import Foundation
import OpenStack

/// Runs the selected testcases: a pre-flight check of the credentials first (as upstream: admin or
/// manager roles, or no member role, make every testcase ABORT), then every testcase concurrently.
/// Testcases that share a fact wait for the same fetch (`Lazy`).
public struct ComplianceRunner: Sendable {
  public var registry: TestcaseRegistry
  public var maxConcurrent: Int

  public init(registry: TestcaseRegistry = .standard, maxConcurrent: Int = 16) {
    self.registry = registry
    self.maxConcurrent = maxConcurrent
  }

  public struct Outcome: Sendable {
    public var results: [TestcaseResult]
    /// Selected testcases Steward has no implementation for (not run: they are missing in the verdict).
    public var notImplemented: [String]
    /// Messages about the run itself (pre-flight); `CRITICAL` ones add to the exit code.
    public var runMessages: [LogMessage]
  }

  /// - Parameter progress: told about each testcase as it finishes (the CLI prints it to stderr).
  public func run(
    _ ids: [String], context: CheckContext, progress: (@Sendable (TestcaseResult) -> Void)? = nil
  ) async -> Outcome {
    let runnable = ids.compactMap { registry[$0] }
    let missing = ids.filter { registry[$0] == nil }
    if let refusal = await Self.preflight(context) {
      let results = runnable.map {
        TestcaseResult(id: $0.id, verdict: .abort, messages: [LogMessage(.warning, refusal)])
      }
      return Outcome(
        results: results, notImplemented: missing,
        // Two critical lines, as the official runner logs them (its exit code counts them).
        runMessages: [
          LogMessage(.critical, "Pre-flight checks failed. Reporting all testcases as ABORT."),
          LogMessage(.critical, refusal),
        ])
    }
    var results: [TestcaseResult] = []
    await withTaskGroup(of: TestcaseResult.self) { group in
      var iterator = runnable.makeIterator()
      var running = 0
      while running < maxConcurrent, let testcase = iterator.next() {
        group.addTask { await Self.execute(testcase, context) }
        running += 1
      }
      while let result = await group.next() {
        results.append(result)
        progress?(result)
        if let testcase = iterator.next() { group.addTask { await Self.execute(testcase, context) } }
      }
    }
    results.sort { $0.id < $1.id }
    return Outcome(results: results, notImplemented: missing, runMessages: [])
  }

  /// `nil` when the credentials may run the checks, else why not.
  static func preflight(_ context: CheckContext) async -> String? {
    let token: Token
    do {
      token = try await context.token.value()
    } catch {
      return "cannot authenticate: \(error)"
    }
    return Self.refusal(roles: token.roles.compactMap(\.name))
  }

  /// The official runner's rule: checks run as an ordinary member, never with elevated roles.
  public static func refusal(roles: [String]) -> String? {
    let elevated = Set(roles).intersection(["admin", "manager"])
    if !elevated.isEmpty {
      return "user privileges too high: role(s) \(elevated.sorted().joined(separator: ", ")) detected; "
        + "run the checks as an ordinary project member"
    }
    if !roles.contains("member") {
      return "the user is missing the member role (has: \(roles.sorted().joined(separator: ", ")))"
    }
    return nil
  }

  static func execute(_ testcase: Testcase, _ context: CheckContext) async -> TestcaseResult {
    let log = TestcaseLog()
    let start = ContinuousClock.now
    let verdict: TestcaseVerdict
    do {
      verdict = try await testcase.body(context, log) ? .pass : .fail
    } catch {
      // As upstream's harness: an exception means undecided. The reason is kept (at warning level, so it
      // does not count as an error line, exactly as upstream logs it at debug).
      log.warning("ABORT: \(Self.describe(error))")
      verdict = .abort
    }
    return TestcaseResult(
      id: testcase.id, verdict: verdict, messages: log.messages, duration: ContinuousClock.now - start)
  }

  static func describe(_ error: Error) -> String { String(describing: error) }
}

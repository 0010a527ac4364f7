import OpenStack
import Testing

@testable import Compliance

struct RunnerTests {
  /// A context whose session is never used (the testcases below do not call the cloud), closed afterwards.
  static func withContext<T: Sendable>(_ body: (CheckContext) async throws -> T) async throws -> T {
    var auth = AuthSettings(authURL: "http://keystone.invalid:5000/v3")
    auth.username = "nobody"
    auth.password = "nothing"
    return try await Session.with(CloudConfig(name: "unused", authType: .password, auth: auth)) { session in
      try await body(CheckContext(session: session, prefix: "scs-test-unit-"))
    }
  }

  @Test func outcomesMapToVerdictsWithTheirMessages() async throws {
    let passing = Testcase("t-pass") { _, log in
      log.info("all fine")
      return true
    }
    let failing = Testcase("t-fail") { _, log in
      log.error("SCS-1V-4: missing")
      return false
    }
    let undecided = Testcase("t-abort") { _, _ in throw Undecidable("no block-storage service") }
    let (pass, fail, abort) = try await Self.withContext { context in
      (
        await ComplianceRunner.execute(passing, context), await ComplianceRunner.execute(failing, context),
        await ComplianceRunner.execute(undecided, context)
      )
    }
    #expect(pass.verdict == .pass && pass.messages == [LogMessage(.info, "all fine")])
    #expect(fail.verdict == .fail && fail.reason == "SCS-1V-4: missing")
    #expect(abort.verdict == .abort)
    #expect(abort.reason == "ABORT: no block-storage service")
    // An ABORT's reason is a warning: like upstream, it does not count as an error line.
    #expect(abort.messages.allSatisfy { $0.level == .warning })
  }

  @Test func sharedFactsAreFetchedOnce() async throws {
    let counter = Counter()
    let results = try await Self.withContext { context in
      await withTaskGroup(of: Int.self) { group in
        for _ in 0..<20 {
          group.addTask {
            (try? await context.shared("answer") { await counter.increment() }.value()) ?? -1
          }
        }
        return await group.reduce(into: [Int]()) { $0.append($1) }
      }
    }
    #expect(results.allSatisfy { $0 == 1 })
    #expect(await counter.value == 1)
  }

  actor Counter {
    var value = 0
    func increment() -> Int {
      value += 1
      return value
    }
  }

  @Test func runNamesTheResourcePrefixUniquely() async throws {
    let first = CheckContext.runPrefix()
    let second = CheckContext.runPrefix()
    #expect(first.hasPrefix("scs-test-") && first.hasSuffix("-") && first.count == "scs-test-".count + 9)
    #expect(first != second)
    let name = try await Self.withContext { $0.name("0117-volume") }
    #expect(name == "scs-test-unit-0117-volume")
  }
}

import Foundation
import OpenStack
import Testing

/// The real local cloud started by `scripts/testcloud/testcloud up`. Integration tests find it through
/// its clouds.yaml; outside CI they are skipped when it is not there, in CI (`CI=true`) they always run
/// and fail loudly if it is missing.
enum TestCloud {
  static let cloudsFile: String = {
    if let path = ProcessInfo.processInfo.environment["STEWARD_TESTCLOUD_CLOUDS"], !path.isEmpty { return path }
    let base =
      ProcessInfo.processInfo.environment["TESTCLOUD_DIR"].flatMap { $0.isEmpty ? nil : $0 }
      ?? NSHomeDirectory() + "/.cache/steward-testcloud"
    return base + "/clouds.yaml"
  }()

  static var isAvailable: Bool {
    ProcessInfo.processInfo.environment["CI"] == "true" || FileManager.default.fileExists(atPath: cloudsFile)
  }

  static func config(_ cloud: String) throws -> CloudConfig {
    try CloudConfigLoader(environment: ["OS_CLIENT_CONFIG_FILE": cloudsFile]).load(cloud: cloud)
  }

  /// Runs `body` with a session for `cloud` and closes it afterwards.
  static func with<T: Sendable>(_ cloud: String, _ body: (Session) async throws -> T) async throws -> T {
    try await Session.with(try config(cloud), body)
  }

  /// A name no other test run uses, so tests can run in parallel and leftovers are recognisable.
  static func name(_ prefix: String) -> String {
    "steward-test-\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
  }
}

extension Trait where Self == ConditionTrait {
  static var testCloud: Self {
    .enabled(if: TestCloud.isAvailable, "no test cloud at \(TestCloud.cloudsFile); run scripts/testcloud/testcloud up")
  }
}

/// Tests that stop or restart shared parts of the test cloud (RabbitMQ). Other tests would fail around
/// them, so they never run in the parallel main run: `scripts/test` runs them alone afterwards with
/// `STEWARD_DISRUPTIVE_TESTS=1 swift test --filter DisruptiveTests` (always in CI). Their suites' names end
/// in `DisruptiveTests`.
enum DisruptiveTests {
  static var enabled: Bool { ProcessInfo.processInfo.environment["STEWARD_DISRUPTIVE_TESTS"] == "1" }
}

extension Trait where Self == ConditionTrait {
  static var disruptive: Self {
    .enabled(
      if: DisruptiveTests.enabled,
      "stops shared services: runs only with STEWARD_DISRUPTIVE_TESTS=1 (scripts/test's second phase)")
  }
}

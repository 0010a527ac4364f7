import Foundation

/// PASS, FAIL or ABORT, with the official values (1, -1, 0) the report carries. ABORT means the testcase
/// could not be decided (an error, a missing prerequisite); it is never a FAIL.
public enum TestcaseVerdict: String, Sendable, Equatable, CaseIterable {
  case pass = "PASS"
  case fail = "FAIL"
  case abort = "ABORT"

  public var value: Int {
    switch self {
    case .pass: return 1
    case .abort: return 0
    case .fail: return -1
    }
  }
}

/// A line a testcase logged, at the levels the official runner counts (`ERROR:` and `CRITICAL:` lines
/// add to its exit code).
public struct LogMessage: Sendable, Equatable {
  public enum Level: String, Sendable, Equatable, Comparable {
    case debug = "DEBUG"
    case info = "INFO"
    case warning = "WARNING"
    case error = "ERROR"
    case critical = "CRITICAL"

    var rank: Int { [.debug: 0, .info: 1, .warning: 2, .error: 3, .critical: 4][self]! }
    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
  }

  public var level: Level
  public var text: String

  public init(_ level: Level, _ text: String) {
    self.level = level
    self.text = text
  }

  public var line: String { "\(level.rawValue): \(text)" }
}

/// What one testcase found.
public struct TestcaseResult: Sendable, Equatable {
  public var id: String
  public var verdict: TestcaseVerdict
  public var messages: [LogMessage]
  public var duration: Duration

  public init(id: String, verdict: TestcaseVerdict, messages: [LogMessage] = [], duration: Duration = .zero) {
    self.id = id
    self.verdict = verdict
    self.messages = messages
    self.duration = duration
  }

  /// The first error (or, for an ABORT, the reason) — what a table shows.
  public var reason: String? {
    messages.first { $0.level >= .error }?.text ?? messages.first { $0.level == .warning }?.text
  }
}

import Synchronization

/// Collects the lines one testcase logs; testcases may log from concurrent child tasks.
public final class TestcaseLog: Sendable {
  private let lines = Mutex<[LogMessage]>([])

  public init() {}

  public func log(_ level: LogMessage.Level, _ text: String) {
    lines.withLock { $0.append(LogMessage(level, text)) }
  }

  public func error(_ text: String) { log(.error, text) }
  public func warning(_ text: String) { log(.warning, text) }
  public func info(_ text: String) { log(.info, text) }
  public func debug(_ text: String) { log(.debug, text) }

  public var messages: [LogMessage] { lines.withLock { $0 } }
}

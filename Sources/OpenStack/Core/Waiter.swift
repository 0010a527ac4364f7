import Foundation

/// Polls until a resource reaches a wanted state, fails fast on an error state, and gives up after a
/// deadline with an error that says what state it was stuck in. Every wait in Steward is bounded.
public struct Waiter: Sendable {
  public var timeout: Duration
  public var interval: Duration

  public init(timeout: Duration = .seconds(300), interval: Duration = .seconds(1)) {
    self.timeout = timeout
    self.interval = interval
  }

  public struct Failure: Error, CustomStringConvertible, Sendable {
    public let what: String
    public let lastState: String
    public let reason: String
    public var description: String { "\(what) \(reason) (last state: \(lastState))" }
  }

  /// - Parameters:
  ///   - poll: returns the current state.
  ///   - done: states that end the wait successfully.
  ///   - failed: states that end it with an error.
  @discardableResult
  public func wait(
    for what: String, done: Set<String>, failed: Set<String> = [],
    poll: @Sendable () async throws -> String
  ) async throws -> String {
    let deadline = ContinuousClock.now + timeout
    var state = ""
    while true {
      state = try await poll()
      if done.contains(state) { return state }
      if failed.contains(state) { throw Failure(what: what, lastState: state, reason: "failed") }
      if ContinuousClock.now >= deadline {
        throw Failure(what: what, lastState: state, reason: "did not finish within \(timeout)")
      }
      try await Task.sleep(for: interval)
    }
  }
}

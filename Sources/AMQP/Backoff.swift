/// Exponential backoff with jitter for reconnecting. With several consumers restarting after the same
/// broker outage, jitter keeps them from reconnecting in lockstep.
public struct Backoff: Sendable, Hashable {
  public enum Jitter: Sendable, Hashable {
    /// No randomness (tests, single consumers).
    case none
    /// Uniform in [0, delay] ("full jitter", the AWS architecture blog's recommendation).
    case full
    /// delay/2 plus uniform in [0, delay/2]: never retries immediately.
    case equal
  }

  public var initial: Duration
  public var maximum: Duration
  public var multiplier: Double
  public var jitter: Jitter

  public init(
    initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), multiplier: Double = 2,
    jitter: Jitter = .equal
  ) {
    self.initial = initial
    self.maximum = maximum
    self.multiplier = multiplier
    self.jitter = jitter
  }

  /// The delay before retry number `attempt` (0 = the first retry). `random` yields values in [0, 1).
  public func delay(attempt: Int, random: () -> Double = { Double.random(in: 0..<1) }) -> Duration {
    let base = initial.seconds * pow(multiplier, Double(max(0, min(attempt, 62))))
    let capped = min(base, maximum.seconds)
    let seconds: Double
    switch jitter {
    case .none: seconds = capped
    case .full: seconds = capped * random()
    case .equal: seconds = capped / 2 + capped / 2 * random()
    }
    return .nanoseconds(Int64(seconds * 1e9))
  }
}

extension Duration {
  var seconds: Double {
    let (s, attos) = components
    return Double(s) + Double(attos) / 1e18
  }
}

private func pow(_ base: Double, _ exponent: Double) -> Double {
  var result = 1.0
  for _ in 0..<Int(exponent) { result *= base }
  return result
}

import Testing

@testable import AMQP

@Suite struct BackoffTests {
  @Test func growsExponentiallyUpToTheCap() {
    let b = Backoff(initial: .milliseconds(100), maximum: .seconds(5), multiplier: 2, jitter: .none)
    let delays = (0..<10).map { b.delay(attempt: $0) }
    #expect(delays[0] == .milliseconds(100))
    #expect(delays[1] == .milliseconds(200))
    #expect(delays[5] == .milliseconds(3200))
    #expect(delays[6] == .seconds(5))
    #expect(delays[9] == .seconds(5))
    #expect(b.delay(attempt: 10_000) == .seconds(5))
  }

  @Test func fullJitterSpansZeroToTheDelay() {
    let b = Backoff(initial: .seconds(1), maximum: .seconds(30), jitter: .full)
    #expect(b.delay(attempt: 2, random: { 0 }) == .zero)
    #expect(b.delay(attempt: 2, random: { 0.5 }) == .seconds(2))
    #expect(b.delay(attempt: 2, random: { 0.999 }) < .seconds(4))
  }

  @Test func equalJitterNeverRetriesImmediately() {
    let b = Backoff(initial: .seconds(1), maximum: .seconds(30), jitter: .equal)
    #expect(b.delay(attempt: 3, random: { 0 }) == .seconds(4))
    #expect(b.delay(attempt: 3, random: { 0.5 }) == .seconds(6))
    for _ in 0..<100 {
      let d = b.delay(attempt: 3)
      #expect(d >= .seconds(4) && d <= .seconds(8))
    }
  }
}

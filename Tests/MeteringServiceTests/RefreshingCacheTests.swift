import Foundation
import Synchronization
import Testing

@testable import MeteringService

/// The overview cache: only the first caller waits; a stale value is served while one refresh runs behind; a
/// value marked stale (the consumer applied notifications) is still served at once, a cleared one is not.
@Suite struct RefreshingCacheTests {
  final class Counter: Sendable {
    let computations = Mutex(0)
    func next() -> Int {
      computations.withLock {
        $0 += 1
        return $0
      }
    }
    var count: Int { computations.withLock { $0 } }
  }

  @Test func staleValuesAreServedWhileOneRefreshRunsBehind() async throws {
    let cache = RefreshingCache<Int>(ttl: 60)
    let counter = Counter()
    let t0 = Date()
    #expect(try await cache.value(now: t0) { counter.next() } == 1)
    #expect(try await cache.value(now: t0.addingTimeInterval(10)) { counter.next() } == 1, "fresh: no computation")

    // Marked stale: answered from the old value at once, the refresh lands for the next caller.
    await cache.markStale()
    #expect(try await cache.value(now: t0.addingTimeInterval(11)) { counter.next() } == 1)
    for _ in 0..<100 where counter.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
    #expect(counter.count == 2)
    #expect(try await cache.value(now: t0.addingTimeInterval(12)) { counter.next() } == 2)

    // Cleared: the next caller waits for a new value.
    await cache.clear()
    #expect(try await cache.value(now: t0.addingTimeInterval(13)) { counter.next() } == 3)
    // Older than the TTL: stale again, served while refreshed.
    #expect(try await cache.value(now: t0.addingTimeInterval(200)) { counter.next() } == 3)
  }
}

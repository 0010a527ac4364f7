import Testing

@testable import AMQP

/// The supervisor's decisions that a healthy broker cannot show: giving up on refused credentials,
/// backing off while nothing listens, and stopping promptly when cancelled mid-backoff. Reconnecting
/// and re-declaring against a real broker is in IntegrationTests/AMQPIntegrationTests.
@Suite struct AMQPConsumerTests {
  private let topology = AMQPTopology.notifications(queue: "q", exchanges: ["nova"])

  @Test func notificationTopology() {
    let t = AMQPTopology.notifications()
    #expect(t.queue == .init("steward.notifications", durable: true))
    #expect(t.exchanges.map(\.name) == ["nova", "cinder", "neutron", "heat", "keystone", "glance"])
    #expect(t.exchanges.allSatisfy { $0.type == "topic" && !$0.durable })
    #expect(t.bindings.allSatisfy { $0.routingKey == "notifications.info" })
    #expect(t.bindings.count == 6)
    let custom = AMQPTopology.notifications(
      queue: "q", priorities: ["info", "error"], exchanges: ["nova"], durableExchanges: true,
      queueArguments: ["x-queue-type": "quorum"], prefetch: 7)
    #expect(custom.exchanges == [.init("nova", durable: true)])
    #expect(custom.queue.arguments == ["x-queue-type": "quorum"])
    #expect(custom.bindings.map(\.routingKey) == ["notifications.info", "notifications.error"])
    #expect(custom.prefetch == 7)
  }

  @Test func theServicesSharedQueuesAreRecognized() {
    for shared in ["notifications.info", "notifications.error", "notifications"] {
      #expect(AMQPTopology.isSharedNotificationQueue(shared), "\(shared)")
    }
    for own in ["steward.notifications", "notifications.info.steward", "billing"] {
      #expect(!AMQPTopology.isSharedNotificationQueue(own), "\(own)")
    }
    #expect(AMQPTopology.isSharedNotificationQueue("versioned_notifications.info", topic: "versioned_notifications"))
  }

  @Test func refusedCredentialsEndTheRunInsteadOfRetrying() async throws {
    let broker = try await FakeBroker(.init(refuseLogin: true))
    defer { Task { await broker.stop() } }
    let consumer = AMQPConsumer(
      configuration: AMQPConfiguration(endpoints: [.init(host: "127.0.0.1", port: broker.port)]), topology: topology,
      backoff: Backoff(initial: .milliseconds(10), jitter: .none))
    await #expect(throws: AMQPError.authenticationFailed("ACCESS_REFUSED - Login was refused")) {
      try await consumer.run { _ in Issue.record("a session started") }
    }
    #expect(consumer.status.state == .stopped)
    #expect(consumer.status.sessions == 0)
    #expect(consumer.status.lastError?.contains("ACCESS_REFUSED") == true)
  }

  @Test func unreachableBrokerIsRetriedWithBackoffUntilCancelled() async throws {
    let consumer = AMQPConsumer(
      configuration: AMQPConfiguration(endpoints: [.init(host: "127.0.0.1", port: 1)], connectTimeout: .seconds(1)),
      topology: topology, backoff: Backoff(initial: .milliseconds(50), maximum: .seconds(10), jitter: .none))
    let run = Task { try await consumer.run { _ in Issue.record("a session started") } }
    // Backoff 50, 100, 200, 400 ms…: wait (polling, the machine may be loaded) until it is waiting 400 ms or more.
    var observed: (Duration, String)?
    for _ in 0..<500 where observed == nil {
      if case .waiting(let retryIn, let lastError) = consumer.status.state, retryIn >= .milliseconds(400) {
        observed = (retryIn, lastError)
      } else {
        try await Task.sleep(for: .milliseconds(20))
      }
    }
    guard let (retryIn, lastError) = observed else {
      Issue.record("never backed off to 400 ms: \(consumer.status)")
      run.cancel()
      return
    }
    #expect(retryIn < .seconds(10))
    #expect(lastError.contains("connect"))
    // Cancelling during a backoff sleep ends the run at once, without an error.
    let cancelled = ContinuousClock.now
    run.cancel()
    try await run.value
    #expect(ContinuousClock.now - cancelled < .seconds(1))
    #expect(consumer.status.state == .stopped)
  }
}

import AMQP
import Foundation
import Metering
import NIOCore
import Testing

@Suite("AMQP client against the test cloud's RabbitMQ", .testCloud, .serialized)
struct AMQPIntegrationTests {
  private func publish(_ channel: AMQPChannel, exchange: String, count: Int, prefix: String = "m") async throws {
    for i in 0..<count {
      try await channel.basicPublish(
        Array("{\"n\": \(i)}".utf8), exchange: exchange, routingKey: "notifications.info",
        properties: BasicProperties(
          contentType: "application/json", contentEncoding: "utf-8", headers: ["n": .int32(Int32(i))],
          deliveryMode: 2, messageID: "\(prefix)-\(i)", timestamp: 1_700_000_000))
    }
  }

  @Test func publishConsumeWithPrefetchAckAndNackRequeue() async throws {
    try await TestBroker.withQueue("pubsub") { connection, exchange, queue in
      let publisher = try await connection.openChannel()
      try await publisher.confirmSelect()
      try await publish(publisher, exchange: exchange, count: 20)
      // A message to another routing key does not reach the queue.
      try await publisher.basicPublish(Array("x".utf8), exchange: exchange, routingKey: "notifications.error")
      let declared = try await publisher.queueDeclare(queue, passive: true)
      #expect(declared.messageCount == 20)

      let consumer = try await connection.openChannel()
      try await consumer.basicQos(prefetchCount: 5)
      let deliveries = try await consumer.basicConsume(queue: queue)
      var iterator = deliveries.makeAsyncIterator()
      // Prefetch: five arrive, the sixth waits for an ack.
      var first: [AMQPDelivery] = []
      for _ in 0..<5 { first.append(try #require(try await iterator.next())) }
      try await Task.sleep(for: .milliseconds(300))
      let info = try await publisher.queueDeclare(queue, passive: true)
      #expect(info.messageCount == 15, "prefetch 5 holds the rest in the queue")

      let d0 = first[0]
      #expect(d0.exchange == exchange)
      #expect(d0.routingKey == "notifications.info")
      #expect(!d0.redelivered)
      #expect(d0.properties.messageID == "m-0")
      #expect(d0.properties.contentType == "application/json")
      #expect(d0.properties.deliveryMode == 2)
      #expect(d0.properties.headers?["n"] == .int32(0))
      #expect(d0.properties.timestamp == 1_700_000_000)
      #expect(String(buffer: d0.body) == "{\"n\": 0}")

      // nack + requeue the first: it comes back (at the end of what is in flight), marked redelivered.
      try await d0.nack(requeue: true)
      for d in first.dropFirst() { try await d.ack() }
      var seen: [String: Int] = [:]
      var redelivered: [String] = []
      for d in first.dropFirst() { seen[d.properties.messageID!, default: 0] += 1 }
      while seen.values.reduce(0, +) < 20 {
        let d = try #require(try await iterator.next())
        seen[d.properties.messageID!, default: 0] += 1
        if d.redelivered { redelivered.append(d.properties.messageID!) }
        try await d.ack()
      }
      #expect(redelivered == ["m-0"])
      #expect(seen.count == 20 && seen.values.allSatisfy { $0 == 1 })
      try await consumer.basicCancel(deliveries.consumerTag)
      let end = try await iterator.next()
      #expect(end == nil, "the sequence ends after basic.cancel")
      let after = try await publisher.queueDeclare(queue, passive: true)
      #expect(after.messageCount == 0 && after.consumerCount == 0)
    }
  }

  /// amqps:// against RabbitMQ's own TLS listener: the broker's certificate is verified against the CA given as
  /// oslo's `ssl_ca_file` (host name included), a message goes round trip, and without that CA the handshake
  /// fails instead of falling back.
  @Test func amqpsToTheRealBrokerVerifiesItsCertificate() async throws {
    let caFile = TestBroker.caFile
    try #require(FileManager.default.fileExists(atPath: caFile), "the harness made a CA for the TLS listener")
    for host in ["localhost", "127.0.0.1"] {
      let config = try AMQPConfiguration(
        url: "amqps://guest:guest@\(host):\(TestBroker.tlsPort)/?ssl_ca_file=\(caFile)&connection_timeout=20")
      let connection = try await AMQPConnection.connect(config)
      do {
        #expect(connection.endpoint.tls)
        let channel = try await connection.openChannel()
        try await channel.confirmSelect()
        let queue = try await channel.queueDeclare("", durable: false, exclusive: true, autoDelete: true).name
        try await channel.basicPublish(Array("over tls".utf8), exchange: "", routingKey: queue)
        var deliveries = try await channel.basicConsume(queue: queue).makeAsyncIterator()
        let delivery = try #require(try await deliveries.next())
        #expect(String(buffer: delivery.body) == "over tls")
        try await delivery.ack()
        try await connection.close()
      } catch {
        try? await connection.close()
        throw error
      }
    }
    let untrusted = try AMQPConfiguration(
      url: "amqps://guest:guest@localhost:\(TestBroker.tlsPort)/?connection_timeout=10")
    await #expect(throws: AMQPError.self) { _ = try await AMQPConnection.connect(untrusted) }
  }

  @Test func unroutableMandatoryPublishesFailInConfirmMode() async throws {
    try await TestBroker.withQueue("mandatory") { connection, exchange, queue in
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      // Routed: fine. Not routed: an error for the mandatory one, silently dropped otherwise.
      try await channel.basicPublish(
        Array("a".utf8), exchange: exchange, routingKey: "notifications.info", mandatory: true)
      await #expect(
        throws: AMQPError.unroutable(replyCode: 312, replyText: "NO_ROUTE", exchange: exchange, routingKey: "nowhere")
      ) {
        try await channel.basicPublish(Array("b".utf8), exchange: exchange, routingKey: "nowhere", mandatory: true)
      }
      try await channel.basicPublish(Array("c".utf8), exchange: exchange, routingKey: "nowhere")
      try await channel.basicPublish(
        Array("d".utf8), exchange: exchange, routingKey: "notifications.info", mandatory: true)
      let info = try await channel.queueDeclare(queue, passive: true)
      #expect(info.messageCount == 2)
    }
  }

  @Test func bodiesLargerThanFrameMaxRoundTrip() async throws {
    try await TestBroker.withQueue("large") { connection, exchange, queue in
      let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
      let channel = try await connection.openChannel()
      try await channel.confirmSelect()
      try await channel.basicPublish(body, exchange: exchange, routingKey: "notifications.info")
      try await channel.basicPublish([], exchange: exchange, routingKey: "notifications.info")
      let deliveries = try await channel.basicConsume(queue: queue)
      var iterator = deliveries.makeAsyncIterator()
      let big = try #require(try await iterator.next())
      #expect(big.bodyBytes == body)
      let empty = try #require(try await iterator.next())
      #expect(empty.body.readableBytes == 0)
      try await big.ack(multiple: false)
      try await empty.ack()
    }
  }

  @Test func killedConsumerGetsItsUnackedMessagesRedelivered() async throws {
    try await TestBroker.withQueue("crash") { connection, exchange, queue in
      let publisher = try await connection.openChannel()
      try await publisher.confirmSelect()
      try await publish(publisher, exchange: exchange, count: 10)

      // A consumer takes five (prefetch), acks two, and dies without closing anything.
      try await TestBroker.with { doomed in
        let channel = try await doomed.openChannel()
        try await channel.basicQos(prefetchCount: 5)
        var iterator = try await channel.basicConsume(queue: queue).makeAsyncIterator()
        for i in 0..<5 {
          let d = try #require(try await iterator.next())
          if i < 2 { try await d.ack() }
        }
        await doomed.abort()
        let reason = await doomed.closed()
        #expect(reason != nil)
      }

      let channel = try await connection.openChannel()
      var iterator = try await channel.basicConsume(queue: queue).makeAsyncIterator()
      var ids: [String] = []
      var redelivered: Set<String> = []
      for _ in 0..<8 {
        let d = try #require(try await iterator.next())
        ids.append(d.properties.messageID!)
        if d.redelivered { redelivered.insert(d.properties.messageID!) }
        try await d.ack()
      }
      #expect(Set(ids) == Set((2..<10).map { "m-\($0)" }))
      // The three it held unacked come back marked redelivered; so may the two the broker sent it after
      // the acks freed prefetch slots (in flight when it died). Acked ones never come back.
      #expect(redelivered.isSuperset(of: ["m-2", "m-3", "m-4"]))
      #expect(redelivered.isSubset(of: ["m-2", "m-3", "m-4", "m-5", "m-6"]))
    }
  }

  @Test func channelErrorsAreTypedAndLeaveTheConnectionUsable() async throws {
    try await TestBroker.with { connection in
      let channel = try await connection.openChannel()
      let missing = TestCloud.name("missing")
      await #expect(throws: AMQPError.self) { try await channel.queueDeclare(missing, passive: true) }
      do {
        try await channel.queueDeclare(missing, passive: true)
        Issue.record("a closed channel accepted a call")
      } catch AMQPError.channelClosed(let code, let text, let classID, let methodID) {
        #expect(code == 404)
        #expect(text.contains("NOT_FOUND"))
        #expect(classID == 50 && methodID == 10)
      }
      // A redeclaration with other flags is 406 PRECONDITION_FAILED.
      let exchange = TestCloud.name("conflict")
      let other = try await connection.openChannel()
      try await other.exchangeDeclare(exchange, type: "topic", durable: false)
      do {
        try await other.exchangeDeclare(exchange, type: "fanout", durable: false)
        Issue.record("conflicting declaration accepted")
      } catch AMQPError.channelClosed(let code, _, _, _) {
        #expect(code == 406)
      }
      let fresh = try await connection.openChannel()
      try await fresh.exchangeDelete(exchange)
      #expect(connection.isOpen)
    }
  }

  @Test func heartbeatIsNegotiatedAndKeepsAnIdleConnectionAlive() async throws {
    try await TestBroker.with(heartbeat: 1) { connection in
      #expect(connection.negotiated.heartbeat == 1)
      #expect(connection.negotiated.frameMax == 131_072)
      #expect(connection.negotiated.channelMax > 0)
      #expect(connection.negotiated.serverProperties["product"] == "RabbitMQ")
      // RabbitMQ drops a client that misses heartbeats for two intervals; idle for four.
      try await Task.sleep(for: .seconds(4))
      let channel = try await connection.openChannel()
      try await channel.basicQos(prefetchCount: 1)
      #expect(connection.isOpen)
    }
    try await TestBroker.with(heartbeat: 0) { connection in
      #expect(connection.negotiated.heartbeat == 0)
    }
  }

  @Test func wrongPasswordIsAnAuthenticationError() async throws {
    var config = try TestBroker.configuration()
    config.endpoints[0].password = "not-the-password"
    await #expect(throws: AMQPError.self) { _ = try await AMQPConnection.connect(config) }
    do {
      _ = try await AMQPConnection.connect(config)
    } catch let error as AMQPError {
      guard case .authenticationFailed = error else {
        Issue.record("expected authenticationFailed, got \(error)")
        return
      }
      #expect(!error.isTransient)
    }
  }

  @Test func serverClosedConnectionIsReported() async throws {
    let connection = try await AMQPConnection.connect(try TestBroker.configuration())
    let address = try #require(connection.localAddress)
    guard try TestBroker.forceClose(localAddress: address) else {
      try await connection.close()
      return  // no rabbitmqctl with the harness's environment here; the consumer test aborts instead
    }
    let reason = await connection.closed()
    guard case .connectionClosed(320, let text, _, _) = reason else {
      Issue.record("expected 320 CONNECTION_FORCED, got \(String(describing: reason))")
      return
    }
    #expect(text.contains("forced close"))
  }

  @Test func consumerReconnectsRedeclaresAndResumes() async throws {
    let exchange = TestCloud.name("sup-x")
    let queue = TestCloud.name("sup-q")
    let topology = AMQPTopology(
      exchanges: [.init(exchange)], queue: .init(queue),
      bindings: [.init(exchange: exchange, routingKey: "notifications.info")],
      prefetch: 4)
    let consumer = AMQPConsumer(
      configuration: try TestBroker.configuration(), topology: topology,
      backoff: Backoff(initial: .milliseconds(100), maximum: .seconds(1)))
    let received = Locked<[String]>([])
    let sessions = Locked<[AMQPConsumer.Session]>([])
    let run = Task {
      try await consumer.run { session in
        sessions.withLock { $0.append(session) }
        for try await delivery in session.deliveries {
          received.withLock { $0.append(delivery.properties.messageID ?? "?") }
          try await delivery.ack()
        }
      }
    }
    func waitFor(_ what: String, _ condition: () -> Bool) async throws {
      for _ in 0..<100 where !condition() { try await Task.sleep(for: .milliseconds(100)) }
      #expect(condition(), "timed out waiting for \(what)")
    }
    try await TestBroker.with { publisherConnection in
      let publisher = try await publisherConnection.openChannel()
      try await publisher.confirmSelect()
      try await waitFor("the first session") { sessions.withLock { $0.count } == 1 }
      try await publish(publisher, exchange: exchange, count: 5, prefix: "a")
      try await waitFor("batch a") { received.withLock { $0.count } >= 5 }

      // 1. The broker closes the connection (or, without rabbitmqctl, the socket dies).
      let first = sessions.withLock { $0[0] }
      let forced = try TestBroker.forceClose(localAddress: first.connection.localAddress!)
      if !forced { await first.connection.abort() }
      try await waitFor("a second session") { sessions.withLock { $0.count } == 2 }
      if forced {
        let lastError = consumer.status.lastError ?? ""
        #expect(lastError.contains("320") && lastError.contains("forced close"), "\(lastError)")
      }
      try await publish(publisher, exchange: exchange, count: 5, prefix: "b")
      try await waitFor("batch b") { Set(received.withLock { $0 }).isSuperset(of: (0..<5).map { "b-\($0)" }) }

      // 2. The queue disappears under the consumer (server-side basic.cancel): it reconnects and
      //    declares the queue and its binding again.
      try await publisher.queueDelete(queue)
      try await waitFor("a third session") { sessions.withLock { $0.count } == 3 }
      try await publish(publisher, exchange: exchange, count: 5, prefix: "c")
      try await waitFor("batch c") { Set(received.withLock { $0 }).isSuperset(of: (0..<5).map { "c-\($0)" }) }
    }
    #expect(Set(received.withLock { $0 }).count == 15)
    #expect(consumer.status.sessions == 3)
    if case .consuming = consumer.status.state {} else { Issue.record("state \(consumer.status.state)") }

    // Cancelling the task is the graceful shutdown: run returns, the connection is closed.
    run.cancel()
    try await run.value
    #expect(consumer.status.state == .stopped)
    #expect(!sessions.withLock { $0[2] }.connection.isOpen)
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      try await ch.queueDelete(queue)
      try await ch.exchangeDelete(exchange)
    }
  }
}

@Suite("Notifications from service exchanges into parsed events", .testCloud)
struct NotificationConsumptionTests {
  /// What nova and cinder publish with oslo.messaging's messagingv2 driver (trimmed payloads).
  static func envelope(_ message: String) -> [UInt8] {
    let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    return Array(#"{"oslo.version": "2.0", "oslo.message": "\#(escaped)"}"#.utf8)
  }

  static let serverCreated = envelope(
    #"{"message_id": "m-server", "event_type": "compute.instance.create.end", "publisher_id": "compute.host1", "priority": "INFO", "timestamp": "2024-05-14 09:12:09.985999", "payload": {"instance_id": "i-1", "tenant_id": "p-1", "user_id": "u-1", "instance_type": "SCS-2V-4", "vcpus": 2, "memory_mb": 4096, "root_gb": 10, "ephemeral_gb": 0, "state": "active", "created_at": "2024-05-14 09:12:01+00:00", "launched_at": "2024-05-14T09:12:09.000000", "deleted_at": "", "metadata": {}}}"#
  )
  static let volumeCreated = envelope(
    #"{"message_id": "m-volume", "event_type": "volume.create.end", "publisher_id": "volume.host1", "priority": "INFO", "timestamp": "2024-05-14 09:20:04.511234", "payload": {"volume_id": "v-1", "tenant_id": "p-1", "size": 10, "status": "available", "volume_attachment": []}}"#
  )

  @Test func stewardsOwnQueueGetsEachServicesNotificationsInfo() async throws {
    let nova = TestCloud.name("nova")
    let cinder = TestCloud.name("cinder")
    let queue = TestCloud.name("notifications")
    // cinder's exchange exists already as durable (a deployment with amqp_durable_queues): the consumer's
    // non-durable declaration is refused with 406 and it binds to the exchange as it is.
    try await TestBroker.with { c in try await c.openChannel().exchangeDeclare(cinder, type: "topic", durable: true) }
    let topology = AMQPTopology.notifications(queue: queue, exchanges: [nova, cinder], prefetch: 10)
    #expect(topology.bindings.map(\.routingKey) == ["notifications.info", "notifications.info"])
    let consumer = AMQPConsumer(configuration: try TestBroker.configuration(), topology: topology)
    let events = Locked<[String: MeteringEvent]>([:])
    let run = Task {
      try await consumer.forEachDelivery({ delivery in
        let notification = try OpenStackNotification.parse(delivery.body.readableBytesView)
        events.withLock { $0[notification.messageID] = notification.event }
        try await delivery.ack()
      })
    }
    try await TestBroker.with { c in
      let publisher = try await c.openChannel()
      for _ in 0..<400 where consumer.status.sessions == 0 { try await Task.sleep(for: .milliseconds(50)) }
      try await publisher.confirmSelect()
      let json = BasicProperties(contentType: "application/json", contentEncoding: "utf-8", deliveryMode: 2)
      try await publisher.basicPublish(
        Self.serverCreated, exchange: nova, routingKey: "notifications.info", properties: json)
      try await publisher.basicPublish(
        Self.volumeCreated, exchange: cinder, routingKey: "notifications.info", properties: json)
      // Other priorities and topics are not Steward's.
      try await publisher.basicPublish(Self.serverCreated, exchange: nova, routingKey: "notifications.error")
      try await publisher.basicPublish(Self.serverCreated, exchange: nova, routingKey: "versioned_notifications.info")
      for _ in 0..<400 where events.value.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
    }
    run.cancel()
    try await run.value
    let got = events.value
    #expect(got.count == 2)
    guard case .instance(let server) = got["m-server"], case .volume(let volume) = got["m-volume"] else {
      Issue.record("events: \(got)")
      return
    }
    #expect(server.action == .created && server.instance.flavor.name == "SCS-2V-4")
    #expect(volume.action == .created && volume.volume.sizeGB == 10)
    try await TestBroker.with { c in
      let ch = try await c.openChannel()
      let leftover = try await ch.queueDelete(queue)
      #expect(leftover == 0, "everything delivered was acked")
      try await ch.exchangeDelete(nova)
      try await ch.exchangeDelete(cinder)
    }
  }
}

import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import AMQP

/// Client mechanics against the scripted `FakeBroker` (heartbeat loss, refused logins); the protocol
/// against a real RabbitMQ is covered in IntegrationTests/AMQPIntegrationTests.
@Suite struct ConnectionMechanicsTests {
  private func configuration(_ broker: FakeBroker, heartbeat: UInt16 = 1) -> AMQPConfiguration {
    AMQPConfiguration(
      endpoints: [.init(host: "127.0.0.1", port: broker.port)], heartbeat: heartbeat, connectTimeout: .seconds(5))
  }

  @Test func silentPeerIsDetectedByHeartbeat() async throws {
    let broker = try await FakeBroker(.init(heartbeat: 1, sendsHeartbeats: false))
    defer { Task { await broker.stop() } }
    // The broker falls silent right after the handshake, so the clock starts before connect; on a starved
    // machine (the full suite on 2 cores) the missed heartbeats may even be noticed before connect or
    // openChannel return, which is the same detection.
    let started = ContinuousClock.now
    let connection: AMQPConnection
    do {
      connection = try await AMQPConnection.connect(configuration(broker))
    } catch AMQPError.heartbeatTimeout {
      #expect(ContinuousClock.now - started >= .seconds(1.5))
      return
    }
    #expect(connection.negotiated.heartbeat == 1)
    #expect(connection.negotiated.frameMax == 4096)
    #expect(connection.negotiated.channelMax == 8)
    var channel: AMQPChannel?
    do {
      channel = try await connection.openChannel()
    } catch {
      #expect(error as? AMQPError == .heartbeatTimeout)
    }
    let reason = await connection.closed()
    #expect(reason == .heartbeatTimeout)
    let elapsed = ContinuousClock.now - started
    #expect(elapsed >= .seconds(1.5) && elapsed < .seconds(10))
    // The client kept sending heartbeats while it waited.
    #expect(broker.received.withLock { $0.filter { $0 == .heartbeat }.count } >= 2)
    // Work on a dead connection fails with the reason, not a hang.
    if let channel {
      await #expect(throws: AMQPError.heartbeatTimeout) { try await channel.basicQos(prefetchCount: 1) }
    }
  }

  @Test func livePeerKeepsTheConnection() async throws {
    let broker = try await FakeBroker(.init(heartbeat: 1, sendsHeartbeats: true))
    defer { Task { await broker.stop() } }
    let connection = try await AMQPConnection.connect(configuration(broker))
    try await Task.sleep(for: .seconds(3))
    #expect(connection.isOpen)
    try await connection.close()
    #expect(await connection.closed() == nil)
  }

  @Test func refusedLoginIsAnAuthenticationError() async throws {
    let broker = try await FakeBroker(.init(refuseLogin: true))
    defer { Task { await broker.stop() } }
    await #expect(throws: AMQPError.authenticationFailed("ACCESS_REFUSED - Login was refused")) {
      _ = try await AMQPConnection.connect(configuration(broker))
    }
  }

  @Test func serverWithoutPlainIsRefused() async throws {
    let broker = try await FakeBroker(.init(mechanisms: "EXTERNAL"))
    defer { Task { await broker.stop() } }
    await #expect(throws: AMQPError.authenticationFailed("server offers EXTERNAL, only PLAIN is supported")) {
      _ = try await AMQPConnection.connect(configuration(broker))
    }
  }

  private static func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "pem"))
    return Array(try Data(contentsOf: url))
  }

  private static func tlsBroker() async throws -> (FakeBroker, NIOSSLCertificate) {
    let cert = try NIOSSLCertificate(bytes: try fixture("broker-cert"), format: .pem)
    let key = try NIOSSLPrivateKey(bytes: try fixture("broker-key"), format: .pem)
    let server = try NIOSSLContext(
      configuration: .makeServerConfiguration(certificateChain: [.certificate(cert)], privateKey: .privateKey(key)))
    return (try await FakeBroker(.init(), tls: server), cert)
  }

  @Test func amqpsConnectsOverVerifiedTLS() async throws {
    let (broker, cert) = try await Self.tlsBroker()
    defer { Task { await broker.stop() } }
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.trustRoots = .certificates([cert])
    var config = try AMQPConfiguration(url: "amqps://guest:guest@localhost:\(broker.port)/")
    config.tlsConfiguration = tls
    let connection = try await AMQPConnection.connect(config)
    #expect(connection.endpoint.tls)
    _ = try await connection.openChannel()
    try await connection.close()
    // The broker saw the AMQP handshake, so it really went through TLS (it only has a TLS listener).
    #expect(
      broker.received.value.contains {
        if case .method(0, .connectionOpen(virtualHost: "/")) = $0 { true } else { false }
      })
  }

  @Test func amqpsVerifiesTheBrokerCertificateByDefault() async throws {
    let (broker, _) = try await Self.tlsBroker()
    defer { Task { await broker.stop() } }
    // System trust roots do not include the test certificate: the handshake must fail, not fall back.
    let config = try AMQPConfiguration(url: "amqps://guest:guest@localhost:\(broker.port)/?connection_timeout=5")
    await #expect(throws: AMQPError.self) { _ = try await AMQPConnection.connect(config) }
    #expect(broker.received.value.isEmpty)
  }

  @Test func deadEndpointsAreSkipped() async throws {
    let broker = try await FakeBroker(.init())
    defer { Task { await broker.stop() } }
    let config = AMQPConfiguration(
      endpoints: [.init(host: "127.0.0.1", port: 1), .init(host: "127.0.0.1", port: broker.port)],
      connectTimeout: .seconds(5))
    let connection = try await AMQPConnection.connect(config)
    #expect(connection.endpoint.port == broker.port)
    try await connection.close()
    // Starting at the second endpoint (what the consumer does after a failure) goes there directly.
    let again = try await AMQPConnection.connect(config, startIndex: 1)
    #expect(again.endpoint.port == broker.port)
    try await again.close()
  }

  @Test func channelMaxIsHonoured() async throws {
    let broker = try await FakeBroker(.init())  // tunes channel_max 8
    defer { Task { await broker.stop() } }
    let connection = try await AMQPConnection.connect(configuration(broker, heartbeat: 0))
    var channels: [AMQPChannel] = []
    for _ in 0..<8 { channels.append(try await connection.openChannel()) }
    #expect(Set(channels.map(\.id)) == Set(1...8))
    await #expect(throws: AMQPError.tooManyChannels(limit: 8)) { _ = try await connection.openChannel() }
    try await connection.close()
  }

  @Test func publishedBodiesAreSplitByTheNegotiatedFrameMax() async throws {
    let broker = try await FakeBroker(.init())  // tunes frame_max 4096, below our 131072
    defer { Task { await broker.stop() } }
    let connection = try await AMQPConnection.connect(configuration(broker, heartbeat: 0))
    #expect(connection.negotiated.frameMax == 4096)
    let channel = try await connection.openChannel()
    let body = (0..<10_000).map { UInt8(truncatingIfNeeded: $0) }
    try await channel.basicPublish(body, exchange: "nova", routingKey: "notifications.info", properties: .persistent)
    var frames: [Frame] = []
    for _ in 0..<50 {
      frames = broker.received.value.filter { $0.channel == channel.id }
      if frames.count >= 6 { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    // channel.open, basic.publish, header, then 4088 + 4088 + 1824 bytes of body.
    #expect(frames.count == 6)
    guard frames.count == 6, case .header(_, let header) = frames[2] else { return }
    #expect(header.bodySize == 10_000 && header.properties.deliveryMode == 2)
    var sizes: [Int] = []
    var received: [UInt8] = []
    for case .body(_, let chunk) in frames[3...] {
      sizes.append(chunk.readableBytes)
      received += chunk.readableBytesView
    }
    #expect(sizes == [4088, 4088, 1824])
    #expect(received == body)
    try await connection.close()
  }

  @Test func nobodyListeningIsAConnectionError() async throws {
    let config = AMQPConfiguration(endpoints: [.init(host: "127.0.0.1", port: 1)], connectTimeout: .seconds(2))
    await #expect(throws: AMQPError.self) { _ = try await AMQPConnection.connect(config) }
  }
}

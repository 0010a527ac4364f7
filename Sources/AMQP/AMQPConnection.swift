import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One AMQP 0-9-1 connection to a broker. Open channels on it for declaring, consuming and
/// publishing. It does not reconnect by itself; `AMQPConsumer` does that on top of it.
public final class AMQPConnection: Sendable {
  let channel: any Channel
  let handler: NIOLoopBound<ConnectionHandler>
  private let closedFuture: EventLoopFuture<AMQPError?>
  public let negotiated: AMQPNegotiated
  public let endpoint: AMQPConfiguration.Endpoint
  let logger: Logger

  var eventLoop: any EventLoop { channel.eventLoop }

  private init(
    channel: any Channel, handler: NIOLoopBound<ConnectionHandler>, closed: EventLoopFuture<AMQPError?>,
    negotiated: AMQPNegotiated, endpoint: AMQPConfiguration.Endpoint, logger: Logger
  ) {
    self.channel = channel
    self.handler = handler
    self.closedFuture = closed
    self.negotiated = negotiated
    self.endpoint = endpoint
    self.logger = logger
  }

  /// Connects to the first endpoint that answers, in the configured order starting at `startIndex`.
  /// Throws the last endpoint's error when none does.
  public static func connect(
    _ configuration: AMQPConfiguration, startIndex: Int = 0,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "steward.amqp")
  ) async throws -> AMQPConnection {
    guard !configuration.endpoints.isEmpty else { throw AMQPError.invalidURL("no broker endpoints configured") }
    var lastError: any Error = AMQPError.connectTimeout
    for offset in 0..<configuration.endpoints.count {
      let endpoint = configuration.endpoints[(startIndex + offset) % configuration.endpoints.count]
      do {
        return try await connect(configuration, endpoint: endpoint, eventLoopGroup: eventLoopGroup, logger: logger)
      } catch let error as AMQPError where !error.isTransient {
        throw error
      } catch {
        logger.debug(
          "AMQP endpoint failed", metadata: ["host": "\(endpoint.host):\(endpoint.port)", "error": "\(error)"])
        lastError = error
      }
    }
    throw lastError
  }

  static func connect(
    _ configuration: AMQPConfiguration, endpoint: AMQPConfiguration.Endpoint, eventLoopGroup: any EventLoopGroup,
    logger: Logger
  ) async throws -> AMQPConnection {
    let eventLoop = eventLoopGroup.next()
    let handshake = eventLoop.makePromise(of: AMQPNegotiated.self)
    let closed = eventLoop.makePromise(of: AMQPError?.self)
    var tls: NIOSSLContext?
    if endpoint.tls {
      tls = try NIOSSLContext(configuration: configuration.tlsConfiguration ?? .makeClientConfiguration())
    }
    let sslContext = tls
    let bootstrap = ClientBootstrap(group: eventLoop)
      .connectTimeout(configuration.connectTimeout)
      .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
      .channelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
          let sync = channel.pipeline.syncOperations
          if let sslContext {
            let isIP = endpoint.host.contains(":") || endpoint.host.allSatisfy { $0.isNumber || $0 == "." }
            try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: isIP ? nil : endpoint.host))
          }
          try sync.addHandler(ByteToMessageHandler(FrameDecoder(maximumFrameSize: Int(configuration.frameMax))))
          try sync.addHandler(MessageToByteHandler(FrameEncoder()))
          try sync.addHandler(
            ConnectionHandler(
              configuration: configuration, endpoint: endpoint, logger: logger, handshake: handshake, closed: closed))
        }
      }
    let channel: any Channel
    do {
      channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
    } catch ChannelError.connectTimeout {
      handshake.fail(AMQPError.connectTimeout)
      closed.succeed(AMQPError.connectTimeout)
      throw AMQPError.connectTimeout
    } catch {
      handshake.fail(error)
      closed.succeed(.connectionLost("\(error)"))
      throw AMQPError.connectionLost("connect to \(endpoint.host):\(endpoint.port): \(error)")
    }
    let negotiated = try await handshake.futureResult.get()
    let handler: NIOLoopBound<ConnectionHandler>
    do {
      handler = try await eventLoop.submit {
        NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ConnectionHandler.self), eventLoop: eventLoop)
      }.get()
    } catch {
      // The connection ended between the handshake and here (a heartbeat timeout on a starved machine, the
      // broker closing it): its handlers are gone, so report why it ended rather than NIO's lookup error.
      channel.close(promise: nil)
      throw (try? await closed.futureResult.get()) ?? AMQPError.connectionLost("\(error)")
    }
    logger.debug(
      "AMQP connected",
      metadata: [
        "host": "\(endpoint.host):\(endpoint.port)", "heartbeat": "\(negotiated.heartbeat)",
        "frame_max": "\(negotiated.frameMax)", "channel_max": "\(negotiated.channelMax)",
      ])
    return AMQPConnection(
      channel: channel, handler: handler, closed: closed.futureResult, negotiated: negotiated, endpoint: endpoint,
      logger: logger)
  }

  /// Opens a new channel.
  public func openChannel() async throws -> AMQPChannel {
    let promise = eventLoop.makePromise(of: (UInt16, UInt64).self)
    eventLoop.execute { self.handler.value.openChannel(promise: promise) }
    let (id, serial) = try await promise.futureResult.get()
    let channel = AMQPChannel(connection: self, id: id, serial: serial)
    try await eventLoop.submit { self.handler.value.attach(channel) }.get()
    return channel
  }

  /// Closes all channels and the connection (connection.close / close-ok, at most 5 s).
  public func close() async throws {
    let promise = eventLoop.makePromise(of: Void.self)
    eventLoop.execute { self.handler.value.close(promise: promise) }
    try await promise.futureResult.get()
    try? await channel.closeFuture.get()
  }

  /// Waits until the connection has ended; the reason, or nil after `close()`.
  public func closed() async -> AMQPError? {
    (try? await closedFuture.get()) ?? nil
  }

  /// False once the connection has closed or is closing.
  public var isOpen: Bool { channel.isActive }

  /// The client side of the TCP connection ("127.0.0.1:34567"), as the broker names the connection.
  public var localAddress: String? {
    guard let address = channel.localAddress, let ip = address.ipAddress, let port = address.port else { return nil }
    return "\(ip):\(port)"
  }

  /// Drops the TCP connection without the close handshake (tests simulate a crashed client this way).
  public func abort() async {
    try? await channel.close()
  }
}

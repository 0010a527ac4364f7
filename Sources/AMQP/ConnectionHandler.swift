import Logging
import NIOCore

/// What the handshake settled on.
public struct AMQPNegotiated: Sendable, Hashable {
  public var channelMax: UInt16
  /// 0 = unlimited.
  public var frameMax: UInt32
  /// Seconds; 0 = no heartbeats.
  public var heartbeat: UInt16
  public var serverProperties: FieldTable

  /// The spec's rule for channel_max and frame_max: 0 means "no limit", otherwise the lower value wins.
  static func limit<T: FixedWidthInteger>(client: T, server: T) -> T {
    if client == 0 { return server }
    if server == 0 { return client }
    return min(client, server)
  }

  /// Heartbeat: asking for 0 turns heartbeats off (a client that cannot send them must not get them);
  /// a server proposing 0 accepts whatever the client wants; otherwise the lower value.
  static func heartbeat(client: UInt16, server: UInt16) -> UInt16 {
    if client == 0 { return 0 }
    if server == 0 { return client }
    return min(client, server)
  }
}

/// The state of one AMQP channel, confined to the connection's event loop.
final class ChannelState {
  let id: UInt16
  let serial: UInt64
  var handle: AMQPChannel?
  /// Synchronous methods (declare, bind, qos, consume, close…) awaiting their `-ok`, in order.
  var pending: [EventLoopPromise<Method>] = []
  var consumers: [String: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation] = [:]
  /// The message being assembled from deliver + header + body frames.
  var incoming: Incoming?
  var confirmMode = false
  var publishSequence: UInt64 = 0
  var unconfirmed: [UInt64: EventLoopPromise<Void>] = [:]
  /// Sequence numbers of mandatory publishes not yet confirmed, oldest first: a basic.return belongs to
  /// the oldest one not returned yet (the broker returns and confirms in publish order).
  var mandatoryUnconfirmed: [UInt64] = []
  var returned: [UInt64: AMQPError] = [:]

  struct Incoming {
    var method: Method
    var header: ContentHeader?
    var body: ByteBuffer
  }

  init(id: UInt16, serial: UInt64) {
    self.id = id
    self.serial = serial
  }

  func fail(_ error: AMQPError) {
    for p in pending { p.fail(error) }
    pending = []
    for (_, c) in consumers { c.finish(throwing: error) }
    consumers = [:]
    for (_, p) in unconfirmed { p.fail(error) }
    unconfirmed = [:]
    handle = nil
  }
}

/// Drives one AMQP connection: the handshake, heartbeats, channel multiplexing, content assembly, and
/// the close handshakes in both directions. Everything runs on the channel's event loop; the public
/// `AMQPConnection`/`AMQPChannel` reach it through `NIOLoopBound`.
final class ConnectionHandler: ChannelInboundHandler {
  typealias InboundIn = Frame
  typealias OutboundOut = Frame

  private enum State {
    case awaitingStart, awaitingTune, awaitingOpenOk, open
    /// We sent connection.close and wait for close-ok.
    case closing
    case closed
  }

  private let configuration: AMQPConfiguration
  private let endpoint: AMQPConfiguration.Endpoint
  private let logger: Logger
  private let handshake: EventLoopPromise<AMQPNegotiated>
  /// Completed when the socket is gone, with the reason (nil after a clean client-side close).
  let closed: EventLoopPromise<AMQPError?>

  private var state = State.awaitingStart
  private var context: ChannelHandlerContext?
  private(set) var negotiated = AMQPNegotiated(channelMax: 0, frameMax: 0, heartbeat: 0, serverProperties: [:])
  private var channels: [UInt16: ChannelState] = [:]
  /// Why channels that are gone were closed, so late calls on them get the broker's reason.
  private var closedChannels: [UInt64: AMQPError] = [:]
  private var nextChannelID: UInt16 = 1
  private var nextSerial: UInt64 = 1
  private var closeError: AMQPError?
  private var closeOk: EventLoopPromise<Void>?
  private var lastReceived = NIODeadline.now()
  private var heartbeatTask: Scheduled<Void>?
  private var handshakeTimeout: Scheduled<Void>?
  private var handshakeDone = false

  init(
    configuration: AMQPConfiguration, endpoint: AMQPConfiguration.Endpoint, logger: Logger,
    handshake: EventLoopPromise<AMQPNegotiated>, closed: EventLoopPromise<AMQPError?>
  ) {
    self.configuration = configuration
    self.endpoint = endpoint
    self.logger = logger
    self.handshake = handshake
    self.closed = closed
  }

  var isOpen: Bool {
    if case .open = state { return true }
    return false
  }

  // MARK: NIO events

  func handlerAdded(context: ChannelHandlerContext) {
    self.context = context
    if context.channel.isActive { start(context: context) }
  }

  func channelActive(context: ChannelHandlerContext) {
    start(context: context)
    context.fireChannelActive()
  }

  private func start(context: ChannelHandlerContext) {
    guard handshakeTimeout == nil else { return }
    lastReceived = .now()
    handshakeTimeout = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.connectTimeout) { [self] in
      if case .open = state { return }
      fail(.connectTimeout)
    }
    context.writeAndFlush(wrapOutboundOut(.protocolHeader), promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    fail(.connectionLost("socket closed by peer"))
    heartbeatTask?.cancel()
    handshakeTimeout?.cancel()
    state = .closed
    closed.succeed(closeError == .closedByClient ? nil : closeError)
    closeOk?.succeed()
    closeOk = nil
    self.context = nil
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    let amqpError = (error as? AMQPError) ?? .connectionLost(String(describing: error))
    logger.debug("AMQP connection error", metadata: ["error": "\(amqpError)"])
    // A frame we cannot parse means the stream is lost: tell the server why (501 FRAME_ERROR) and go.
    if case .malformedFrame(let reason) = amqpError, isOpen {
      write(
        .method(
          channel: 0,
          .connectionClose(.init(replyCode: 501, replyText: String(reason.prefix(200)), classID: 0, methodID: 0))))
    }
    fail(amqpError)
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    lastReceived = .now()
    let frame = unwrapInboundIn(data)
    do {
      try handle(frame)
    } catch {
      connectionError(error)
    }
  }

  // MARK: Frames

  private func handle(_ frame: Frame) throws(AMQPError) {
    switch frame {
    case .heartbeat:
      return
    case .protocolHeader:
      throw .unexpectedFrame("protocol header")
    case .method(0, let method):
      try handleConnectionMethod(method)
    case .method(let id, let method):
      guard let channel = channels[id] else {
        // close-ok for a channel we already forgot, or anything on a channel the server closed: ignore.
        if case .channelCloseOk = method { return }
        if case .channelClose = method {
          write(.method(channel: id, .channelCloseOk))
          return
        }
        throw .unexpectedFrame("method \(method.id) on unopened channel \(id)")
      }
      try handleChannelMethod(method, on: channel)
    case .header(let id, let header):
      guard let channel = channels[id], var incoming = channel.incoming, incoming.header == nil else {
        throw .unexpectedFrame("content header on channel \(id) without a preceding method")
      }
      incoming.header = header
      channel.incoming = incoming
      if header.bodySize == 0 { deliverContent(on: channel) }
    case .body(let id, var bytes):
      guard let channel = channels[id], var incoming = channel.incoming, let header = incoming.header else {
        throw .unexpectedFrame("content body on channel \(id) without a header")
      }
      channel.incoming = nil  // avoid a copy-on-write of the accumulated body
      if incoming.body.readableBytes == 0, UInt64(bytes.readableBytes) == header.bodySize {
        incoming.body = bytes  // the common case, a body in one frame: keep the slice, no copy
      } else {
        incoming.body.writeBuffer(&bytes)
      }
      guard incoming.body.readableBytes <= header.bodySize else {
        throw .unexpectedFrame("content body longer than the \(header.bodySize) bytes announced")
      }
      channel.incoming = incoming
      if UInt64(incoming.body.readableBytes) == header.bodySize { deliverContent(on: channel) }
    }
  }

  private func handleConnectionMethod(_ method: Method) throws(AMQPError) {
    switch (state, method) {
    case (.awaitingStart, .connectionStart(let major, let minor, let properties, let mechanisms, _)):
      guard major == 0, minor == 9 else { throw .unsupportedProtocol("AMQP \(major)-\(minor)") }
      guard mechanisms.split(separator: " ").contains("PLAIN") else {
        throw .authenticationFailed("server offers \(mechanisms), only PLAIN is supported")
      }
      negotiated.serverProperties = properties
      var clientProperties: FieldTable = [
        "product": "Steward",
        "platform": "Swift",
        "capabilities": .table([
          "publisher_confirms": true, "consumer_cancel_notify": true, "basic.nack": true,
          "connection.blocked": true, "authentication_failure_close": true, "exchange_exchange_bindings": true,
        ]),
      ]
      if let name = configuration.connectionName { clientProperties["connection_name"] = .string(name) }
      let response = [0] + Array(endpoint.username.utf8) + [0] + Array(endpoint.password.utf8)
      state = .awaitingTune
      write(
        .method(
          channel: 0,
          .connectionStartOk(
            clientProperties: clientProperties, mechanism: "PLAIN", response: response, locale: "en_US")))
    case (.awaitingTune, .connectionTune(let channelMax, let frameMax, let heartbeat)):
      negotiated.channelMax = AMQPNegotiated.limit(client: configuration.channelMax, server: channelMax)
      negotiated.frameMax = AMQPNegotiated.limit(client: configuration.frameMax, server: frameMax)
      negotiated.heartbeat = AMQPNegotiated.heartbeat(client: configuration.heartbeat, server: heartbeat)
      if negotiated.channelMax == 0 { negotiated.channelMax = .max }
      if negotiated.frameMax != 0, negotiated.frameMax < UInt32(Frame.minimumSize) {
        throw .unexpectedFrame("server frame_max \(negotiated.frameMax) is below the minimum \(Frame.minimumSize)")
      }
      state = .awaitingOpenOk
      write(
        .method(
          channel: 0,
          .connectionTuneOk(
            channelMax: negotiated.channelMax, frameMax: negotiated.frameMax, heartbeat: negotiated.heartbeat)))
      write(.method(channel: 0, .connectionOpen(virtualHost: configuration.virtualHost)))
      startHeartbeats()
    case (.awaitingOpenOk, .connectionOpenOk):
      state = .open
      handshakeTimeout?.cancel()
      handshakeDone = true
      handshake.succeed(negotiated)
    case (_, .connectionClose(let reason)):
      write(.method(channel: 0, .connectionCloseOk))
      var error = AMQPError.connectionClosed(
        replyCode: reason.replyCode, replyText: reason.replyText, classID: reason.classID, methodID: reason.methodID)
      if case .awaitingTune = state, reason.replyCode == 403 { error = .authenticationFailed(reason.replyText) }
      logger.info("AMQP server closed the connection", metadata: ["reply": "\(reason.replyCode) \(reason.replyText)"])
      fail(error)
    case (.closing, .connectionCloseOk):
      closeOk?.succeed()
      closeOk = nil
      fail(.closedByClient)
    case (.open, .connectionBlocked(let reason)):
      logger.warning("AMQP broker blocked publishing", metadata: ["reason": "\(reason)"])
    case (.open, .connectionUnblocked):
      logger.info("AMQP broker unblocked publishing")
    case (.closing, _):
      return  // everything but close-ok is discarded while closing
    default:
      throw .unexpectedFrame("connection method \(method.id) in state \(state)")
    }
  }

  private func handleChannelMethod(_ method: Method, on channel: ChannelState) throws(AMQPError) {
    switch method {
    case .basicDeliver, .basicReturn:
      guard channel.incoming == nil else { throw .unexpectedFrame("method before the previous content was complete") }
      channel.incoming = .init(
        method: method, header: nil, body: context?.channel.allocator.buffer(capacity: 0) ?? ByteBuffer())
    case .channelClose(let reason):
      write(.method(channel: channel.id, .channelCloseOk))
      let error = AMQPError.channelClosed(
        replyCode: reason.replyCode, replyText: reason.replyText, classID: reason.classID, methodID: reason.methodID)
      logger.debug(
        "AMQP server closed channel",
        metadata: ["channel": "\(channel.id)", "reply": "\(reason.replyCode) \(reason.replyText)"])
      remove(channel, error: error)
    case .channelCloseOk:
      // The reply to our channel.close: complete it, then forget the channel.
      if !channel.pending.isEmpty { channel.pending.removeFirst().succeed(method) }
      remove(channel, error: .closedByClient)
    case .channelFlow(let active):
      write(.method(channel: channel.id, .channelFlowOk(active: active)))
    case .basicAck(let tag, let multiple), .basicNack(let tag, let multiple, _):
      guard channel.confirmMode else { throw .unexpectedFrame("publisher confirm on a channel not in confirm mode") }
      let nack: Bool
      if case .basicNack = method { nack = true } else { nack = false }
      let tags = multiple ? channel.unconfirmed.keys.filter { $0 <= tag } : [tag]
      for t in tags {
        guard let promise = channel.unconfirmed.removeValue(forKey: t) else { continue }
        if let index = channel.mandatoryUnconfirmed.firstIndex(of: t) { channel.mandatoryUnconfirmed.remove(at: index) }
        if let returned = channel.returned.removeValue(forKey: t) {
          promise.fail(returned)
        } else if nack {
          promise.fail(AMQPError.publishNacked(deliveryTag: t))
        } else {
          promise.succeed()
        }
      }
    case .basicCancel(let tag, _):
      // consumer_cancel_notify: the queue went away under the consumer.
      channel.consumers.removeValue(forKey: tag)?.finish(throwing: AMQPError.consumerCancelled(consumerTag: tag))
    case .basicCancelOk(let tag):
      channel.consumers.removeValue(forKey: tag)?.finish()
      try reply(method, on: channel)
    default:
      try reply(method, on: channel)
    }
  }

  private func reply(_ method: Method, on channel: ChannelState) throws(AMQPError) {
    guard !channel.pending.isEmpty else {
      throw .unexpectedFrame("method \(method.id) on channel \(channel.id) answers nothing we asked")
    }
    channel.pending.removeFirst().succeed(method)
  }

  private func deliverContent(on channel: ChannelState) {
    guard let incoming = channel.incoming, let header = incoming.header else { return }
    channel.incoming = nil
    switch incoming.method {
    case .basicDeliver(let consumerTag, let deliveryTag, let redelivered, let exchange, let routingKey):
      guard let consumer = channel.consumers[consumerTag], let handle = channel.handle else {
        logger.debug("AMQP delivery for an unknown consumer", metadata: ["consumer": "\(consumerTag)"])
        return
      }
      consumer.yield(
        AMQPDelivery(
          consumerTag: consumerTag, deliveryTag: deliveryTag, redelivered: redelivered, exchange: exchange,
          routingKey: routingKey, properties: header.properties, body: incoming.body, channel: handle))
    case .basicReturn(let code, let text, let exchange, let routingKey)
    where channel.confirmMode && !channel.mandatoryUnconfirmed.isEmpty:
      // The publisher learns it from its confirm (which the broker sends after the return).
      let sequence = channel.mandatoryUnconfirmed.removeFirst()
      channel.returned[sequence] = .unroutable(
        replyCode: code, replyText: text, exchange: exchange, routingKey: routingKey)
    case .basicReturn(let code, let text, let exchange, let routingKey):
      logger.warning(
        "AMQP broker returned an unroutable message",
        metadata: ["reply": "\(code) \(text)", "exchange": "\(exchange)", "routing_key": "\(routingKey)"])
    default:
      break
    }
  }

  // MARK: Heartbeats

  /// Sends a heartbeat every half interval (what RabbitMQ does) and declares the peer dead after two
  /// intervals without any frame from it.
  private func startHeartbeats() {
    guard negotiated.heartbeat > 0, let context else { return }
    let interval = TimeAmount.seconds(Int64(negotiated.heartbeat))
    heartbeatTask = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(interval.nanoseconds / 2)) {
      [self] in
      heartbeatTask = nil
      guard self.context != nil, !isFinished else { return }
      if NIODeadline.now() - lastReceived > .nanoseconds(interval.nanoseconds * 2) {
        logger.warning("AMQP peer missed heartbeats", metadata: ["heartbeat": "\(negotiated.heartbeat)s"])
        fail(.heartbeatTimeout)
        return
      }
      write(.heartbeat)
      startHeartbeats()
    }
  }

  private var isFinished: Bool {
    if case .closed = state { return true }
    return closeError != nil
  }

  // MARK: Operations (called on the event loop by AMQPConnection and AMQPChannel)

  func openChannel(promise: EventLoopPromise<(UInt16, UInt64)>) {
    guard isOpen else { return promise.fail(closeError ?? .closedByClient) }
    let limit = negotiated.channelMax
    var id = nextChannelID
    var tried = 0
    while channels[id] != nil {
      id = id >= limit ? 1 : id + 1
      tried += 1
      if tried >= Int(limit) { return promise.fail(AMQPError.tooManyChannels(limit: limit)) }
    }
    nextChannelID = id >= limit ? 1 : id + 1
    let state = ChannelState(id: id, serial: nextSerial)
    nextSerial += 1
    channels[id] = state
    let reply = context!.eventLoop.makePromise(of: Method.self)
    state.pending.append(reply)
    write(.method(channel: id, .channelOpen))
    let serial = state.serial
    reply.futureResult.map { _ in (id, serial) }.cascade(to: promise)
  }

  /// Attaches the public handle so deliveries can carry it (for ack/nack).
  func attach(_ handle: AMQPChannel) {
    if let state = channels[handle.id], state.serial == handle.serial { state.handle = handle }
  }

  private func channel(_ id: UInt16, serial: UInt64) throws(AMQPError) -> ChannelState {
    guard isOpen || state == .closing else { throw closeError ?? .closedByClient }
    guard let state = channels[id], state.serial == serial else {
      throw closedChannels[serial] ?? .closedByClient
    }
    return state
  }

  /// Sends a synchronous method and completes with the server's reply.
  func call(_ method: Method, channel id: UInt16, serial: UInt64, promise: EventLoopPromise<Method>) {
    do {
      let state = try channel(id, serial: serial)
      state.pending.append(promise)
      write(.method(channel: id, method))
    } catch {
      promise.fail(error)
    }
  }

  /// Registers a consumer before sending basic.consume so no delivery can arrive before it exists.
  func consume(
    _ consume: Method.BasicConsume, channel id: UInt16, serial: UInt64,
    continuation: AsyncThrowingStream<AMQPDelivery, any Error>.Continuation, promise: EventLoopPromise<Method>
  ) {
    do {
      let state = try channel(id, serial: serial)
      state.consumers[consume.consumerTag] = continuation
      state.pending.append(promise)
      promise.futureResult.assumeIsolated().whenFailure { _ in
        state.consumers.removeValue(forKey: consume.consumerTag)
      }
      write(.method(channel: id, .basicConsume(consume)))
    } catch {
      continuation.finish(throwing: error)
      promise.fail(error)
    }
  }

  /// Asynchronous methods (ack, nack, reject): done when written.
  func send(_ method: Method, channel id: UInt16, serial: UInt64, promise: EventLoopPromise<Void>) {
    do {
      _ = try channel(id, serial: serial)
      write(.method(channel: id, method), promise: promise)
    } catch {
      promise.fail(error)
    }
  }

  func enableConfirms(channel id: UInt16, serial: UInt64) {
    channels[id].map { if $0.serial == serial { $0.confirmMode = true } }
  }

  /// basic.publish + header + body frames, written in one go so no other frame of this channel can
  /// come between them. In confirm mode, completes when the broker confirms.
  func publish(
    _ method: Method, properties: BasicProperties, body: ByteBuffer, channel id: UInt16, serial: UInt64,
    promise: EventLoopPromise<Void>
  ) {
    do {
      let state = try channel(id, serial: serial)
      let frames =
        [Frame.method(channel: id, method)]
        + Frame.content(channel: id, properties: properties, body: body, frameMax: negotiated.frameMax)
      let written = context!.eventLoop.makePromise(of: Void.self)
      for (i, frame) in frames.enumerated() {
        context!.write(wrapOutboundOut(frame), promise: i == frames.count - 1 ? written : nil)
      }
      context!.flush()
      if state.confirmMode {
        state.publishSequence += 1
        state.unconfirmed[state.publishSequence] = promise
        if case .basicPublish(_, _, true, _) = method { state.mandatoryUnconfirmed.append(state.publishSequence) }
        written.futureResult.whenFailure { promise.fail($0) }
      } else {
        written.futureResult.cascade(to: promise)
      }
    } catch {
      promise.fail(error)
    }
  }

  /// Closes the connection politely: connection.close, wait for close-ok (bounded), then the socket.
  func close(promise: EventLoopPromise<Void>) {
    guard let context else { return promise.succeed() }
    switch state {
    case .closed: return promise.succeed()
    case .closing:
      closeOk?.futureResult.cascade(to: promise)
      return
    case .open:
      state = .closing
      closeOk = context.eventLoop.makePromise()
      closeOk!.futureResult.cascade(to: promise)
      write(.method(channel: 0, .connectionClose(.init(replyCode: 200, replyText: "bye", classID: 0, methodID: 0))))
      context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(5)) { [self] in
        if case .closing = state { fail(.closedByClient) }
      }
    default:
      fail(.closedByClient)
      promise.succeed()
    }
  }

  // MARK: Failure

  private func remove(_ channel: ChannelState, error: AMQPError) {
    channels.removeValue(forKey: channel.id)
    closedChannels[channel.serial] = error
    if case .closedByClient = error {
      // Our own close: consumers end normally.
      for (_, c) in channel.consumers { c.finish() }
      channel.consumers = [:]
    }
    channel.fail(error)
  }

  /// A protocol violation by the server (or a frame we cannot handle): connection.close with the
  /// matching reply code, then drop everything.
  private func connectionError(_ error: AMQPError) {
    if isOpen {
      let code: UInt16 = if case .malformedFrame = error { 501 } else { 505 }
      write(
        .method(
          channel: 0,
          .connectionClose(.init(replyCode: code, replyText: String("\(error)".prefix(200)), classID: 0, methodID: 0))))
    }
    fail(error)
  }

  /// Ends the connection with `error`: every waiter fails with it, the socket closes.
  func fail(_ error: AMQPError) {
    if closeError == nil { closeError = error }
    let reason = closeError!
    if !handshakeDone {
      handshakeDone = true
      handshake.fail(reason)
    }
    if case .closed = state {} else { state = .closing }
    heartbeatTask?.cancel()
    heartbeatTask = nil
    let all = channels.values
    channels = [:]
    for c in all {
      closedChannels[c.serial] = reason
      if case .closedByClient = reason {
        for (_, consumer) in c.consumers { consumer.finish() }
        c.consumers = [:]
      }
      c.fail(reason)
    }
    if let context, context.channel.isActive {
      context.flush()
      context.close(promise: nil)
    }
  }

  private func write(_ frame: Frame, promise: EventLoopPromise<Void>? = nil) {
    guard let context else {
      promise?.fail(closeError ?? .connectionLost("not connected"))
      return
    }
    context.writeAndFlush(wrapOutboundOut(frame), promise: promise)
  }
}

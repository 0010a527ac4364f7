import NIOCore
import NIOPosix
import NIOSSL

@testable import AMQP

/// A scripted AMQP server on 127.0.0.1 for the client's mechanics that a real RabbitMQ cannot be made
/// to show on demand (a peer that goes silent, a refused login). Everything else is tested against the
/// real broker in IntegrationTests.
final class FakeBroker: Sendable {
  struct Script: Sendable {
    var mechanisms = "PLAIN AMQPLAIN"
    var heartbeat: UInt16 = 0
    /// Answer start-ok with connection.close 403 instead of tune.
    var refuseLogin = false
    /// Send heartbeats (a healthy peer) or stay silent after the handshake (a dead one).
    var sendsHeartbeats = false
  }

  let channel: any Channel
  let received = Locked<[Frame]>([])

  var port: Int { channel.localAddress!.port! }

  /// With `tls`, the broker speaks AMQP over TLS (amqps) with that context.
  init(_ script: Script, tls: NIOSSLContext? = nil) async throws {
    let received = self.received
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { child in
        child.eventLoop.makeCompletedFuture {
          if let tls { try child.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
          try child.pipeline.syncOperations.addHandler(Handler(script: script, received: received))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
  }

  func stop() async {
    try? await channel.close()
  }

  private final class Handler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let script: Script
    let received: Locked<[Frame]>
    var buffer = ByteBuffer()
    var sawHeader = false
    var ticker: Scheduled<Void>?

    init(script: Script, received: Locked<[Frame]>) {
      self.script = script
      self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
      var bytes = unwrapInboundIn(data)
      buffer.writeBuffer(&bytes)
      if !sawHeader {
        guard buffer.readableBytes >= 8 else { return }
        buffer.moveReaderIndex(forwardBy: 8)
        sawHeader = true
        send(
          context,
          .method(
            channel: 0,
            .connectionStart(
              versionMajor: 0, versionMinor: 9, serverProperties: ["product": "fake"], mechanisms: script.mechanisms,
              locales: "en_US")))
      }
      while let frame = try? FrameDecoder.decodeFrame(from: &buffer) {
        received.withLock { $0.append(frame) }
        switch frame {
        case .method(0, .connectionStartOk):
          if script.refuseLogin {
            send(
              context,
              .method(
                channel: 0,
                .connectionClose(
                  .init(replyCode: 403, replyText: "ACCESS_REFUSED - Login was refused", classID: 0, methodID: 0))))
          } else {
            send(
              context, .method(channel: 0, .connectionTune(channelMax: 8, frameMax: 4096, heartbeat: script.heartbeat)))
          }
        case .method(0, .connectionOpen):
          send(context, .method(channel: 0, .connectionOpenOk))
          if script.sendsHeartbeats, script.heartbeat > 0 {
            tick(context)
          }
        case .method(0, .connectionClose):
          send(context, .method(channel: 0, .connectionCloseOk))
          context.close(promise: nil)
        case .method(let id, .channelOpen):
          send(context, .method(channel: id, .channelOpenOk))
        default:
          break
        }
      }
    }

    private func tick(_ context: ChannelHandlerContext) {
      ticker = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(400)) { [self] in
        guard context.channel.isActive else { return }
        send(context, .heartbeat)
        tick(context)
      }
    }

    func channelInactive(context: ChannelHandlerContext) {
      ticker?.cancel()
    }

    private func send(_ context: ChannelHandlerContext, _ frame: Frame) {
      var out = context.channel.allocator.buffer(capacity: 64)
      try! FrameEncoder.encode(frame, into: &out)
      context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }
  }
}

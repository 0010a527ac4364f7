import NIOCore

/// Everything the AMQP client can fail with. Each case keeps the facts the broker or the wire gave us
/// (reply code and text, the method that failed), so callers can tell a missing queue (404) from a
/// broken connection and decide whether reconnecting helps.
public enum AMQPError: Error, Sendable, Equatable {
  /// The bytes on the wire are not an AMQP 0-9-1 frame (bad frame type, missing frame-end, truncated
  /// method arguments, an unknown field-table type).
  case malformedFrame(String)
  /// A frame larger than the negotiated `frame_max`.
  case frameTooLarge(size: Int, limit: Int)
  /// The server answered our protocol header with its own: it does not speak AMQP 0-9-1.
  case unsupportedProtocol(String)
  /// The server offers no mechanism we support (only PLAIN is implemented) or refused the credentials.
  case authenticationFailed(String)
  /// The server closed the connection (`connection.close`), for example 320 CONNECTION_FORCED when an
  /// operator closes it, or 530 NOT_ALLOWED for a missing vhost.
  case connectionClosed(replyCode: UInt16, replyText: String, classID: UInt16, methodID: UInt16)
  /// The server closed the channel (`channel.close`), for example 404 NOT_FOUND or 406 PRECONDITION_FAILED.
  /// The connection and other channels stay usable.
  case channelClosed(replyCode: UInt16, replyText: String, classID: UInt16, methodID: UInt16)
  /// The peer sent nothing (not even a heartbeat) for two heartbeat intervals.
  case heartbeatTimeout
  /// The TCP/TLS connection ended without a `connection.close` handshake.
  case connectionLost(String)
  /// Connecting (TCP, TLS, or the AMQP handshake) did not finish in time.
  case connectTimeout
  /// The server sent something that is valid AMQP but not allowed at this point.
  case unexpectedFrame(String)
  /// The client closed this connection or channel itself; further use is a programming error.
  case closedByClient
  /// The server cancelled the consumer (`basic.cancel`), for example because its queue was deleted.
  case consumerCancelled(consumerTag: String)
  /// The broker negatively acknowledged a publish in confirm mode.
  case publishNacked(deliveryTag: UInt64)
  /// A `mandatory` publish in confirm mode that no queue was bound to take (312 NO_ROUTE).
  case unroutable(replyCode: UInt16, replyText: String, exchange: String, routingKey: String)
  /// No free channel id below the negotiated `channel_max`.
  case tooManyChannels(limit: UInt16)
  /// A URL that is not `amqp://`, `amqps://` or oslo's `rabbit://` form.
  case invalidURL(String)

  /// Whether opening a new connection may help. False for errors that repeat on every attempt: refused
  /// credentials (also as 403 ACCESS_REFUSED on connection.close), an invalid URL, a server that is not
  /// AMQP 0-9-1. Everything else, including 530 NOT_ALLOWED for a missing vhost, is retried with
  /// backoff by `AMQPConsumer` (an operator may be fixing it) and shows in its status meanwhile.
  public var isTransient: Bool {
    switch self {
    case .authenticationFailed, .invalidURL, .unsupportedProtocol: return false
    case .connectionClosed(let code, _, _, _): return code != 403
    default: return true
    }
  }
}

extension AMQPError: CustomStringConvertible {
  public var description: String {
    switch self {
    case .malformedFrame(let reason): return "malformed AMQP frame: \(reason)"
    case .frameTooLarge(let size, let limit): return "AMQP frame of \(size) bytes exceeds frame_max \(limit)"
    case .unsupportedProtocol(let header): return "server does not speak AMQP 0-9-1 (answered \(header))"
    case .authenticationFailed(let reason): return "AMQP authentication failed: \(reason)"
    case .connectionClosed(let code, let text, let c, let m):
      return "AMQP connection closed by server: \(code) \(text)" + (c == 0 ? "" : " (method \(c).\(m))")
    case .channelClosed(let code, let text, let c, let m):
      return "AMQP channel closed by server: \(code) \(text)" + (c == 0 ? "" : " (method \(c).\(m))")
    case .heartbeatTimeout: return "AMQP peer missed two heartbeats"
    case .connectionLost(let reason): return "AMQP connection lost: \(reason)"
    case .connectTimeout: return "AMQP connect timed out"
    case .unexpectedFrame(let what): return "unexpected AMQP frame: \(what)"
    case .closedByClient: return "AMQP connection or channel already closed by the client"
    case .consumerCancelled(let tag): return "AMQP consumer \(tag) cancelled by the server"
    case .publishNacked(let tag): return "AMQP publish \(tag) nacked by the broker"
    case .unroutable(let code, let text, let exchange, let routingKey):
      return "AMQP broker returned a message for \(exchange)/\(routingKey): \(code) \(text)"
    case .tooManyChannels(let limit): return "no free AMQP channel (channel_max \(limit))"
    case .invalidURL(let reason): return "invalid AMQP URL: \(reason)"
    }
  }
}

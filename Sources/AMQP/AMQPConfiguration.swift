import Foundation
import NIOCore
import NIOSSL

/// Where and how to connect. Built from a URL (`AMQPConfiguration(url:)`) or by hand.
public struct AMQPConfiguration: Sendable {
  /// One broker address. Several endpoints are a cluster: connecting tries them in order, reconnecting
  /// moves on to the next one.
  public struct Endpoint: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String
    public var tls: Bool

    public init(
      host: String, port: Int? = nil, username: String = "guest", password: String = "guest", tls: Bool = false
    ) {
      self.host = host
      self.port = port ?? (tls ? 5671 : 5672)
      self.username = username
      self.password = password
      self.tls = tls
    }
  }

  public var endpoints: [Endpoint]
  public var virtualHost: String
  /// Seconds between heartbeats we ask for; 0 disables them. The server's proposal wins when it is
  /// lower (and when we ask for none, none are used).
  public var heartbeat: UInt16
  /// The largest frame we accept; the server's proposal wins when it is lower.
  public var frameMax: UInt32
  /// 0 means as many as the server allows.
  public var channelMax: UInt16
  public var connectTimeout: TimeAmount
  /// Used for `amqps` endpoints; nil means the system trust store with full verification.
  public var tlsConfiguration: TLSConfiguration?
  /// Shown in the broker's management UI and `rabbitmqctl list_connections client_properties`.
  public var connectionName: String?

  public init(
    endpoints: [Endpoint], virtualHost: String = "/", heartbeat: UInt16 = 60, frameMax: UInt32 = 131_072,
    channelMax: UInt16 = 0, connectTimeout: TimeAmount = .seconds(10), tlsConfiguration: TLSConfiguration? = nil,
    connectionName: String? = nil
  ) {
    self.endpoints = endpoints
    self.virtualHost = virtualHost
    self.heartbeat = heartbeat
    self.frameMax = frameMax
    self.channelMax = channelMax
    self.connectTimeout = connectTimeout
    self.tlsConfiguration = tlsConfiguration
    self.connectionName = connectionName
  }

  /// Parses `amqp://user:pass@host:port/vhost`, `amqps://…` and oslo.messaging's `transport_url`
  /// (`rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost`). Rules:
  /// - user, password and vhost are percent-decoded (`%2F` is `/`); an empty or missing path is vhost `/`
  ///   (oslo's `rabbit://…:5672/` means the default vhost, not an empty name);
  /// - a host without credentials inherits the first host's (oslo writes them once per host, people do not);
  /// - `[::1]` IPv6 literals; default port 5672, 5671 with TLS;
  /// - query: `heartbeat`, `frame_max`, `channel_max`, `connection_timeout` (seconds), `ssl=1|true`
  ///   (TLS on a `rabbit://` URL) and `ssl_ca_file`, `ssl_cert_file`, `ssl_key_file` (as oslo.messaging names
  ///   them); unknown parameters are ignored (oslo has many driver options there).
  public init(url: String) throws(AMQPError) {
    guard let schemeEnd = url.firstRange(of: "://") else {
      throw .invalidURL("missing scheme in \(Self.redacted(url))")
    }
    let scheme = url[..<schemeEnd.lowerBound].lowercased()
    var tls: Bool
    switch scheme {
    case "amqp", "rabbit": tls = false
    case "amqps": tls = true
    default: throw .invalidURL("unsupported scheme \(scheme):// (amqp, amqps or rabbit)")
    }
    var rest = url[schemeEnd.upperBound...]
    var query: [String: String] = [:]
    if let q = rest.firstIndex(of: "?") {
      for pair in rest[rest.index(after: q)...].split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1)
        query[String(parts[0])] = parts.count > 1 ? Self.percentDecoded(String(parts[1])) : ""
      }
      rest = rest[..<q]
    }
    let authority: Substring
    var vhost = "/"
    if let slash = rest.firstIndex(of: "/") {
      authority = rest[..<slash]
      let path = String(rest[rest.index(after: slash)...])
      if !path.isEmpty { vhost = Self.percentDecoded(path) }
    } else {
      authority = rest
    }
    if let ssl = query["ssl"]?.lowercased(), ["1", "true", "yes", "on"].contains(ssl) { tls = true }

    var endpoints: [Endpoint] = []
    for hostPart in authority.split(separator: ",", omittingEmptySubsequences: false) {
      var user: String?
      var password: String?
      var hostPort = Substring(hostPart)
      if let at = hostPart.lastIndex(of: "@") {
        let credentials = hostPart[..<at]
        hostPort = hostPart[hostPart.index(after: at)...]
        if let colon = credentials.firstIndex(of: ":") {
          user = Self.percentDecoded(String(credentials[..<colon]))
          password = Self.percentDecoded(String(credentials[credentials.index(after: colon)...]))
        } else {
          user = Self.percentDecoded(String(credentials))
          password = ""
        }
      }
      var host: String
      var port: Int?
      if hostPort.hasPrefix("[") {
        guard let close = hostPort.firstIndex(of: "]") else { throw .invalidURL("unterminated IPv6 address") }
        host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
        let after = hostPort[hostPort.index(after: close)...]
        if after.hasPrefix(":") { port = try Self.port(after.dropFirst()) }
      } else if let colon = hostPort.lastIndex(of: ":") {
        host = String(hostPort[..<colon])
        port = try Self.port(hostPort[hostPort.index(after: colon)...])
      } else {
        host = String(hostPort)
      }
      if host.isEmpty {
        // amqp:// alone means localhost; an empty host between commas is a typo.
        guard authority.isEmpty || (authority.split(separator: ",").count <= 1 && user != nil) else {
          throw .invalidURL("empty host in \(Self.redacted(url))")
        }
        host = "localhost"
      }
      let inherited = endpoints.first
      endpoints.append(
        Endpoint(
          host: host, port: port, username: user ?? inherited?.username ?? "guest",
          password: password ?? inherited?.password ?? "guest", tls: tls))
    }
    self.init(endpoints: endpoints, virtualHost: vhost)
    if let v = query["heartbeat"] { heartbeat = try Self.number(v, "heartbeat") }
    if let v = query["frame_max"] { frameMax = try Self.number(v, "frame_max") }
    if let v = query["channel_max"] { channelMax = try Self.number(v, "channel_max") }
    if let v = query["connection_timeout"] {
      connectTimeout = .seconds(Int64(try Self.number(v, "connection_timeout") as UInt32))
    }
    tlsConfiguration = try Self.tlsFiles(
      ca: query["ssl_ca_file"], certificate: query["ssl_cert_file"], key: query["ssl_key_file"], tls: tls)
  }

  /// oslo.messaging's `ssl_ca_file`, `ssl_cert_file` and `ssl_key_file` (a private CA for the broker, a client
  /// certificate): checked here, so a wrong path is a clear error at start-up rather than a failed handshake.
  /// Verification of the broker's certificate and host name stays on.
  static func tlsFiles(ca: String?, certificate: String?, key: String?, tls: Bool) throws(AMQPError)
    -> TLSConfiguration?
  {
    let given = [("ssl_ca_file", ca), ("ssl_cert_file", certificate), ("ssl_key_file", key)].compactMap { name, path in
      path.flatMap { $0.isEmpty ? nil : (name, $0) }
    }
    guard !given.isEmpty else { return nil }
    guard tls else { throw .invalidURL("\(given[0].0) needs TLS: use amqps:// or ssl=1") }
    for (name, path) in given where !FileManager.default.isReadableFile(atPath: path) {
      throw .invalidURL("\(name)=\(path): no such readable file")
    }
    guard (certificate?.isEmpty ?? true) == (key?.isEmpty ?? true) else {
      throw .invalidURL("ssl_cert_file and ssl_key_file go together (a client certificate and its key)")
    }
    var configuration = TLSConfiguration.makeClientConfiguration()
    if let ca, !ca.isEmpty { configuration.trustRoots = .file(ca) }
    if let certificate, !certificate.isEmpty, let key, !key.isEmpty {
      configuration.certificateChain = [.file(certificate)]
      configuration.privateKey = .file(key)
    }
    return configuration
  }

  /// The URL with passwords replaced, for logs and error messages.
  public static func redacted(_ url: String) -> String {
    var out = ""
    var rest = Substring(url)
    if let schemeEnd = rest.firstRange(of: "://") {
      out += rest[..<schemeEnd.upperBound]
      rest = rest[schemeEnd.upperBound...]
    }
    let parts = rest.split(separator: ",", omittingEmptySubsequences: false).map { part -> String in
      guard let at = part.lastIndex(of: "@"), let colon = part[..<at].firstIndex(of: ":") else { return String(part) }
      return part[...colon] + "***" + part[at...]
    }
    return out + parts.joined(separator: ",")
  }

  private static func port(_ s: Substring) throws(AMQPError) -> Int {
    guard let p = Int(s), (1...65535).contains(p) else { throw .invalidURL("invalid port \(s)") }
    return p
  }

  private static func number<T: FixedWidthInteger>(_ s: String, _ name: String) throws(AMQPError) -> T {
    guard let v = T(s) else { throw .invalidURL("\(name)=\(s) is not a number in range") }
    return v
  }

  static func percentDecoded(_ s: String) -> String {
    guard s.contains("%") else { return s }
    var bytes: [UInt8] = []
    var it = Array(s.utf8)[...]
    while let c = it.popFirst() {
      if c == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(v)
        it = it.dropFirst(2)
      } else {
        bytes.append(c)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

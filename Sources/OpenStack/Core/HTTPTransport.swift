import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// One HTTP exchange as the session sees it. Bodies of answers are collected (API answers are small);
/// uploads may stream so an image is never held in memory.
public struct HTTPRequest: Sendable {
  public var method: HTTPMethod
  public var url: URL
  public var headers: HTTPHeaders
  public var body: RequestBody
  public var timeout: TimeAmount

  public init(
    method: HTTPMethod, url: URL, headers: HTTPHeaders = [:], body: RequestBody = .none,
    timeout: TimeAmount = .seconds(60)
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.timeout = timeout
  }
}

public enum RequestBody: Sendable {
  case none
  case data(Data)
  /// A body produced on demand; `length` lets the server see a Content-Length instead of chunks.
  /// A streamed request is never retried: its bytes cannot be replayed.
  case stream(length: Int64?, chunks: @Sendable () -> AsyncThrowingStream<ByteBuffer, Error>)

  var isReplayable: Bool {
    if case .stream = self { return false }
    return true
  }
}

public struct HTTPResponse: Sendable {
  public var status: Int
  public var headers: HTTPHeaders
  public var body: Data

  public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The id services log a request under; `x-openstack-request-id` or Nova's legacy `x-compute-request-id`.
  public var requestID: String? {
    headers.first(name: "x-openstack-request-id") ?? headers.first(name: "x-compute-request-id")
  }
}

/// The seam between the session and the network, so retry, re-authentication and paging can be tested
/// without sockets.
public protocol HTTPTransport: Sendable {
  func execute(_ request: HTTPRequest) async throws -> HTTPResponse
  func shutdown() async throws
}

/// The real transport, on async-http-client.
public final class AsyncHTTPTransport: HTTPTransport {
  let client: HTTPClient
  /// Answers larger than this are refused rather than buffered (API answers are far smaller).
  let maxResponseBytes: Int

  public init(verifyTLS: Bool = true, caCertificateFile: String? = nil, maxResponseBytes: Int = 256 << 20) {
    var configuration = HTTPClient.Configuration()
    var tls = TLSConfiguration.makeClientConfiguration()
    if !verifyTLS {
      tls.certificateVerification = .none
    }
    if let caCertificateFile {
      tls.trustRoots = .file(caCertificateFile)
    }
    configuration.tlsConfiguration = tls
    configuration.decompression = .enabled(limit: .ratio(50))
    configuration.timeout.connect = .seconds(10)
    self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.maxResponseBytes = maxResponseBytes
  }

  public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
    var outgoing = HTTPClientRequest(url: request.url.absoluteString)
    outgoing.method = request.method
    outgoing.headers = request.headers
    switch request.body {
    case .none:
      break
    case .data(let data):
      outgoing.body = .bytes(ByteBuffer(bytes: data))
    case .stream(let length, let chunks):
      outgoing.body = .stream(chunks(), length: length.map { .known($0) } ?? .unknown)
    }
    let response = try await client.execute(outgoing, timeout: request.timeout)
    let body = try await response.body.collect(upTo: maxResponseBytes)
    return HTTPResponse(
      status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
  }

  public func shutdown() async throws {
    try await client.shutdown()
  }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Reads large files from outside the cloud (image sources) as a stream: the body is handed on chunk by
/// chunk with back-pressure, so an image of any size passes through in constant memory. Same stack as
/// the OpenStack calls (AsyncHTTPClient, no libcurl).
public enum HTTPSource {
  /// What a quick look at a URL found.
  public struct Probe: Sendable, Equatable {
    public var status: Int
    public var length: Int64?
  }

  /// Asks for the headers only (HEAD; a GET that is dropped after the headers when HEAD is refused),
  /// within `timeout`; redirects are followed.
  public static func probe(_ url: URL, timeout: Duration = .seconds(30), verifyTLS: Bool = true) async throws -> Probe {
    let client = makeClient(verifyTLS: verifyTLS)
    defer { Task { try? await client.shutdown() } }
    do {
      var request = HTTPClientRequest(url: url.absoluteString)
      request.method = .HEAD
      var response = try await client.execute(request, timeout: timeAmount(timeout))
      if [405, 501].contains(Int(response.status.code)) {
        request.method = .GET
        response = try await client.execute(request, timeout: timeAmount(timeout))
      }
      let length = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
      return Probe(status: Int(response.status.code), length: length)
    } catch {
      throw Session.transportError(
        error, request: HTTPRequest(method: .HEAD, url: url, timeout: timeAmount(timeout)))
    }
  }

  /// Streams the body of `url` to `body`, which gets the announced length and the chunks. The
  /// connection is bounded by `timeout` for the whole transfer; the stream pulls, so a slow consumer
  /// slows the download instead of buffering it.
  public static func stream<T: Sendable>(
    _ url: URL, timeout: Duration, verifyTLS: Bool = true,
    _ body: (_ length: Int64?, _ chunks: AsyncThrowingStream<ByteBuffer, Error>) async throws -> T
  ) async throws -> T {
    let client = makeClient(verifyTLS: verifyTLS)
    do {
      let request = HTTPClientRequest(url: url.absoluteString)
      let response = try await client.execute(request, timeout: timeAmount(timeout))
      guard (200..<300).contains(Int(response.status.code)) else {
        throw OpenStackError(
          kind: .http, method: "GET", url: url.absoluteString, status: Int(response.status.code),
          message: "download failed")
      }
      let length = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
      let iterator = BodyIterator(response.body.makeAsyncIterator())
      let result = try await body(length, AsyncThrowingStream(unfolding: { try await iterator.next() }))
      try? await client.shutdown()
      return result
    } catch let error as OpenStackError {
      try? await client.shutdown()
      throw error
    } catch {
      try? await client.shutdown()
      if error is CancellationError { throw error }
      throw Session.transportError(error, request: HTTPRequest(method: .GET, url: url, timeout: timeAmount(timeout)))
    }
  }

  static func makeClient(verifyTLS: Bool) -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    if !verifyTLS { configuration.tlsConfiguration = .makeClientConfiguration() }
    if !verifyTLS { configuration.tlsConfiguration?.certificateVerification = .none }
    configuration.timeout.connect = .seconds(10)
    configuration.redirectConfiguration = .follow(max: 5, allowCycles: false)
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }

  static func timeAmount(_ duration: Duration) -> TimeAmount {
    .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
  }

  /// The response iterator, pulled by one consumer at a time.
  final class BodyIterator: @unchecked Sendable {
    var iterator: HTTPClientResponse.Body.AsyncIterator

    init(_ iterator: HTTPClientResponse.Body.AsyncIterator) { self.iterator = iterator }

    func next() async throws -> ByteBuffer? { try await iterator.next() }
  }
}

import Foundation
import NIOHTTP1

/// Fetches a small document from outside the cloud (a flavor or image definition file) over the same
/// transport as the OpenStack calls: one HTTP stack, one TLS configuration, bounded time and size, and
/// no libcurl (Foundation's URLSession would link it and rule out static binaries).
public enum HTTPDownload {
  public static func fetch(
    _ url: URL, timeout: Duration = .seconds(30), maxBytes: Int = 16 << 20, verifyTLS: Bool = true
  ) async throws -> Data {
    let transport = AsyncHTTPTransport(verifyTLS: verifyTLS, maxResponseBytes: maxBytes)
    let request = HTTPRequest(
      method: .GET, url: url, headers: ["Accept": "*/*"],
      timeout: .milliseconds(Int64(timeout.components.seconds * 1000)))
    do {
      let response = try await transport.execute(request)
      try? await transport.shutdown()
      guard (200..<300).contains(response.status) else {
        throw OpenStackError(
          kind: .http, method: "GET", url: url.absoluteString, status: response.status,
          message: "download failed")
      }
      return response.body
    } catch let error as OpenStackError {
      throw error
    } catch {
      try? await transport.shutdown()
      throw Session.transportError(error, request: request)
    }
  }
}

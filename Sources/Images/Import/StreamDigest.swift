import Crypto
import NIOCore
import Synchronization

/// A digest computed while image bytes stream past, in the algorithm a definition's checksum names, so
/// verification never needs a second pass over the data.
final class StreamDigest: Sendable {
  static let algorithms: Set<String> = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512"]

  private struct State: @unchecked Sendable {
    var hasher: any HashFunction
    var bytes: Int64 = 0
  }

  private let state: Mutex<State>
  let algorithm: String

  /// `nil` for an algorithm the digest cannot compute.
  init?(algorithm: String) {
    let hasher: any HashFunction
    switch algorithm.lowercased() {
    case "md5": hasher = Insecure.MD5()
    case "sha1": hasher = Insecure.SHA1()
    case "sha256": hasher = SHA256()
    case "sha384": hasher = SHA384()
    case "sha512": hasher = SHA512()
    default: return nil
    }
    self.algorithm = algorithm.lowercased()
    state = Mutex(State(hasher: hasher))
  }

  func update(_ buffer: ByteBuffer) {
    state.withLock { state in
      buffer.withUnsafeReadableBytes { state.hasher.update(bufferPointer: $0) }
      state.bytes += Int64(buffer.readableBytes)
    }
  }

  var byteCount: Int64 { state.withLock { $0.bytes } }

  /// Lower-case hex; call once, after the stream ended.
  func hex() -> String {
    state.withLock { state in
      let digest = state.hasher.finalize()
      return digest.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
      }.joined()
    }
  }

  /// Passes `chunks` on unchanged, hashing each on the way (pull-based: no buffering).
  func tap(_ chunks: AsyncThrowingStream<ByteBuffer, Error>) -> AsyncThrowingStream<ByteBuffer, Error> {
    let source = StreamIterator(chunks.makeAsyncIterator())
    return AsyncThrowingStream(unfolding: { [self] in
      guard let chunk = try await source.next() else { return nil }
      update(chunk)
      return chunk
    })
  }
}

/// One consumer at a time pulls from it.
final class StreamIterator: @unchecked Sendable {
  var iterator: AsyncThrowingStream<ByteBuffer, Error>.AsyncIterator

  init(_ iterator: AsyncThrowingStream<ByteBuffer, Error>.AsyncIterator) { self.iterator = iterator }

  func next() async throws -> ByteBuffer? { try await iterator.next() }
}

import Foundation
import NIOCore
import OpenStack

/// Imports one image and vouches for it: checks the source first, lets Glance fetch it with
/// `web-download` (or streams it through this host: local files, Glances without web-download, a
/// web-download Glance gave up on), verifies the checksum, and only then makes the image visible.
/// Every wait is bounded by the import timeout; on any failure the image it created is deleted, so
/// no queued, importing or unverified image is left behind.
public struct ImageImporter: Sendable {
  public typealias Progress = @Sendable (_ image: String, _ message: String) -> Void

  let images: ImagesAPI
  let timeout: Duration
  let sourceTimeout: Duration
  let useWebDownload: Bool
  let progress: Progress
  /// How long an image may sit in `queued` after the import was accepted before it counts as stuck.
  let queuedGrace: Duration
  let pollInterval: Duration

  public init(
    images: ImagesAPI, timeout: Duration, sourceTimeout: Duration = .seconds(30), webDownload: Bool,
    queuedGrace: Duration = .seconds(30), pollInterval: Duration = .milliseconds(500),
    progress: @escaping Progress = { _, _ in }
  ) {
    self.images = images
    self.timeout = timeout
    self.sourceTimeout = sourceTimeout
    self.useWebDownload = webDownload
    self.queuedGrace = queuedGrace
    self.pollInterval = pollInterval
    self.progress = progress
  }

  enum Source {
    case http(URL)
    case file(String)
  }

  /// Imports `job` and returns the new image's id.
  public func run(_ job: ImportJob) async throws -> String {
    let started = ContinuousClock.now
    let deadline = started + timeout
    let source = try await check(job)
    let image = try await images.create(
      ImageCreate(
        name: job.name, id: job.id, diskFormat: job.diskFormat, containerFormat: job.containerFormat,
        visibility: "private", minDisk: job.minDisk, minRAM: job.minRAM, tags: job.tags, properties: job.properties))
    progress(job.name, "created \(image.id) (private until verified)")
    do {
      var streamed: StreamDigest?
      var active: Image?
      if case .http(let url) = source, useWebDownload {
        active = try await webDownload(job, imageID: image.id, url: url, deadline: deadline)
        if active == nil {
          progress(job.name, "web-download failed; streaming the image through this host instead")
        }
      }
      if active == nil {
        streamed = try await upload(job, imageID: image.id, source: source, deadline: deadline)
        active = try await waitActive(job, imageID: image.id, deadline: deadline, importing: false)
      }
      guard let active else { throw ImportFailure(image: job.name, reason: .importFailed("no active image")) }
      try await verify(job, active, streamed: streamed, source: source, deadline: deadline)
      try await finish(job, imageID: image.id)
      let seconds =
        Double((ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000) / 1000
        + Double((ContinuousClock.now - started).components.seconds)
      progress(
        job.name,
        "done in \(String(format: "%.1f", seconds)) s (\(active.size.map { "\($0) bytes" } ?? "size unknown")"
          + (job.checksum == nil ? ", no checksum to verify)" : ", \(job.checksum!.algorithm) verified)"))
      return image.id
    } catch {
      let cleanup = await remove(image.id)
      progress(job.name, "FAILED: \(error); \(cleanup)")
      if var failure = error as? ImportFailure {
        failure.cleanup = cleanup
        throw failure
      }
      throw ImportFailure(image: job.name, reason: .importFailed(String(describing: error)), cleanup: cleanup)
    }
  }

  /// The source must answer (or the file exist) before anything is created in Glance.
  func check(_ job: ImportJob) async throws -> Source {
    guard let url = URL(string: job.url), let scheme = url.scheme?.lowercased() else {
      throw ImportFailure(image: job.name, reason: .sourceUnreachable("'\(job.url)' is not a URL"))
    }
    if scheme == "file" {
      guard FileManager.default.isReadableFile(atPath: url.path) else {
        throw ImportFailure(image: job.name, reason: .sourceUnreachable("no readable file \(url.path)"))
      }
      return .file(url.path)
    }
    progress(job.name, "checking \(job.url)")
    do {
      let probe = try await HTTPSource.probe(url, timeout: sourceTimeout)
      guard (200..<400).contains(probe.status) else {
        throw ImportFailure(image: job.name, reason: .sourceUnreachable("HTTP \(probe.status) from \(job.url)"))
      }
    } catch let error as OpenStackError {
      throw ImportFailure(image: job.name, reason: .sourceUnreachable("\(job.url): \(error.message)"))
    }
    return .http(url)
  }

  /// The active image when Glance fetched it; `nil` when Glance refused or reported the web-download
  /// as failed (the image is back in `queued` and can take an upload instead).
  func webDownload(_ job: ImportJob, imageID: String, url: URL, deadline: ContinuousClock.Instant) async throws
    -> Image?
  {
    progress(job.name, "web-download from \(url.absoluteString)")
    do {
      try await images.startImport(imageID, method: .webDownload(uri: url.absoluteString))
    } catch let error as OpenStackError where error.status.map({ (400..<500).contains($0) }) == true {
      progress(job.name, "Glance refused the web-download: \(error.message)")
      return nil
    }
    do {
      return try await waitActive(job, imageID: imageID, deadline: deadline, importing: true)
    } catch let failure as ImportFailure {
      if case .importFailed = failure.reason, ContinuousClock.now < deadline { return nil }
      throw failure
    }
  }

  /// Streams the source into Glance (`PUT /file`), hashing on the way; bounded by the deadline.
  func upload(
    _ job: ImportJob, imageID: String, source: Source, deadline: ContinuousClock.Instant
  ) async throws -> StreamDigest? {
    let digest = job.checksum.flatMap { StreamDigest(algorithm: $0.algorithm) } ?? StreamDigest(algorithm: "sha256")!
    let images = self.images
    let remaining = deadline - ContinuousClock.now
    progress(job.name, "uploading (streamed)")
    try await Deadline.run(within: remaining, what: job.name) {
      switch source {
      case .file(let path):
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let length = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        let chunks = FileChunks(handle)
        try await images.upload(imageID, length: length) {
          digest.tap(AsyncThrowingStream(unfolding: { try chunks.next() }))
        }
      case .http(let url):
        try await HTTPSource.stream(url, timeout: remaining) { length, chunks in
          try await images.upload(imageID, length: length) { digest.tap(chunks) }
        }
      }
    }
    return digest
  }

  /// Polls until `active`. With `importing`, a return to `queued` after Glance took the import, or
  /// `os_glance_failed_import`, means the import failed; `queued` for longer than the grace period
  /// without ever importing means it is stuck.
  func waitActive(
    _ job: ImportJob, imageID: String, deadline: ContinuousClock.Instant, importing: Bool
  ) async throws -> Image {
    let started = ContinuousClock.now
    var sawProgress = false
    var lastStatus = ""
    while true {
      let image = try await images.get(imageID)
      if image.status != lastStatus {
        if !lastStatus.isEmpty || image.status != "queued" { progress(job.name, "status \(image.status)") }
        lastStatus = image.status
      }
      switch image.status {
      case "active" where importing && Self.importStillRunning(image):
        // Glance's import task saves the image once more after it went active; a change made before
        // that last save (a rename, the visibility) would be overwritten, so wait for its lock to go.
        sawProgress = true
      case "active":
        return image
      case "killed", "deleted", "pending_delete", "deactivated":
        throw ImportFailure(image: job.name, reason: .importFailed("Glance set the image to '\(image.status)'"))
      case "queued" where importing:
        let failedStores = image.properties["os_glance_failed_import"]?.stringValue ?? ""
        if sawProgress || !failedStores.isEmpty {
          throw ImportFailure(image: job.name, reason: .importFailed("Glance's web-download failed (back to 'queued')"))
        }
        if ContinuousClock.now - started > queuedGrace {
          throw ImportFailure(image: job.name, reason: .timedOut(lastStatus: "queued"))
        }
      default:
        sawProgress = true
      }
      if ContinuousClock.now >= deadline {
        throw ImportFailure(image: job.name, reason: .timedOut(lastStatus: image.status))
      }
      try await Task.sleep(for: pollInterval)
    }
  }

  /// The import task still holds the image: `os_glance_import_task` (Glance's import lock) or stores
  /// still listed in `os_glance_importing_to_stores`.
  static func importStillRunning(_ image: Image) -> Bool {
    let lock = image.properties["os_glance_import_task"]?.stringValue ?? ""
    let stores = image.properties["os_glance_importing_to_stores"]?.stringValue ?? ""
    return !lock.isEmpty || !stores.isEmpty
  }

  /// Glance's `os_hash_value` when it used the definition's algorithm (or `checksum` for md5), else the
  /// digest taken while streaming, else one more streamed pass over the source.
  func verify(
    _ job: ImportJob, _ image: Image, streamed: StreamDigest?, source: Source, deadline: ContinuousClock.Instant
  ) async throws {
    guard let expected = job.checksum else { return }
    var actual: String?
    if image.hashAlgorithm?.lowercased() == expected.algorithm, let value = image.hashValue {
      actual = value.lowercased()
    } else if expected.algorithm == "md5", let value = image.checksum {
      actual = value.lowercased()
    } else if let streamed, streamed.algorithm == expected.algorithm {
      actual = streamed.hex()
    } else if case .http(let url) = source, let digest = StreamDigest(algorithm: expected.algorithm) {
      progress(
        job.name, "Glance hashed with \(image.hashAlgorithm ?? "?"); hashing the source with \(expected.algorithm)")
      let remaining = deadline - ContinuousClock.now
      try await Deadline.run(within: remaining, what: job.name) {
        try await HTTPSource.stream(url, timeout: remaining) { _, chunks in
          for try await chunk in chunks { digest.update(chunk) }
        }
      }
      actual = digest.hex()
    }
    guard let actual else {
      throw ImportFailure(
        image: job.name, reason: .importFailed("cannot compute a \(expected.algorithm) digest to verify the checksum"))
    }
    guard actual == expected.hex else {
      throw ImportFailure(
        image: job.name,
        reason: .checksumMismatch(expected: expected.description, actual: "\(expected.algorithm):\(actual)"))
    }
  }

  /// Visibility, hiding and status only now that the image is verified.
  func finish(_ job: ImportJob, imageID: String) async throws {
    var operations: [JSONPatchOperation] = []
    if job.visibility != "private" { operations.append(.replace("/visibility", .string(job.visibility))) }
    if job.hidden { operations.append(.replace("/os_hidden", true)) }
    if !operations.isEmpty { _ = try await images.update(imageID, operations) }
    if job.deactivate { try await images.deactivate(imageID) }
  }

  /// Deletes the image a failed import created; says what happened for the report.
  func remove(_ imageID: String) async -> String {
    var lastError = ""
    for attempt in 0..<5 {
      do {
        try await images.deleteIfPresent(imageID)
        return "image \(imageID) deleted"
      } catch {
        lastError = String(describing: error)
        try? await Task.sleep(for: .seconds(attempt + 1))
      }
    }
    return "could not delete image \(imageID): \(lastError)"
  }
}

/// Reads a local file in 1 MiB chunks on demand.
final class FileChunks: @unchecked Sendable {
  let handle: FileHandle

  init(_ handle: FileHandle) { self.handle = handle }

  func next() throws -> ByteBuffer? {
    guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { return nil }
    return ByteBuffer(bytes: data)
  }
}

/// Runs work with a hard time limit: the work is cancelled and a timeout reported when it overruns.
enum Deadline {
  static func run(within limit: Duration, what: String, _ work: @escaping @Sendable () async throws -> Void)
    async throws
  {
    guard limit > .zero else { throw ImportFailure(image: what, reason: .timedOut(lastStatus: "uploading")) }
    try await withThrowingTaskGroup(of: Bool.self) { group in
      group.addTask {
        try await work()
        return true
      }
      group.addTask {
        try await Task.sleep(for: limit)
        return false
      }
      let finished = try await group.next() ?? false
      group.cancelAll()
      if !finished { throw ImportFailure(image: what, reason: .timedOut(lastStatus: "uploading")) }
    }
  }
}

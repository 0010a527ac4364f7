import Foundation
import OpenStack
import StewardCore

/// Syncs Glance to image definitions: observes the managed images (hidden ones too), plans with
/// `ImagePlanner`, and applies with one task per definition, at most `maxParallel` at a time. Within a
/// definition the steps run in order; a failed import stops the renames and rotation that depend on it
/// but not other definitions.
public struct ImageReconciler: Reconciler {
  let images: ImagesAPI
  let definitions: [ImageDefinition]
  let options: ImageSyncOptions
  let progress: ImageImporter.Progress
  private let planned = PlannedSteps<ImagePlan.Step>()

  public init(
    images: ImagesAPI, definitions: [ImageDefinition], options: ImageSyncOptions,
    progress: @escaping ImageImporter.Progress = { _, _ in }
  ) {
    self.images = images
    self.definitions = definitions
    self.options = options
    self.progress = progress
  }

  public func plan() async throws -> Plan {
    async let observing = ObservedImage.all(in: images, tag: options.tag)
    let (resolved, problems) = await ChecksumFile.resolve(
      definitions.filter { options.includes($0) }, timeout: options.sourceTimeout)
    for problem in problems { progress("checksums", problem) }
    let observed = try await observing
    let result = ImagePlanner.plan(definitions: resolved, observed: observed, options: options)
    planned.store(result.steps)
    return result.plan
  }

  public func apply(_ plan: Plan) async throws -> ApplyReport {
    let steps = try planned.steps(for: plan.actionable)
    let needsImport = steps.contains { if case .importImage = $0.operation { true } else { false } }
    let webDownload =
      needsImport && !options.uploadOnly ? ((try? await images.importMethods()) ?? []).contains("web-download") : false
    let importer = ImageImporter(
      images: images, timeout: options.importTimeout, sourceTimeout: options.sourceTimeout, webDownload: webDownload,
      // Glance keeps an import `queued` until a task worker takes it; with many parallel imports that
      // can take a while, so only a long wait there counts as stuck.
      queuedGrace: min(options.importTimeout, .seconds(120)), progress: progress)
    let images = self.images
    // One group per definition, in plan order: a failed step skips the later ones that need it.
    return await ApplyReport.concurrentGroups(steps, groupedBy: \.group, concurrency: options.maxParallel) { group in
      var errors: [String?] = []
      var imported: [String: String] = [:]
      var failed: String?
      for step in group {
        let operation = step.operation
        if let failed, operation.needsEarlierSuccess {
          errors.append("skipped: an earlier step of this image failed (\(failed))")
          continue
        }
        do {
          if let id = try await Self.perform(operation, images: images, importer: importer, imported: imported),
            case .importImage(let job) = operation
          {
            imported[job.name] = id
          }
          errors.append(nil)
        } catch {
          let message = String(describing: error)
          if failed == nil { failed = message }
          errors.append(message)
        }
      }
      return errors
    }
  }

  /// Returns the new image's id for an import.
  static func perform(
    _ operation: ImageOperation, images: ImagesAPI, importer: ImageImporter, imported: [String: String]
  ) async throws -> String? {
    switch operation {
    case .importImage(let job):
      return try await importer.run(job)
    case .rename(let reference, let name):
      let id: String
      switch reference {
      case .id(let value): id = value
      case .imported(let importedName):
        guard let value = imported[importedName] else { throw MissingImport(name: importedName) }
        id = value
      }
      _ = try await images.update(id, [.replace("/name", .string(name))])
    case .update(let id, let patch):
      var operations: [JSONPatchOperation] = patch.properties.keys.sorted().map {
        .add("/\($0)", .string(patch.properties[$0]!))
      }
      if let minDisk = patch.minDisk { operations.append(.replace("/min_disk", .int(minDisk))) }
      if let minRAM = patch.minRAM { operations.append(.replace("/min_ram", .int(minRAM))) }
      if let visibility = patch.visibility { operations.append(.replace("/visibility", .string(visibility))) }
      if let hidden = patch.hidden { operations.append(.replace("/os_hidden", .bool(hidden))) }
      if patch.active == true { try await images.reactivate(id) }
      if !operations.isEmpty { _ = try await images.update(id, operations) }
      for tag in patch.addTags { try await images.addTag(id, tag) }
      for tag in patch.removeTags { try await images.removeTag(id, tag) }
      if patch.active == false { try await images.deactivate(id) }
    case .retire(let id, let hide, let useOSHidden, let deactivate):
      if hide {
        _ = try await images.update(
          id, [useOSHidden ? .replace("/os_hidden", true) : .replace("/visibility", "community")])
      }
      if deactivate { try await images.deactivate(id) }
    case .delete(let id):
      try await images.delete(id)
    }
    return nil
  }
}

/// A rename of an image that this run should have imported, but the import left no id.
struct MissingImport: Error, CustomStringConvertible {
  let name: String
  var description: String { "'\(name)' was not imported" }
}

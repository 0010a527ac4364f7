import ArgumentParser
import Foundation
import Images
import OpenStack
import StewardCore

/// The options `images plan` and `images sync` share, named as openstack-image-manager names them.
struct ImageSyncArguments: ParsableArguments {
  @Option(help: "A definition file, or a folder of .yml/.yaml files (openstack-image-manager format).")
  var images: String

  @Option(help: "Only images whose name matches this regular expression.")
  var filter: String?

  @Flag(help: "Import only the newest version of each image.")
  var latest = false

  @Option(help: "The tag that marks the images this manager owns.")
  var tag = "managed_by_osism"

  @Flag(help: "Hide old versions (visibility community; os_hidden with --use-os-hidden).")
  var hide = false

  @Flag(name: .customLong("use-os-hidden"), help: "Hide old versions with os_hidden instead of visibility community.")
  var useOSHidden = false

  @Flag(help: "Deactivate versions past their uuid_validity.")
  var deactivate = false

  @Flag(help: "Delete versions past their uuid_validity; needs --yes-i-really-know-what-i-do.")
  var delete = false

  @Flag(name: .customLong("yes-i-really-know-what-i-do"), help: "Confirm --delete.")
  var confirmDelete = false

  @Flag(help: "Keep versions of single images that are no longer defined.")
  var keep = false

  @Flag(help: "Also import images whose definition says 'enable: false'.")
  var force = false

  @Option(name: .customLong("max-parallel"), help: "How many images to import at the same time.")
  var maxParallel = 4

  @Option(name: .customLong("import-timeout"), help: "Seconds one import (check, transfer, verification) may take.")
  var importTimeout = 1800

  @Option(name: .customLong("source-timeout"), help: "Seconds the check of a source URL may take.")
  var sourceTimeout = 30

  @Flag(name: .customLong("upload-only"), help: "Stream every image through this host instead of web-download.")
  var uploadOnly = false

  @Flag(name: .customLong("show-unchanged"), help: "List unchanged images in the plan too.")
  var showUnchanged = false

  func validate() throws {
    guard maxParallel > 0 else { throw ValidationError("--max-parallel must be at least 1") }
    guard importTimeout > 0, sourceTimeout > 0 else { throw ValidationError("timeouts must be positive") }
    if let filter, (try? Regex(filter)) == nil {
      throw ValidationError("--filter '\(filter)' is not a regular expression")
    }
    if delete && !confirmDelete {
      throw ValidationError("--delete removes images for good; add --yes-i-really-know-what-i-do to confirm")
    }
    if useOSHidden && !hide { throw ValidationError("--use-os-hidden only changes how --hide hides; add --hide") }
  }

  func options(projectID: String?) -> ImageSyncOptions {
    ImageSyncOptions(
      filter: filter, latest: latest, tag: tag,
      rotation: .init(
        hide: hide, useOSHidden: useOSHidden, deactivate: deactivate, delete: delete, confirmDelete: confirmDelete),
      keep: keep, force: force, maxParallel: maxParallel, importTimeout: .seconds(importTimeout),
      sourceTimeout: .seconds(sourceTimeout), uploadOnly: uploadOnly, projectID: projectID)
  }

  /// The definitions, or exit 2 naming file, line and field; warnings go to stderr.
  func definitions() throws -> [ImageDefinition] {
    let set = ImageDefinitionLoader.load(images)
    for issue in set.issues { FileHandle.standardError.write(Data("\(issue)\n".utf8)) }
    if !set.errors.isEmpty {
      throw ValidationError("\(set.errors.count) errors in the image definitions; nothing was changed")
    }
    return set.images
  }

  /// Plans, prints the plan, applies unless `dryRun`, prints the report and a summary; exit 1 when
  /// anything failed.
  func run(global: GlobalOptions, dryRun: Bool) async throws {
    let definitions = try definitions()
    let started = ContinuousClock.now
    let (plan, report) = try await global.withSession { session in
      let projectID = try await session.currentToken().project?.id
      let reconciler = ImageReconciler(
        images: try await session.image().images, definitions: definitions, options: options(projectID: projectID),
        progress: { image, message in
          FileHandle.standardError.write(Data("[\(image)] \(message)\n".utf8))
        })
      let plan = try await reconciler.plan()
      if !dryRun && !plan.isEmpty && global.format == .table {
        output(plan.render(format: .table, includeUnchanged: showUnchanged))
      }
      return try await (plan, dryRun || plan.isEmpty ? nil : reconciler.apply(plan))
    }
    let elapsed = ContinuousClock.now - started
    switch global.format {
    case .json, .yaml:
      var planRecord: Record = ["summary": .string(plan.summary)]
      planRecord.append("changes", .list(plan.records(includeUnchanged: showUnchanged).map { .object($0) }))
      let document: OutputValue = .object([
        "dry_run": .bool(dryRun), "plan": .object(planRecord),
        "apply": report.map(FlavorSyncArguments.reportValue) ?? .null,
      ])
      output(global.format == .json ? Renderer.json(document) + "\n" : Renderer.yaml(document))
    case .csv:
      // One table a script can read: the apply results when applied, else the plan.
      output(report?.render(format: .csv) ?? plan.render(format: .csv, includeUnchanged: showUnchanged))
    case .table, .value:
      if dryRun || plan.isEmpty { output(plan.render(format: .table, includeUnchanged: showUnchanged)) }
      if let report {
        output(report.render(format: .table))
        let imports = report.outcomes.filter { $0.change.action == .create }
        let failed = imports.filter { $0.error != nil }.count
        output(
          "Imports: \(imports.count - failed) done, \(failed) failed; took "
            + String(
              format: "%.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            + ".\n")
      }
    }
    if let report, !report.succeeded { throw ExitCode(1) }
  }
}

extension ImagesCommand {
  struct Plan: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Show what `images sync` would change, without changing anything.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sync: ImageSyncArguments

    func execute() async throws { try await sync.run(global: global, dryRun: true) }
  }

  struct Sync: StewardSubcommand {
    static let configuration = CommandConfiguration(
      abstract: "Import, repair and rotate images from definitions (openstack-image-manager compatible).",
      discussion: """
        Validates the definitions, plans (missing versions, renames, property/tag/visibility drift, rotation \
        per uuid_validity), then applies: imports run concurrently (--max-parallel), each checked at the \
        source, fetched by Glance web-download (or streamed through this host for local files and as \
        fallback), verified against its checksum and only then made visible. A failed or stuck import is \
        deleted and reported; other images go on. Exit 1 when anything failed, 2 on bad definitions.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sync: ImageSyncArguments

    @Flag(name: .customLong("dry-run"), help: "Only print the plan.")
    var dryRun = false

    func execute() async throws { try await sync.run(global: global, dryRun: dryRun) }
  }
}

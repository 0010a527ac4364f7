import ArgumentParser
import Flavors
import OpenStack
import StewardCore

/// The options `flavors plan` and `flavors sync` share, named as openstack-flavor-manager names them
/// where it has them (`--name`, `--url`, `--recommended`, `--limit-memory`).
struct FlavorSyncArguments: ParsableArguments {
  @Option(help: "Definition set: scs (built in), osism, local or url.")
  var name: String = "scs"

  @Option(help: "Definition file or URL (file path, file:// or http(s)://); overrides the set's default.")
  var url: String?

  @Flag(help: "Also sync the recommended flavors.")
  var recommended = false

  @Option(name: .customLong("limit-memory"), help: "With --recommended: skip recommended flavors above this RAM (GiB).")
  var limitMemory: Int = 32

  @Flag(name: .customLong("prune-specs"), help: "Remove extra specs that the definition does not list.")
  var pruneSpecs = false

  @Option(
    name: .customLong("extra-flavors"),
    help: "Flavors with the set's name prefix that are not defined: keep, delete, or retire (make private).")
  var extraFlavors: FlavorSyncOptions.ExtraFlavors = .keep

  @Option(name: .customLong("limit"), help: "Only flavors matching this name (`*` wildcard); repeatable.")
  var limit: [String] = []

  @Option(help: "How many flavors to change at the same time.")
  var concurrency: Int = 8

  @Flag(
    name: .customLong("strict-specs"),
    help: "Have Nova validate extra specs strictly (microversion 2.86+); slower, refuses unknown hw:* keys.")
  var strictSpecs = false

  @Flag(name: .customLong("show-unchanged"), help: "List unchanged flavors in the plan too.")
  var showUnchanged = false

  func validate() throws {
    guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
    guard limitMemory > 0 else { throw ValidationError("--limit-memory must be positive") }
  }

  var options: FlavorSyncOptions {
    FlavorSyncOptions(
      pruneSpecs: pruneSpecs, extraFlavors: extraFlavors, limit: limit, concurrency: concurrency,
      strictSpecs: strictSpecs)
  }

  /// Loads the definitions; a bad file becomes a usage error (exit 2) naming file and line.
  func definitions() async throws -> FlavorDefinitionSet {
    do {
      let source = try DefinitionSource(name: name, url: url)
      let set = try await source.load()
      if extraFlavors != .keep, set.namePrefix == nil {
        throw ValidationError(
          "--extra-flavors \(extraFlavors.rawValue) needs a 'mandatory_prefix' for 'name' in the definitions' reference section"
        )
      }
      return set
    } catch let error as FlavorDefinitionError {
      throw ValidationError(error.description)
    }
  }

  /// Plans, prints the plan, applies unless `dryRun`, prints the report; exit 1 when anything failed.
  func run(global: GlobalOptions, dryRun: Bool) async throws {
    let set = try await definitions()
    let desired = set.selected(recommended: recommended, limitMemoryGB: limitMemory)
    let (plan, report) = try await global.withSession { session in
      let reconciler = FlavorReconciler(
        flavors: try await session.compute().flavors, desired: desired, namePrefix: set.namePrefix, options: options)
      return try await reconciler.run(dryRun: dryRun)
    }
    switch global.format {
    case .json, .yaml:
      var planRecord: Record = ["summary": .string(plan.summary)]
      planRecord.append("changes", .list(plan.records(includeUnchanged: showUnchanged).map { .object($0) }))
      let document: OutputValue = .object([
        "dry_run": .bool(dryRun), "plan": .object(planRecord), "apply": report.map(Self.reportValue) ?? .null,
      ])
      output(global.format == .json ? Renderer.json(document) + "\n" : Renderer.yaml(document))
    case .csv:
      // One table a script can read: the apply results when applied, else the plan.
      output(report?.render(format: .csv) ?? plan.render(format: .csv, includeUnchanged: showUnchanged))
    case .table, .value:
      output(plan.render(format: .table, includeUnchanged: showUnchanged))
      if let report { output(report.render(format: .table)) }
    }
    if let report, !report.succeeded { throw ExitCode(1) }
  }

  static func reportValue(_ report: ApplyReport) -> OutputValue {
    .object([
      "summary": .string(report.summary), "succeeded": .bool(report.succeeded),
      "results": .list(
        report.outcomes.map { outcome in
          .object([
            "action": .string(outcome.change.action.rawValue), "kind": .string(outcome.change.kind),
            "target": .string(outcome.change.target), "result": .string(outcome.error == nil ? "done" : "FAILED"),
            "error": .optional(outcome.error),
          ])
        }),
    ])
  }
}

extension FlavorSyncOptions.ExtraFlavors: ExpressibleByArgument {}

struct FlavorsPlan: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "plan", abstract: "Show what `flavors sync` would change, without changing anything.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup var sync: FlavorSyncArguments

  func execute() async throws { try await sync.run(global: global, dryRun: true) }
}

struct FlavorsSync: StewardSubcommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Create and repair flavors from definitions (openstack-flavor-manager compatible).",
    discussion: """
      Plans first (missing flavors, differing vcpus/ram/disk/public, missing or wrong extra specs), then \
      applies with concurrent calls. A second run plans nothing. Nova cannot change vcpus, ram, disk or \
      visibility in place, so such flavors are recreated with the same id. Exit 1 when any change failed.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var sync: FlavorSyncArguments

  @Flag(name: .customLong("dry-run"), help: "Only print the plan.")
  var dryRun = false

  func execute() async throws { try await sync.run(global: global, dryRun: dryRun) }
}

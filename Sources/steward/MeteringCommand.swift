import AMQP
import ArgumentParser
import Dispatch
import Foundation
import Logging
import Metering
import OpenStack
import StewardCore
import Storage

/// `steward metering …`: follow the cloud into a usage ledger (notifications plus resyncs), inspect it,
/// and report usage.
struct MeteringCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metering", abstract: "Usage metering: notification consumer, resync, status and usage reports.",
    subcommands: [Run.self, Sync.self, Status.self, Usage.self, Replay.self, MeteringServe.self])

  /// `$STEWARD_TRANSPORT_URL`; set but empty counts as not set (as an unset variable in a unit file often is).
  static var transportURLFromEnvironment: String? {
    ProcessInfo.processInfo.environment["STEWARD_TRANSPORT_URL"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Refuses `notifications.info` and its siblings as `--queue`: the services' shared queues, which Steward must
  /// never consume (it would take messages from Ceilometer and anyone else reading them).
  static func requireOwnQueue(_ queue: String) throws {
    guard !AMQPTopology.isSharedNotificationQueue(queue) else {
      throw ValidationError(
        "--queue \(queue) is the services' shared notification queue; give Steward a queue of its own")
    }
  }

  struct StoreOptions: ParsableArguments {
    @Option(
      help:
        "SQLite file path, or postgres://user:password@host:port/db (default: $STEWARD_DATABASE or ./steward-metering.sqlite)."
    )
    var database: String?

    func withStore<T: Sendable>(_ body: (SQLMeteringStore) async throws -> T) async throws -> T {
      let location = database ?? ProcessInfo.processInfo.environment["STEWARD_DATABASE"] ?? "steward-metering.sqlite"
      let db: any Database
      do {
        db = try await DatabaseOpener.open(location)
      } catch let error as StorageError where error.kind == .configuration {
        throw ValidationError(error.message)
      }
      do {
        let result = try await body(try await SQLMeteringStore.open(db))
        await db.close()
        return result
      } catch {
        await db.close()
        throw error
      }
    }
  }

  static func date(_ text: String?, _ option: String, default value: Date) throws -> Date {
    guard let text else { return value }
    guard let date = OpenStackDate.parse(text) else {
      throw ValidationError("\(option) '\(text)' is not a date; use ISO 8601 such as 2026-11-01T00:00:00Z")
    }
    return date
  }

  static func repairRecord(_ r: ResyncPlan.Repair) -> Record {
    [
      "Kind": .string(r.key.kind.rawValue), "ID": .string(r.key.id), "Repair": .string(r.kind.rawValue),
      "Reason": .string(r.reason),
    ]
  }

  /// Lists the cloud and repairs the ledger; returns the plan and the kinds that could not be listed.
  static func resync(session: Session, store: SQLMeteringStore, dryRun: Bool) async throws -> (
    ResyncPlan, [ResourceReference.Kind: String]
  ) {
    let listings = try await store.read { try await $0.stackResourceListings() }
    let observed = await CloudObserver(session: session, stackListings: listings).observe()
    let plan = try await store.resync(
      observed.observation, runID: UUID().uuidString.lowercased(), dryRun: dryRun)
    return (plan, observed.failures)
  }

  struct Sync: StewardSubcommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Resync the view and ledger from the APIs (all projects; needs an admin cloud), repairing drift.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var store: StoreOptions
    @Flag(help: "Show the repairs without applying them.") var dryRun = false

    func execute() async throws {
      let (plan, failures) = try await store.withStore { store in
        try await global.withSession { session in
          try await MeteringCommand.resync(session: session, store: store, dryRun: dryRun)
        }
      }
      for (kind, reason) in failures.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
        FileHandle.standardError.write(Data("warning: \(kind.rawValue) not listed (not diffed): \(reason)\n".utf8))
      }
      output(
        Renderer.list(
          plan.repairs.map(MeteringCommand.repairRecord), columns: ["Kind", "ID", "Repair", "Reason"],
          format: global.format))
    }
  }
}

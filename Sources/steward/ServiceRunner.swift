import ArgumentParser
import OpenStack
import StewardServer
import Storage

/// How `steward serve` and `steward metering serve` run their service, so both stop and fail the same way.
enum ServiceRunner {
  /// Runs `body` (build and serve) with the service's own OpenStack session, shutting the session down however
  /// it ends. A bad policy file, database URL or migration is the operator's input: a usage error (exit 2)
  /// with its message.
  static func run(session: Session, _ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch let error as PolicyError {
      await session.shutdown()
      throw ValidationError(error.message)
    } catch let error as StorageError where error.kind == .configuration || error.kind == .migration {
      await session.shutdown()
      throw ValidationError(error.message)
    } catch {
      await session.shutdown()
      throw error
    }
    await session.shutdown()
  }

  /// Serves until SIGTERM/SIGINT (`serve`), closing `database` however that ends; `stopped` runs first after a
  /// clean stop.
  static func serve(
    closing database: any Database, stopped: () async -> Void = {}, _ serve: () async throws -> Void
  ) async throws {
    do {
      try await serve()
    } catch {
      await database.close()
      throw error
    }
    await stopped()
    await database.close()
  }
}

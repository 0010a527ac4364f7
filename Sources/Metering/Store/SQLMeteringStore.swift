import Foundation
import Storage

/// `MeteringStore` on Steward's database layer: SQLite (embedded default, one file) or PostgreSQL
/// (`postgres://…`, shared by replicas). Times are microseconds since 1970 (BIGINT) on both. Writes run
/// SERIALIZABLE on PostgreSQL (retried on conflict, which `MeteringStore.write`'s contract allows), so the
/// consumer and a resync on another replica never interleave on one resource.
///
/// Append-only is enforced here too: closing a row is `UPDATE … WHERE end_at IS NULL` and must change
/// exactly one row; rows are otherwise only inserted; replaced rows are listed in `metering_replaced`.
public struct SQLMeteringStore: MeteringStore {
  public let database: any Database

  /// The metering schema, versioned with Storage's per-module migrations. Never edit a released step; add one.
  public static let migrations = MigrationSet(
    module: "metering",
    [
      Migration(1, "messages, observations, view, ledger, corrections, dead letters, resyncs") { d in
        [
          """
          CREATE TABLE metering_messages (
            message_id TEXT PRIMARY KEY, event_type TEXT NOT NULL, event_time BIGINT NOT NULL,
            applied_at BIGINT NOT NULL)
          """,
          "CREATE INDEX metering_messages_applied ON metering_messages (applied_at)",
          """
          CREATE TABLE metering_observations (
            kind TEXT NOT NULL, resource_id TEXT NOT NULL, source_id TEXT NOT NULL, time BIGINT NOT NULL,
            snapshot \(d.jsonType), PRIMARY KEY (kind, resource_id, source_id))
          """,
          """
          CREATE TABLE metering_view (
            kind TEXT NOT NULL, resource_id TEXT NOT NULL, project_id TEXT, snapshot \(d.jsonType),
            first_observed BIGINT NOT NULL, last_observed BIGINT NOT NULL, last_source_id TEXT NOT NULL,
            deleted_at BIGINT, PRIMARY KEY (kind, resource_id))
          """,
          "CREATE INDEX metering_view_project ON metering_view (kind, project_id)",
          """
          CREATE TABLE metering_intervals (
            id \(d.autoIncrementPrimaryKey), kind TEXT NOT NULL, resource_id TEXT NOT NULL,
            project_id TEXT NOT NULL, state TEXT NOT NULL, flavor TEXT, vcpus BIGINT, memory_mb BIGINT,
            disk_gb BIGINT, start_at BIGINT NOT NULL, end_at BIGINT, opened_by TEXT NOT NULL, closed_by TEXT,
            correction_id BIGINT)
          """,
          "CREATE INDEX metering_intervals_resource ON metering_intervals (kind, resource_id, start_at)",
          "CREATE INDEX metering_intervals_project ON metering_intervals (project_id, start_at)",
          """
          CREATE TABLE metering_corrections (
            id \(d.autoIncrementPrimaryKey), kind TEXT NOT NULL, resource_id TEXT NOT NULL,
            source_id TEXT NOT NULL, reason TEXT NOT NULL)
          """,
          """
          CREATE TABLE metering_replaced (
            row_id BIGINT PRIMARY KEY, correction_id BIGINT NOT NULL)
          """,
          """
          CREATE TABLE metering_dead_letters (
            seq \(d.autoIncrementPrimaryKey), id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, error TEXT NOT NULL,
            received_at BIGINT NOT NULL, origin TEXT)
          """,
          "CREATE TABLE metering_unknown_events (event_type TEXT PRIMARY KEY, count BIGINT NOT NULL)",
          """
          CREATE TABLE metering_resyncs (
            id TEXT PRIMARY KEY, observed_at BIGINT NOT NULL, finished_at BIGINT NOT NULL,
            drift \(d.jsonType) NOT NULL)
          """,
        ]
      },
      Migration(2, "index of open rows") { _ in
        // The consumer's fast path reads a resource's open row per event: an index probe whatever the
        // length of the resource's history (partial: closed rows, nearly all of them, are not in it).
        ["CREATE INDEX metering_intervals_open ON metering_intervals (kind, resource_id) WHERE end_at IS NULL"]
      },
      Migration(3, "image bytes in the ledger") { _ in
        // Images are billed per byte stored (GiB-month of Glance's `size`), which whole GiB would round.
        ["ALTER TABLE metering_intervals ADD COLUMN size_bytes BIGINT"]
      },
      Migration(4, "stack resource listings") { _ in
        // Which stacks' resources the resync has listed, at which Heat change time: unchanged stacks are not
        // asked again, so a resync costs list pages plus one call per new or changed stack.
        [
          "CREATE TABLE metering_stack_listings (stack_id TEXT PRIMARY KEY, changed_at BIGINT NOT NULL)",
          "CREATE TABLE metering_stack_listing_runs (id INTEGER PRIMARY KEY, listed_at BIGINT NOT NULL)",
        ]
      },
      Migration(5, "the ledger is append-only in the database too") { d in
        // The store only inserts rows and closes open ones (end_at and closed_by, once); corrections and the
        // rows they replace are insert-only. The database refuses anything else, whoever writes to it.
        let fixed = [
          "id", "kind", "resource_id", "project_id", "state", "flavor", "vcpus", "memory_mb", "disk_gb", "size_bytes",
          "start_at", "opened_by", "correction_id",
        ]
        switch d {
        case .sqlite:
          let changed = (fixed.map { "NEW.\($0) IS NOT OLD.\($0)" } + ["OLD.end_at IS NOT NULL"])
            .joined(separator: " OR ")
          var statements = [
            """
            CREATE TRIGGER metering_intervals_close_only BEFORE UPDATE ON metering_intervals WHEN \(changed)
            BEGIN SELECT RAISE(ABORT, 'metering_intervals rows are append-only: only an open row may be closed'); END
            """
          ]
          for table in ["metering_intervals", "metering_corrections", "metering_replaced"] {
            statements.append(
              """
              CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
              BEGIN SELECT RAISE(ABORT, '\(table) rows are append-only'); END
              """)
          }
          for table in ["metering_corrections", "metering_replaced"] {
            statements.append(
              """
              CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
              BEGIN SELECT RAISE(ABORT, '\(table) rows are append-only'); END
              """)
          }
          return statements
        case .postgres:
          let old = fixed.map { "OLD.\($0)" }.joined(separator: ", ")
          let new = fixed.map { "NEW.\($0)" }.joined(separator: ", ")
          return [
            """
            CREATE FUNCTION metering_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'metering_intervals' THEN
                IF OLD.end_at IS NULL AND ROW(\(new)) IS NOT DISTINCT FROM ROW(\(old)) THEN
                  RETURN NEW;
                END IF;
              END IF;
              RAISE EXCEPTION '% rows are append-only: only an open row may be closed', TG_TABLE_NAME;
            END $$
            """,
            """
            CREATE TRIGGER metering_intervals_append_only BEFORE UPDATE OR DELETE ON metering_intervals
            FOR EACH ROW EXECUTE FUNCTION metering_append_only()
            """,
            """
            CREATE TRIGGER metering_corrections_append_only BEFORE UPDATE OR DELETE ON metering_corrections
            FOR EACH ROW EXECUTE FUNCTION metering_append_only()
            """,
            """
            CREATE TRIGGER metering_replaced_append_only BEFORE UPDATE OR DELETE ON metering_replaced
            FOR EACH ROW EXECUTE FUNCTION metering_append_only()
            """,
          ]
        }
      },
    ])

  /// Opens the store, applying pending metering migrations.
  public static func open(_ database: any Database) async throws -> SQLMeteringStore {
    try await Migrator.migrate(database, [migrations])
    return SQLMeteringStore(database: database)
  }

  public init(database: any Database) { self.database = database }

  public func write<T: Sendable>(_ body: @Sendable (any MeteringWriter) async throws -> T) async throws -> T {
    try await database.write(isolation: .serializable) { db in try await body(SQLMeteringTransaction(db: db)) }
  }

  public func read<T: Sendable>(_ body: @Sendable (any MeteringReader) async throws -> T) async throws -> T {
    try await database.read { db in try await body(SQLMeteringTransaction(db: db)) }
  }
}

struct SQLMeteringTransaction: MeteringWriter {
  let db: any SQLExecutor

  static let notReplaced = "NOT EXISTS (SELECT 1 FROM metering_replaced r WHERE r.row_id = i.id)"
  static let intervalColumns =
    "i.id, i.kind, i.resource_id, i.project_id, i.state, i.flavor, i.vcpus, i.memory_mb, i.disk_gb, i.size_bytes, "
    + "i.start_at, i.end_at, i.opened_by, i.closed_by, i.correction_id"

  func encode<T: Encodable>(_ value: T?) throws -> SQLValue {
    guard let value else { return .null }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return .text(String(decoding: try encoder.encode(value), as: UTF8.self))
  }

  func decode<T: Decodable>(_ type: T.Type, _ text: String?) throws -> T? {
    guard let text else { return nil }
    return try JSONDecoder().decode(type, from: Data(text.utf8))
  }

  func kind(_ row: SQLRow) throws -> ResourceReference.Kind {
    let raw = try row.string("kind")
    guard let kind = ResourceReference.Kind(rawValue: raw) else {
      throw StorageError(.decoding, "metering: unknown resource kind '\(raw)'")
    }
    return kind
  }

  func interval(_ row: SQLRow) throws -> UsageInterval {
    UsageInterval(
      id: try row.int64("id"), key: ResourceKey(try kind(row), try row.string("resource_id")),
      projectID: try row.string("project_id"),
      spec: ResourceSpec(
        flavor: try row.optionalString("flavor"), vcpus: try row.optionalInt64("vcpus").map(Int.init),
        memoryMB: try row.optionalInt64("memory_mb").map(Int.init),
        diskGB: try row.optionalInt64("disk_gb").map(Int.init), sizeBytes: try row.optionalInt64("size_bytes")),
      state: try row.string("state"), start: try row.date("start_at"), end: try row.optionalDate("end_at"),
      openedBy: try row.string("opened_by"), closedBy: try row.optionalString("closed_by"),
      correctionID: try row.optionalInt64("correction_id"))
  }

  func viewEntry(_ row: SQLRow) throws -> ViewEntry {
    ViewEntry(
      key: ResourceKey(try kind(row), try row.string("resource_id")),
      snapshot: try decode(ResourceSnapshot.self, try row.optionalString("snapshot")),
      firstObserved: try row.date("first_observed"), lastObserved: try row.date("last_observed"),
      lastSourceID: try row.string("last_source_id"), deletedAt: try row.optionalDate("deleted_at"))
  }

  func isRecorded(messageID: String) async throws -> Bool {
    try await db.queryOne("SELECT 1 AS one FROM metering_messages WHERE message_id = ?", [.text(messageID)]) != nil
  }

  func history(of key: ResourceKey) async throws -> LedgerEngine.History {
    let observations = try await db.query(
      "SELECT source_id, time, snapshot FROM metering_observations WHERE kind = ? AND resource_id = ?",
      [.text(key.kind.rawValue), .text(key.id)]
    ).map { row in
      Observation(
        key: key, time: try row.date("time"), sourceID: try row.string("source_id"),
        snapshot: try decode(ResourceSnapshot.self, try row.optionalString("snapshot")))
    }.sorted(by: Observation.precedes)
    let rows = try await db.query(
      "SELECT \(Self.intervalColumns) FROM metering_intervals i WHERE i.kind = ? AND i.resource_id = ? AND "
        + "\(Self.notReplaced) ORDER BY i.start_at, i.id", [.text(key.kind.rawValue), .text(key.id)]
    ).map(interval)
    return LedgerEngine.History(observations: observations, rows: rows)
  }

  func viewEntry(_ key: ResourceKey) async throws -> ViewEntry? {
    try await db.queryOne(
      "SELECT * FROM metering_view WHERE kind = ? AND resource_id = ?", [.text(key.kind.rawValue), .text(key.id)]
    ).map(viewEntry)
  }

  func viewEntries(kind: ResourceReference.Kind?, projectID: String?, includeDeleted: Bool) async throws
    -> [ViewEntry]
  {
    var conditions: [String] = []
    var bindings: [SQLValue] = []
    if let kind {
      conditions.append("kind = ?")
      bindings.append(.text(kind.rawValue))
    }
    if let projectID {
      conditions.append("project_id = ?")
      bindings.append(.text(projectID))
    }
    if !includeDeleted { conditions.append("deleted_at IS NULL") }
    let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    return try await db.query("SELECT * FROM metering_view\(whereClause) ORDER BY kind, resource_id", bindings)
      .map(viewEntry)
  }

  func openIntervals(kind: ResourceReference.Kind?) async throws -> [UsageInterval] {
    let filter = kind == nil ? "" : " AND i.kind = ?"
    return try await db.query(
      "SELECT \(Self.intervalColumns) FROM metering_intervals i WHERE i.end_at IS NULL AND \(Self.notReplaced)"
        + "\(filter) ORDER BY i.kind, i.resource_id, i.start_at", kind.map { [.text($0.rawValue)] } ?? []
    ).map(interval)
  }

  func intervals(projectID: String?, kind: ResourceReference.Kind?, from: Date, to: Date) async throws
    -> [UsageInterval]
  {
    var sql =
      "SELECT \(Self.intervalColumns) FROM metering_intervals i WHERE i.start_at < ? AND "
      + "(i.end_at IS NULL OR i.end_at > ?) AND \(Self.notReplaced)"
    var bindings: [SQLValue] = [.date(to), .date(from)]
    if let projectID {
      sql += " AND i.project_id = ?"
      bindings.append(.text(projectID))
    }
    if let kind {
      sql += " AND i.kind = ?"
      bindings.append(.text(kind.rawValue))
    }
    return try await db.query(sql + " ORDER BY i.kind, i.resource_id, i.start_at", bindings).map(interval)
  }

  func allIntervals() async throws -> [UsageInterval] {
    try await db.query("SELECT \(Self.intervalColumns) FROM metering_intervals i ORDER BY i.id", []).map(interval)
  }

  func corrections() async throws -> [LedgerCorrection] {
    var replaced: [Int64: [Int64]] = [:]
    for row in try await db.query("SELECT row_id, correction_id FROM metering_replaced ORDER BY row_id", []) {
      replaced[try row.int64("correction_id"), default: []].append(try row.int64("row_id"))
    }
    return try await db.query("SELECT * FROM metering_corrections ORDER BY id", []).map { row in
      let id = try row.int64("id")
      return LedgerCorrection(
        id: id, key: ResourceKey(try kind(row), try row.string("resource_id")), replaced: replaced[id] ?? [],
        sourceID: try row.string("source_id"), reason: try row.string("reason"))
    }
  }

  func deadLetters(limit: Int) async throws -> [DeadLetter] {
    try await db.query(
      "SELECT * FROM metering_dead_letters ORDER BY seq DESC LIMIT ?", [.integer(limit)]
    ).reversed().map { row in
      DeadLetter(
        body: Array(Data(base64Encoded: try row.string("body")) ?? Data()), error: try row.string("error"),
        receivedAt: try row.date("received_at"), origin: try row.optionalString("origin"))
    }
  }

  func stats() async throws -> MeteringStats {
    var s = MeteringStats()
    if let row = try await db.queryOne(
      "SELECT COUNT(*) AS n, MAX(event_time) AS last_event, MAX(applied_at) AS last_applied FROM metering_messages")
    {
      s.messagesApplied = try row.int("n")
      s.lastEventTime = try row.optionalDate("last_event")
      s.lastAppliedAt = try row.optionalDate("last_applied")
    }
    for row in try await db.query("SELECT event_type, count FROM metering_unknown_events", []) {
      s.unknownEvents[try row.string("event_type")] = try row.int("count")
    }
    s.deadLetters = try await db.queryOne("SELECT COUNT(*) AS n FROM metering_dead_letters")?.int("n") ?? 0
    s.openIntervals =
      try await db.queryOne(
        "SELECT COUNT(*) AS n FROM metering_intervals i WHERE i.end_at IS NULL AND \(Self.notReplaced)")?.int("n") ?? 0
    s.corrections = try await db.queryOne("SELECT COUNT(*) AS n FROM metering_corrections")?.int("n") ?? 0
    if let row = try await db.queryOne("SELECT * FROM metering_resyncs ORDER BY finished_at DESC, id DESC LIMIT 1") {
      s.lastResync = ResyncRecord(
        id: try row.string("id"), observedAt: try row.date("observed_at"), finishedAt: try row.date("finished_at"),
        drift: try decode(DriftReport.self, try row.string("drift")) ?? DriftReport())
    }
    return s
  }

  func record(message: MessageRecord) async throws { try await record(messages: [message]) }

  func record(messages: [MessageRecord]) async throws {
    try await db.execute(
      "INSERT INTO metering_messages (message_id, event_type, event_time, applied_at) VALUES (?, ?, ?, ?) "
        + "ON CONFLICT DO NOTHING",
      each: messages.map { m in [.text(m.messageID), .text(m.eventType), .date(m.timestamp), .date(m.appliedAt)] })
  }

  func write(_ effects: LedgerEngine.Effects) async throws {
    let key = effects.key
    let kind = SQLValue.text(key.kind.rawValue)
    let o = effects.observation
    try await db.execute(
      "INSERT INTO metering_observations (kind, resource_id, source_id, time, snapshot) VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT DO NOTHING",
      [kind, .text(key.id), .text(o.sourceID), .date(o.time), try encode(o.snapshot)])
    if let v = effects.view {
      try await db.execute(
        """
        INSERT INTO metering_view (kind, resource_id, project_id, snapshot, first_observed, last_observed,
          last_source_id, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (kind, resource_id) DO UPDATE SET project_id = excluded.project_id,
          snapshot = excluded.snapshot, first_observed = excluded.first_observed,
          last_observed = excluded.last_observed, last_source_id = excluded.last_source_id,
          deleted_at = excluded.deleted_at
        """,
        [
          kind, .text(key.id), .text(v.snapshot?.projectID), try encode(v.snapshot), .date(v.firstObserved),
          .date(v.lastObserved), .text(v.lastSourceID), .date(v.deletedAt),
        ])
    }
    for close in effects.closes {
      let changed = try await db.execute(
        "UPDATE metering_intervals SET end_at = ?, closed_by = ? WHERE id = ? AND end_at IS NULL",
        [.date(close.end), .text(close.closedBy), .integer(close.rowID)])
      guard changed == 1 else {
        throw MeteringStoreError.appendOnlyViolation("row \(close.rowID) of \(key) is not open")
      }
    }
    var correctionID: Int64?
    if !effects.replaced.isEmpty {
      let row = try await db.queryOne(
        "INSERT INTO metering_corrections (kind, resource_id, source_id, reason) VALUES (?, ?, ?, ?) RETURNING id",
        [kind, .text(key.id), .text(o.sourceID), .text(effects.correctionReason ?? "late observation")])
      let id = try row?.int64("id") ?? 0
      for rowID in effects.replaced {
        try await db.execute(
          "INSERT INTO metering_replaced (row_id, correction_id) VALUES (?, ?)", [.integer(rowID), .integer(id)])
      }
      correctionID = id
    }
    for draft in effects.newRows {
      try await db.execute(Self.insertInterval, Self.bindings(draft, correctionID: correctionID))
    }
  }

  func add(deadLetter: DeadLetter) async throws {
    try await db.execute(
      "INSERT INTO metering_dead_letters (id, body, error, received_at, origin) VALUES (?, ?, ?, ?, ?) "
        + "ON CONFLICT DO NOTHING",
      [
        .text(deadLetter.id), .text(Data(deadLetter.body).base64EncodedString()), .text(deadLetter.error),
        .date(deadLetter.receivedAt), .text(deadLetter.origin),
      ])
  }

  func countUnknown(eventType: String, count: Int) async throws {
    try await db.execute(
      "INSERT INTO metering_unknown_events (event_type, count) VALUES (?, ?) "
        + "ON CONFLICT (event_type) DO UPDATE SET count = metering_unknown_events.count + excluded.count",
      [.text(eventType), .integer(count)])
  }

  func pruneMessages(appliedBefore date: Date) async throws -> Int {
    try await db.execute("DELETE FROM metering_messages WHERE applied_at < ?", [.date(date)])
  }

  func stackResourceListings() async throws -> StackResourceListings {
    var listings = StackResourceListings()
    listings.listedAt = try await db.queryOne("SELECT listed_at FROM metering_stack_listing_runs WHERE id = 1")?
      .date("listed_at")
    for row in try await db.query("SELECT stack_id, changed_at FROM metering_stack_listings", []) {
      listings.stacks[try row.string("stack_id")] = try row.date("changed_at")
    }
    return listings
  }

  func replaceStackResourceListings(_ listings: StackResourceListings) async throws {
    try await db.execute("DELETE FROM metering_stack_listings", [])
    try await db.execute("DELETE FROM metering_stack_listing_runs", [])
    if let listedAt = listings.listedAt {
      try await db.execute("INSERT INTO metering_stack_listing_runs (id, listed_at) VALUES (1, ?)", [.date(listedAt)])
    }
    guard !listings.stacks.isEmpty else { return }
    try await db.execute(
      "INSERT INTO metering_stack_listings (stack_id, changed_at) VALUES (?, ?)",
      each: listings.stacks.sorted { $0.key < $1.key }.map { [.text($0.key), .date($0.value)] })
  }

  func record(resync: ResyncRecord) async throws {
    try await db.execute(
      "INSERT INTO metering_resyncs (id, observed_at, finished_at, drift) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
      [.text(resync.id), .date(resync.observedAt), .date(resync.finishedAt), try encode(resync.drift)])
  }
}

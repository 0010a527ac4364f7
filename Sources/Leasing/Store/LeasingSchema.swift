import Storage

/// The leasing tables. Times are BIGINT microseconds (see `SQLValue.date`). The indexes are what keeps the
/// manager's cost proportional to the leases that start or end: it asks by (status, start_time) and
/// (status, end_time), never scans all leases.
public enum LeasingSchema {
  public static let migrations = MigrationSet(
    module: "leasing",
    [
      Migration(1, "offers, leases and resource locks") { dialect in
        [
          """
          CREATE TABLE leasing_resources (
            resource_type TEXT NOT NULL, resource_uuid TEXT NOT NULL,
            PRIMARY KEY (resource_type, resource_uuid))
          """,
          """
          CREATE TABLE leasing_offers (
            id \(dialect.autoIncrementPrimaryKey),
            uuid TEXT NOT NULL UNIQUE, name TEXT, project_id TEXT NOT NULL, lessee_id TEXT,
            resource_type TEXT NOT NULL, resource_uuid TEXT NOT NULL,
            start_time BIGINT NOT NULL, end_time BIGINT NOT NULL, status TEXT NOT NULL,
            properties \(dialect.jsonType) NOT NULL DEFAULT '{}', parent_lease_uuid TEXT,
            created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
            CHECK (start_time < end_time))
          """,
          """
          CREATE TABLE leasing_leases (
            id \(dialect.autoIncrementPrimaryKey),
            uuid TEXT NOT NULL UNIQUE, name TEXT, project_id TEXT NOT NULL, owner_id TEXT NOT NULL,
            resource_type TEXT NOT NULL, resource_uuid TEXT NOT NULL,
            start_time BIGINT NOT NULL, end_time BIGINT NOT NULL, fulfill_time BIGINT, expire_time BIGINT,
            status TEXT NOT NULL, properties \(dialect.jsonType) NOT NULL DEFAULT '{}',
            offer_uuid TEXT, parent_lease_uuid TEXT, purpose TEXT,
            created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
            CHECK (start_time < end_time))
          """,
          "CREATE INDEX leasing_offers_resource ON leasing_offers (resource_type, resource_uuid, status)",
          "CREATE INDEX leasing_offers_status_end ON leasing_offers (status, end_time)",
          "CREATE INDEX leasing_offers_project ON leasing_offers (project_id)",
          "CREATE INDEX leasing_offers_name ON leasing_offers (name)",
          "CREATE INDEX leasing_offers_parent ON leasing_offers (parent_lease_uuid)",
          "CREATE INDEX leasing_leases_resource ON leasing_leases (resource_type, resource_uuid, status)",
          "CREATE INDEX leasing_leases_status_start ON leasing_leases (status, start_time)",
          "CREATE INDEX leasing_leases_status_end ON leasing_leases (status, end_time)",
          "CREATE INDEX leasing_leases_project ON leasing_leases (project_id)",
          "CREATE INDEX leasing_leases_owner ON leasing_leases (owner_id)",
          "CREATE INDEX leasing_leases_offer ON leasing_leases (offer_uuid)",
          "CREATE INDEX leasing_leases_parent ON leasing_leases (parent_lease_uuid)",
          "CREATE INDEX leasing_leases_name ON leasing_leases (name)",
        ]
      }
    ])
}

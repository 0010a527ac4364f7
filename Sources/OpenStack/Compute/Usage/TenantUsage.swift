/// Nova's own usage report for one project (`os-simple-tenant-usage`): what metering's ledger is checked
/// against. Hours run from launched_at (or the window's start) to terminated_at (or the window's end),
/// whatever the server's state, with the server's current flavor.
public struct TenantUsage: Sendable, Equatable {
  public var projectID: String
  public var totalHours: Double
  public var totalVCPUsUsage: Double
  public var totalMemoryMBUsage: Double
  public var totalLocalGBUsage: Double
  public var serverUsages: [ServerUsage]

  public struct ServerUsage: Decodable, Sendable, Equatable {
    public let instanceID: String
    public let name: String?
    public let hours: Double
    public let flavor: String?
    public let vcpus: Int?
    public let memoryMB: Int?
    public let localGB: Int?
    public let state: String?
    public let startedAt: String?
    public let endedAt: String?

    enum CodingKeys: String, CodingKey {
      case name, hours, flavor, vcpus, state
      case instanceID = "instance_id"
      case memoryMB = "memory_mb"
      case localGB = "local_gb"
      case startedAt = "started_at"
      case endedAt = "ended_at"
    }
  }
}

import Foundation

/// `os-simple-tenant-usage`.
public struct UsageAPI: Sendable {
  let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  private struct Page: Decodable {
    let tenantUsage: Body?
    let links: [Link]?
    struct Body: Decodable {
      let serverUsages: [TenantUsage.ServerUsage]?
      enum CodingKeys: String, CodingKey { case serverUsages = "server_usages" }
    }
    struct Link: Decodable { let rel: String? }
    enum CodingKeys: String, CodingKey {
      case tenantUsage = "tenant_usage"
      case links = "tenant_usage_links"
    }
  }

  /// One project's usage over [start, end). Since 2.40 Nova pages the server usages (marker = the last
  /// instance id) and its totals then cover one page only, so the totals here are summed over all pages.
  public func project(_ projectID: String, start: Date, end: Date, pageSize: Int = 1000) async throws
    -> TenantUsage
  {
    var usages: [TenantUsage.ServerUsage] = []
    var marker: String?
    var seen: Set<String> = []
    repeat {
      var query = [
        URLQueryItem(name: "start", value: Self.format(start)), URLQueryItem(name: "end", value: Self.format(end)),
        URLQueryItem(name: "limit", value: String(pageSize)),
      ]
      if let marker { query.append(URLQueryItem(name: "marker", value: marker)) }
      let response = try await client.send(.GET, ["os-simple-tenant-usage", projectID], query: query)
      let page = try client.decode(Page.self, from: response, key: nil)
      let items = page.tenantUsage?.serverUsages ?? []
      usages += items
      let hasNext = page.links?.contains { $0.rel == "next" } ?? false
      guard hasNext, let last = items.last?.instanceID, seen.insert(last).inserted else { break }
      marker = last
    } while true
    return TenantUsage(
      projectID: projectID, totalHours: usages.reduce(0) { $0 + $1.hours },
      totalVCPUsUsage: usages.reduce(0) { $0 + $1.hours * Double($1.vcpus ?? 0) },
      totalMemoryMBUsage: usages.reduce(0) { $0 + $1.hours * Double($1.memoryMB ?? 0) },
      totalLocalGBUsage: usages.reduce(0) { $0 + $1.hours * Double($1.localGB ?? 0) }, serverUsages: usages)
  }

  /// Nova parses `%Y-%m-%dT%H:%M:%S(.%f)`, without a zone (UTC).
  static func format(_ date: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .nanosecond], from: date)
    let micro = (c.nanosecond ?? 0) / 1000
    return String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!, micro)
  }
}

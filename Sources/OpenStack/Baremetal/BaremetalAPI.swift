/// Ironic v1.
public struct BaremetalAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public var nodes: NodesAPI { NodesAPI(client) }
}

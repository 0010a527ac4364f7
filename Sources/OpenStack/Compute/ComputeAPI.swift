/// Nova: flavors, servers, usage, key pairs and quotas.
public struct ComputeAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public var flavors: FlavorsAPI { FlavorsAPI(client) }
  public var servers: ServersAPI { ServersAPI(client) }
  public var usage: UsageAPI { UsageAPI(client) }
  public var keypairs: KeypairsAPI { KeypairsAPI(client) }
  public var quotas: ComputeQuotasAPI { ComputeQuotasAPI(client) }
}

/// Glance v2.
public struct ImageAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public var images: ImagesAPI { ImagesAPI(client) }
}

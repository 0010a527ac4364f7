import Foundation

/// Heat v1: stacks.
public struct OrchestrationAPI: Sendable {
  public let client: ServiceClient

  public init(_ client: ServiceClient) { self.client = client }

  public var stacks: StacksAPI { StacksAPI(client) }
}

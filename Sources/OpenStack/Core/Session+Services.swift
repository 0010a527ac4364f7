extension Session {
  public func identity() async throws -> IdentityAPI { IdentityAPI(try await client(.identity)) }
  public func compute() async throws -> ComputeAPI { ComputeAPI(try await client(.compute)) }
  public func image() async throws -> ImageAPI { ImageAPI(try await client(.image)) }
  public func network() async throws -> NetworkAPI { NetworkAPI(try await client(.network)) }
  public func baremetal() async throws -> BaremetalAPI { BaremetalAPI(try await client(.baremetal)) }
  public func blockStorage() async throws -> BlockStorageAPI { BlockStorageAPI(try await client(.blockStorage)) }
  public func keyManager() async throws -> KeyManagerAPI { KeyManagerAPI(try await client(.keyManager)) }
  public func orchestration() async throws -> OrchestrationAPI { OrchestrationAPI(try await client(.orchestration)) }
  public func lease() async throws -> LeaseAPI { LeaseAPI(try await client(.lease)) }
}

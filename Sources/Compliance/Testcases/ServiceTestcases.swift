import OpenStack

/// scs-0123 mandatory services and scs-0116 key manager: what the catalog offers, and whether a member
/// can use the key manager.
enum ServiceTestcases {
  /// Testcase → the catalog types any of which satisfies it (`scs-0123-storage-apis` takes three names).
  static let presence: [(id: String, types: [String])] = [
    ("scs-0123-service-compute", ["compute"]),
    ("scs-0123-service-identity", ["identity"]),
    ("scs-0123-service-image", ["image"]),
    ("scs-0123-service-network", ["network"]),
    ("scs-0123-service-load-balancer", ["load-balancer"]),
    ("scs-0123-service-placement", ["placement"]),
    ("scs-0123-storage-apis", ["volume", "volumev3", "block-storage"]),
    ("scs-0123-service-s3", ["object-store-s3"]),
  ]

  /// The official message for a missing service, `nil` when one of `types` is in the catalog.
  static func missing(_ types: [String], in catalogTypes: Set<String>) -> String? {
    types.contains(where: catalogTypes.contains) ? nil : "No service of type(s) \(types.joined(separator: ", ")) found."
  }

  static func catalogTypes(_ context: CheckContext) async throws -> Set<String> {
    Set(try await context.catalog().services.map(\.type))
  }

  static var all: [Testcase] {
    presence.map { id, types in
      Testcase(id) { context, log in
        if let message = missing(types, in: try await catalogTypes(context)) {
          log.error(message)
          return false
        }
        return true
      }
    } + [
      Testcase("scs-0123-swift-s3") { context, log in
        guard try await catalogTypes(context).contains("object-store") else {
          log.info("skipping scs-0123-swift-s3 because object-store not present")
          return true
        }
        // The official probe lists buckets with a made-up AWS key (SigV4-signed by boto3) and expects
        // InvalidAccessKeyId. Steward has no SigV4 signer yet, so with Swift present this is undecided.
        throw Undecidable("object-store is present; Steward does not implement the S3 (SigV4) probe yet")
      },
      Testcase("scs-0116-presence") { context, log in
        guard try await catalogTypes(context).contains("key-manager") else {
          log.error("key-manager service not found")
          return false
        }
        return true
      },
      Testcase("scs-0116-permissions") { context, log in try await keyManagerPermissions(context, log) },
    ]
  }

  /// As a member (never admin/manager), a secret can be created, found and deleted. Without a key
  /// manager the testcase does not apply and passes, as upstream.
  static func keyManagerPermissions(_ context: CheckContext, _ log: TestcaseLog) async throws -> Bool {
    let roles = try await context.token.value().roles.compactMap(\.name)
    if let refusal = ComplianceRunner.refusal(roles: roles) {
      throw Undecidable("cannot test key-manager permissions: \(refusal)")
    }
    guard try await catalogTypes(context).contains("key-manager") else { return true }
    let keyManager = try await context.session.keyManager()
    let name = context.name("0116-secret")
    var created: String?
    do {
      created = try await keyManager.createSecret(SecretCreate(name: name, payload: "steward compliance check"))
      let found = try await keyManager.secrets(name: name)
      if found.isEmpty {
        log.error("Unsuccessful at using Key Manager API: secret '\(name)' was not discoverable by the member")
      }
      try await keyManager.deleteSecret(created!)
      created = nil
      return !found.isEmpty
    } catch let error as OpenStackError where error.isForbidden {
      if let created { try? await keyManager.deleteSecret(created) }
      log.error("Unsuccessful at using Key Manager API: \(error)")
      return false
    } catch {
      if let created { try? await keyManager.deleteSecret(created) }
      throw error
    }
  }
}

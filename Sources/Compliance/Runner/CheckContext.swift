import Flavors
import Foundation
import OpenStack
import Synchronization

/// What the testcases of one run share: the member session, the optional admin session (scs-0302 set-up),
/// the run's resource name prefix, and the facts several testcases read (flavors, images, token), each
/// fetched once.
public final class CheckContext: Sendable {
  public let session: Session
  public let adminSession: Session?
  /// Every resource a testcase creates starts with this (`scs-test-<run>-`), so a cleanup finds leftovers.
  public let prefix: String
  /// Bounds every wait (volume, backup, server) of this run.
  public let waiter: Waiter

  public let token: Lazy<Token>
  /// All flavors the member sees, with extra specs.
  public let flavors: Lazy<[ObservedFlavor]>
  /// Public and community images (what the official suite looks at).
  public let images: Lazy<[Image]>

  /// - Parameters:
  ///   - flavors, images: given instead of fetched (tests feed deliberately broken inputs this way).
  public init(
    session: Session, adminSession: Session? = nil, prefix: String, waiter: Waiter = Waiter(),
    flavors: [ObservedFlavor]? = nil, images: [Image]? = nil
  ) {
    self.session = session
    self.adminSession = adminSession
    self.prefix = prefix
    self.waiter = waiter
    token = Lazy { try await session.currentToken() }
    self.flavors = Lazy {
      if let flavors { return flavors }
      return try await ObservedFlavor.all(in: try await session.compute().flavors)
    }
    self.images = Lazy {
      if let images { return images }
      return try await session.image().images.list(visibility: "all").collect().filter {
        $0.visibility == "public" || $0.visibility == "community"
      }
    }
  }

  private let sharedValues = Mutex<[String: any Sendable]>([:])

  /// A value several testcases share (the entropy VM's console, the volume types), made once per run.
  public func shared<T: Sendable>(_ key: String, _ make: @escaping @Sendable () async throws -> T) -> Lazy<T> {
    sharedValues.withLock { values in
      if let existing = values[key] as? Lazy<T> { return existing }
      let lazy = Lazy(make)
      values[key] = lazy
      return lazy
    }
  }

  /// The catalog's service types → entries, as upstream's `services_lookup`.
  public func catalog() async throws -> ServiceCatalog { try await token.value().catalog }

  /// A unique name for a resource this run creates.
  public func name(_ purpose: String) -> String { prefix + purpose }

  /// The default prefix of every resource the compliance checks create; `compliance cleanup` looks for it.
  public static let resourcePrefix = "scs-test-"

  /// `scs-test-<8 hex>-`: unique per run, so concurrent runs on one cloud never touch each other's resources.
  public static func runPrefix() -> String {
    resourcePrefix + String(UUID().uuidString.lowercased().prefix(8)) + "-"
  }
}

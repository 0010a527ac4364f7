/// The letter after the number of vCPUs: how much of a physical CPU a vCPU gets (scs-0100).
public enum CPUType: Character, Sendable, Hashable, CaseIterable {
  /// Heavily oversubscribed: no guaranteed share of a core.
  case crowdedCore = "L"
  /// Oversubscribed at most 5x per core (3x per thread), at least 20% of a core most of the time.
  case sharedCore = "V"
  /// A dedicated hyperthread.
  case dedicatedThread = "T"
  /// A dedicated physical core.
  case dedicatedCore = "C"

  /// The value of the `scs:cpu-type` extra spec (scs-0103).
  public var extraSpecValue: String {
    switch self {
    case .crowdedCore: "crowded-core"
    case .sharedCore: "shared-core"
    case .dedicatedThread: "dedicated-thread"
    case .dedicatedCore: "dedicated-core"
    }
  }

  /// How the SCS web decoder words it.
  public var label: String {
    switch self {
    case .crowdedCore: "LowPerf vCPUs"
    case .sharedCore: "vCPUs"
    case .dedicatedThread: "SMT Threads"
    case .dedicatedCore: "Dedicated Cores"
    }
  }
}

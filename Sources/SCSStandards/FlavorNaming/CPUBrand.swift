/// The `_i|_z|_a|_r` extension: CPU vendor, optionally its generation and a performance class.
public struct CPUBrand: Sendable, Hashable {
  public enum Vendor: Character, Sendable, Hashable, CaseIterable {
    case intel = "i"
    case amd = "z"
    case arm = "a"
    case riscV = "r"

    public var label: String {
      switch self {
      case .intel: "Intel"
      case .amd: "AMD"
      case .arm: "ARM"
      case .riscV: "RISC-V"
      }
    }

    /// The generations scs-0100 v3.3 knows; 0 means "unspecified or older than the first listed".
    public var generations: [Int: String] {
      switch self {
      case .intel:
        [
          0: "Unspec/Pre-Skylake", 1: "Skylake", 2: "Cascade Lake", 3: "Ice Lake", 4: "Sapphire Rapids",
          5: "Sierra Forest (E)", 6: "Granite Rapids (P)",
        ]
      case .amd: [0: "Unspec/Pre-Zen", 1: "Zen 1", 2: "Zen 2", 3: "Zen 3", 4: "Zen 4/4c", 5: "Zen 5/5c", 6: "Zen6/6c"]
      case .arm:
        [
          0: "Unspec/Pre-A76", 1: "A76/NeoN1", 2: "A78/X1/NeoV1", 3: "A71x/NeoN2/V2", 4: "AmpereOne",
          5: "A72x/NeoN3/V3",
        ]
      case .riscV: [0: "Unspec"]
      }
    }

    /// x86-64 vendors are dropped from short names; the others stay because they name the architecture.
    public var isX86: Bool { self == .intel || self == .amd }
  }

  public static let performanceLabels = ["Std Perf", "High Perf", "Very High Perf", "Very Very High Perf"]

  public var vendor: Vendor
  /// `nil` when not given; 0 is written as no digit at all.
  public var generation: Int?
  /// Number of `h` (0…3).
  public var performance: Int

  public init(vendor: Vendor, generation: Int? = nil, performance: Int = 0) {
    self.vendor = vendor
    self.generation = generation
    self.performance = performance
  }

  /// Why these values cannot appear in a name, or `nil` when they can.
  func problem() -> String? {
    if let generation, vendor.generations[generation] == nil {
      let known = vendor.generations.keys.sorted().map(String.init).joined(separator: ", ")
      return "\(generation) is not a known \(vendor.label) CPU generation (known: \(known))"
    }
    if !(0...3).contains(performance) {
      return "at most three 'h' (performance class) are allowed, found \(performance)"
    }
    return nil
  }
}

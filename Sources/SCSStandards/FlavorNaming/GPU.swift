/// The `_g|_G` extension: a virtual or pass-through GPU with vendor, generation, compute units and VRAM.
public struct GPU: Sendable, Hashable {
  public enum Kind: Character, Sendable, Hashable, CaseIterable {
    case virtual = "g"
    case passThrough = "G"

    public var label: String { self == .virtual ? "vGPU" : "Pass-Through GPU" }
  }

  public enum Vendor: Character, Sendable, Hashable, CaseIterable {
    case nvidia = "N"
    case amd = "A"
    case intel = "I"

    public var label: String {
      switch self {
      case .nvidia: "Nvidia"
      case .amd: "AMD"
      case .intel: "Intel"
      }
    }

    /// Generation codes of scs-0100 v3.3; the empty code means unspecified.
    public var generations: [String: String] {
      switch self {
      case .nvidia:
        [
          "": "(unspecified)", "f": "Fermi", "k": "Kepler", "m": "Maxwell", "p": "Pascal", "v": "Volta", "t": "Turing",
          "a": "Ampere", "l": "AdaLovelace", "g": "GraceHopper", "b": "Blackwell", "u": "Blackwell Ultra",
        ]
      case .amd:
        [
          "": "(unspecified)", "0.4": "GCN4.0/Polaris", "0.5": "GCN5.0/Vega", "1": "CDNA1", "1.1": "RDNA1/Navi1x",
          "2": "CDNA2", "2.1": "RDNA2/Navi2x", "3": "CDNA3", "3.1": "RDNA3/Navi3x", "3.5": "RDNA3.5", "4": "CDNA4",
          "4.1": "RDNA4/Navi4x", "5.1": "RDNA5/Navi5x",
        ]
      case .intel:
        [
          "": "(unspecified)", "0.9": "Gen9/Skylake", "0.95": "Gen9.5/KabyLake", "1": "Xe1/Gen12.1/DG1",
          "2": "Xe2/Gen12.2", "3": "Arc/Gen12.7/DG2", "4": "BattleImage/Gen20.0",
        ]
      }
    }

    /// What the compute units of this vendor are called.
    public var computeUnitName: String {
      switch self {
      case .nvidia: "SMs"
      case .amd: "CUs"
      case .intel: "EUs"
      }
    }
  }

  public static let frequencyLabels = ["Std Freq", "High Freq", "Very High Freq"]
  public static let bandwidthLabels = ["Std BW (GDDR)", "High BW (HBM)", "Very High BW"]

  public var kind: Kind
  public var vendor: Vendor
  /// A code from `vendor.generations`; empty when not given.
  public var generation: String
  /// SMs (Nvidia), CUs (AMD) or EUs (Intel).
  public var computeUnits: Int?
  /// Number of `h` after the compute units (0…2).
  public var highFrequency: Int
  /// GiB.
  public var vram: Int?
  /// Number of `h` after the VRAM (0…2): high-bandwidth memory.
  public var highBandwidth: Int

  public init(
    kind: Kind = .virtual, vendor: Vendor = .nvidia, generation: String = "", computeUnits: Int? = nil,
    highFrequency: Int = 0, vram: Int? = nil, highBandwidth: Int = 0
  ) {
    self.kind = kind
    self.vendor = vendor
    self.generation = generation
    self.computeUnits = computeUnits
    self.highFrequency = highFrequency
    self.vram = vram
    self.highBandwidth = highBandwidth
  }

  /// The short name keeps the GPU but drops the `h` modifiers.
  public var shortened: GPU {
    GPU(kind: kind, vendor: vendor, generation: generation, computeUnits: computeUnits, vram: vram)
  }

  func problem() -> String? {
    if vendor.generations[generation] == nil {
      let known = vendor.generations.keys.filter { !$0.isEmpty }.sorted().joined(separator: ", ")
      return "'\(generation)' is not a known \(vendor.label) GPU generation (known: \(known))"
    }
    if let computeUnits, computeUnits <= 0 {
      return "the number of \(vendor.computeUnitName) must be a positive integer, not \(computeUnits)"
    }
    if !(0...2).contains(highFrequency) {
      return "at most two 'h' (frequency class) may follow the compute units, found \(highFrequency)"
    }
    if let vram, vram <= 0 { return "the VRAM must be a positive number of GiB, not \(vram)" }
    if !(0...2).contains(highBandwidth) {
      return "at most two 'h' (bandwidth class) may follow the VRAM, found \(highBandwidth)"
    }
    return nil
  }
}

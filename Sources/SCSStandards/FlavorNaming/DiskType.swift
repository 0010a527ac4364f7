/// The letter after the disk size. A disk without a letter leaves the type to the cloud.
public enum DiskType: Character, Sendable, Hashable, CaseIterable {
  /// Networked storage that survives the failure of a disk or a node.
  case network = "n"
  case hdd = "h"
  case ssd = "s"
  /// High-performance local NVMe.
  case nvme = "p"

  /// The value of the `scs:diskN-type` extra spec (scs-0103).
  public var extraSpecValue: String {
    switch self {
    case .network: "network"
    case .hdd: "hdd"
    case .ssd: "ssd"
    case .nvme: "nvme"
    }
  }

  public var label: String {
    switch self {
    case .network: "Networked"
    case .hdd: "Local HDD"
    case .ssd: "SSD"
    case .nvme: "HiPerf NVMe"
    }
  }
}

/// The `_kvm`… extension: which hypervisor runs the flavor (or none for bare metal).
public enum Hypervisor: String, Sendable, Hashable, CaseIterable {
  case kvm
  case xen
  case vmware = "vmw"
  case hyperV = "hyv"
  case bareMetal = "bms"
  /// Cloud Hypervisor; only known since v2, so v1 names cannot carry it.
  case cloudHypervisor = "chy"

  public var label: String {
    switch self {
    case .kvm: "KVM (w/ qemu)"
    case .xen: "Xen"
    case .vmware: "VMware"
    case .hyperV: "Hyper-V"
    case .bareMetal: "Bare Metal System"
    case .cloudHypervisor: "Cloud Hypervisor"
    }
  }
}

/// Why a name is not a valid SCS flavor name, pointing at the part that is wrong so an operator can fix
/// it without reading the standard: `disk part '-0' of 'SCS-2V-4-0': the disk size must be …`.
public struct FlavorNameError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Part: String, Sendable, Hashable {
    case prefix
    case cpu = "CPU"
    case ram = "RAM"
    case disk
    case hypervisor
    case hardwareVirtualization = "hardware virtualization"
    case cpuBrand = "CPU brand"
    case gpu = "GPU"
    case infiniband
    /// Text left after every part that could be read.
    case trailing = "trailing"
    /// A name in an older syntax that is only tolerated.
    case syntax
  }

  public var name: String
  public var part: Part
  /// The offending text as it appears in the name.
  public var text: String
  public var reason: String

  public init(name: String, part: Part, text: String, reason: String) {
    self.name = name
    self.part = part
    self.text = text
    self.reason = reason
  }

  public var description: String {
    switch part {
    case .trailing: "unexpected '\(text)' in '\(name)': \(reason)"
    case .syntax, .prefix: "'\(name)': \(reason)"
    default: "\(part.rawValue) part '\(text)' of '\(name)': \(reason)"
    }
  }
}

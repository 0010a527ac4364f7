/// A parsed SCS flavor name (scs-0100 v3): the properties a flavor promises. Built by parsing a name or
/// from properties (`FlavorName(cpus:cpuType:ram:)`), so generating a name and reading one share the rules.
public struct FlavorName: Sendable, Hashable {
  public var cpus: Int
  public var cpuType: CPUType
  /// `i`: the provider does not commit to timely CPU vulnerability mitigations.
  public var insecureCPU: Bool
  /// GiB; a positive multiple of 0.5.
  public var ram: Double
  /// `u`: no ECC memory.
  public var ramWithoutECC: Bool
  /// `o`: memory is oversubscribed.
  public var ramOversubscribed: Bool
  public var disk: FlavorDisk?
  public var hypervisor: Hypervisor?
  /// `_hwv`: nested/hardware virtualization is available to the guest.
  public var hardwareVirtualization: Bool
  public var cpuBrand: CPUBrand?
  public var gpu: GPU?
  public var infiniband: Bool

  /// A name from properties; throws when a property cannot appear in a valid name.
  public init(
    cpus: Int, cpuType: CPUType, insecureCPU: Bool = false, ram: Double, ramWithoutECC: Bool = false,
    ramOversubscribed: Bool = false, disk: FlavorDisk? = nil, hypervisor: Hypervisor? = nil,
    hardwareVirtualization: Bool = false, cpuBrand: CPUBrand? = nil, gpu: GPU? = nil, infiniband: Bool = false
  ) throws(FlavorNameError) {
    self.cpus = cpus
    self.cpuType = cpuType
    self.insecureCPU = insecureCPU
    self.ram = ram
    self.ramWithoutECC = ramWithoutECC
    self.ramOversubscribed = ramOversubscribed
    self.disk = disk
    self.hypervisor = hypervisor
    self.hardwareVirtualization = hardwareVirtualization
    self.cpuBrand = cpuBrand
    self.gpu = gpu
    self.infiniband = infiniband
    if let problem = problem() {
      throw FlavorNameError(name: formatted(.v2), part: problem.part, text: problem.text, reason: problem.reason)
    }
  }

  /// Parses a name in v2/v3 syntax (`SCS-2V-4-10n_z3`); see `FlavorNameCheck` for v1 tolerance.
  public init(parsing name: String) throws(FlavorNameError) {
    self = try FlavorNameParser(syntax: .v2).parse(name)
  }

  /// The canonical full name (v3 syntax): what the reference checker prints for this name.
  public var canonical: String { formatted(.v2) }

  /// The canonical short name: without hypervisor, `_hwv`, x86 CPU brand and `h` modifiers, which the
  /// standard expects every provider to offer next to the detailed one.
  public var short: String { shortened.formatted(.v2) }

  public var shortened: FlavorName {
    var copy = self
    copy.hypervisor = nil
    copy.hardwareVirtualization = false
    if let brand = cpuBrand {
      copy.cpuBrand = brand.vendor.isX86 ? nil : CPUBrand(vendor: brand.vendor)
    }
    copy.gpu = gpu?.shortened
    return copy
  }

  /// The name in either syntax, with every part written the canonical way (no `1x`, no generation 0).
  public func formatted(_ syntax: FlavorNameSyntax) -> String {
    let part = String(syntax.partSeparator)
    let ext = String(syntax.extensionSeparator)
    var text = FlavorNameSyntax.prefix + "\(cpus)\(cpuType.rawValue)" + (insecureCPU ? "i" : "")
    text += part + Self.format(ram: ram) + (ramWithoutECC ? "u" : "") + (ramOversubscribed ? "o" : "")
    if let disk {
      text += part + (disk.count != 1 ? "\(disk.count)x" : "")
      if let size = disk.size, size != 0 { text += String(size) }
      if let type = disk.type { text.append(type.rawValue) }
    }
    if let hypervisor { text += ext + hypervisor.rawValue }
    if hardwareVirtualization { text += ext + "hwv" }
    if let brand = cpuBrand {
      text += ext + String(brand.vendor.rawValue)
      if let generation = brand.generation, generation != 0 { text += String(generation) }
      text += String(repeating: "h", count: max(0, brand.performance))
    }
    if let gpu {
      text += ext + String(gpu.kind.rawValue) + String(gpu.vendor.rawValue) + gpu.generation
      if let units = gpu.computeUnits, units != 0 { text += part + String(units) }
      text += String(repeating: "h", count: max(0, gpu.highFrequency))
      if let vram = gpu.vram, vram != 0 { text += part + String(vram) }
      text += String(repeating: "h", count: max(0, gpu.highBandwidth))
    }
    if infiniband { text += ext + "ib" }
    return text
  }

  /// `4`, `10.5`: whole GiB without a fraction, halves with one digit.
  public static func format(ram: Double) -> String {
    ram == ram.rounded() && abs(ram) < 1e15 ? String(Int(ram)) : String(ram)
  }

  /// The first property that no valid name can carry, with the part it belongs to.
  func problem() -> (part: FlavorNameError.Part, text: String, reason: String)? {
    if cpus <= 0 { return (.cpu, "\(cpus)", "the number of vCPUs must be a positive integer") }
    if !(ram > 0) || (ram * 2).rounded() != ram * 2 {
      return (.ram, Self.format(ram: ram), "RAM must be a positive multiple of 0.5 GiB")
    }
    if let disk {
      if disk.count <= 0 { return (.disk, "\(disk.count)x", "the number of disks must be a positive integer") }
      if let size = disk.size, size <= 0 {
        return (
          .disk, "\(size)", "the disk size must be a positive integer (GB); write '-' alone to leave it to the cloud"
        )
      }
    }
    if let brand = cpuBrand, let reason = brand.problem() { return (.cpuBrand, String(brand.vendor.rawValue), reason) }
    if let gpu, let reason = gpu.problem() {
      return (.gpu, String(gpu.kind.rawValue) + String(gpu.vendor.rawValue), reason)
    }
    return nil
  }
}

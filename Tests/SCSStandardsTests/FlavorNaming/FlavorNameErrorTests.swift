import Testing

@testable import SCSStandards

/// Errors must name the part that is wrong and say why, so an operator can fix a name unaided.
struct FlavorNameErrorTests {
  func error(_ name: String) -> FlavorNameError? { FlavorNameCheck(name).error }

  @Test func missingCPUType() {
    let error = error("SCS-2-4-10n")
    #expect(error?.part == .cpu)
    #expect(error?.description.contains("CPU type L, V, T or C") == true)
  }

  @Test func cpuCountZeroOrMissing() {
    #expect(error("SCS-0V-4")?.part == .cpu)
    #expect(error("SCS-V-4")?.reason == "the number of vCPUs is missing")
  }

  @Test func ramNotHalfGiB() {
    let error = error("SCS-2V-4.3")
    #expect(error?.part == .ram)
    #expect(error?.reason.contains("multiple of 0.5") == true)
    #expect(self.error("SCS-2V-1.2.3")?.reason == "'1.2.3' is not a number")
  }

  @Test func diskSizeZero() {
    let error = error("SCS-2V-4-0")
    #expect(error?.part == .disk)
    #expect(error?.text == "-0")
    #expect(error?.reason.contains("positive integer") == true)
  }

  @Test func unknownCPUGeneration() {
    let error = error("SCS-2V-4_z7")
    #expect(error?.part == .cpuBrand)
    #expect(error?.reason.contains("not a known AMD CPU generation") == true)
  }

  @Test func gpuGenerationSwallowsWrongOrder() {
    // The GPU generation runs to the next '-' or 'h', so `_ib` right after it is read as a generation.
    let error = error("SCS-2V-4_GNa_ib")
    #expect(error?.part == .gpu)
    #expect(error?.reason.contains("'a_ib' is not a known Nvidia GPU generation") == true)
  }

  @Test func extensionsOutOfOrder() {
    let error = error("SCS-2V-4-20s_z3_kvm")
    #expect(error?.part == .trailing)
    #expect(error?.text == "_kvm")
    #expect(error?.reason.contains("out of order") == true)
    #expect(error?.description.hasPrefix("unexpected '_kvm' in 'SCS-2V-4-20s_z3_kvm'") == true)
  }

  @Test func notAnSCSName() {
    #expect(error("m1.small")?.part == .prefix)
  }

  @Test func v1NameGetsItsV3Form() {
    let check = FlavorNameCheck("SCS-2C:4:10n-z3h")
    #expect(check.isToleratedV1)
    #expect(check.error?.part == .syntax)
    #expect(check.error?.reason.contains("'SCS-2C-4-10n_z3h'") == true)
  }

  @Test func propertiesThatCannotBeNamedAreRejected() {
    #expect(throws: FlavorNameError.self) { try FlavorName(cpus: 2, cpuType: .sharedCore, ram: 0.3) }
    #expect(throws: FlavorNameError.self) {
      try FlavorName(cpus: 2, cpuType: .sharedCore, ram: 4, cpuBrand: CPUBrand(vendor: .riscV, generation: 1))
    }
  }
}

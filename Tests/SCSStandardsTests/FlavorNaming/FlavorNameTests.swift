import Testing

@testable import SCSStandards

struct FlavorNameTests {
  @Test func generatesNameFromProperties() throws {
    let name = try FlavorName(
      cpus: 16, cpuType: .dedicatedThread, ram: 64, disk: FlavorDisk(count: 3, size: 10, type: .ssd),
      hypervisor: .bareMetal, hardwareVirtualization: true,
      cpuBrand: CPUBrand(vendor: .intel, generation: 3, performance: 1),
      gpu: GPU(kind: .passThrough, vendor: .nvidia, generation: "a", computeUnits: 64), infiniband: true)
    #expect(name.canonical == "SCS-16T-64-3x10s_bms_hwv_i3h_GNa-64_ib")
    #expect(name.short == "SCS-16T-64-3x10s_GNa-64_ib")
    #expect(name.formatted(.v1) == "SCS-16T:64:3x10s-bms-hwv-i3h-GNa:64-ib")
  }

  @Test func halfGiBRAM() throws {
    #expect(try FlavorName(cpus: 1, cpuType: .crowdedCore, ram: 0.5).canonical == "SCS-1L-0.5")
    #expect(try FlavorName(parsing: "SCS-2V-04.0").canonical == "SCS-2V-4")
  }

  @Test func armBrandStaysInShortName() throws {
    #expect(try FlavorName(parsing: "SCS-2V-4_a3h").short == "SCS-2V-4_a")
  }

  @Test func describesLikeTheWebDecoder() throws {
    #expect(
      FlavorNameDescription.describe(try FlavorName(parsing: "SCS-4V-16-50"))
        == "SCS flavor with 4 generic x86-64 vCPUs with 16 GiB RAM and 50GB root volume")
    #expect(
      FlavorNameDescription.describe(try FlavorName(parsing: "SCS-16T-64-3x10s_bms_hwv_i3h_GNa-64h-24h_ib"))
        == "SCS flavor with 16 High Perf Intel Ice Lake SMT Threads with 64 GiB RAM on Bare Metal System with HW virt "
        + "and SSD 3x10GB root volume and Pass-Through GPU Nvidia Ampere (w/ 64 High Freq SMs and 24 GiB High BW (HBM) VRAM) "
        + "and Infiniband")
    #expect(
      FlavorNameDescription.describe(try FlavorName(parsing: "SCS-2Ci-3.5uo-"))
        == "SCS flavor with 2 generic x86-64 Dedicated Cores (insecure) with 3.5 GiB RAM (noECC, oversubscribed) "
        + "and root volume sized to fit the image")
  }

  @Test func syntaxConversion() {
    #expect(FlavorNameSyntax.v1(fromV2: "SCS-2V-4-20s_bms_z3") == "SCS-2V:4:20s-bms-z3")
    #expect(FlavorNameSyntax.v2(fromV1: "SCS-2V:4:20s-bms-z3") == "SCS-2V-4-20s_bms_z3")
  }
}

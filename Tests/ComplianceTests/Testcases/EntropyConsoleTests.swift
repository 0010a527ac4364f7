import Flavors
import Foundation
import OpenStack
import Testing

@testable import Compliance

struct EntropyConsoleTests {
  static func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return try String(contentsOf: url, encoding: .utf8)
  }

  @Test func recordedDebianConsolePassesBoth() throws {
    let console = try Self.fixture("entropy-console-debian12.txt")
    #expect(console.contains(EntropyConsole.endMarker))
    let collected = EntropyConsole.collect(console)
    #expect(collected["entropy-avail"] == ["256"])
    #expect(collected["fips-test"]?.count == 11)
    #expect(collected["rngd"]?.first?.hasPrefix("● rngd.service") == true)
    #expect(try EntropyConsole.entropyAvailProblem(collected, image: "Debian 12") == nil)
    let fips = try EntropyConsole.fipsProblem(collected, image: "Debian 12")
    #expect(fips.problem == nil && fips.note == nil)
    #expect(!EntropyConsole.showsNoGuest(console))
  }

  @Test func lowEntropyAndManyFipsFailuresFail() throws {
    let console = """
      [ 50.1] cloud-init[1]: _scs-test-entropy-avail: 3712
      [ 51.0] cloud-init[1]: _scs-test-fips-test: rngtest: FIPS 140-2 failures: 4
      """
    let collected = EntropyConsole.collect(console)
    #expect(
      try EntropyConsole.entropyAvailProblem(collected, image: "Ubuntu 24.04")
        == "VM 'Ubuntu 24.04' didn't have a fixed amount of entropy available. Expected 256, got 3712.")
    let lenient = try EntropyConsole.fipsProblem(collected, image: "Ubuntu 24.04")
    #expect(lenient.problem == nil)
    #expect(lenient.note?.contains("got 4") == true)
    let bad = EntropyConsole.collect("x _scs-test-fips-test: rngtest: FIPS 140-2 failures: 9")
    #expect(try EntropyConsole.fipsProblem(bad, image: "Ubuntu 24.04").problem?.contains("got 9") == true)
  }

  @Test func missingLinesAreUndecided() {
    #expect(throws: Undecidable.self) { try EntropyConsole.entropyAvailProblem([:], image: "x") }
    let noCount = EntropyConsole.collect("_scs-test-fips-test: rngtest: FIPS 140-2 successes: 1000")
    #expect(throws: Undecidable.self) { try EntropyConsole.fipsProblem(noCount, image: "x") }
    #expect(EntropyConsole.showsNoGuest("FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE"))
  }

  static func image(_ name: String, distro: String?, version: String?, minRAM: Int = 0) -> Image {
    var object: [String: Any] = [
      "id": name, "name": name, "status": "active", "visibility": "public", "min_ram": minRAM,
    ]
    if let distro { object["os_distro"] = distro }
    if let version { object["os_version"] = version }
    return try! JSONDecoder().decode(Image.self, from: JSONSerialization.data(withJSONObject: object))
  }

  @Test func debianNewestWinsThenUbuntu() {
    let images = [
      Self.image("cirros", distro: "cirros", version: "0.6"),
      Self.image("Ubuntu 24.04", distro: "ubuntu", version: "24.04"),
      Self.image("Debian 11", distro: "debian", version: "bullseye"),
      Self.image("Debian 12", distro: "Debian", version: "12"),
      Self.image("Debian 12 again", distro: "debian", version: "bookworm"),
    ]
    #expect(EntropyConsole.canonicalImage(images)?.name == "Debian 12")
    #expect(EntropyConsole.canonicalImage(Array(images.prefix(2)))?.name == "Ubuntu 24.04")
    #expect(EntropyConsole.canonicalImage([]) == nil)
  }

  @Test func frugalFlavorPreferringVirtioRNG() {
    let image = Self.image("Debian 12", distro: "debian", version: "12", minRAM: 1024)
    let flavors = [
      ObservedFlavor(id: "a", name: "tiny", vcpus: 1, ramMiB: 512, diskGB: 1),
      ObservedFlavor(id: "b", name: "SCS-1V-2", vcpus: 1, ramMiB: 2048, diskGB: 0),
      ObservedFlavor(
        id: "c", name: "SCS-2V-4", vcpus: 2, ramMiB: 4096, diskGB: 0, extraSpecs: ["hw_rng:allowed": "True"]),
    ]
    #expect(EntropyConsole.flavor(for: image, among: flavors)?.id == "c")
    #expect(EntropyConsole.flavor(for: image, among: Array(flavors.prefix(2)))?.id == "b")
    #expect(EntropyConsole.flavor(for: image, among: Array(flavors.prefix(1))) == nil)
  }

  @Test func userDataPerDistribution() {
    #expect(EntropyConsole.userData(osDistro: "debian").contains("mirror.plusserver.com"))
    #expect(EntropyConsole.userData(osDistro: "ubuntu").contains("archive.ubuntu.com"))
    #expect(EntropyConsole.userData(osDistro: nil).contains("# apt-placeholder"))
    #expect(EntropyConsole.userData(osDistro: nil).hasPrefix("#cloud-config"))
  }
}

import Flavors
import Foundation
import OpenStack

/// The pure parts of scs-0101 entropy: which image and flavor the test VM uses, what it runs
/// (cloud-init user data printing marked lines to the serial console), and how the console is read.
public enum EntropyConsole {
  public static let marker = "_scs-test-"
  public static let endMarker = "_scs-test-end"

  static let userDataGeneric = """
    #cloud-config
    # apt-placeholder
    packages:
      - rng-tools5
    bootcmd:
      - systemctl mask serial-getty@ttyS0.service
    runcmd:
      - >-
        cat /proc/sys/kernel/random/entropy_avail | awk '$0="_scs-test-entropy-avail: "$0'
      - >-
        cat /dev/random | rngtest -c 1000 2>&1 | awk '$0="_scs-test-fips-test: "$0'
      - >-
        sudo systemctl status rngd 2>&1 | awk '$0="_scs-test-rngd: "$0'
      - >-
        cat /sys/devices/virtual/misc/hw_random/rng_available 2>&1 | awk '$0="_scs-test-virtio-rng: "$0'; sudo /bin/sh -c 'od -vAn -N2 -tu2 < /dev/hwrng' 2>&1 | awk '$0="_scs-test-virtio-rng: "$0'
      - echo '_scs-test-end'
    final_message: "_scs-test-end"
    """

  /// The user data for an image's distribution (a fixed package mirror for Ubuntu and Debian, as upstream).
  public static func userData(osDistro: String?) -> String {
    switch osDistro {
    case "ubuntu":
      return userDataGeneric.replacingOccurrences(
        of: "# apt-placeholder",
        with: "apt:\n  primary:\n    - arches: [default]\n      uri: http://az1.clouds.archive.ubuntu.com/ubuntu/")
    case "debian":
      return userDataGeneric.replacingOccurrences(
        of: "# apt-placeholder",
        with: "apt:\n  primary:\n    - arches: [default]\n      uri: https://mirror.plusserver.com/debian/debian/\n"
          + "  security:\n    - arches: [default]\n      uri: https://mirror.plusserver.com/debian/debian-security/")
    default:
      return userDataGeneric
    }
  }

  /// Marked console lines by section (`entropy-avail`, `fips-test`, …); anything before the marker on a
  /// line (timestamps, `cloud-init[513]:`) is ignored, since concurrent output can interleave.
  public static func collect(_ console: String) -> [String: [String]] {
    var collected: [String: [String]] = [:]
    for line in console.split(separator: "\n", omittingEmptySubsequences: false) {
      guard let range = line.range(of: marker) else { continue }
      let rest = line[range.upperBound...]
      guard let colon = rest.firstIndex(of: ":") else { continue }
      let section = String(rest[..<colon])
      let payload = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
      collected[section, default: []].append(payload)
    }
    return collected
  }

  /// `entropy_avail` must read 256 (a fixed pool, kernel 5.18+ with a working RNG).
  public static func entropyAvailProblem(_ collected: [String: [String]], image: String) throws -> String? {
    guard let value = collected["entropy-avail"]?.first?.trimmingCharacters(in: .whitespaces) else {
      throw Undecidable("VM '\(image)': the console shows no entropy_avail line")
    }
    if value == "256" { return nil }
    return "VM '\(image)' didn't have a fixed amount of entropy available. Expected 256, got \(value)."
  }

  /// rngtest over 1000 blocks: at most 3 failures pass strictly, 4–5 leniently (with a note), more fail.
  /// Without a `failures:` count the result is undecided, as upstream.
  public static func fipsProblem(_ collected: [String: [String]], image: String) throws -> (
    problem: String?, note: String?
  ) {
    let text = (collected["fips-test"] ?? []).joined(separator: "\n")
    guard let match = text.firstMatch(of: /failures:\s(\d+)/), let failures = Int(match.1) else {
      throw Undecidable("VM '\(image)': failed to determine fips failures")
    }
    if failures <= 3 { return (nil, nil) }
    let note =
      "VM '\(image)' didn't pass the strict FIPS 140-2 testing. Expected a maximum of 3 failures, got \(failures)."
    if failures <= 5 { return (nil, note) }
    return (
      "VM '\(image)' didn't pass the FIPS 140-2 testing. Expected a maximum of 5 failures, got \(failures).", note
    )
  }

  /// Debian before Ubuntu, newer before older; images of other distributions rank lowest. Among equals
  /// the first wins (Python's `max`).
  public static func canonicalImage(_ images: [Image]) -> Image? {
    var best: (image: Image, rank: (Int, Int))?
    for image in images {
      let rank = Self.rank(
        distro: image.properties["os_distro"]?.stringValue, version: image.properties["os_version"]?.stringValue)
      if best == nil || rank > best!.rank { best = (image, rank) }
    }
    return best?.image
  }

  static let debianCodenames = ["buster": 10, "bullseye": 11, "bookworm": 12, "trixie": 13]

  static func rank(distro: String?, version: String?) -> (Int, Int) {
    guard let distro = distro?.trimmingCharacters(in: .whitespaces).lowercased(), !distro.isEmpty,
      let version = version?.trimmingCharacters(in: .whitespaces).lowercased(), !version.isEmpty
    else { return (0, 0) }
    switch distro {
    case "debian":
      if version.wholeMatch(of: /\d+/) != nil { return (2, Int(version) ?? 0) }
      return (2, debianCodenames[version] ?? 0)
    case "ubuntu":
      if version.wholeMatch(of: /\d\d\.\d\d/) != nil {
        return (1, Int(version.replacingOccurrences(of: ".", with: "")) ?? 0)
      }
      return (1, 0)
    default:
      return (0, 0)
    }
  }

  /// A frugal flavor with enough RAM for the image, preferring ones that allow a virtio RNG.
  public static func flavor(for image: Image, among flavors: [ObservedFlavor]) -> ObservedFlavor? {
    var candidates = flavors.filter { $0.ramMiB >= image.minRAM }
    let withRNG = candidates.filter { $0.extraSpecs["hw_rng:allowed"]?.lowercased() == "true" }
    if !withRNG.isEmpty { candidates = withRNG }
    func cost(_ flavor: ObservedFlavor) -> Double {
      Double(flavor.vcpus) + Double(flavor.ramMiB) / 3 + Double(flavor.diskGB) / 10
    }
    return candidates.min { cost($0) < cost($1) }
  }

  /// What the console shows when no guest can run: Nova's fake driver answers with a fixed text.
  public static func showsNoGuest(_ console: String) -> Bool {
    console.hasPrefix("FAKE CONSOLE OUTPUT")
  }
}

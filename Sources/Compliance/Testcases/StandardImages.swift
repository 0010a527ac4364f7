import OpenStack

/// scs-0104 standard images: for each image family, which names belong to it (the exact name, or a
/// name scheme matched at the start as Python's `re.match`) and which source URL prefixes are canonical.
/// The table is the official suite's (`scs_0104_standard_images`), which it uses in place of the
/// `image_spec` parameter.
public struct StandardImageSpec: Sendable {
  public var name: String
  public var nameScheme: String?
  public var sources: [String]

  static let capiSources = [
    "https://nbg1.your-objectstorage.com/osism/openstack-k8s-capi-images/",
    "https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/openstack-k8s-capi-images/ubuntu-2404-kube",
    "https://swift.services.a.regiocloud.tech/swift/v1/AUTH_b182637428444b9aa302bb8d5a5a418c/openstack-k8s-capi-images/ubuntu-2204-kube",
  ]

  static func ubuntu(_ version: String, _ codename: String) -> StandardImageSpec {
    StandardImageSpec(
      name: "Ubuntu \(version)",
      sources: [
        "https://cloud-images.ubuntu.com/releases/\(codename)/", "https://cloud-images.ubuntu.com/\(codename)/",
      ])
  }

  static func debian(_ version: String, _ codename: String) -> StandardImageSpec {
    StandardImageSpec(
      name: "Debian \(version)",
      sources: [
        "https://cloud.debian.org/images/cloud/\(codename)/", "https://cdimage.debian.org/cdimage/cloud/\(codename)/",
      ])
  }

  /// Testcase suffix → spec (`scs-0104-source-<suffix>`, `scs-0104-image-<suffix>`).
  public static let known: [(suffix: String, spec: StandardImageSpec)] = [
    (
      "capi-1",
      StandardImageSpec(
        name: "ubuntu-capi-image-1", nameScheme: #"ubuntu-capi-image v[0-9]\.[0-9]+(\.[0-9]+)?"#, sources: capiSources)
    ),
    (
      "capi-2",
      StandardImageSpec(
        name: "ubuntu-capi-image-2", nameScheme: #"ubuntu-capi-image-v[0-9]\.[0-9]+(\.[0-9]+)?"#, sources: capiSources)
    ),
    ("ubuntu-2404", ubuntu("24.04", "noble")),
    ("ubuntu-2204", ubuntu("22.04", "jammy")),
    ("ubuntu-2004", ubuntu("20.04", "focal")),
    ("debian-13", debian("13", "trixie")),
    ("debian-12", debian("12", "bookworm")),
    ("debian-11", debian("11", "bullseye")),
    ("debian-10", debian("10", "buster")),
  ]

  /// The images of this family, from a name → image lookup (the last image of a name wins, as upstream).
  public func matches(in lookup: [String: Image]) -> [Image] {
    guard let nameScheme else { return lookup[name].map { [$0] } ?? [] }
    guard let regex = try? Regex(nameScheme) else { return [] }
    return lookup.keys.sorted().filter { $0.prefixMatch(of: regex) != nil }.compactMap { lookup[$0] }
  }

  /// One line per image of the family whose `image_source` starts with none of the canonical prefixes.
  public func sourceProblems(in lookup: [String: Image]) -> [String] {
    matches(in: lookup).compactMap { image in
      let source = image.properties["image_source"]?.stringValue ?? ""
      if sources.contains(where: { source.hasPrefix($0) }) { return nil }
      return "Image '\(image.name ?? image.id)' source mismatch: '\(source)' matches none of these prefixes: "
        + sources.joined(separator: ", ")
    }
  }

  public static func lookup(_ images: [Image]) -> [String: Image] {
    var lookup: [String: Image] = [:]
    for image in images { lookup[image.name ?? ""] = image }
    return lookup
  }
}

enum ImageTestcases {
  static var all: [Testcase] {
    StandardImageSpec.known.flatMap { suffix, spec in
      [
        Testcase("scs-0104-source-\(suffix)") { context, log in
          let problems = spec.sourceProblems(in: StandardImageSpec.lookup(try await context.images.value()))
          for problem in problems { log.error(problem) }
          return problems.isEmpty
        },
        Testcase("scs-0104-image-\(suffix)") { context, log in
          let found = spec.matches(in: StandardImageSpec.lookup(try await context.images.value()))
          if found.isEmpty { log.error("Missing image '\(spec.name)'") }
          return !found.isEmpty
        },
      ]
    }
  }
}

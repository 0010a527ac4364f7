import Foundation

/// The scs-0102 (v1) image metadata rules with the semantics of the official test suite
/// (`Tests/iaas/scs_0102_image_metadata/image_metadata.py`, the successor of `image-md-check.py`):
/// the same vocabularies, the same date forms, the same recency and uniqueness logic. Pure, so the
/// compliance module can run them on any list of images.
public enum ImageMetadataRules {
  public static let architectures: Set<String> = ["x86_64", "aarch64", "risc-v"]
  /// `nil` (unset) is accepted, as the official check accepts it.
  public static let diskBuses: Set<String> = ["virtio", "scsi"]
  public static let hypervisorTypes: Set<String> = ["qemu", "kvm", "xen", "hyper-v", "esxi"]
  public static let rngModels: Set<String> = ["virtio"]
  public static let osPurposes: Set<String> = [
    "generic", "oldgeneric", "minimal", "k8snode", "gpu", "network", "custom",
  ]
  /// Seconds per `replace_frequency`, rounded up a bit as the official check does; 0 = no recency promise.
  public static let replaceFrequencySeconds: [String: TimeInterval] = [
    "never": 0, "critical_bug": 0, "yearly": 365 * 24 * 3600, "quarterly": 92 * 24 * 3600,
    "monthly": 31 * 24 * 3600, "weekly": 7 * 25 * 3600, "daily": 25 * 3600,
  ]
  public static let outdatedMarkers: Set<String> = ["old", "prev"]

  /// Every test case, in the order the official suite lists them.
  public static func checkAll(_ images: [ImageMetadataRecord], now: Date = Date()) -> [ImageMetadataCheckResult] {
    let now = now.timeIntervalSince1970
    return [
      property("architecture", images) { architectures.contains($0["architecture"] ?? "") ? nil : "not correct" },
      ImageMetadataCheckResult(
        id: "scs-0102-prop-hash_algo",
        errors: offenders(images) { ["sha256", "sha512"].contains($0.hashAlgorithm ?? "") ? nil : "hash_algo invalid" }),
      ImageMetadataCheckResult(
        id: "scs-0102-prop-min_disk",
        errors: offenders(images) { image in
          if image.minDisk == 0 { return "min_disk not set" }
          if Int64(image.minDisk) << 30 < image.size { return "min_disk smaller than size" }
          return nil
        }),
      ImageMetadataCheckResult(
        id: "scs-0102-prop-min_ram", errors: offenders(images) { $0.minRAM == 0 ? "min_ram not set" : nil },
        warnings: offenders(images) { $0.minRAM > 0 && $0.minRAM < 64 ? "min_ram < 64 MiB" : nil }),
      property("os_version", images) { ($0["os_version"] ?? "").isEmpty ? "not set" : nil },
      property("os_distro", images) { ($0["os_distro"] ?? "").isEmpty ? "not set" : nil },
      property("os_purpose", images) { osPurposes.contains($0["os_purpose"] ?? "") ? nil : "not set or not correct" },
      property("hw_disk_bus", images) { $0["hw_disk_bus"].map { diskBuses.contains($0) ? nil : "not correct" } ?? nil },
      property("hypervisor_type", images) {
        $0["hypervisor_type"].map { hypervisorTypes.contains($0) ? nil : "not correct" } ?? nil
      },
      property("hw_rng_model", images) {
        $0["hw_rng_model"].map { rngModels.contains($0) ? nil : "not correct" } ?? nil
      },
      property("image_build_date", images) { buildDateProblem($0, now: now) },
      property("image_original_user", images) { ($0["image_original_user"] ?? "").isEmpty ? "not set" : nil },
      property("image_source", images) { image in
        let source = image["image_source"] ?? ""
        return source == "private" || isURL(source) ? nil : "INVALID (url or \"private\"): '\(source)'"
      },
      property("image_description", images) { ($0["image_description"] ?? "").isEmpty ? "not set" : nil },
      property("replace_frequency", images) {
        replaceFrequencySeconds[$0["replace_frequency"] ?? ""] == nil ? "not correct" : nil
      },
      property("provided_until", images) { ($0["provided_until"] ?? "").isEmpty ? "not set" : nil },
      property("uuid_validity", images) { image in
        guard let value = image["uuid_validity"] else { return nil }
        return isValidUUIDValidity(value) ? nil : "INVALID: \(value)"
      },
      property("hotfix_hours", images) { image in
        let value = image["hotfix_hours"] ?? ""
        return value.isEmpty || value.allSatisfy(\.isNumber) ? nil : "INVALID: \(value)"
      },
      recency(images, now: now),
      osPurposeUniqueness(images),
    ]
  }

  /// `none`, `notice`, `forever`, `last-N` or a date.
  public static func isValidUUIDValidity(_ value: String) -> Bool {
    if ["none", "notice", "forever"].contains(value) { return true }
    if value.hasPrefix("last-"), !value.dropFirst(5).isEmpty, value.dropFirst(5).allSatisfy(\.isNumber) { return true }
    return SCSDate.parse(value) != nil
  }

  static func isURL(_ text: String) -> Bool {
    guard let index = text.range(of: "://") else { return false }
    return ["http", "https", "ftp", "ftps"].contains(String(text[..<index.lowerBound]))
  }

  static func property(
    _ name: String, _ images: [ImageMetadataRecord], _ problem: (ImageMetadataRecord) -> String?
  ) -> ImageMetadataCheckResult {
    ImageMetadataCheckResult(
      id: "scs-0102-prop-\(name)", errors: offenders(images) { problem($0).map { "\(name) \($0)" } })
  }

  static func offenders(_ images: [ImageMetadataRecord], _ problem: (ImageMetadataRecord) -> String?) -> [String] {
    images.compactMap { image in problem(image).map { "\(image.name): \($0)" } }
  }

  static func buildDateProblem(_ image: ImageMetadataRecord, now: TimeInterval) -> String? {
    let registered = SCSDate.parse(image.createdAt, forms: [.strict]) ?? 0
    let text = image["image_build_date"] ?? ""
    var problems: [String] = []
    let built = SCSDate.parse(text)
    if let built {
      if built > registered { problems.append("'\(text)' is after the registration date \(image.createdAt)") }
    } else {
      problems.append("'\(text)' INVALID")
    }
    if (built ?? registered) > now { problems.append("build time in the future") }
    return problems.isEmpty ? nil : problems.joined(separator: "; ")
  }

  public enum Outdated: Sendable, Equatable {
    case current
    /// Outdated but hidden or named as old (`… old`, `… prev`, `… 20261101`).
    case outdatedMarked
    /// Outdated and still looks current.
    case outdatedUnmarked
    /// Outdated and `provided_until` is not a date.
    case invalidProvidedUntil
  }

  /// The official `is_outdated`: build date (or registration) plus 1.1 × the replace frequency.
  public static func outdated(_ image: ImageMetadataRecord, now: TimeInterval) -> Outdated {
    guard
      let built = SCSDate.parse(image["image_build_date"] ?? "")
        ?? SCSDate.parse(image.createdAt, forms: [.strict])
    else {
      return outdatedAfter(image, built: 0, now: now)
    }
    return outdatedAfter(image, built: built, now: now)
  }

  static func outdatedAfter(_ image: ImageMetadataRecord, built: TimeInterval, now: TimeInterval) -> Outdated {
    let frequency = image["replace_frequency"] ?? "never"
    guard let seconds = replaceFrequencySeconds[frequency], seconds > 0 else { return .current }
    if now <= built + 1.1 * seconds { return .current }
    let until = image["provided_until"] ?? ""
    if until == "none" || until == "notice" { return .current }
    guard let untilDate = SCSDate.parse(until) else { return .invalidProvidedUntil }
    if now > untilDate { return .current }
    if image.isHidden { return .outdatedMarked }
    let parts = image.name.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count >= 2, let marker = parts.last.map(String.init) else { return .outdatedUnmarked }
    if outdatedMarkers.contains(marker) || SCSDate.parse(marker, forms: SCSDate.markerForms) != nil {
      return .outdatedMarked
    }
    return .outdatedUnmarked
  }

  static func recency(_ images: [ImageMetadataRecord], now: TimeInterval) -> ImageMetadataCheckResult {
    var byName: [String: ImageMetadataRecord] = [:]
    var warnings: [String] = []
    var duplicates: Set<String> = []
    for image in images {
      if byName[image.name] != nil { duplicates.insert(image.name) }
      byName[image.name] = image
    }
    if !duplicates.isEmpty { warnings.append("duplicate names: \(duplicates.sorted().joined(separator: ", "))") }
    var errors: [String] = []
    for image in images {
      let state = outdated(image, now: now)
      switch state {
      case .current: continue
      case .invalidProvidedUntil:
        errors.append("\(image.name): does not provide a valid provided_until date")
        continue
      case .outdatedUnmarked:
        warnings.append("\(image.name): seems outdated (by its replace_frequency) but is not hidden or marked")
      case .outdatedMarked: break
      }
      if replacement(for: image.name, in: byName, now: now) == nil {
        errors.append("\(image.name): outdated without replacement")
      }
    }
    return ImageMetadataCheckResult(id: "scs-0102-image-recency", errors: errors, warnings: warnings)
  }

  /// The image named without the last word (`Ubuntu 24.04 20261101` -> `Ubuntu 24.04`), if it is current.
  static func replacement(
    for name: String, in byName: [String: ImageMetadataRecord], now: TimeInterval
  ) -> ImageMetadataRecord? {
    guard let space = name.lastIndex(of: " ") else { return nil }
    let short = String(name[..<space]).trimmingCharacters(in: .whitespaces)
    guard short != name, let candidate = byName[short], outdated(candidate, now: now) == .current else { return nil }
    return candidate
  }

  /// At most one public, visible `os_purpose=generic` image per architecture, os_distro and os_version.
  static func osPurposeUniqueness(_ images: [ImageMetadataRecord]) -> ImageMetadataCheckResult {
    var buckets: [String: [String]] = [:]
    var order: [String] = []
    for image in images where image.visibility == "public" && !image.isHidden {
      guard let distro = image["os_distro"], !distro.isEmpty, let version = image["os_version"], !version.isEmpty,
        image["os_purpose"] == "generic"
      else { continue }
      let key = "(\(image["architecture"] ?? ""), \(distro), \(version))"
      if buckets[key] == nil { order.append(key) }
      buckets[key, default: []].append(image.name)
    }
    let errors = order.compactMap { key -> String? in
      let names = buckets[key]!
      return names.count < 2 ? nil : "os_purpose=generic not unique \(key): \(names.joined(separator: ", "))"
    }
    return ImageMetadataCheckResult(id: "scs-0102-os_purpose-uniqueness", errors: errors)
  }
}

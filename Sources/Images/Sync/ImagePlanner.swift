import Foundation
import StewardCore

/// Turns definitions and the managed images Glance has into a plan — pure, so naming, drift repair and
/// rotation are unit tested without a cloud, and a second run over a synced cloud plans nothing.
///
/// Behaviour follows openstack-image-manager: multi images are imported as `NAME (VERSION)` and the
/// newest is renamed to `NAME` once imported (the one it replaces goes back to `NAME (ITS VERSION)`);
/// single images are `NAME VERSION`; outdated versions are hidden, deactivated or deleted per
/// `uuid_validity`. Where the peer is wrong this is not: existing images are repaired when their
/// definition changes, `--use-os-hidden` hides the old versions (the peer hides the new one), versions a
/// `last-N` rule would rotate away at once are not imported, and only managed images of the selected
/// definitions are ever touched.
public enum ImagePlanner {
  public static func plan(
    definitions: [ImageDefinition], observed: [ObservedImage], options: ImageSyncOptions
  ) -> ImagePlan {
    var result = ImagePlan()
    let managed = observed.filter { image in
      image.tags.contains(options.tag)
        && (options.projectID == nil || image.visibility == "public" || image.owner == options.projectID)
    }
    for definition in definitions where options.includes(definition) {
      planDefinition(definition, managed: managed, options: options, into: &result)
    }
    return result
  }

  static func versionedName(_ definition: ImageDefinition, _ version: String) -> String {
    definition.multi
      ? "\(definition.name)\(definition.separator)(\(version))" : "\(definition.name)\(definition.separator)\(version)"
  }

  /// Whether an image is one of this definition's, by the `image_name` property the manager sets, or
  /// by its name when the property is missing.
  static func belongs(_ image: ObservedImage, to definition: ImageDefinition) -> Bool {
    if let owner = image.properties["image_name"] { return owner == definition.name }
    if definition.multi {
      return image.name == definition.name
        || (image.name.hasPrefix("\(definition.name)\(definition.separator)(") && image.name.hasSuffix(")"))
    }
    return image.name.hasPrefix(definition.name + definition.separator)
  }

  /// The version an image holds: `internal_version`, else what its name says.
  static func version(of image: ObservedImage, _ definition: ImageDefinition) -> String? {
    if let version = image.properties["internal_version"] { return version }
    let prefix = definition.name + definition.separator
    guard image.name.hasPrefix(prefix) else { return nil }
    var rest = String(image.name.dropFirst(prefix.count))
    if definition.multi {
      guard rest.hasPrefix("("), rest.hasSuffix(")") else { return nil }
      rest = String(rest.dropFirst().dropLast())
    }
    return rest.isEmpty ? nil : rest
  }

  /// The rotation window: how many versions (the current one included) `uuid_validity` keeps, or
  /// `nil` for no limit.
  /// `none` keeps everything as the peer does (the standard allows removing such images at any time,
  /// but nothing asks for it); `forever` and `notice` keep; a date keeps until it has passed.
  static func keepCount(_ uuidValidity: String?, now: Date) -> Int? {
    guard let uuidValidity else { return nil }
    if uuidValidity.hasPrefix("last-"), let count = Int(uuidValidity.dropFirst(5)), count > 0 { return count }
    if let until = ISO8601DateFormatter.date(uuidValidity) {
      return now > until.addingTimeInterval(24 * 3600) ? 1 : nil
    }
    return nil
  }

  static func planDefinition(
    _ definition: ImageDefinition, managed: [ObservedImage], options: ImageSyncOptions, into result: inout ImagePlan
  ) {
    let group = definition.name
    let owned = managed.filter { belongs($0, to: definition) }
    var versionsByName: [String: ImageVersion] = [:]
    for version in definition.versions where versionsByName[version.version] == nil {
      versionsByName[version.version] = version
    }
    let versions = NaturalOrder.sorted(Array(versionsByName.keys))
    guard let newest = versions.last else { return }
    let uuidValidity = definition.meta["uuid_validity"]
    let window = keepCount(uuidValidity, now: options.now)

    // Which existing image holds which defined version.
    let plain = definition.multi ? owned.first { $0.name == definition.name } : nil
    func existing(_ version: String) -> ObservedImage? {
      if let named = owned.first(where: { $0.name == versionedName(definition, version) }) { return named }
      guard let plain else { return nil }
      let plainVersion = plain.properties["internal_version"]
      return plainVersion == version || (plainVersion == nil && version == newest) ? plain : nil
    }

    var wanted = versions
    if options.latest { wanted = [newest] }
    // Single images keep every defined version; rotation only takes undefined ones away.
    if let window, definition.multi { wanted = Array(wanted.suffix(window)) }

    // Drift of the images that hold a defined version; visibility and status only for current ones.
    for version in versions {
      guard let image = existing(version) else { continue }
      let isCurrent = !definition.multi || version == newest
      let patch = drift(
        image, desired(definition, versionsByName[version]!, options: options), current: isCurrent,
        definition: definition, version: versionsByName[version]!)
      if patch.isEmpty {
        result.keep(Change(.keep, kind: "image", target: image.name, reason: "matches the definition"))
      } else {
        result.add(
          Change(
            .update, kind: "image", target: image.name, reason: "differs from the definition",
            details: describe(patch, image)),
          .update(imageID: image.id, patch), group: group)
      }
    }

    // Imports of missing versions.
    var imported: [String: String] = [:]  // version -> name imported as
    for version in wanted where existing(version) == nil {
      var job = importJob(definition, versionsByName[version]!, options: options)
      if definition.multi && version != newest && options.rotation.hide {
        // An older version imported now is hidden at once, like the old versions already there.
        if options.rotation.useOSHidden { job.hidden = true } else { job.visibility = "community" }
      }
      imported[version] = job.name
      var details = ["from \(job.url)", "checksum \(job.checksum?.description ?? "(none: not verified)")"]
      details.append("visibility \(job.visibility)\(job.hidden ? ", hidden" : "") after verification")
      result.add(
        Change(
          .create, kind: "image", target: job.name, reason: "version \(version) is not in Glance", details: details),
        .importImage(job), group: group)
    }

    // Multi: the newest goes under the plain name, the one it replaces back to its versioned name.
    var currentID: String? = existing(newest)?.id
    var demoted: [String: String] = [:]  // id -> new name
    if definition.multi {
      let newestReference: ImageReference?
      let newestName: String?
      if let name = imported[newest] {
        newestReference = .imported(name: name)
        newestName = name
      } else if let image = existing(newest), image.name != definition.name {
        newestReference = .id(image.id)
        newestName = image.name
      } else {
        newestReference = nil
        newestName = nil
      }
      if let newestReference, let newestName {
        if let plain, plain.id != currentID {
          let oldVersion = plain.properties["internal_version"] ?? compactDate(plain.createdAt) ?? "previous"
          let target = versionedName(definition, oldVersion)
          demoted[plain.id] = target
          result.add(
            Change(
              .update, kind: "image-name", target: definition.name,
              reason: "replaced by version \(newest)", details: ["\(definition.name) -> \(target)"]),
            .rename(.id(plain.id), to: target), group: group)
        }
        result.add(
          Change(
            .update, kind: "image-name", target: newestName, reason: "newest version, after a successful import",
            details: ["\(newestName) -> \(definition.name)"]),
          .rename(newestReference, to: definition.name), group: group)
      }
      if case .id(let id) = newestReference { currentID = id }
    }

    // Rotation of the versions that are no longer current.
    struct Candidate {
      var version: String
      var image: ObservedImage?
      var name: String
    }
    var candidates: [Candidate] = []
    for image in owned where image.id != currentID {
      let held = version(of: image, definition) ?? ""
      if !definition.multi, versionsByName[held] != nil { continue }
      if definition.multi, held == newest { continue }
      candidates.append(Candidate(version: held, image: image, name: demoted[image.id] ?? image.name))
    }
    for (version, name) in imported where definition.multi && version != newest {
      candidates.append(Candidate(version: version, image: nil, name: name))
    }
    candidates.sort { NaturalOrder.less($1.version, $0.version) }
    let rotation = options.rotation
    for (index, candidate) in candidates.enumerated() {
      // The current version counts as one of the `last-N`.
      let outdated = (window.map { index + 1 >= $0 } ?? false) && !(options.keep && !definition.multi)
      let hidden: Bool
      if let image = candidate.image {
        hidden = rotation.useOSHidden ? image.hidden : image.visibility == "community"
      } else {
        hidden = false
      }
      let deactivated = candidate.image?.status == "deactivated"
      let rule = uuidValidity.map { "uuid_validity \($0)" } ?? "no uuid_validity"
      // Imported in this run: inside the window, and already hidden by its import when asked.
      guard let image = candidate.image else { continue }
      if outdated {
        if rotation.delete && rotation.confirmDelete && !definition.keep {
          result.add(
            Change(
              .delete, kind: "image", target: candidate.name, reason: "outdated (\(rule))", details: ["id: \(image.id)"]
            ),
            .delete(imageID: image.id), group: group)
          continue
        }
        let deactivate = (rotation.deactivate || (rotation.delete && rotation.confirmDelete)) && !deactivated
        let hide = (rotation.hide || (rotation.delete && rotation.confirmDelete)) && !hidden
        if deactivate || hide {
          var what: [String] = []
          if hide { what.append(rotation.useOSHidden ? "hidden (os_hidden)" : "hidden (visibility community)") }
          if deactivate { what.append("deactivated") }
          let keptNote = definition.keep ? "; 'keep: true' prevents deleting" : ""
          result.add(
            Change(
              .retire, kind: "image", target: candidate.name, reason: "outdated (\(rule))\(keptNote)",
              details: what + ["id: \(image.id)"]),
            .retire(imageID: image.id, hide: hide, useOSHidden: rotation.useOSHidden, deactivate: deactivate),
            group: group)
        } else if !rotation.hide && !rotation.deactivate && !(rotation.delete && rotation.confirmDelete) {
          result.keep(
            Change(
              .keep, kind: "image", target: candidate.name,
              reason: "outdated (\(rule)); kept: use --hide, --deactivate or --delete"))
        } else {
          result.keep(
            Change(.keep, kind: "image", target: candidate.name, reason: "outdated (\(rule)), already retired"))
        }
      } else if rotation.hide && !hidden {
        result.add(
          Change(
            .retire, kind: "image", target: candidate.name, reason: "older version, still valid (\(rule)): hidden",
            details: [rotation.useOSHidden ? "hidden (os_hidden)" : "hidden (visibility community)", "id: \(image.id)"]),
          .retire(imageID: image.id, hide: true, useOSHidden: rotation.useOSHidden, deactivate: false), group: group)
      } else {
        result.keep(
          Change(.keep, kind: "image", target: candidate.name, reason: "older version, still valid (\(rule))"))
      }
    }
  }

  /// `20261101` from Glance's `created_at`, the peer's fallback version for an image without one.
  static func compactDate(_ createdAt: String?) -> String? {
    guard let createdAt, createdAt.count >= 10 else { return nil }
    return createdAt.prefix(10).replacingOccurrences(of: "-", with: "")
  }

  /// What an image of `version` should carry (scs-0102 metadata and the manager's own properties).
  struct Desired {
    var properties: [String: String]
    var tags: Set<String>
    var visibility: String
    var hidden: Bool?
  }

  static func desired(_ definition: ImageDefinition, _ version: ImageVersion, options: ImageSyncOptions) -> Desired {
    var properties = definition.meta
    if let osVersion = version.osVersion {
      properties["os_version"] = osVersion
    } else if !definition.multi {
      properties["os_version"] = version.version
    }
    properties["image_source"] = version.source ?? sourceProperty(version.url)
    if let buildDate = version.buildDate { properties["image_build_date"] = buildDate }
    properties["image_description"] = version.imageDescription ?? properties["image_description"] ?? definition.name
    properties["image_original_user"] = definition.login
    for (key, value) in version.meta { properties[key] = value }
    properties["image_name"] = definition.name
    properties["internal_version"] = version.version
    var tags = Set(definition.tags)
    tags.insert(options.tag)
    if let distro = properties["os_distro"], !distro.isEmpty { tags.insert("os:\(distro)") }
    return Desired(
      properties: properties, tags: tags, visibility: version.visibility ?? definition.visibility,
      hidden: version.hidden)
  }

  /// scs-0102 wants a URL or `private`; a local file is private (the peer wrote `file:NAME`, which the
  /// SCS check rejects).
  static func sourceProperty(_ url: String) -> String {
    let lower = url.lowercased()
    return ["http://", "https://", "ftp://", "ftps://"].contains { lower.hasPrefix($0) } ? url : "private"
  }

  static func importJob(_ definition: ImageDefinition, _ version: ImageVersion, options: ImageSyncOptions) -> ImportJob
  {
    let wanted = desired(definition, version, options: options)
    return ImportJob(
      definition: definition.name, version: version.version, name: versionedName(definition, version.version),
      url: version.mirrorURL ?? version.url, checksum: version.checksum, diskFormat: definition.format,
      id: version.id, minDisk: definition.minDisk, minRAM: definition.minRAM, properties: wanted.properties,
      tags: wanted.tags.sorted(), visibility: wanted.visibility, hidden: wanted.hidden ?? false,
      deactivate: definition.status == "deactivated")
  }

  static func drift(
    _ image: ObservedImage, _ wanted: Desired, current: Bool, definition: ImageDefinition, version: ImageVersion
  ) -> ImagePatch {
    var patch = ImagePatch()
    for (key, value) in wanted.properties where image.properties[key] != value {
      patch.properties[key] = value
    }
    var minDisk = definition.minDisk
    if let size = image.size, size > 0 { minDisk = max(minDisk, Int((size + (1 << 30) - 1) >> 30)) }
    if image.minDisk != minDisk { patch.minDisk = minDisk }
    if image.minRAM != definition.minRAM { patch.minRAM = definition.minRAM }
    let tags = Set(image.tags)
    patch.addTags = wanted.tags.subtracting(tags).sorted()
    patch.removeTags = tags.subtracting(wanted.tags).sorted()
    if current {
      if image.visibility != wanted.visibility { patch.visibility = wanted.visibility }
      if let hidden = wanted.hidden, hidden != image.hidden { patch.hidden = hidden }
      if definition.status == "deactivated" && image.status == "active" { patch.active = false }
      if definition.status == "active" && image.status == "deactivated" { patch.active = true }
    }
    return patch
  }

  static func describe(_ patch: ImagePatch, _ image: ObservedImage) -> [String] {
    var lines = patch.properties.keys.sorted().map {
      "\($0): \(image.properties[$0] ?? "(missing)") -> \(patch.properties[$0]!)"
    }
    if let minDisk = patch.minDisk { lines.append("min_disk: \(image.minDisk) -> \(minDisk)") }
    if let minRAM = patch.minRAM { lines.append("min_ram: \(image.minRAM) -> \(minRAM)") }
    if let visibility = patch.visibility { lines.append("visibility: \(image.visibility) -> \(visibility)") }
    if let hidden = patch.hidden { lines.append("os_hidden: \(image.hidden) -> \(hidden)") }
    lines += patch.addTags.map { "tag +\($0)" } + patch.removeTags.map { "tag -\($0)" }
    if let active = patch.active { lines.append(active ? "reactivate" : "deactivate") }
    return lines
  }
}

extension ISO8601DateFormatter {
  /// `YYYY-MM-DD` at 00:00 UTC.
  static func date(_ text: String) -> Date? {
    guard text.range(of: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withFullDate]
    return formatter.date(from: text)
  }
}

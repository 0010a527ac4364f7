import Foundation
import Yams

/// Reads openstack-image-manager definition files (a file, or every `.yml`/`.yaml` in a folder) and
/// checks them against the rules of that format, collecting every problem with file, line and field
/// instead of stopping at the first.
public enum ImageDefinitionLoader {
  public static let formats: Set<String> = ["aki", "ari", "ami", "raw", "iso", "vhd", "vdi", "qcow2", "vmdk"]
  public static let visibilities: Set<String> = ["public", "private", "community", "shared"]
  static let imageKeys: Set<String> = [
    "name", "enable", "shortname", "format", "login", "password", "min_disk", "min_ram", "status", "visibility",
    "multi", "separator", "keep", "tags", "meta", "latest_url", "latest_checksum_url", "versions",
  ]
  static let versionKeys: Set<String> = [
    "version", "url", "mirror_url", "checksum", "checksum_url", "checksums_url", "build_date", "source", "id",
    "hidden", "visibility", "meta", "image_description", "os_version",
  ]
  /// Allowed values of the scs-0102 / peer meta keys that have a fixed vocabulary.
  static let metaEnums: [String: Set<String>] = [
    "architecture": ["x86_64", "aarch64", "risc-v"],
    "hw_disk_bus": ["virtio", "scsi"],
    "hw_rng_model": ["virtio"],
    "hw_scsi_model": ["virtio-scsi"],
    "hw_watchdog_action": ["disabled", "reset", "poweroff", "pause", "none"],
    "hypervisor_type": ["hyperv", "ironic", "lxc", "qemu", "uml", "vmware", "xen"],
    "os_purpose": ["generic", "minimal", "k8snode", "gpu", "network", "custom"],
    "replace_frequency": ["yearly", "quarterly", "monthly", "weekly", "daily", "critical_bug", "never"],
  ]
  static let requiredMeta = [
    "architecture", "hypervisor_type", "os_distro", "os_purpose", "replace_frequency",
    "uuid_validity", "provided_until",
  ]

  /// Every definition under `path` (a file or a folder), files in name order.
  public static func load(_ path: String) -> ImageDefinitionSet {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      return ImageDefinitionSet(
        images: [],
        issues: [
          .init(
            severity: .error, location: .init(file: path, line: 0), field: "--images", message: "no such file or folder"
          )
        ])
    }
    var files = [path]
    if isDirectory.boolValue {
      files = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
        .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { path + "/" + $0 }
    }
    var result = ImageDefinitionSet(images: [], issues: [])
    for file in files {
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        result.issues.append(
          .init(severity: .error, location: .init(file: file, line: 0), field: "", message: "cannot be read"))
        continue
      }
      let parsed = parse(text, file: file)
      result.images += parsed.images
      result.issues += parsed.issues
    }
    var seen: [String: SourceLocation] = [:]
    for image in result.images {
      if let first = seen[image.name] {
        result.issues.append(
          .init(
            severity: .error, location: image.location, field: "name",
            message: "'\(image.name)' is already defined at \(first)"))
      } else {
        seen[image.name] = image.location
      }
    }
    return result
  }

  /// One file's text.
  public static func parse(_ text: String, file: String) -> ImageDefinitionSet {
    var issues: [ImageDefinitionIssue] = []
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      return ImageDefinitionSet(
        images: [],
        issues: [
          .init(
            severity: .error, location: .init(file: file, line: line(of: error)), field: "",
            message: "not valid YAML: \(error)")
        ])
    } catch {
      return ImageDefinitionSet(
        images: [],
        issues: [.init(severity: .error, location: .init(file: file, line: 0), field: "", message: "\(error)")])
    }
    guard let list = root?.mapping?["images"]?.sequence else {
      issues.append(
        .init(
          severity: .error, location: .init(file: file, line: root?.mark?.line ?? 1), field: "images",
          message: "the file must have a list 'images:'"))
      return ImageDefinitionSet(images: [], issues: issues)
    }
    var images: [ImageDefinition] = []
    for (index, node) in list.enumerated() {
      var reader = FieldReader(node: node, path: "images[\(index)]", file: file, known: imageKeys)
      if let image = readImage(&reader) { images.append(image) }
      issues += reader.issues
    }
    return ImageDefinitionSet(images: images, issues: issues)
  }

  static func line(of error: YamlError) -> Int {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
    default: return 0
    }
  }

  static func readImage(_ reader: inout FieldReader) -> ImageDefinition? {
    guard reader.isMapping else { return nil }
    let name = reader.string("name", required: true) ?? ""
    let format = reader.string("format", required: true, allowed: formats) ?? "qcow2"
    let status = reader.string("status", required: true, allowed: ["active", "deactivated"]) ?? "active"
    let visibility = reader.string("visibility", required: true, allowed: visibilities) ?? "private"
    let meta = reader.meta("meta", required: true)
    for key in requiredMeta where meta[key] == nil && reader.has("meta") {
      reader.error("meta.\(key)", "is required (scs-0102)")
    }
    var image = ImageDefinition(
      name: name, enabled: reader.bool("enable", required: true) ?? false, shortName: reader.string("shortname"),
      format: format, login: reader.string("login", required: true) ?? "", password: reader.string("password"),
      minDisk: reader.int("min_disk", required: true) ?? 0, minRAM: reader.int("min_ram", required: true) ?? 0,
      status: status, visibility: visibility, multi: reader.bool("multi", required: true) ?? true,
      separator: reader.string("separator") ?? " ", keep: reader.bool("keep") ?? false,
      tags: reader.strings("tags", required: true), meta: meta, latestURL: reader.url("latest_url"),
      latestChecksumURL: reader.url("latest_checksum_url"), versions: [], location: reader.location)
    for (index, node) in reader.sequence("versions", required: true).enumerated() {
      var versionReader = FieldReader(
        node: node, path: "\(reader.path).versions[\(index)]", file: reader.file, known: versionKeys)
      if let version = readVersion(&versionReader) { image.versions.append(version) }
      reader.issues += versionReader.issues
    }
    var versions: [String: SourceLocation] = [:]
    for version in image.versions {
      if let first = versions[version.version] {
        reader.issues.append(
          .init(
            severity: .error, location: version.location, field: "\(reader.path).versions",
            message: "version '\(version.version)' of '\(name)' is already defined at \(first)"))
      }
      versions[version.version] = version.location
    }
    return image
  }

  static func readVersion(_ reader: inout FieldReader) -> ImageVersion? {
    guard reader.isMapping else { return nil }
    var checksum: ImageChecksum?
    if let text = reader.string("checksum") {
      checksum = ImageChecksum(text)
      if checksum == nil {
        reader.error(
          "checksum", "'\(text)' is not 'algorithm:hex' with a 32, 40, 64 or 128 digit lower-case hex digest")
      }
    }
    let buildDate = reader.string("build_date")
    if let buildDate, !isDate(String(buildDate.prefix(10))) {
      reader.error("build_date", "'\(buildDate)' is not a date (YYYY-MM-DD)")
    }
    let id = reader.string("id")
    if let id,
      id.range(of: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", options: .regularExpression) == nil
    {
      reader.error("id", "'\(id)' is not a lower-case UUID")
    }
    let source = reader.string("source")
    if let source, source != "private", !isURL(source, schemes: ["http", "https", "ftp", "ftps"]) {
      reader.error("source", "'\(source)' is neither a URL nor 'private'")
    }
    return ImageVersion(
      version: reader.string("version", required: true) ?? "",
      url: reader.url("url", required: true, allowFile: true) ?? "",
      mirrorURL: reader.url("mirror_url", allowFile: true),
      checksum: checksum, checksumsURL: reader.url("checksums_url") ?? reader.url("checksum_url"),
      buildDate: buildDate.map { String($0.prefix(10)) }, source: source, id: id, hidden: reader.bool("hidden"),
      visibility: reader.string("visibility", allowed: visibilities),
      imageDescription: reader.string("image_description"),
      osVersion: reader.string("os_version"), meta: reader.meta("meta"), location: reader.location)
  }

  static func isDate(_ text: String) -> Bool {
    text.range(of: "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", options: .regularExpression) != nil
  }

  static func isURL(_ text: String, schemes: Set<String>) -> Bool {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), schemes.contains(scheme) else {
      return false
    }
    return scheme == "file" ? !url.path.isEmpty : url.host?.isEmpty == false
  }

  /// Checks the meta keys that have rules (vocabularies, dates, `uuid_validity` forms).
  static func checkMeta(_ key: String, _ value: String, _ reader: inout FieldReader, field: String) {
    if let allowed = metaEnums[key], !allowed.contains(value) {
      reader.error(field, "'\(value)' is not one of \(allowed.sorted().joined(separator: ", "))")
    }
    switch key {
    case "provided_until" where value != "none" && !isDate(value):
      reader.error(field, "'\(value)' must be 'none' or a date (YYYY-MM-DD)")
    case "uuid_validity":
      let lastN = value.hasPrefix("last-") && Int(value.dropFirst(5)).map { $0 > 0 } == true
      if !["none", "forever", "notice"].contains(value) && !lastN && !isDate(value) {
        reader.error(field, "'\(value)' must be none, forever, notice, last-N or a date (YYYY-MM-DD)")
      }
    case "hotfix_hours" where Int(value).map { $0 >= 0 } != true:
      reader.error(field, "'\(value)' must be a whole number of hours")
    default:
      break
    }
  }
}

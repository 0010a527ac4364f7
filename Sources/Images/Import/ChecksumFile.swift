import Foundation
import OpenStack

/// Checksums published beside images (`SHA256SUMS`, `CHECKSUM`, a bare digest file): a version with
/// `checksums_url` but no `checksum` is verified against the line naming its file, as
/// openstack-image-manager reads them. The algorithm follows from the digest's length.
public enum ChecksumFile {
  /// The checksum for the file `url` names, from a checksums file's text.
  public static func checksum(for url: String, in text: String) -> ImageChecksum? {
    let file = url.split(separator: "/").last.map(String.init) ?? url
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
    // GNU style `<hex>  name` / `<hex> *name`, BSD style `SHA256 (name) = <hex>`, or one bare digest.
    let candidates =
      lines.count == 1 && !lines[0].contains(" ")
      ? lines
      : lines.filter { line in
        line.split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "(" || $0 == ")" }).contains { $0 == file }
      }
    for line in candidates {
      for token in line.split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "=" }) {
        let hex = token.lowercased()
        if let algorithm = algorithm(forLength: hex.count), hex.allSatisfy(\.isHexDigit) {
          return ImageChecksum("\(algorithm):\(hex)")
        }
      }
    }
    return nil
  }

  static func algorithm(forLength length: Int) -> String? {
    [32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"][length]
  }

  /// Fills in the checksums of versions that only name a checksums file; a file that cannot be read
  /// or has no line for the image leaves the checksum empty and says so in `problems`.
  public static func resolve(_ definitions: [ImageDefinition], timeout: Duration = .seconds(30)) async
    -> (definitions: [ImageDefinition], problems: [String])
  {
    var result = definitions
    var problems: [String] = []
    var files: [String: String?] = [:]
    for (d, definition) in definitions.enumerated() {
      for (v, version) in definition.versions.enumerated() where version.checksum == nil {
        guard let checksumsURL = version.checksumsURL, let url = URL(string: checksumsURL) else { continue }
        if files[checksumsURL] == nil {
          let data = try? await HTTPDownload.fetch(url, timeout: timeout)
          files[checksumsURL] = .some(data.map { String(decoding: $0, as: UTF8.self) })
        }
        guard let text = files[checksumsURL] ?? nil else {
          problems.append("\(definition.name) \(version.version): cannot read \(checksumsURL)")
          continue
        }
        if let checksum = checksum(for: version.url, in: text) {
          result[d].versions[v].checksum = checksum
        } else {
          problems.append("\(definition.name) \(version.version): no checksum for it in \(checksumsURL)")
        }
      }
    }
    return (result, problems)
  }
}

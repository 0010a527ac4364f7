import Foundation
import Testing

@testable import Images

@Suite("openstack-image-manager definitions")
struct ImageDefinitionLoaderTests {
  static var fixtures: String { Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path }

  @Test func referenceFilesLoadUnchangedWithoutErrors() {
    let set = ImageDefinitionLoader.load(Self.fixtures)
    #expect(set.errors.isEmpty, "\(set.errors)")
    #expect(set.images.count > 10)
    let cirros = set.images.first { $0.name == "Cirros" }
    #expect(cirros?.enabled == true)
    #expect(cirros?.multi == false)
    #expect(cirros?.password == "gocubsgo")
    #expect(cirros?.meta["os_distro"] == "cirros")
    #expect(cirros?.versions.map(\.version).prefix(2) == ["0.6.2", "0.6.3"])
    #expect(cirros?.versions.first?.checksum?.algorithm == "sha256")
    #expect(cirros?.versions.first?.buildDate == "2023-05-30")
    #expect(cirros?.location.file.hasSuffix("cirros.yml") == true)
    let ubuntu = set.images.first { $0.name == "Ubuntu 14.04" }
    #expect(ubuntu?.meta["os_version"] == "14.04")
    #expect(ubuntu?.latestChecksumURL == "https://cloud-images.ubuntu.com/trusty/current/SHA256SUMS")
  }

  @Test func errorsNameFileLineAndField() {
    let text = """
      images:
        - name: Broken
          enable: yes please
          format: qcow3
          login: x
          min_disk: -1
          min_ram: 512
          status: active
          visibility: public
          multi: true
          min_ramm: 1
          meta:
            architecture: sparc
            hypervisor_type: qemu
            os_distro: debian
            os_purpose: generic
            replace_frequency: never
            uuid_validity: last-x
            provided_until: someday
          tags: []
          versions:
            - version: '1'
              url: htp://example.com/a.img
              checksum: sha256:XYZ
              build_date: 2024-13-01
            - version: '1'
              url: https://example.com/b.img
      """
    let set = ImageDefinitionLoader.parse(text, file: "broken.yml")
    let messages = set.issues.map(\.description)
    func has(_ fragment: String) -> Bool { messages.contains { $0.contains(fragment) } }
    #expect(has("broken.yml:3: error: images[0].enable: 'yes please' must be true or false"))
    #expect(has("broken.yml:4: error: images[0].format: 'qcow3' is not one of"))
    #expect(has("broken.yml:6: error: images[0].min_disk: '-1' must be a whole number"))
    #expect(has("broken.yml:11: warning: images[0].min_ramm: unknown key (ignored)"))
    #expect(has("images[0].meta.architecture: 'sparc' is not one of aarch64, risc-v, x86_64"))
    #expect(has("images[0].meta.uuid_validity: 'last-x' must be none, forever, notice, last-N or a date"))
    #expect(has("images[0].meta.provided_until: 'someday' must be 'none' or a date"))
    #expect(has("broken.yml:23: error: images[0].versions[0].url: 'htp://example.com/a.img' is not a valid URL"))
    #expect(has("images[0].versions[0].checksum: 'sha256:XYZ' is not 'algorithm:hex'"))
    #expect(has("images[0].versions[0].build_date: '2024-13-01' is not a date"))
    #expect(has("version '1' of 'Broken' is already defined at broken.yml:22"))
    #expect(set.warnings.count == 1)
  }

  @Test func missingRequiredFieldsAndBadYaml() {
    let missing = ImageDefinitionLoader.parse("images:\n  - name: X\n    versions: []\n", file: "m.yml")
    let fields = Set(missing.errors.map(\.field))
    for field in ["format", "login", "min_disk", "min_ram", "status", "visibility", "multi", "enable", "meta", "tags"] {
      #expect(fields.contains("images[0].\(field)"), "\(field)")
    }
    let broken = ImageDefinitionLoader.parse("images:\n  - name: [unclosed\n", file: "b.yml")
    #expect(broken.errors.first?.message.hasPrefix("not valid YAML") == true)
    #expect(broken.errors.first?.location.line == 3 || broken.errors.first?.location.line == 2)
    let noList = ImageDefinitionLoader.parse("imagez: []\n", file: "n.yml")
    #expect(noList.errors.first?.message == "the file must have a list 'images:'")
  }

  @Test func duplicateNamesAcrossFiles() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("steward-images-\(UUID())").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cirros = try String(contentsOfFile: Self.fixtures + "/cirros.yml", encoding: .utf8)
    try cirros.write(toFile: folder + "/a.yml", atomically: true, encoding: .utf8)
    try cirros.write(toFile: folder + "/b.yaml", atomically: true, encoding: .utf8)
    let set = ImageDefinitionLoader.load(folder)
    #expect(set.errors.map(\.message) == ["'Cirros' is already defined at \(folder)/a.yml:4"])
  }

  @Test(arguments: [
    ("sha256:" + String(repeating: "a", count: 64), true), ("md5:" + String(repeating: "0", count: 32), true),
    ("sha512:" + String(repeating: "f", count: 128), true), ("sha256:abc", false), ("abc", false),
    ("sha256:" + String(repeating: "A", count: 64), false),
  ])
  func checksums(text: String, valid: Bool) {
    #expect((ImageChecksum(text) != nil) == valid)
  }
}

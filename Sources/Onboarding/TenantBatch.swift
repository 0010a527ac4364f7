import Foundation
import Yams

/// Many tenants from one file, for bulk onboarding. YAML: a list (or `tenants:` list) of mappings with
/// `domain`, `user`, `email`, `project`, `domain_manager`, `network` (true, or a mapping with `cidr`,
/// `dns`, `external_network`). CSV: a header line naming the same columns (`network` true/false, `cidr`).
public enum TenantBatch {
  public static func load(_ path: String) throws -> [TenantSpec] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw OnboardingError.batchFile("\(path): cannot be read")
    }
    return path.lowercased().hasSuffix(".csv") ? try csv(text, path: path) : try yaml(text, path: path)
  }

  static func yaml(_ text: String, path: String) throws -> [TenantSpec] {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw OnboardingError.batchFile("\(path): \(error)")
    }
    var entries = node?.sequence.map(Array.init)
    if entries == nil, let tenants = node?.mapping?["tenants"]?.sequence { entries = Array(tenants) }
    guard let entries else { throw OnboardingError.batchFile("\(path): expected a list of tenants (or 'tenants:')") }
    return try entries.map { entry in
      let line = entry.mark.map { $0.line } ?? 0
      guard let mapping = entry.mapping else {
        throw OnboardingError.batchFile("\(path):\(line): each tenant must be a mapping")
      }
      var fields: [String: String] = [:]
      var network: NetworkSpec?
      for (key, value) in mapping {
        guard let name = key.string else { continue }
        let known = ["domain", "user", "email", "project", "domain_manager", "network"]
        guard known.contains(name) else {
          throw OnboardingError.batchFile(
            "\(path):\((key.mark?.line).map(String.init) ?? "?"): unknown key '\(name)' (known: \(known.joined(separator: ", ")))"
          )
        }
        if name == "network" {
          if let flag = value.bool {
            network = flag ? NetworkSpec() : nil
          } else if let options = value.mapping {
            var spec = NetworkSpec()
            if let cidr = options["cidr"]?.string { spec.cidr = cidr }
            if let dns = options["dns"]?.sequence { spec.dnsNameservers = dns.compactMap(\.string) }
            spec.externalNetwork = options["external_network"]?.string
            network = spec
          }
        } else {
          fields[name] = value.string
        }
      }
      return try tenant(fields, network: network, place: "\(path):\(line)")
    }
  }

  static func csv(_ text: String, path: String) throws -> [TenantSpec] {
    let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter {
      !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#")
    }
    guard let header = lines.first else { return [] }
    let columns = header.split(separator: ",", omittingEmptySubsequences: false).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    return try lines.dropFirst().enumerated().map { index, line in
      let values = line.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard values.count == columns.count else {
        throw OnboardingError.batchFile("\(path):\(index + 2): \(values.count) fields, the header has \(columns.count)")
      }
      var fields = Dictionary(zip(columns, values), uniquingKeysWith: { first, _ in first })
      var network: NetworkSpec?
      if ["true", "yes", "1"].contains(fields["network"]?.lowercased() ?? "") {
        network = NetworkSpec()
        if let cidr = fields["cidr"], !cidr.isEmpty { network?.cidr = cidr }
        if let external = fields["external_network"], !external.isEmpty { network?.externalNetwork = external }
      }
      fields["network"] = nil
      return try tenant(fields, network: network, place: "\(path):\(index + 2)")
    }
  }

  static func tenant(_ fields: [String: String], network: NetworkSpec?, place: String) throws -> TenantSpec {
    guard let domain = fields["domain"], !domain.isEmpty else {
      throw OnboardingError.batchFile("\(place): 'domain' is missing")
    }
    guard let user = fields["user"], !user.isEmpty else {
      throw OnboardingError.batchFile("\(place): 'user' is missing")
    }
    let spec = TenantSpec(
      domain: domain, user: user, email: fields["email"].flatMap { $0.isEmpty ? nil : $0 },
      project: fields["project"].flatMap { $0.isEmpty ? nil : $0 },
      domainManager: ["true", "yes", "1"].contains(fields["domain_manager"]?.lowercased() ?? ""), network: network)
    do {
      try spec.validate()
    } catch {
      throw OnboardingError.batchFile("\(place): \(error)")
    }
    return spec
  }
}

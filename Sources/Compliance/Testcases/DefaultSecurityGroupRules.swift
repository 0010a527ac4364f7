import OpenStack

/// scs-0115 default security group rules, decided as the official check does: no ingress rule except
/// the one admitting the group's own members in the `default` group, and an egress rule to everywhere
/// for IPv4 and IPv6 in both the default and other new groups. `short` is the fallback for Neutrons
/// without the default-rules API: the rules of a freshly created group, counted without the
/// default/custom distinction.
public enum DefaultSecurityGroupRules {
  public struct Rule: Sendable, Equatable {
    public var id: String
    public var direction: String
    public var ethertype: String
    public var remoteIPPrefix: String?
    public var remoteGroupID: String?
    public var usedInDefaultSG: Bool
    public var usedInNonDefaultSG: Bool
    public var summary: String

    public init(
      id: String, direction: String, ethertype: String, remoteIPPrefix: String? = nil, remoteGroupID: String? = nil,
      usedInDefaultSG: Bool = true, usedInNonDefaultSG: Bool = true, summary: String? = nil
    ) {
      self.id = id
      self.direction = direction
      self.ethertype = ethertype
      self.remoteIPPrefix = remoteIPPrefix
      self.remoteGroupID = remoteGroupID
      self.usedInDefaultSG = usedInDefaultSG
      self.usedInNonDefaultSG = usedInNonDefaultSG
      self.summary = summary ?? "\(direction) \(ethertype) rule \(id)"
    }

    public init(_ rule: DefaultSecurityGroupRule) {
      let proto = rule.protocol ?? "any"
      let ports =
        rule.portRangeMin.map { min in
          rule.portRangeMax.map { $0 == min ? " port \(min)" : " ports \(min)-\($0)" } ?? ""
        }
        ?? ""
      let remote = rule.remoteIPPrefix ?? rule.remoteGroupID.map { "group \($0)" } ?? "anywhere"
      self.init(
        id: rule.id, direction: rule.direction, ethertype: rule.ethertype ?? "IPv4",
        remoteIPPrefix: rule.remoteIPPrefix,
        remoteGroupID: rule.remoteGroupID, usedInDefaultSG: rule.usedInDefaultSG,
        usedInNonDefaultSG: rule.usedInNonDefaultSG,
        summary: "rule \(rule.id) (\(rule.direction) \(rule.ethertype ?? "IPv4") \(proto)\(ports) from \(remote))")
    }

    public init(_ rule: SecurityGroupRule) {
      self.init(
        id: rule.id, direction: rule.direction, ethertype: rule.ethertype ?? "IPv4",
        remoteIPPrefix: rule.remoteIPPrefix,
        remoteGroupID: rule.remoteGroupID,
        summary: "rule \(rule.id) (\(rule.direction) \(rule.ethertype ?? "IPv4") \(rule.protocol ?? "any"))")
    }
  }

  /// The problems (empty: compliant), each naming the offending rules or the missing rule kinds.
  public static func problems(_ rules: [Rule], short: Bool = false) -> [String] {
    var ingress: [Rule] = []
    var egress: [String: [String: Int]] = [:]
    for family in ["IPv4", "IPv6"] { egress[family] = short ? ["default": 0] : ["default": 0, "custom": 0] }
    for rule in rules {
      if rule.direction == "ingress" {
        // Admitting the group's own members is allowed, but only in the default group.
        if !short, rule.remoteGroupID == "PARENT", !rule.usedInNonDefaultSG { continue }
        ingress.append(rule)
      } else if rule.direction == "egress", egress[rule.ethertype] != nil {
        if short {
          egress[rule.ethertype]!["default"]! += 1
          continue
        }
        if rule.remoteIPPrefix != nil { continue }  // not to every address
        if rule.usedInDefaultSG { egress[rule.ethertype]!["default"]! += 1 }
        if rule.usedInNonDefaultSG { egress[rule.ethertype]!["custom"]! += 1 }
      }
    }
    var problems: [String] = []
    if !ingress.isEmpty {
      problems.append(
        "Expected no default ingress rules, found \(ingress.count): "
          + ingress.map(\.summary).joined(separator: "; "))
    }
    let missing = ["IPv4", "IPv6"].flatMap { family in
      ["default", "custom"].compactMap { kind in egress[family]![kind] == 0 ? "(\(family), \(kind))" : nil }
    }
    if !missing.isEmpty {
      problems.append(
        "Expected rules for egress for IPv4 and IPv6 both for default and custom security groups. "
          + "Missing rule types: \(missing.joined(separator: ", "))")
    }
    return problems
  }

  static var testcase: Testcase {
    Testcase("scs-0115-default-rules") { context, log in
      let network = try await context.session.network()
      let rules: [Rule]
      var short = false
      do {
        rules = try await network.defaultSecurityGroupRules.list().collect().map(Rule.init)
      } catch let error as OpenStackError where error.isNotFound {
        log.info("default-security-group-rules API missing (Neutron before 2023.2): inspecting a new group instead")
        short = true
        rules = try await rulesOfNewGroup(network, context)
      }
      if rules.isEmpty { log.info("No default security group rules defined.") }
      let problems = Self.problems(rules, short: short)
      for problem in problems { log.error(problem) }
      return problems.isEmpty
    }
  }

  static func rulesOfNewGroup(_ network: NetworkAPI, _ context: CheckContext) async throws -> [Rule] {
    let name = context.name("0115-sg")
    let group = try await network.securityGroups.create(SecurityGroupCreate(name: name, description: name))
    do {
      let rules = try await network.securityGroups.get(group.id).securityGroupRules ?? []
      await Cleanup.detached { try await network.securityGroups.deleteIfPresent(group.id) }
      return rules.map(Rule.init)
    } catch {
      await Cleanup.detached { try await network.securityGroups.deleteIfPresent(group.id) }
      throw error
    }
  }
}

import Foundation
import Yams

/// Reads price lists from YAML. A file holds one list, or several as YAML documents separated by `---`; a
/// schedule may also span files. Every problem is reported at once, each naming the file, line and field —
/// a price list is all valid or not loaded at all.
///
/// ```yaml
/// name: standard-2026
/// currency: EUR
/// effective_from: 2026-01-01          # UTC day (or ISO 8601 time)
/// rounding: {scale: 2, mode: half-even}   # half-even | half-up | half-down | up | down
/// hours_per_month: 730                # what a GiB-month is
/// server:
///   flavors: {SCS-2V-4: "0.0400"}     # per hour, by flavor name
///   vcpu_hour: "0.0100"               # fallback for other flavors, by size
///   ram_gib_hour: "0.0050"
///   disk_gib_hour: "0.0001"           # root disk; also what a `disk` state pays
///   states: {stopped: disk, shelved_offloaded: disk, error: none, default: full}
/// volume: {gib_month: "0.10", types: {ssd: "0.20"}, states: {error: none}}
/// image: {gib_month: "0.05", states: {deactivated: none}}   # per GiB (2^30 bytes) stored
/// floating_ip: {hour: "0.005"}
/// fees: {stack: "5.00", project: "10.00"}  # per billing period
/// ```
/// Amounts may be written quoted or plain; either way the YAML text is read digit by digit, never through a
/// floating-point number.
public enum PriceListLoader {
  /// Loads and validates every list in `files` and builds the schedule.
  public static func schedule(files: [String]) throws(BillingError) -> PriceSchedule {
    var lists: [PriceList] = []
    var issues: [PriceListIssue] = []
    for file in files {
      do throws(BillingError) {
        lists += try load(file: file)
      } catch {
        if case .invalidPriceList(let found) = error { issues += found } else { throw error }
      }
    }
    if !issues.isEmpty { throw .invalidPriceList(issues) }
    return try PriceSchedule(lists)
  }

  public static func load(file: String) throws(BillingError) -> [PriceList] {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw .invalidPriceList([PriceListIssue(file: file, line: 0, field: "", message: "cannot read the file")])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .invalidPriceList([PriceListIssue(file: file, line: 0, field: "", message: "not UTF-8 text")])
    }
    return try parse(text, file: file)
  }

  /// Parses YAML text (`file` is only used in messages).
  public static func parse(_ text: String, file: String) throws(BillingError) -> [PriceList] {
    let documents: [Node]
    do {
      // Parser.nextRoot rather than compose_all: the latter's sequence ends silently at a syntax error.
      let parser = try Parser(yaml: text)
      var found: [Node] = []
      while let node = try parser.nextRoot() { found.append(node) }
      documents = found
    } catch let error as YamlError {
      throw .invalidPriceList([PriceListIssue(file: file, line: Self.line(of: error), field: "", message: "\(error)")])
    } catch {
      throw .invalidPriceList([PriceListIssue(file: file, line: 0, field: "", message: "\(error)")])
    }
    guard !documents.isEmpty else {
      throw .invalidPriceList([PriceListIssue(file: file, line: 1, field: "", message: "no price list in the file")])
    }
    var lists: [PriceList] = []
    var issues: [PriceListIssue] = []
    for document in documents {
      var reader = PriceListReader(file: file)
      if let list = reader.read(document) { lists.append(list) }
      issues += reader.issues
    }
    if !issues.isEmpty { throw .invalidPriceList(issues) }
    return lists
  }

  static func line(of error: YamlError) -> Int {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
      return mark.line
    default: return 0
    }
  }
}

/// Walks one document, collecting issues instead of stopping at the first.
struct PriceListReader {
  let file: String
  var issues: [PriceListIssue] = []

  init(file: String) { self.file = file }

  mutating func issue(_ node: Node?, _ field: String, _ message: String) {
    issues.append(PriceListIssue(file: file, line: node?.mark?.line ?? 0, field: field, message: message))
  }

  /// The mapping at `node`, reporting keys not in `known` (a typo must not silently drop a price).
  mutating func mapping(_ node: Node, _ field: String, known: Set<String>) -> Node.Mapping? {
    guard let mapping = node.mapping else {
      issue(node, field, "must be a mapping")
      return nil
    }
    for (key, _) in mapping {
      let name = key.string ?? "?"
      if !known.contains(name) {
        issue(
          key, field.isEmpty ? name : "\(field).\(name)",
          "unknown key (expected one of \(known.sorted().joined(separator: ", ")))")
      }
    }
    return mapping
  }

  static func isNull(_ node: Node) -> Bool {
    if case .scalar(let scalar) = node, scalar.style == .plain,
      ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    {
      return true
    }
    return false
  }

  mutating func scalar(_ mapping: Node.Mapping, _ key: String, _ field: String) -> (String, Node)? {
    guard let node = mapping[key], !Self.isNull(node) else { return nil }
    guard case .scalar(let scalar) = node else {
      issue(node, field, "must be a single value")
      return nil
    }
    return (scalar.string, node)
  }

  /// A non-negative amount with at most 12 decimals.
  mutating func price(_ mapping: Node.Mapping, _ key: String, _ field: String) -> DecimalNumber? {
    guard let (text, node) = scalar(mapping, key, field) else { return nil }
    return price(text, node, field)
  }

  mutating func price(_ text: String, _ node: Node, _ field: String) -> DecimalNumber? {
    guard let value = DecimalNumber(text), value.scale <= 12 else {
      issue(node, field, "'\(text)' is not a decimal amount (digits with an optional '.', at most 12 decimals)")
      return nil
    }
    guard !value.isNegative else {
      issue(node, field, "'\(text)' must not be negative")
      return nil
    }
    // Bounded so that price x microseconds x size stays far inside the 128-bit arithmetic of rating.
    guard value < DecimalNumber(1_000_000_000) else {
      issue(node, field, "'\(text)' is too large (at most 999999999.999999999999)")
      return nil
    }
    return value
  }

  mutating func prices(_ mapping: Node.Mapping, _ key: String, _ field: String) -> [String: DecimalNumber] {
    guard let node = mapping[key], !Self.isNull(node) else { return [:] }
    guard let entries = node.mapping else {
      issue(node, field, "must be a mapping of name: price")
      return [:]
    }
    var result: [String: DecimalNumber] = [:]
    for (nameNode, valueNode) in entries {
      let name = nameNode.string ?? "?"
      guard case .scalar(let scalar) = valueNode else {
        issue(valueNode, "\(field).\(name)", "must be a single value")
        continue
      }
      if result[name] != nil { issue(nameNode, "\(field).\(name)", "is given twice") }
      if let value = price(scalar.string, valueNode, "\(field).\(name)") { result[name] = value }
    }
    return result
  }

  mutating func states(_ mapping: Node.Mapping, _ field: String, base: PriceList.StateRules) -> PriceList.StateRules {
    guard let node = mapping["states"], !Self.isNull(node) else { return base }
    guard let entries = node.mapping else {
      issue(node, "\(field).states", "must be a mapping of state: full|disk|none")
      return base
    }
    var rules = base
    for (stateNode, valueNode) in entries {
      let state = stateNode.string ?? "?"
      let text = valueNode.string ?? ""
      guard let charge = PriceList.Charge(rawValue: text) else {
        issue(valueNode, "\(field).states.\(state)", "'\(text)' is not one of full, disk, none")
        continue
      }
      if state == "default" { rules.defaultCharge = charge } else { rules.rules[state] = charge }
    }
    return rules
  }

  mutating func read(_ root: Node) -> PriceList? {
    guard
      let top = mapping(
        root, "",
        known: [
          "name", "currency", "effective_from", "rounding", "hours_per_month", "server", "volume", "image",
          "floating_ip", "fees", "description",
        ])
    else { return nil }
    let before = issues.count
    let name = scalar(top, "name", "name")?.0
    if name == nil { issue(root, "name", "is required") }
    var currency = "XXX"
    if let (code, node) = scalar(top, "currency", "currency") {
      if Money.isCurrencyCode(code) {
        currency = code
      } else {
        issue(node, "currency", "'\(code)' is not an ISO 4217 code (three uppercase letters, e.g. EUR)")
      }
    } else {
      issue(root, "currency", "is required")
    }
    var effective = Date(timeIntervalSince1970: 0)
    if let (text, node) = scalar(top, "effective_from", "effective_from") {
      if let date = BillingPeriod.parseDay(text) {
        effective = date
      } else {
        issue(node, "effective_from", "'\(text)' is not a date (YYYY-MM-DD, or ISO 8601 with a time zone)")
      }
    } else {
      issue(root, "effective_from", "is required")
    }
    var rounding = PriceList.Rounding()
    if let node = top["rounding"], let r = mapping(node, "rounding", known: ["scale", "mode"]) {
      if let (text, valueNode) = scalar(r, "scale", "rounding.scale") {
        if let scale = Int(text), (0...8).contains(scale) {
          rounding.scale = scale
        } else {
          issue(valueNode, "rounding.scale", "'\(text)' must be a whole number of decimals, 0 to 8")
        }
      }
      if let (text, valueNode) = scalar(r, "mode", "rounding.mode") {
        if let mode = RoundingMode(rawValue: text) {
          rounding.mode = mode
        } else {
          issue(
            valueNode, "rounding.mode",
            "'\(text)' is not one of \(RoundingMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
      }
    }
    var hoursPerMonth = 730
    if let (text, node) = scalar(top, "hours_per_month", "hours_per_month") {
      if let hours = Int(text), (672...744).contains(hours) {
        hoursPerMonth = hours
      } else {
        issue(node, "hours_per_month", "'\(text)' must be a whole number of hours between 672 and 744")
      }
    }
    var list = PriceList(
      name: name ?? "?", currency: currency, effectiveFrom: effective, rounding: rounding, hoursPerMonth: hoursPerMonth,
      file: file, line: root.mark?.line ?? 1)
    if let node = top["server"], !Self.isNull(node),
      let s = mapping(node, "server", known: ["flavors", "vcpu_hour", "ram_gib_hour", "disk_gib_hour", "states"])
    {
      list.flavorHour = prices(s, "flavors", "server.flavors")
      list.vcpuHour = price(s, "vcpu_hour", "server.vcpu_hour")
      list.ramGiBHour = price(s, "ram_gib_hour", "server.ram_gib_hour")
      list.diskGiBHour = price(s, "disk_gib_hour", "server.disk_gib_hour")
      list.serverStates = states(s, "server", base: .server)
    }
    if let node = top["volume"], !Self.isNull(node),
      let v = mapping(node, "volume", known: ["gib_month", "types", "states"])
    {
      list.volumeGiBMonth = price(v, "gib_month", "volume.gib_month")
      list.volumeTypeGiBMonth = prices(v, "types", "volume.types")
      list.volumeStates = states(v, "volume", base: .volume)
    }
    if let node = top["image"], !Self.isNull(node), let i = mapping(node, "image", known: ["gib_month", "states"]) {
      list.imageGiBMonth = price(i, "gib_month", "image.gib_month")
      list.imageStates = states(i, "image", base: .image)
    }
    if let node = top["floating_ip"], !Self.isNull(node),
      let f = mapping(node, "floating_ip", known: ["hour", "states"])
    {
      list.floatingIPHour = price(f, "hour", "floating_ip.hour")
      list.floatingIPStates = states(f, "floating_ip", base: .floatingIP)
    }
    if let node = top["fees"], !Self.isNull(node), let f = mapping(node, "fees", known: ["stack", "project"]) {
      list.stackFee = price(f, "stack", "fees.stack")
      list.projectFee = price(f, "project", "fees.project")
    }
    return issues.count == before ? list : nil
  }
}

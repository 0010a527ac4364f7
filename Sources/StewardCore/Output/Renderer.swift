import Foundation
import Yams

/// Renders records the way operators know from the openstack CLI: a boxed table for a list, a
/// Field/Value table for one object, or JSON/YAML that scripts can parse.
public enum Renderer {
  /// A listing: one row per record, columns in the order of the first record's fields.
  public static func list(_ records: [Record], columns: [String]? = nil, format: OutputFormat) -> String {
    let headers = columns ?? records.first?.fields.map(\.key) ?? []
    switch format {
    case .table:
      let rows = records.map { record in headers.map { record[$0]?.cellText ?? "" } }
      return table(headers: headers, rows: rows)
    case .value:
      return records.map { record in headers.map { record[$0]?.cellText ?? "" }.joined(separator: " ") }
        .joined(separator: "\n") + (records.isEmpty ? "" : "\n")
    case .json:
      return json(.list(records.map { .object(project($0, headers)) })) + "\n"
    case .yaml:
      return yaml(.list(records.map { .object(project($0, headers)) }))
    case .csv:
      return csv(headers: headers, rows: records.map { record in headers.map { record[$0]?.cellText ?? "" } })
    }
  }

  /// One object, field by field.
  public static func show(_ record: Record, format: OutputFormat) -> String {
    switch format {
    case .table:
      return table(headers: ["Field", "Value"], rows: record.fields.map { [$0.key, $0.value.cellText] })
    case .value:
      return record.fields.map(\.value.cellText).joined(separator: "\n") + "\n"
    case .json:
      return json(.object(record)) + "\n"
    case .yaml:
      return yaml(.object(record))
    case .csv:
      return csv(headers: ["Field", "Value"], rows: record.fields.map { [$0.key, $0.value.cellText] })
    }
  }

  private static func project(_ record: Record, _ headers: [String]) -> Record {
    Record(headers.map { (key: $0, value: record[$0] ?? .null) })
  }

  // MARK: table

  public static func table(headers: [String], rows: [[String]]) -> String {
    guard !headers.isEmpty else { return "" }
    var widths = headers.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count {
        let longest = cell.split(separator: "\n", omittingEmptySubsequences: false).map(\.count).max() ?? 0
        widths[index] = max(widths[index], longest)
      }
    }
    let border = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
    func line(_ cells: [String]) -> String {
      let split = cells.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
      let height = split.map(\.count).max() ?? 1
      var text = ""
      for lineIndex in 0..<height {
        text += "|"
        for (index, width) in widths.enumerated() {
          let parts = index < split.count ? split[index] : []
          let cell = lineIndex < parts.count ? parts[lineIndex] : ""
          text += " " + cell + String(repeating: " ", count: max(0, width - cell.count)) + " |"
        }
        text += "\n"
      }
      return text
    }
    var output = border + line(headers) + border
    for row in rows { output += line(row) }
    return output + border
  }

  // MARK: CSV

  /// RFC 4180: CRLF line ends; a cell with a comma, quote or line break is quoted, quotes doubled.
  public static func csv(headers: [String], rows: [[String]]) -> String {
    func cell(_ text: String) -> String {
      guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
      return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return ([headers] + rows).map { $0.map(cell).joined(separator: ",") + "\r\n" }.joined()
  }

  // MARK: JSON

  public static func json(_ value: OutputValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .int(let number): return String(number)
    case .double(let number): return number.isFinite ? String(number) : "null"
    case .string(let text): return quote(text)
    case .list(let values):
      if values.isEmpty { return "[]" }
      return "[\n" + values.map { inner + json($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    case .object(let record):
      if record.fields.isEmpty { return "{}" }
      return "{\n"
        + record.fields.map { inner + quote($0.key) + ": " + json($0.value, indent: inner) }
        .joined(separator: ",\n") + "\n\(indent)}"
    }
  }

  static func quote(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case let c where c.value < 0x20:
        result += String(format: "\\u%04x", c.value)
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result + "\""
  }

  // MARK: YAML

  public static func yaml(_ value: OutputValue) -> String {
    (try? Yams.serialize(node: node(value), sortKeys: false)) ?? ""
  }

  static func node(_ value: OutputValue) -> Node {
    switch value {
    case .null: return Node("null", Tag(.null))
    case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
    case .int(let number): return Node(String(number), Tag(.int))
    case .double(let number): return Node(String(number), Tag(.float))
    case .string(let text):
      // A plain scalar that YAML would read as another type (`true`, `1.10`, ``) must be quoted.
      let plain = Node(text)
      let readsAsString = !text.isEmpty && Resolver.default.resolveTag(of: plain) == .str
      return Node(text, Tag(.str), readsAsString ? .any : .singleQuoted)
    case .list(let values): return Node(values.map(node))
    case .object(let record): return Node(record.fields.map { (Node($0.key), node($0.value)) })
    }
  }
}

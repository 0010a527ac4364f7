import Foundation

/// A bar chart of a value per day as inline SVG, drawn on the server (no script, no library): daily bars
/// and a cumulative line, labelled axes, a `<title>` per bar for the exact figure.
enum CostChart {
  struct Point {
    var day: Date
    var value: Double
    /// The exact figure shown on hover (`12.34 EUR`).
    var label: String
  }

  static func svg(title: String, unit: String, points: [Point], width: Int = 760, height: Int = 220) -> String {
    let left = 56.0
    let right = 56.0
    let top = 24.0
    let bottom = 28.0
    let plotWidth = Double(width) - left - right
    let plotHeight = Double(height) - top - bottom
    let maxDaily = max(points.map(\.value).max() ?? 0, 0)
    let total = points.reduce(0) { $0 + max($1.value, 0) }
    let dailyScale = maxDaily > 0 ? plotHeight / niceCeiling(maxDaily) : 0
    let totalScale = total > 0 ? plotHeight / niceCeiling(total) : 0
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" role="img" class="cost-chart" width="\(width)" height="\(height)" \
      viewBox="0 0 \(width) \(height)" aria-label="\(escape(title))">
      <title>\(escape(title))</title>
      <rect x="0" y="0" width="\(width)" height="\(height)" fill="#fff"/>
      <text x="\(Int(left))" y="16" font-size="12" fill="#1d2733">\(escape(title))</text>

      """
    // Axes and gridlines with the daily scale on the left and the cumulative one on the right.
    for step in 0...4 {
      let y = top + plotHeight - plotHeight * Double(step) / 4
      svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(y))\" stroke=\"#e8edf1\"/>"
      if maxDaily > 0 {
        svg +=
          "<text x=\"\(f(left - 4))\" y=\"\(f(y + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#6a7683\">\(short(niceCeiling(maxDaily) * Double(step) / 4))</text>"
      }
      if total > 0 {
        svg +=
          "<text x=\"\(f(left + plotWidth + 4))\" y=\"\(f(y + 4))\" font-size=\"10\" fill=\"#1d3b53\">\(short(niceCeiling(total) * Double(step) / 4))</text>"
      }
      svg += "\n"
    }
    guard !points.isEmpty else {
      return svg
        + "<text x=\"\(f(left + 8))\" y=\"\(f(top + plotHeight / 2))\" font-size=\"12\" fill=\"#6a7683\">no data</text></svg>"
    }
    let slot = plotWidth / Double(points.count)
    var cumulative = 0.0
    var line: [String] = []
    for (index, point) in points.enumerated() {
      let value = max(point.value, 0)
      let barHeight = value * dailyScale
      let x = left + Double(index) * slot
      svg +=
        "<rect class=\"bar\" x=\"\(f(x + slot * 0.15))\" y=\"\(f(top + plotHeight - barHeight))\" width=\"\(f(slot * 0.7))\" height=\"\(f(barHeight))\" fill=\"#3cb371\"><title>\(escape(day(point.day))): \(escape(point.label))</title></rect>\n"
      cumulative += value
      line.append("\(f(x + slot / 2)),\(f(top + plotHeight - cumulative * totalScale))")
      if points.count <= 16 || index % max(1, points.count / 8) == 0 {
        svg +=
          "<text x=\"\(f(x + slot / 2))\" y=\"\(f(top + plotHeight + 14))\" font-size=\"9\" text-anchor=\"middle\" fill=\"#6a7683\">\(escape(dayOfMonth(point.day)))</text>\n"
      }
    }
    svg +=
      "<polyline points=\"\(line.joined(separator: " "))\" fill=\"none\" stroke=\"#1d3b53\" stroke-width=\"2\"/>\n"
    svg +=
      "<text x=\"\(f(left + plotWidth))\" y=\"16\" font-size=\"11\" text-anchor=\"end\" fill=\"#1d3b53\">bars: \(escape(unit)) per day · line: cumulative</text>\n"
    return svg + "</svg>"
  }

  /// 1, 2, 2.5 or 5 times a power of ten, at least `value`.
  static func niceCeiling(_ value: Double) -> Double {
    guard value > 0 else { return 1 }
    let power = pow(10, floor(log10(value)))
    for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * power >= value { return factor * power }
    return 10 * power
  }

  static func f(_ value: Double) -> String { String(format: "%.1f", value) }

  static func short(_ value: Double) -> String {
    if value >= 1000 { return String(format: "%.0f", value) }
    if value >= 10 { return String(format: "%.0f", value) }
    return String(format: "%.2f", value)
  }

  static func day(_ date: Date) -> String { String(date.ISO8601Format(.iso8601).prefix(10)) }
  static func dayOfMonth(_ date: Date) -> String { String(day(date).suffix(2)) }

  static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(c)
      }
    }
    return out
  }
}

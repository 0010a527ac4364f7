import Foundation
import Metering

/// Turns ledger intervals into invoice lines. Pure: no clock, no store, no network — the same inputs give the
/// same invoice, which is what makes re-rating idempotent and lets the rules be tested to the cent.
///
/// How an amount is computed: each interval is clipped to the period (open ones up to `ratedUntil`), split at
/// price-list changes, and charged per component according to its state (`PriceList.StateRules`). Pieces of
/// the same resource, component, description and price are merged into one line by adding their exact
/// quantities (integer microseconds × size); the line amount is then `unit price × quantity` rounded once with
/// the list's rounding. Hours are never floating-point.
public enum Rater {
  static let microsPerHour: Int128 = 3_600_000_000

  /// The invoice of one project. `now` bounds open intervals (a draft of the running period counts them up to
  /// now); `view` gives names and stack membership. Intervals of other projects are ignored. Without
  /// `chargesFees` the stack and project fees are left out (a project that is not billed for the period).
  public static func rate(
    projectID: String, projectName: String? = nil, period: BillingPeriod, intervals: [UsageInterval],
    view: RatingView = RatingView(), schedule: PriceSchedule, now: Date, status: Invoice.Status = .draft,
    chargesFees: Bool = true
  ) -> Invoice {
    var rating = ProjectRating(projectID: projectID, period: period, now: now, view: view, schedule: schedule)
    for interval in intervals where interval.projectID == projectID { rating.add(interval) }
    if chargesFees { rating.addFees() }
    return rating.invoice(projectName: projectName, status: status)
  }

  /// Invoices for every project with intervals in `intervals` plus those in `projects` (accounts without
  /// usage still get their flat fees), ordered by project id. One pass over the rows: what the benchmark and
  /// `close-period` use.
  public static func rateAll(
    period: BillingPeriod, intervals: [UsageInterval], view: RatingView = RatingView(), schedule: PriceSchedule,
    now: Date, projects: Set<String> = [], projectNames: [String: String] = [:], status: Invoice.Status = .draft
  ) -> [Invoice] {
    var ratings: [String: ProjectRating] = [:]
    func rating(_ project: String) -> ProjectRating {
      ratings[project] ?? ProjectRating(projectID: project, period: period, now: now, view: view, schedule: schedule)
    }
    for interval in intervals {
      var r = rating(interval.projectID)
      ratings[interval.projectID] = nil
      r.add(interval)
      ratings[interval.projectID] = r
    }
    for project in projects where ratings[project] == nil { ratings[project] = rating(project) }
    return ratings.keys.sorted().map { project in
      var r = ratings[project]!
      r.addFees()
      return r.invoice(projectName: projectNames[project], status: status)
    }
  }

  static func micros(_ date: Date) -> Int128 { Int128((date.timeIntervalSince1970 * 1_000_000).rounded()) }
}

/// The running sums of one project's invoice.
struct ProjectRating {
  struct LineKey: Hashable {
    var kind: String
    var id: String
    var component: String
    var description: String
    var unit: String
    var unitPrice: DecimalNumber
    var denominator: Int128
    var list: String
  }

  struct Accumulated {
    var numerator: Int128
    var from: Date
    var to: Date
    var rounding: PriceList.Rounding
  }

  let projectID: String
  let period: BillingPeriod
  let until: Date
  let view: RatingView
  let schedule: PriceSchedule
  var lines: [LineKey: Accumulated] = [:]
  var fixed: [InvoiceLine] = []
  var unpriced: Set<String> = []
  var listsUsed: Set<String> = []

  init(projectID: String, period: BillingPeriod, now: Date, view: RatingView, schedule: PriceSchedule) {
    self.projectID = projectID
    self.period = period
    self.until = min(period.end, max(now, period.start))
    self.view = view
    self.schedule = schedule
  }

  mutating func accumulate(
    _ key: LineKey, numerator: Int128, from: Date, to: Date, rounding: PriceList.Rounding
  ) {
    guard numerator > 0 else { return }
    listsUsed.insert(key.list)
    if var existing = lines[key] {
      existing.numerator += numerator
      existing.from = min(existing.from, from)
      existing.to = max(existing.to, to)
      lines[key] = existing
    } else {
      lines[key] = Accumulated(numerator: numerator, from: from, to: to, rounding: rounding)
    }
  }

  mutating func add(_ row: UsageInterval) {
    let start = max(row.start, period.start)
    let end = min(row.end ?? until, until)
    guard start < end else { return }
    let kind = row.key.kind
    for segment in schedule.indexedSegments(from: start, to: end) {
      let list = schedule.lists[segment.index]
      let label = schedule.labels[segment.index]
      let micros = Rater.micros(segment.to) - Rater.micros(segment.from)
      guard micros > 0 else { continue }
      let hour = Rater.microsPerHour
      func line(_ component: String, _ description: String, _ unit: String, _ price: DecimalNumber, _ den: Int128)
        -> LineKey
      {
        LineKey(
          kind: kind.rawValue, id: row.key.id, component: component, description: description, unit: unit,
          unitPrice: price, denominator: den, list: label)
      }
      switch kind {
      case .server:
        let charge = list.serverStates.charge(row.state)
        let flavor = row.spec.flavor ?? "unknown flavor"
        let disk = Int128(row.spec.diskGB ?? 0)
        if charge == .full {
          if let price = list.flavorHour[flavor] {
            accumulate(
              line("flavor", "\(flavor) (\(row.state))", "hour", price, hour), numerator: micros, from: segment.from,
              to: segment.to, rounding: list.rounding)
          } else if let vcpu = list.vcpuHour {
            accumulate(
              line("vcpu", "\(flavor): \(row.spec.vcpus ?? 0) vCPU (\(row.state))", "vCPU-hour", vcpu, hour),
              numerator: micros * Int128(row.spec.vcpus ?? 0), from: segment.from, to: segment.to,
              rounding: list.rounding)
            if let ram = list.ramGiBHour {
              let mb = row.spec.memoryMB ?? 0
              accumulate(
                line("ram", "\(flavor): \(Self.gib(mb)) GiB RAM (\(row.state))", "GiB-hour", ram, hour * 1024),
                numerator: micros * Int128(mb), from: segment.from, to: segment.to, rounding: list.rounding)
            }
            if let price = list.diskGiBHour {
              accumulate(
                line("disk", "\(flavor): root disk \(disk) GiB (\(row.state))", "GiB-hour", price, hour),
                numerator: micros * disk, from: segment.from, to: segment.to, rounding: list.rounding)
            }
          } else {
            unpriced.insert(
              "server \(row.key.id): flavor \(flavor) has no price in \(list.label) and no vcpu_hour fallback")
          }
        } else if charge == .disk, let price = list.diskGiBHour {
          accumulate(
            line("disk", "\(flavor): root disk \(disk) GiB (\(row.state))", "GiB-hour", price, hour),
            numerator: micros * disk, from: segment.from, to: segment.to, rounding: list.rounding)
        }
      case .volume:
        guard list.volumeStates.charge(row.state) != .none else { continue }
        let type = row.spec.flavor
        guard let price = type.flatMap({ list.volumeTypeGiBMonth[$0] }) ?? list.volumeGiBMonth else {
          unpriced.insert("volume \(row.key.id): no volume price in \(list.label)")
          continue
        }
        let size = Int128(row.spec.diskGB ?? 0)
        let typeText = type.map { " \($0)" } ?? ""
        accumulate(
          line("volume", "volume \(size) GiB\(typeText)", "GiB-month", price, hour * Int128(list.hoursPerMonth)),
          numerator: micros * size, from: segment.from, to: segment.to, rounding: list.rounding)
      case .image:
        // Per byte stored: the quantity is GiB-months of the exact size (2^30 bytes a GiB).
        guard list.imageStates.charge(row.state) != .none, let price = list.imageGiBMonth else { continue }
        let bytes = Int128(row.spec.sizeBytes ?? 0)
        accumulate(
          line(
            "image", "image \(Self.gib(bytes: bytes)) GiB", "GiB-month", price,
            hour * Int128(list.hoursPerMonth) * 1_073_741_824),
          numerator: micros * bytes, from: segment.from, to: segment.to, rounding: list.rounding)
      case .floatingIP:
        guard list.floatingIPStates.charge(row.state) != .none else { continue }
        guard let price = list.floatingIPHour else { continue }
        accumulate(
          line("floating_ip", "floating IP", "hour", price, hour), numerator: micros, from: segment.from,
          to: segment.to, rounding: list.rounding)
      default:
        continue
      }
    }
  }

  /// Stack fees (each stack alive during the period, at the list in force when it first was) and the project
  /// fee (at the list in force at the period start, or the first to take effect within it).
  mutating func addFees() {
    for stack in view.stacks[projectID] ?? [] {
      guard stack.from < until, stack.deletedAt.map({ $0 > period.start }) ?? true else { continue }
      let at = max(stack.from, period.start)
      guard let list = schedule.list(at: at), let fee = list.stackFee else { continue }
      listsUsed.insert(list.label)
      fixed.append(
        InvoiceLine(
          resourceKind: "stack", resourceID: stack.id, resourceName: stack.name, stackID: stack.id,
          stackName: stack.name, component: "stack_fee", description: "stack fee", quantity: DecimalNumber(1),
          unit: "period", unitPrice: fee, amount: fee.rounded(toScale: list.rounding.scale, list.rounding.mode),
          from: at, to: min(stack.deletedAt ?? until, until), priceList: list.label))
    }
    guard let list = schedule.list(at: period.start) ?? schedule.segments(from: period.start, to: until).first?.list,
      let fee = list.projectFee
    else { return }
    listsUsed.insert(list.label)
    fixed.append(
      InvoiceLine(
        resourceKind: "project", resourceID: projectID, resourceName: nil, stackID: nil, stackName: nil,
        component: "project_fee", description: "project fee", quantity: DecimalNumber(1), unit: "period",
        unitPrice: fee, amount: fee.rounded(toScale: list.rounding.scale, list.rounding.mode), from: period.start,
        to: until, priceList: list.label))
  }

  func invoice(projectName: String?, status: Invoice.Status) -> Invoice {
    var result = fixed
    for (key, sum) in lines {
      let resource = ResourceKey(ResourceReference.Kind(rawValue: key.kind) ?? .server, key.id)
      let stack = key.kind == "image" ? nil : view.stackID(of: resource)
      result.append(
        InvoiceLine(
          resourceKind: key.kind, resourceID: key.id, resourceName: view.name(of: resource), stackID: stack,
          stackName: stack.flatMap(view.stackName), component: key.component, description: key.description,
          quantity: DecimalNumber(1).multiplied(by: sum.numerator, dividedBy: key.denominator, scale: 6, .halfEven),
          unit: key.unit, unitPrice: key.unitPrice,
          amount: key.unitPrice.multiplied(
            by: sum.numerator, dividedBy: key.denominator, scale: sum.rounding.scale, sum.rounding.mode),
          from: sum.from, to: sum.to, priceList: key.list))
    }
    result.sort {
      ($0.resourceKind, $0.resourceID, $0.from, $0.component, $0.priceList, $0.description)
        < ($1.resourceKind, $1.resourceID, $1.from, $1.component, $1.priceList, $1.description)
    }
    return Invoice(
      projectID: projectID, projectName: projectName, period: period, currency: schedule.currency, status: status,
      ratedUntil: until, priceLists: listsUsed.sorted(), lines: result, unpriced: unpriced.sorted())
  }

  /// `2`, `0.5`: MiB as GiB for descriptions (exact: a power of two divisor terminates).
  static func gib(_ mb: Int) -> String {
    DecimalNumber(mb).multiplied(by: 1, dividedBy: 1024, scale: 10, .halfEven).trimmed
  }

  static func gib(bytes: Int128) -> String {
    DecimalNumber(units: bytes, scale: 0).multiplied(by: 1, dividedBy: 1_073_741_824, scale: 3, .halfEven)
      .trimmed
  }
}

extension DecimalNumber {
  /// Without trailing zeros after the point (`0.5`, `2`), for descriptions.
  public var trimmed: String {
    var text = description
    guard text.contains(".") else { return text }
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}

import Foundation

/// What one price list charges from `effectiveFrom` until the next list of the same schedule takes over.
/// All prices are exact decimals in `currency`; a missing price means that component is not charged.
public struct PriceList: Sendable, Hashable {
  /// A label shown on invoice lines (`standard-2026`).
  public var name: String
  public var currency: String
  /// Inclusive start, UTC.
  public var effectiveFrom: Date
  public var rounding: Rounding
  /// The month of a GiB-month price, in hours (730 = 8760 / 12, the usual cloud convention: every month costs
  /// the same for the same size).
  public var hoursPerMonth: Int

  /// Price per hour of a server of this flavor name (everything: CPU, RAM, root disk).
  public var flavorHour: [String: DecimalNumber]
  /// Fallback for flavors without a price of their own, from the flavor's size at the time.
  public var vcpuHour: DecimalNumber?
  public var ramGiBHour: DecimalNumber?
  /// Root disk; also what a server in a `disk` state pays.
  public var diskGiBHour: DecimalNumber?
  public var serverStates: StateRules

  /// Per GiB-month of volume, by volume type, with `volumeGiBMonth` for every other type.
  public var volumeGiBMonth: DecimalNumber?
  public var volumeTypeGiBMonth: [String: DecimalNumber]
  public var volumeStates: StateRules

  /// Per GiB-month of image data stored (Glance's `size` in bytes, the image's owner pays).
  public var imageGiBMonth: DecimalNumber?
  public var imageStates: StateRules

  public var floatingIPHour: DecimalNumber?
  public var floatingIPStates: StateRules

  /// Flat fee per billing period for each stack that existed during it.
  public var stackFee: DecimalNumber?
  /// Flat fee per billing period for each invoiced project.
  public var projectFee: DecimalNumber?

  /// Where it was read from, for messages.
  public var file: String
  public var line: Int
  /// `prices.yaml:3`.
  public var source: String { "\(file):\(line)" }

  public init(
    name: String, currency: String, effectiveFrom: Date, rounding: Rounding = Rounding(), hoursPerMonth: Int = 730,
    flavorHour: [String: DecimalNumber] = [:], vcpuHour: DecimalNumber? = nil, ramGiBHour: DecimalNumber? = nil,
    diskGiBHour: DecimalNumber? = nil, serverStates: StateRules = .server, volumeGiBMonth: DecimalNumber? = nil,
    volumeTypeGiBMonth: [String: DecimalNumber] = [:], volumeStates: StateRules = .volume,
    imageGiBMonth: DecimalNumber? = nil, imageStates: StateRules = .image, floatingIPHour: DecimalNumber? = nil,
    floatingIPStates: StateRules = .floatingIP, stackFee: DecimalNumber? = nil, projectFee: DecimalNumber? = nil,
    file: String = "", line: Int = 0
  ) {
    self.name = name
    self.currency = currency
    self.effectiveFrom = effectiveFrom
    self.rounding = rounding
    self.hoursPerMonth = hoursPerMonth
    self.flavorHour = flavorHour
    self.vcpuHour = vcpuHour
    self.ramGiBHour = ramGiBHour
    self.diskGiBHour = diskGiBHour
    self.serverStates = serverStates
    self.volumeGiBMonth = volumeGiBMonth
    self.volumeTypeGiBMonth = volumeTypeGiBMonth
    self.volumeStates = volumeStates
    self.imageGiBMonth = imageGiBMonth
    self.imageStates = imageStates
    self.floatingIPHour = floatingIPHour
    self.floatingIPStates = floatingIPStates
    self.stackFee = stackFee
    self.projectFee = projectFee
    self.file = file
    self.line = line
  }

  /// `standard-2026 (from 2026-01-01)`.
  public var label: String { "\(name)@\(BillingPeriod.dayFormat(effectiveFrom))" }

  /// How each line amount is rounded. Lines are rounded once, from the exact quantity; totals add rounded lines,
  /// so an invoice always adds up.
  public struct Rounding: Sendable, Hashable {
    public var scale: Int
    public var mode: RoundingMode

    public init(scale: Int = 2, mode: RoundingMode = .halfEven) {
      self.scale = scale
      self.mode = mode
    }
  }

  /// What a resource in a given state pays.
  public enum Charge: String, Sendable, Hashable, CaseIterable {
    /// Everything its prices say.
    case full
    /// Only its disk (a stopped or shelved server keeps its root disk).
    case disk
    /// Nothing (building, error, deleted).
    case none
  }

  /// Ledger state -> charge, with a default for states not named.
  public struct StateRules: Sendable, Hashable {
    public var rules: [String: Charge]
    public var defaultCharge: Charge

    public init(_ rules: [String: Charge], default defaultCharge: Charge = .full) {
      self.rules = rules
      self.defaultCharge = defaultCharge
    }

    public func charge(_ state: String) -> Charge { rules[state] ?? defaultCharge }

    /// Nova vm_states: a stopped or shelved server bills its disk only, one that is building or in error nothing.
    public static let server = StateRules(
      [
        "active": .full, "paused": .full, "suspended": .full, "resized": .full, "rescued": .full, "stopped": .disk,
        "shelved": .disk, "shelved_offloaded": .disk, "building": .none, "error": .none, "deleted": .none,
        "soft_deleted": .none,
      ], default: .full)
    /// Cinder statuses: a volume bills while it holds data.
    public static let volume = StateRules(
      ["creating": .none, "error": .none, "deleting": .none, "error_deleting": .none, "deleted": .none],
      default: .full)
    /// Glance statuses: an image bills while it holds data (active, deactivated), not before its upload
    /// finished, after a failed one (killed) or once deleted.
    public static let image = StateRules(
      [
        "queued": .none, "saving": .none, "uploading": .none, "importing": .none, "killed": .none, "deleted": .none,
        "pending_delete": .none,
      ], default: .full)
    public static let floatingIP = StateRules([:], default: .full)
  }
}

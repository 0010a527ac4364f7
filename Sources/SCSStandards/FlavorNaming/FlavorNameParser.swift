/// Reads a name part by part, in the fixed order of the standard, exactly as the reference checker's
/// regular expressions do (including their quirks, e.g. a GPU generation runs up to the next separator
/// or `h`), so `valid` here means valid there. Unlike the reference, every failure names its part.
struct FlavorNameParser {
  let syntax: FlavorNameSyntax

  private struct Cursor {
    let characters: [Character]
    var position: Int

    var isAtEnd: Bool { position >= characters.count }
    var current: Character? { position < characters.count ? characters[position] : nil }

    func peek(_ offset: Int = 0) -> Character? {
      position + offset < characters.count ? characters[position + offset] : nil
    }

    func text(from start: Int, to end: Int? = nil) -> String {
      String(characters[start..<min(end ?? characters.count, characters.count)])
    }

    mutating func digits() -> String {
      var text = ""
      while let character = current, character.isASCII, character.isNumber {
        text.append(character)
        position += 1
      }
      return text
    }

    mutating func run(of character: Character) -> Int {
      var count = 0
      while current == character {
        count += 1
        position += 1
      }
      return count
    }

    func hasPrefix(_ text: String) -> Bool {
      let wanted = Array(text)
      guard position + wanted.count <= characters.count else { return false }
      return Array(characters[position..<position + wanted.count]) == wanted
    }
  }

  func parse(_ name: String) throws(FlavorNameError) -> FlavorName {
    func fail(_ part: FlavorNameError.Part, _ text: String, _ reason: String) -> FlavorNameError {
      FlavorNameError(name: name, part: part, text: text, reason: reason)
    }
    guard name.hasPrefix(FlavorNameSyntax.prefix) else {
      throw fail(.prefix, String(name.prefix(4)), "not an SCS flavor name: SCS names start with 'SCS-'")
    }
    let partSeparator = syntax.partSeparator
    let extensionSeparator = syntax.extensionSeparator
    var cursor = Cursor(characters: Array(name), position: FlavorNameSyntax.prefix.count)

    // CPU: N[LVTC][i]
    let cpuStart = cursor.position
    let cpuDigits = cursor.digits()
    guard let typeLetter = cursor.current, let cpuType = CPUType(rawValue: typeLetter) else {
      let found = cursor.current.map { "'\($0)'" } ?? "the end"
      throw fail(
        .cpu, cursor.text(from: cpuStart, to: cursor.position + 1),
        "expected the CPU type L, V, T or C after the number of vCPUs, found \(found)")
    }
    cursor.position += 1
    let insecure = cursor.current == "i" && cursor.peek(1) == partSeparator
    if insecure { cursor.position += 1 }
    guard cursor.current == partSeparator else {
      let found = cursor.current.map { "'\($0)'" } ?? "the end"
      throw fail(
        .cpu, cursor.text(from: cpuStart, to: cursor.position + 1),
        "expected '\(partSeparator)' and the RAM after the CPU part (optionally with 'i' for insecure), found \(found)")
    }
    let cpuText = cursor.text(from: cpuStart, to: cursor.position)
    cursor.position += 1
    guard !cpuDigits.isEmpty else { throw fail(.cpu, cpuText, "the number of vCPUs is missing") }
    guard let cpus = Int(cpuDigits), cpus > 0 else {
      throw fail(.cpu, cpuText, "the number of vCPUs must be a positive integer")
    }

    // RAM: N[.5][u][o]
    let ramStart = cursor.position
    var ramText = ""
    while let character = cursor.current, character == "." || (character.isASCII && character.isNumber) {
      ramText.append(character)
      cursor.position += 1
    }
    let withoutECC = cursor.current == "u"
    if withoutECC { cursor.position += 1 }
    let oversubscribed = cursor.current == "o"
    if oversubscribed { cursor.position += 1 }
    let ramPart = cursor.text(from: ramStart, to: cursor.position)
    guard !ramText.isEmpty else { throw fail(.ram, ramPart, "the amount of RAM (GiB) is missing") }
    guard let ram = Self.decimal(ramText) else { throw fail(.ram, ramPart, "'\(ramText)' is not a number") }
    guard ram > 0, (ram * 2).rounded() == ram * 2 else {
      throw fail(.ram, ramPart, "RAM must be a positive multiple of 0.5 GiB")
    }

    // Disk: -[Mx][N][nhsp], all optional after the separator.
    var disk: FlavorDisk?
    if cursor.current == partSeparator {
      let diskStart = cursor.position
      cursor.position += 1
      let first = cursor.digits()
      var countText: String?
      var sizeText = first
      if cursor.current == "x" {
        cursor.position += 1
        countText = first
        sizeText = cursor.digits()
      }
      var type: DiskType?
      if let letter = cursor.current, let parsed = DiskType(rawValue: letter) {
        type = parsed
        cursor.position += 1
      }
      let diskText = cursor.text(from: diskStart, to: cursor.position)
      var count = 1
      if let countText, !countText.isEmpty {
        guard let parsed = Int(countText), parsed > 0 else {
          throw fail(.disk, diskText, "the number of disks before 'x' must be a positive integer")
        }
        count = parsed
      }
      var size: Int?
      if !sizeText.isEmpty {
        guard let parsed = Int(sizeText), parsed > 0 else {
          throw fail(
            .disk, diskText,
            "the disk size must be a positive integer (GB); write '\(partSeparator)' alone to leave it to the cloud")
        }
        size = parsed
      }
      disk = FlavorDisk(count: count, size: size, type: type)
    }

    // Hypervisor: _kvm … (v1 does not know chy).
    var hypervisor: Hypervisor?
    if cursor.current == extensionSeparator {
      let word = cursor.text(from: cursor.position + 1, to: cursor.position + 4)
      if let parsed = Hypervisor(rawValue: word), syntax == .v2 || parsed != .cloudHypervisor {
        hypervisor = parsed
        cursor.position += 4
      }
    }

    // Hardware virtualization: _hwv.
    let hardwareVirtualization = cursor.hasPrefix(String(extensionSeparator) + "hwv")
    if hardwareVirtualization { cursor.position += 4 }

    // CPU brand: _[izar][gen][h*], only when followed by the end or another extension (not `_ib`).
    var cpuBrand: CPUBrand?
    if cursor.current == extensionSeparator, let letter = cursor.peek(1), let vendor = CPUBrand.Vendor(rawValue: letter)
    {
      var lookahead = cursor
      lookahead.position += 2
      let generationText = lookahead.digits()
      let performance = lookahead.run(of: "h")
      if lookahead.isAtEnd || lookahead.current == extensionSeparator {
        let brandText = cursor.text(from: cursor.position, to: lookahead.position)
        var generation: Int?
        if !generationText.isEmpty {
          guard let parsed = Int(generationText) else {
            throw fail(.cpuBrand, brandText, "'\(generationText)' is not a CPU generation")
          }
          generation = parsed
        }
        let brand = CPUBrand(vendor: vendor, generation: generation, performance: performance)
        if let reason = brand.problem() { throw fail(.cpuBrand, brandText, reason) }
        cpuBrand = brand
        cursor = lookahead
      }
    }

    // GPU: _[gG][NAI][gen][-CU][h*][-VRAM][h*].
    var gpu: GPU?
    if cursor.current == extensionSeparator, let kindLetter = cursor.peek(1), let kind = GPU.Kind(rawValue: kindLetter),
      let vendorLetter = cursor.peek(2), let vendor = GPU.Vendor(rawValue: vendorLetter)
    {
      let gpuStart = cursor.position
      cursor.position += 3
      var generation = ""
      while let character = cursor.current, character != partSeparator, character != "h" {
        generation.append(character)
        cursor.position += 1
      }
      func number() -> String? {
        guard cursor.current == partSeparator, let next = cursor.peek(1), next.isASCII, next.isNumber else {
          return nil
        }
        cursor.position += 1
        return cursor.digits()
      }
      let unitsText = number()
      let frequency = cursor.run(of: "h")
      let vramText = number()
      let bandwidth = cursor.run(of: "h")
      let gpuText = cursor.text(from: gpuStart, to: cursor.position)
      let parsed = GPU(
        kind: kind, vendor: vendor, generation: generation, computeUnits: unitsText.map { Int($0) ?? -1 },
        highFrequency: frequency, vram: vramText.map { Int($0) ?? -1 }, highBandwidth: bandwidth)
      if let reason = parsed.problem() { throw fail(.gpu, gpuText, reason) }
      gpu = parsed
    }

    // Infiniband: _ib.
    let infiniband = cursor.hasPrefix(String(extensionSeparator) + "ib")
    if infiniband { cursor.position += 3 }

    guard cursor.isAtEnd else {
      let rest = cursor.text(from: cursor.position)
      throw fail(.trailing, rest, Self.explainTrailing(rest, syntax: syntax))
    }
    do throws(FlavorNameError) {
      return try FlavorName(
        cpus: cpus, cpuType: cpuType, insecureCPU: insecure, ram: ram, ramWithoutECC: withoutECC,
        ramOversubscribed: oversubscribed, disk: disk, hypervisor: hypervisor,
        hardwareVirtualization: hardwareVirtualization,
        cpuBrand: cpuBrand, gpu: gpu, infiniband: infiniband)
    } catch {
      throw FlavorNameError(name: name, part: error.part, text: error.text, reason: error.reason)
    }
  }

  /// Like Python's `float()` on `[0-9.]*`: digits with at most one dot, either side may be empty.
  static func decimal(_ text: String) -> Double? {
    let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
    guard pieces.count <= 2, text != "." else { return nil }
    return Double(
      pieces.count == 2 ? "\(pieces[0].isEmpty ? "0" : pieces[0]).\(pieces[1].isEmpty ? "0" : pieces[1])" : text)
  }

  /// Says what the leftover text probably is: an extension out of order or repeated, a stray
  /// separator, or something unknown.
  static func explainTrailing(_ rest: String, syntax: FlavorNameSyntax) -> String {
    let ext = syntax.extensionSeparator
    let order = "extensions come at most once each, in the order hypervisor, \(ext)hwv, CPU brand, GPU, \(ext)ib"
    guard rest.first == ext else {
      if syntax == .v2, rest.contains(":") {
        return "':' is the v1 separator; v3 names use '-' between parts and '_' before extensions"
      }
      return "this is not part of any SCS name component (\(order))"
    }
    let body = rest.dropFirst()
    let known =
      Hypervisor.allCases.contains { body.hasPrefix($0.rawValue) } || body.hasPrefix("hwv") || body.hasPrefix("ib")
      || body.first.map { CPUBrand.Vendor(rawValue: $0) != nil || GPU.Kind(rawValue: $0) != nil } == true
    if known { return "this extension is out of order, repeated or malformed; \(order)" }
    return "unknown extension; \(order)"
  }
}

/// A name in plain words, worded like the SCS flavor decoder web page so operators see the same text
/// there and here: "SCS flavor with 4 generic x86-64 vCPUs with 16 GiB RAM and 50GB root volume".
public enum FlavorNameDescription {
  public static func describe(_ name: FlavorName) -> String {
    var words: [String] = ["SCS flavor with \(name.cpus)"]
    if let brand = name.cpuBrand {
      if brand.performance > 0 { words.append(label(CPUBrand.performanceLabels, brand.performance)) }
      words.append(brand.vendor.label)
      if let generation = brand.generation, generation != 0 {
        words.append(brand.vendor.generations[generation] ?? String(generation))
      }
    } else {
      words.append("generic x86-64")
    }
    words.append(name.cpuType.label)
    if name.insecureCPU { words.append("(insecure)") }
    words.append("with \(FlavorName.format(ram: name.ram)) GiB RAM")
    let ramAttributes = [name.ramWithoutECC ? "noECC" : nil, name.ramOversubscribed ? "oversubscribed" : nil]
      .compactMap { $0 }
    if !ramAttributes.isEmpty { words.append("(\(ramAttributes.joined(separator: ", ")))") }
    if let hypervisor = name.hypervisor { words.append("on \(hypervisor.label)") }
    if name.hardwareVirtualization { words.append("with HW virt") }
    if let disk = name.disk {
      words.append("and")
      if let type = disk.type { words.append(type.label) }
      let count = disk.count != 1 ? "\(disk.count)x" : ""
      if let size = disk.size {
        words.append("\(count)\(size)GB root volume")
      } else {
        words.append("\(count)root volume sized to fit the image")
      }
    }
    if let gpu = name.gpu {
      words.append("and \(gpu.kind.label) \(gpu.vendor.label)")
      if !gpu.generation.isEmpty { words.append(gpu.vendor.generations[gpu.generation] ?? gpu.generation) }
      if let units = gpu.computeUnits {
        var text = "(w/ \(units) "
        if gpu.highFrequency > 0 { text += label(GPU.frequencyLabels, gpu.highFrequency) + " " }
        text += gpu.vendor.computeUnitName
        if let vram = gpu.vram {
          text += " and \(vram) GiB "
          if gpu.highBandwidth > 0 { text += label(GPU.bandwidthLabels, gpu.highBandwidth) + " " }
          text += "VRAM"
        }
        words.append(text + ")")
      }
    }
    if name.infiniband { words.append("and Infiniband") }
    return words.joined(separator: " ")
  }

  private static func label(_ labels: [String], _ index: Int) -> String {
    labels.indices.contains(index) ? labels[index] : String(repeating: "h", count: index)
  }
}

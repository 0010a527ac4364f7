import Foundation
import OpenStack

/// scs-0101 entropy on a sample VM, as upstream: a network, subnet and router of the run, a server of a
/// recent Debian (else Ubuntu) image booted from a new volume with cloud-init user data that prints
/// marked results to the serial console, the console read until the end marker; everything removed
/// afterwards. Both testcases read the same VM's console. A cloud whose hypervisor cannot run a guest
/// (Nova's fake driver) or that cannot boot from a volume leaves them undecided (ABORT), quickly.
enum EntropyTestcases {
  static var all: [Testcase] {
    [
      Testcase("scs-0101-entropy-avail") { context, log in
        let run = try await console(context)
        if let problem = try EntropyConsole.entropyAvailProblem(run.collected, image: run.image) {
          log.error(problem)
          return false
        }
        return true
      },
      Testcase("scs-0101-fips-test") { context, log in
        let run = try await console(context)
        let (problem, note) = try EntropyConsole.fipsProblem(run.collected, image: run.image)
        if let note { log.info(note) }
        if let problem { log.error(problem) }
        return problem == nil
      },
    ]
  }

  struct ConsoleRun: Sendable {
    var image: String
    var collected: [String: [String]]
  }

  static func console(_ context: CheckContext) async throws -> ConsoleRun {
    try await context.shared("scs-0101-console") { try await bootAndRead(context) }.value()
  }

  /// - Parameter bootFromVolume: always true for the testcases (as upstream); integration tests on a
  ///   cloud without block storage boot from the image to reach the console path.
  static func bootAndRead(_ context: CheckContext, bootFromVolume: Bool = true) async throws -> ConsoleRun {
    guard let image = EntropyConsole.canonicalImage(try await context.images.value()) else {
      throw Undecidable("no public or community image to boot")
    }
    let imageName = image.name ?? image.id
    guard let flavor = EntropyConsole.flavor(for: image, among: try await context.flavors.value()) else {
      throw Undecidable("No flavor could be found for the image '\(imageName)'")
    }
    let types = Set(try await context.catalog().services.map(\.type))
    if bootFromVolume, types.isDisjoint(with: ["block-storage", "volumev3", "volume"]) {
      throw Undecidable("the test VM boots from a volume, but the cloud has no block-storage service")
    }
    let network = try await context.session.network()
    let servers = try await context.session.compute().servers
    let made = Made()
    do {
      let net = try await network.networks.create(NetworkCreate(name: context.name("0101-net")))
      made.network = net.id
      let subnet = try await network.subnets.create(
        SubnetCreate(
          name: context.name("0101-subnet"), networkID: net.id, cidr: "10.1.0.0/24", gatewayIP: "10.1.0.1",
          enableDHCP: true, dnsNameservers: ["9.9.9.9"]))
      made.subnet = subnet.id
      guard let external = try await network.externalNetworks().first else {
        throw Undecidable("No external network found!")
      }
      let router = try await network.routers.create(
        RouterCreate(name: context.name("0101-router"), externalNetworkID: external.id))
      made.router = router.id
      try await network.addInterface(router: router.id, subnet: subnet.id)
      made.interface = true
      var request = ServerCreate(
        name: context.name("0101-server"), flavorRef: flavor.id, imageRef: image.id, networks: .networks([net.id]),
        bootVolumeSize: bootFromVolume ? max(image.minDisk, 8) : nil, deleteVolumeOnTermination: true)
      request.userData = EntropyConsole.userData(osDistro: image.properties["os_distro"]?.stringValue)
      let server = try await servers.create(request)
      made.server = server
      try await servers.waitFor(server, status: ["ACTIVE"], waiter: context.waiter)
      // As long as the VM may take to print its results once running: the run's bound (default 5 minutes,
      // upstream's fixed value).
      let deadline = ContinuousClock.now + context.waiter.timeout
      while true {
        let output = try await servers.consoleOutput(server)
        if EntropyConsole.showsNoGuest(output) {
          throw Undecidable("the hypervisor runs no guest (Nova fake driver): the console shows no boot")
        }
        if output.contains(EntropyConsole.endMarker) {
          await tearDown(made, network, servers, context)
          return ConsoleRun(image: imageName, collected: EntropyConsole.collect(output))
        }
        if output.contains("Failed to run module scripts-user") {
          throw Undecidable("the test VM \(server) failed to run its scripts")
        }
        if ContinuousClock.now >= deadline {
          throw Undecidable("timeout while waiting for the test VM \(server) to complete its computation")
        }
        try await Task.sleep(for: .seconds(2))
      }
    } catch {
      await tearDown(made, network, servers, context)
      throw error
    }
  }

  final class Made: @unchecked Sendable {
    var network: String?
    var subnet: String?
    var router: String?
    var interface = false
    var server: String?
  }

  static func tearDown(_ made: Made, _ network: NetworkAPI, _ servers: ServersAPI, _ context: CheckContext) async {
    let waiter = context.waiter
    await Cleanup.detached {
      if let server = made.server {
        try? await servers.delete(server)
        try? await servers.waitForDeletion(server, waiter: waiter)
      }
      if let router = made.router {
        if made.interface, let subnet = made.subnet {
          try? await network.removeInterface(router: router, subnet: subnet)
        }
        try? await network.routers.deleteIfPresent(router)
      }
      if let subnet = made.subnet { try? await network.subnets.deleteIfPresent(subnet) }
      if let net = made.network { try? await network.networks.deleteIfPresent(net) }
    }
  }
}

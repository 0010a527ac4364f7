import Foundation

public struct ServersAPI: Sendable {
  let client: ServiceClient
  let collection: ResourceCollection<Server>

  public init(_ client: ServiceClient) {
    self.client = client
    collection = ResourceCollection(
      client: client, path: ["servers"], singular: "server", plural: "servers", style: .links("servers_links"),
      listSuffix: ["detail"])
  }

  /// Servers with details. `allProjects` needs an admin token; `projectID` filters with it.
  public func list(
    allProjects: Bool = false, projectID: String? = nil, name: String? = nil, status: String? = nil,
    pageSize: Int? = nil
  ) -> Pages<Server> {
    collection.list(
      .filters([
        ("all_tenants", allProjects || projectID != nil ? "1" : nil), ("project_id", projectID), ("name", name),
        ("status", status), ("limit", pageSize.map(String.init)),
      ]))
  }

  public func get(_ id: String) async throws -> Server { try await collection.get(id) }

  public func find(_ id: String) async throws -> Server? { try await collection.find(id) }

  /// Returns the new server's id; Nova answers the create with a partial server.
  public func create(_ server: ServerCreate) async throws -> String {
    struct Created: Decodable { let id: String }
    let response = try await client.send(.POST, ["servers"], json: ["server": server])
    return try client.decode(Created.self, from: response, key: "server").id
  }

  public func delete(_ id: String) async throws { try await collection.delete(id) }

  /// The last `lines` lines of the server's serial console log (all of it when `nil`).
  public func consoleOutput(_ id: String, lines: Int? = nil) async throws -> String {
    struct Output: Decodable { let output: String }
    var action: [String: [String: Int]] = ["os-getConsoleOutput": [:]]
    if let lines { action["os-getConsoleOutput"] = ["length": lines] }
    let response = try await client.send(.POST, ["servers", id, "action"], json: action)
    return try client.decode(Output.self, from: response).output
  }

  public enum Action: Sendable {
    case start, stop, suspend, resume, shelve, unshelve, confirmResize, revertResize
    case reboot(hard: Bool)
    case resize(flavorRef: String)

    var body: JSONValue {
      switch self {
      case .start: return ["os-start": nil]
      case .stop: return ["os-stop": nil]
      case .suspend: return ["suspend": nil]
      case .resume: return ["resume": nil]
      case .shelve: return ["shelve": nil]
      case .unshelve: return ["unshelve": nil]
      case .confirmResize: return ["confirmResize": nil]
      case .revertResize: return ["revertResize": nil]
      case .reboot(let hard): return ["reboot": ["type": .string(hard ? "HARD" : "SOFT")]]
      case .resize(let flavor): return ["resize": ["flavorRef": .string(flavor)]]
      }
    }
  }

  public func perform(_ action: Action, on id: String) async throws {
    try await client.send(.POST, ["servers", id, "action"], json: action.body)
  }

  /// Waits for `status` (e.g. `ACTIVE`, `SHUTOFF`); `ERROR` ends the wait with the fault message.
  @discardableResult
  public func waitFor(_ id: String, status: Set<String>, waiter: Waiter = Waiter()) async throws -> String {
    let servers = self
    do {
      return try await waiter.wait(for: "server \(id)", done: status, failed: ["ERROR"]) {
        try await servers.get(id).status
      }
    } catch let failure as Waiter.Failure where failure.lastState == "ERROR" {
      // Nova's fault (e.g. "No valid host was found") is the only hint at why; without it a CI log
      // says nothing an operator can act on.
      guard let fault = try? await servers.get(id).fault?.message else { throw failure }
      throw Waiter.Failure(what: failure.what, lastState: failure.lastState, reason: "failed: \(fault)")
    }
  }

  /// Waits until the server is gone.
  public func waitForDeletion(_ id: String, waiter: Waiter = Waiter()) async throws {
    let servers = self
    try await waiter.wait(for: "deletion of server \(id)", done: ["DELETED"], failed: ["ERROR"]) {
      try await servers.find(id)?.status ?? "DELETED"
    }
  }
}

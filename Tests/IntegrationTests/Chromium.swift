import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Headless Chromium (the Debian package) driven over the DevTools protocol on a WebSocket (NIOWebSocket):
/// the browser tests load the dashboard, type into forms, and read what the pages show. Screenshots are
/// never taken or stored.
enum Chromium {
  static let executable: String? = {
    let env = ProcessInfo.processInfo.environment["STEWARD_CHROMIUM"]
    for path in [env, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].compactMap({ $0 })
    where FileManager.default.isExecutableFile(atPath: path) {
      return path
    }
    return nil
  }()

  static var isAvailable: Bool { executable != nil }

  struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }

  /// Launches a fresh browser (own profile directory, removed afterwards), opens one page and runs `body`.
  static func withPage<T: Sendable>(_ body: (inout DevToolsPage) async throws -> T) async throws -> T {
    guard let executable else { throw Failure("no chromium; install the Debian package chromium") }
    let profile = NSTemporaryDirectory() + "steward-chromium-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    var arguments = [
      "--headless=new", "--remote-debugging-port=0", "--user-data-dir=\(profile)", "--no-first-run",
      "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
      "--disable-background-networking", "--disable-sync", "--metrics-recording-only", "--mute-audio",
      "about:blank",
    ]
    if getuid() == 0 { arguments.insert("--no-sandbox", at: 0) }
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
      try? FileManager.default.removeItem(atPath: profile)
    }
    // Chromium writes the port it chose and the browser's WebSocket path into the profile.
    let portFile = profile + "/DevToolsActivePort"
    var lines: [String] = []
    for _ in 0..<300 {
      if let text = try? String(contentsOfFile: portFile, encoding: .utf8) {
        lines = text.split(separator: "\n").map(String.init)
        if lines.count >= 2 { break }
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    guard lines.count >= 2, let port = Int(lines[0]) else { throw Failure("chromium did not start DevTools") }
    return try await connect(port: port, path: lines[1]) { channel in
      try await channel.executeThenClose { inbound, outbound in
        var page = DevToolsPage(inbound: inbound.makeAsyncIterator(), outbound: outbound)
        try await page.open()
        return try await body(&page)
      }
    }
  }

  enum Upgrade {
    case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
    case refused
  }

  static func connect<T>(
    port: Int, path: String, _ body: (NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) async throws -> T
  ) async throws -> T {
    let upgrade: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .connect(host: "127.0.0.1", port: port) { channel in
        channel.eventLoop.makeCompletedFuture {
          let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(
            maxFrameSize: 1 << 26,
            upgradePipelineHandler: { channel, _ in
              channel.eventLoop.makeCompletedFuture {
                Upgrade.websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
              }
            })
          var headers = HTTPHeaders()
          headers.add(name: "Host", value: "127.0.0.1:\(port)")
          headers.add(name: "Content-Length", value: "0")
          let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
          let configuration = NIOTypedHTTPClientUpgradeConfiguration(
            upgradeRequestHead: head, upgraders: [upgrader],
            notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { Upgrade.refused } })
          return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
            configuration: .init(upgradeConfiguration: configuration))
        }
      }
    switch try await upgrade.get() {
    case .websocket(let channel): return try await body(channel)
    case .refused: throw Failure("chromium refused the DevTools WebSocket")
    }
  }
}

/// One page of the browser, attached through the browser connection (flat sessions). Used sequentially:
/// each command waits for its own answer and skips the events in between.
struct DevToolsPage {
  var inbound: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator
  let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
  var nextID = 1
  var sessionID: String?
  var pending = ByteBuffer()

  init(
    inbound: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator,
    outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
  ) {
    self.inbound = inbound
    self.outbound = outbound
  }

  mutating func open() async throws {
    let target = try await send("Target.createTarget", ["url": "about:blank"], browser: true)
    guard let targetID = target["targetId"] as? String else { throw Chromium.Failure("no target") }
    let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true], browser: true)
    sessionID = attached["sessionId"] as? String
    _ = try await send("Page.enable", [:])
    _ = try await send("Runtime.enable", [:])
  }

  /// Sends a command and returns its `result`; a protocol error throws.
  @discardableResult
  mutating func send(_ method: String, _ params: [String: Any], browser: Bool = false) async throws -> [String: Any] {
    let id = nextID
    nextID += 1
    var message: [String: Any] = ["id": id, "method": method, "params": params]
    if !browser, let sessionID { message["sessionId"] = sessionID }
    let data = try JSONSerialization.data(withJSONObject: message)
    try await outbound.write(
      WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(bytes: data)))
    while true {
      guard let frame = try await inbound.next() else { throw Chromium.Failure("DevTools connection closed") }
      switch frame.opcode {
      case .text, .continuation:
        var data = frame.unmaskedData
        pending.writeBuffer(&data)
        guard frame.fin else { continue }
        let text = Data(buffer: pending)
        pending.clear()
        guard let object = try JSONSerialization.jsonObject(with: text) as? [String: Any] else { continue }
        guard object["id"] as? Int == id else { continue }
        if let error = object["error"] as? [String: Any] {
          throw Chromium.Failure("\(method): \(error["message"] ?? error)")
        }
        return object["result"] as? [String: Any] ?? [:]
      case .connectionClose: throw Chromium.Failure("DevTools closed the connection")
      default: continue
      }
    }
  }

  /// Evaluates JavaScript in the page and returns its value (strings, numbers, booleans, arrays, objects).
  mutating func evaluate(_ expression: String) async throws -> Any? {
    let result = try await send(
      "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
    if let exception = result["exceptionDetails"] as? [String: Any] {
      throw Chromium.Failure("JavaScript failed: \(exception["text"] ?? exception)")
    }
    return (result["result"] as? [String: Any])?["value"]
  }

  mutating func text(_ selector: String) async throws -> String? {
    try await evaluate("document.querySelector(\(Self.quote(selector)))?.textContent?.trim() ?? null") as? String
  }

  mutating func navigate(_ url: String) async throws {
    try await send("Page.navigate", ["url": url])
    try await waitUntilLoaded { $0.hasPrefix(url) || !url.contains("#") }
  }

  /// Waits until the document finished loading and its URL satisfies `accept`.
  mutating func waitUntilLoaded(timeout: Duration = .seconds(20), _ accept: (String) -> Bool = { _ in true })
    async throws
  {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let state = try? await evaluate("[document.readyState, location.href]") as? [String],
        state.count == 2, state[0] == "complete", state[1] != "about:blank", accept(state[1])
      {
        return
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw Chromium.Failure("the page did not finish loading")
  }

  mutating func location() async throws -> String { try await evaluate("location.href") as? String ?? "" }

  /// Types into a form field by id.
  mutating func fill(_ id: String, _ value: String) async throws {
    _ = try await evaluate(
      "(() => { const e = document.getElementById(\(Self.quote(id))); e.value = \(Self.quote(value)); return true })()")
  }

  /// Clicks an element and waits for the navigation it starts to land on a URL `accept` takes.
  mutating func click(_ selector: String, thenWaitFor accept: (String) -> Bool) async throws {
    // The old document is marked, so a navigation back to the same URL (a refused form) is seen as new.
    _ = try await evaluate(
      "window.__stewardOld = true; document.querySelector(\(Self.quote(selector))).click(); true")
    let deadline = ContinuousClock.now + .seconds(20)
    while ContinuousClock.now < deadline {
      if let state = try? await evaluate(
        "[document.readyState, location.href, String(window.__stewardOld === true)]") as? [String],
        state.count == 3, state[0] == "complete", state[2] == "false", accept(state[1])
      {
        return
      }
      try await Task.sleep(for: .milliseconds(100))
    }
    throw Chromium.Failure("the click on \(selector) did not lead to the expected page")
  }

  static func quote(_ text: String) -> String {
    let data = try? JSONSerialization.data(withJSONObject: [text])
    let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
    return String(array.dropFirst().dropLast())
  }
}

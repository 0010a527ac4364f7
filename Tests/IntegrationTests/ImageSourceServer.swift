import Foundation

/// A local HTTP server the test Glance may web-download from (it allows 127.0.0.1 on ports 18080 and
/// 8000 only). Serves files written under `root`; `/stuck/...` answers HEAD normally and then never
/// finishes a GET, like a hung mirror. One per test process; it exits when the test process does.
actor ImageSourceServer {
  /// On a port Glance may web-download from.
  static let shared = ImageSourceServer(ports: [18080, 8000])
  /// On a port Glance refuses (any free one), so imports must fall back to streaming through this host.
  static let refusedByGlance = ImageSourceServer(ports: [0])

  static let script = #"""
    import http.server, os, socketserver, sys, threading, time
    port, root, parent = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=root, **k)
        def log_message(self, *a):
            pass
        def stuck_headers(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(64 << 20))
            self.end_headers()
        def do_HEAD(self):
            if self.path.startswith("/stuck/"):
                return self.stuck_headers()
            return super().do_HEAD()
        def do_GET(self):
            if self.path.startswith("/stuck/"):
                self.stuck_headers()
                self.wfile.write(b"\0" * 4096)
                self.wfile.flush()
                time.sleep(3600)
                return
            return super().do_GET()
    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
    server = Server(("127.0.0.1", port), Handler)
    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)
    threading.Thread(target=watch, daemon=True).start()
    print("ready", server.server_address[1], flush=True)
    server.serve_forever()
    """#

  /// Shared by both servers.
  nonisolated static let root: URL = FileManager.default.temporaryDirectory.appendingPathComponent(
    "steward-image-source-\(ProcessInfo.processInfo.processIdentifier)")
  nonisolated var root: URL { Self.root }
  let ports: [Int]
  private var port: Int?

  init(ports: [Int]) { self.ports = ports }
  private var process: Process?

  /// The base URL, starting the server on the first free allowed port.
  func baseURL() throws -> String {
    if let port { return "http://127.0.0.1:\(port)" }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    var failures: [String] = []
    for candidate in ports {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [
        "python3", "-c", Self.script, String(candidate), root.path, String(ProcessInfo.processInfo.processIdentifier),
      ]
      let stdout = Pipe()
      let stderr = Pipe()
      process.standardOutput = stdout
      process.standardError = stderr
      try process.run()
      let line = stdout.fileHandleForReading.availableLine() ?? ""
      if line.hasPrefix("ready "), let bound = Int(line.dropFirst(6)) {
        self.process = process
        port = bound
        return "http://127.0.0.1:\(bound)"
      }
      process.waitUntilExit()
      failures.append(
        "port \(candidate): " + String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
    throw ServerUnavailable(details: failures.joined(separator: "; "))
  }

  /// Writes `bytes` under a fresh folder and returns its URL.
  func publish(_ name: String, _ bytes: Data) throws -> String {
    let base = try baseURL()
    let file = root.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try bytes.write(to: file)
    return "\(base)/\(name)"
  }

  struct ServerUnavailable: Error, CustomStringConvertible {
    let details: String
    var description: String { "no port free for the image source server: \(details)" }
  }
}

extension FileHandle {
  /// The first line written, or nil when the writer ends first.
  func availableLine() -> String? {
    var bytes = Data()
    while true {
      let byte = readData(ofLength: 1)
      if byte.isEmpty { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
      if byte == Data("\n".utf8) { return String(decoding: bytes, as: UTF8.self) }
      bytes.append(byte)
    }
  }
}

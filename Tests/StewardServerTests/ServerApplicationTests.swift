import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import StewardServer

@Suite("Server skeleton: auth, JSON errors, health")
struct ServerApplicationTests {
  static let caller = Caller(userID: "u1", projectID: "p1", roles: ["member"])

  func app(health: ServerApplication.HealthCheck? = nil) -> some ApplicationProtocol {
    ServerApplication.make(
      configuration: .init(port: 0), validator: StaticTokenValidator(["good": Self.caller]),
      logger: Logger(label: "test"), health: health
    ) { router in
      router.get("/whoami") { _, context in
        JSONResponse.make(.ok, ["project": try context.requireCaller().projectID ?? ""])
      }
      router.post("/echo") { request, context in
        JSONResponse.make(.ok, ["keys": try await JSONResponse.object(from: request, context: context).keys.sorted()])
      }
      router.get("/crash") { _, _ -> Response in
        struct Secret: Error { let password = "hunter2" }
        throw Secret()
      }
    }
  }

  @Test func tokensAreRequiredAndValidated() async throws {
    try await app().test(.router) { client in
      try await client.execute(uri: "/whoami", method: .get) { response in
        #expect(response.status == .unauthorized)
        let body = String(buffer: response.body)
        #expect(body.contains("X-Auth-Token"))
        #expect(body.contains("\"faultstring\""))
      }
      try await client.execute(uri: "/whoami", method: .get, headers: [.init("X-Auth-Token")!: "bad"]) { response in
        #expect(response.status == .unauthorized)
      }
      try await client.execute(uri: "/whoami", method: .get, headers: [.init("X-Auth-Token")!: "good"]) { response in
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == #"{"project":"p1"}"#)
      }
    }
  }

  @Test func healthNeedsNoTokenAndReportsProblems() async throws {
    try await app().test(.router) { client in
      try await client.execute(uri: "/healthz", method: .get) { response in
        #expect(response.status == .ok)
      }
    }
    try await app(health: { "database down" }).test(.router) { client in
      try await client.execute(uri: "/healthz", method: .get) { response in
        #expect(response.status == .serviceUnavailable)
        #expect(String(buffer: response.body).contains("database down"))
      }
    }
  }

  @Test func badBodiesAndInternalErrorsAreJSON() async throws {
    let auth: HTTPFields = [.init("X-Auth-Token")!: "good"]
    try await app().test(.router) { client in
      try await client.execute(uri: "/echo", method: .post, headers: auth, body: ByteBuffer(string: "{nope")) {
        response in
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains("not valid JSON"))
      }
      try await client.execute(uri: "/echo", method: .post, headers: auth, body: ByteBuffer(string: "[1]")) {
        response in
        #expect(response.status == .badRequest)
      }
      try await client.execute(uri: "/crash", method: .get, headers: auth) { response in
        #expect(response.status == .internalServerError)
        let body = String(buffer: response.body)
        #expect(body.contains("internal error"))
        #expect(!body.contains("hunter2"))
        #expect(!body.contains("Secret"))
      }
    }
  }

  @Test func requestLogMasksSecretQueryValues() {
    #expect(
      RequestLogMiddleware<StewardRequestContext>.maskQuery("/v1/x?token=abc&status=any")
        == "/v1/x?token=***&status=any")
  }
}

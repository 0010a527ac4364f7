import Foundation
import Testing

@testable import OpenStack

/// A throwaway folder laid out like an operator's machine: a working directory and a home.
struct ConfigSandbox {
  let root: URL
  var cwd: String { root.appendingPathComponent("cwd").path }
  var home: String { root.appendingPathComponent("home").path }

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("steward-config-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      atPath: root.appendingPathComponent("cwd").path, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      atPath: root.appendingPathComponent("home/.config/openstack").path, withIntermediateDirectories: true)
  }

  func write(_ relative: String, _ text: String) throws {
    let url = root.appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  func fixture(_ name: String) throws -> String {
    let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
    return try String(contentsOf: url, encoding: .utf8)
  }

  func loader(_ environment: [String: String] = [:]) -> CloudConfigLoader {
    CloudConfigLoader(environment: environment, currentDirectory: cwd, homeDirectory: home)
  }

  func cleanup() { try? FileManager.default.removeItem(at: root) }
}

@Suite("clouds.yaml, secure.yaml and OS_* as openstacksdk reads them")
struct CloudConfigLoaderTests {
  @Test func secureYamlIsMergedOverClouds() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    try sandbox.write("home/.config/openstack/clouds.yaml", try sandbox.fixture("clouds.yaml"))
    try sandbox.write("home/.config/openstack/secure.yaml", try sandbox.fixture("secure.yaml"))
    let cloud = try sandbox.loader().load(cloud: "prod")
    #expect(cloud.auth.password == "s3cret")
    #expect(cloud.auth.username == "operator")
    #expect(cloud.auth.projectName == "admin")
    #expect(cloud.regionName == "RegionTwo")
    #expect(cloud.interface == "internal")
    #expect(cloud.apiTimeout == 30)
    #expect(cloud.endpointOverrides["compute"] == "https://nova.example.com/v2.1")
    #expect(cloud.authType == .password)
    #expect(cloud.sourceFile?.hasSuffix("home/.config/openstack/clouds.yaml") == true)
  }

  @Test func applicationCredentialIsInferredAndScopeless() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    try sandbox.write("home/.config/openstack/clouds.yaml", try sandbox.fixture("clouds.yaml"))
    try sandbox.write("home/.config/openstack/secure.yaml", try sandbox.fixture("secure.yaml"))
    let cloud = try sandbox.loader().load(cloud: "appcred")
    #expect(cloud.authType == .applicationCredential)
    #expect(cloud.auth.applicationCredentialSecret == "appsecret")
    let body = KeystoneAuthenticator(settings: cloud.auth, authType: cloud.authType).requestBody()
    #expect(body["auth"]?["scope"] == nil)
    #expect(body["auth"]?["identity"]?["methods"] == ["application_credential"])
    #expect(body["auth"]?["identity"]?["application_credential"]?["id"] == "0123abcd")
  }

  @Test func defaultDomainRegionsAndVerify() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    try sandbox.write("cwd/clouds.yaml", try sandbox.fixture("clouds.yaml"))
    let cloud = try sandbox.loader().load(cloud: "domainadmin")
    #expect(cloud.auth.userDomainID == "default")
    #expect(cloud.auth.domainName == "customer")
    #expect(cloud.regionName == "RegionA")
    #expect(cloud.verifyTLS == false)
    let overridden = try sandbox.loader().load(cloud: "domainadmin", regionName: "RegionB")
    #expect(overridden.regionName == "RegionB")
  }

  @Test func searchOrderPrefersEnvironmentFileThenCurrentDirectory() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    let template = { (url: String) in
      "clouds:\n  c:\n    auth: {auth_url: \(url), username: u, password: p, user_domain_name: Default}\n"
    }
    try sandbox.write("home/.config/openstack/clouds.yaml", template("http://home:5000/v3"))
    #expect(try sandbox.loader().load(cloud: "c").auth.authURL == "http://home:5000/v3")
    try sandbox.write("cwd/clouds.yaml", template("http://cwd:5000/v3"))
    #expect(try sandbox.loader().load(cloud: "c").auth.authURL == "http://cwd:5000/v3")
    try sandbox.write("elsewhere/my.yaml", template("http://env:5000/v3"))
    let environment = ["OS_CLIENT_CONFIG_FILE": sandbox.root.appendingPathComponent("elsewhere/my.yaml").path]
    #expect(try sandbox.loader(environment).load(cloud: "c").auth.authURL == "http://env:5000/v3")
  }

  @Test func osCloudVariableNamesTheCloud() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    try sandbox.write("cwd/clouds.yaml", try sandbox.fixture("clouds.yaml"))
    let cloud = try sandbox.loader(["OS_CLOUD": "domainadmin"]).load()
    #expect(cloud.name == "domainadmin")
  }

  @Test func environmentVariablesFormACloudWhenNoneIsNamed() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    let environment = [
      "OS_AUTH_URL": "http://127.0.0.1:5000/v3", "OS_USERNAME": "admin", "OS_PASSWORD": "pw",
      "OS_PROJECT_NAME": "admin", "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_ID": "default",
      "OS_REGION_NAME": "RegionOne", "OS_INTERFACE": "internal", "OS_INSECURE": "true",
    ]
    let cloud = try sandbox.loader(environment).load()
    #expect(cloud.name == "envvars")
    #expect(cloud.auth.password == "pw")
    #expect(cloud.auth.projectDomainID == "default")
    #expect(cloud.regionName == "RegionOne")
    #expect(cloud.interface == "internal")
    #expect(cloud.verifyTLS == false)
  }

  @Test func tokenAuthAndSystemScopeFromEnvironment() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    let cloud = try sandbox.loader(["OS_AUTH_URL": "http://k:5000/v3", "OS_TOKEN": "abc", "OS_SYSTEM_SCOPE": "all"])
      .load()
    #expect(cloud.authType == .token)
    let body = KeystoneAuthenticator(settings: cloud.auth, authType: cloud.authType).requestBody()
    #expect(body["auth"]?["identity"]?["token"]?["id"] == "abc")
    #expect(body["auth"]?["scope"]?["system"]?["all"] == true)
  }

  @Test func errorsNameTheCloudFileAndKey() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    try sandbox.write(
      "cwd/clouds.yaml",
      """
      clouds:
        noauthurl:
          auth: {username: u, password: p, user_domain_name: Default}
        nopassword:
          auth: {auth_url: http://k:5000, username: u, user_domain_name: Default}
        badtype:
          auth_type: saml2
          auth: {auth_url: http://k:5000}
        badurl:
          auth: {auth_url: "keystone:5000", username: u, password: p, user_domain_name: Default}
        nodomain:
          auth: {auth_url: http://k:5000, username: u, password: p, project_name: x, user_domain_name: D}
      """)
    let loader = sandbox.loader()
    func message(_ cloud: String) -> String {
      do {
        _ = try loader.load(cloud: cloud)
        return "no error"
      } catch {
        return "\(error)"
      }
    }
    #expect(message("noauthurl").contains("cloud 'noauthurl' in "))
    #expect(message("noauthurl").contains("auth.auth_url is missing"))
    #expect(message("nopassword").contains("auth.password is missing"))
    #expect(message("badtype").contains("auth_type 'saml2' is not supported"))
    #expect(message("badurl").contains("is not an http(s) URL"))
    #expect(message("nodomain").contains("project_domain_name"))
    #expect(message("missing").contains("cloud 'missing' not found"))
    #expect(message("missing").contains("known clouds: badtype, badurl, noauthurl, nodomain, nopassword"))
  }

  @Test func brokenYamlReportsLine() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    try sandbox.write("cwd/clouds.yaml", "clouds:\n  a:\n    auth: {auth_url: x\n  b: [\n")
    #expect(throws: ConfigError.self) { try sandbox.loader().load(cloud: "a") }
    do {
      _ = try sandbox.loader().load(cloud: "a")
    } catch let error as ConfigError {
      #expect(error.message.contains("clouds.yaml: line"))
    }
  }

  @Test func noCloudAtAllSaysHowToGiveOne() throws {
    let sandbox = try ConfigSandbox()
    defer { sandbox.cleanup() }
    #expect(
      throws: ConfigError("no cloud given: use --os-cloud NAME, set OS_CLOUD, or set OS_AUTH_URL and credentials")
    ) {
      try sandbox.loader().load()
    }
  }

  @Test func deepMergeReplacesScalarsAndMergesMaps() {
    let merged = CloudConfigLoader.deepMerge(
      ["a": ["x": 1, "y": 2], "b": "keep", "c": [1, 2]], ["a": ["y": 3, "z": 4], "c": [9]])
    let a = merged["a"] as? [String: Int]
    #expect(a == ["x": 1, "y": 3, "z": 4])
    #expect(merged["b"] as? String == "keep")
    #expect(merged["c"] as? [Int] == [9])
  }
}

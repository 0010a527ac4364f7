import ArgumentParser
import Foundation
import Onboarding
import OpenStack
import StewardCore

struct Onboard: StewardSubcommand {
  static let configuration = CommandConfiguration(
    abstract: "Onboard a tenant: domain, first user, first project, roles, optional network; credentials; proof.",
    discussion: """
      Idempotent: a re-run changes nothing, and a run that failed part-way resumes where it stopped. \
      The plan is printed first; --dry-run stops there. The user's clouds.yaml and secure.yaml (mode 0600) \
      are written to --output-dir, then Steward authenticates as the new user with exactly those files and \
      reports PASS/FAIL per check.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "Domain to create or reuse.") var domain: String?
  @Option(help: "The first user of the domain.") var user: String?
  @Option(help: "The user's e-mail address.") var email: String?
  @Option(help: "The first project (default: the domain's name).") var project: String?
  @Flag(help: "Grant the user the domain-scoped manager role (never admin).") var domainManager = false
  @Option(help: "The domain role for --domain-manager.") var domainManagerRole = "manager"
  @Flag(help: "Create a network, subnet and router with its gateway on the external network.") var network = false
  @Option(help: "Subnet CIDR for --network.") var cidr = "10.0.0.0/24"
  @Option(help: "DNS servers for the subnet (comma separated).") var dns = "9.9.9.9,149.112.112.112"
  @Option(help: "External network for the router gateway (default: the only one).") var externalNetwork: String?
  @Option(help: "Read the user's password from this file (first line).") var passwordFile: String?
  @Flag(help: "Generate a password (kept from an existing secure.yaml on re-runs).") var generatePassword = false
  @Option(help: "Where to write clouds.yaml and secure.yaml (default: onboarding/<domain>).") var outputDir: String?
  @Option(help: "Keystone URL to write into the user's clouds.yaml (default: the one you use).") var authURL: String?
  @Option(help: "YAML or CSV file of tenants to onboard in bulk.") var batch: String?
  @Flag(help: "Show the plan and change nothing.") var dryRun = false
  @Flag(help: "Skip the check as the new user.") var skipValidation = false

  func validate() throws {
    if batch == nil && (domain == nil || user == nil) {
      throw ValidationError("give --domain and --user, or --batch FILE")
    }
    if passwordFile != nil && generatePassword {
      throw ValidationError("--password-file and --generate-password exclude each other")
    }
  }

  func specs() throws -> [TenantSpec] {
    if let batch { return try TenantBatch.load(batch) }
    let networkSpec =
      network
      ? NetworkSpec(
        cidr: cidr, dnsNameservers: dns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
        externalNetwork: externalNetwork) : nil
    return [
      TenantSpec(
        domain: domain!, user: user!, email: email, project: project, domainManager: domainManager,
        domainManagerRole: domainManagerRole, network: networkSpec)
    ]
  }

  func execute() async throws {
    let tenants = try specs()
    for tenant in tenants { try tenant.validate() }
    let ok = try await global.withSession { session in
      var allPassed = true
      for tenant in tenants {
        let directory =
          batch == nil ? (outputDir ?? "onboarding/\(tenant.domain)") : "\(outputDir ?? "onboarding")/\(tenant.domain)"
        let source: CredentialOptions.PasswordSource =
          passwordFile.map { .file($0) } ?? (generatePassword ? .generate : .existing)
        let credentials = CredentialOptions(outputDirectory: directory, passwordSource: source, authURL: authURL)
        let reconciler = OnboardingReconciler(session: session, spec: tenant, credentials: credentials)
        if tenants.count > 1 { output("== \(tenant.domain)/\(tenant.project) (\(tenant.user))\n") }
        let (plan, report) = try await reconciler.run(dryRun: dryRun)
        output(plan.render(format: global.format))
        if let report {
          output(report.render(format: global.format))
          if !report.succeeded {
            allPassed = false
            output("Onboarding stopped; run the same command again to resume.\n")
            continue
          }
        }
        if !dryRun && !skipValidation {
          let validation = await OnboardingValidator(spec: tenant, credentials: credentials).validate()
          output(validation.render(format: global.format))
          allPassed = allPassed && validation.passed
        }
      }
      return allPassed
    }
    if !ok { throw ExitCode(1) }
  }
}

struct Offboard: StewardSubcommand {
  static let configuration = CommandConfiguration(
    abstract: "Remove what onboarding made (router, network, security groups, user, project, empty domain).",
    discussion: "Refuses while the project still has servers. Prints the plan; deletes only with --yes.")

  @OptionGroup var global: GlobalOptions
  @Option(help: "The tenant's domain.") var domain: String
  @Option(help: "The tenant's user.") var user: String
  @Option(help: "The tenant's project (default: the domain's name).") var project: String?
  @Flag(help: "Really delete (without it, only the plan is shown).") var yes = false
  @Flag(help: "Show the plan and change nothing.") var dryRun = false

  func execute() async throws {
    let spec = TenantSpec(domain: domain, user: user, project: project)
    let ok = try await global.withSession { session in
      let (plan, report) = try await OffboardingReconciler(session: session, spec: spec).run(dryRun: dryRun || !yes)
      // With unchanged rows: a domain that stays says why.
      output(plan.render(format: global.format, includeUnchanged: true))
      if !yes && !dryRun && !plan.isEmpty { output("Nothing deleted: add --yes to delete the above.\n") }
      if let report { output(report.render(format: global.format)) }
      return report?.succeeded ?? true
    }
    if !ok { throw ExitCode(1) }
  }
}

import StewardCore

/// One action of onboarding, in the order it must happen: the domain before its project and user, the
/// user before its grants, the network before its subnet, the router before its interface.
public enum OnboardingStep: Sendable, Equatable {
  case createDomain
  case createProject
  case createUser
  case setPassword
  case grantProjectRole(String)
  case grantDomainRole(String)
  case createNetwork
  case createSubnet
  case createRouter
  case setRouterGateway
  case addRouterInterface
  case writeFile(path: String, content: String)
}

/// The steps of a plan with the `Change` each shows as.
public struct OnboardingPlan: Sendable, Equatable {
  public var steps: [(step: OnboardingStep, change: Change)]
  /// Unchanged things, listed so the plan also says what was checked.
  public var kept: [Change]

  public var plan: Plan { Plan(steps.map(\.change) + kept) }

  public static func == (lhs: OnboardingPlan, rhs: OnboardingPlan) -> Bool {
    lhs.steps.map(\.step) == rhs.steps.map(\.step) && lhs.kept == rhs.kept
  }
}

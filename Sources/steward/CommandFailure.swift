import ArgumentParser
import Billing
import Foundation
import Images
import Onboarding
import OpenStack

/// Turns any failure into one line on stderr and an exit code a script can trust; never a stack trace.
enum CommandFailure {
  static func exit(for error: Error) -> ExitCode {
    let message: String
    let code: Int32
    switch error {
    case let error as ConfigError:
      message = error.message
      code = 2
    case let error as OpenStackError:
      message = error.description
      code = 1
    case let error as BillingError:
      message = error.description
      code = error.isInputError ? 2 : 1
    case let error as ValidationError:
      message = error.message
      code = 2
    case let error as ExitCode:
      return error
    case let error as ImageSharingError:
      message = error.description
      code = 1
    case let error as OnboardingError:
      message = error.description
      code = 2
    default:
      message = String(describing: error)
      code = 1
    }
    FileHandle.standardError.write(Data("steward: error: \(message)\n".utf8))
    return ExitCode(code)
  }
}

protocol StewardSubcommand: AsyncParsableCommand {
  func execute() async throws
}

extension StewardSubcommand {
  mutating func run() async throws {
    do {
      try await execute()
    } catch {
      throw CommandFailure.exit(for: error)
    }
  }
}

func output(_ text: String) {
  FileHandle.standardOutput.write(Data(text.utf8))
}

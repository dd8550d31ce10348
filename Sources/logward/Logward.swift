import ArgumentParser
import Foundation
import LogWard

@main
struct Logward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logward",
        abstract: "Anonymize web server access logs and aggregate their statistics, keeping each site's privacy promise.",
        discussion: """
            Exit codes: 0 ok; 1 violations, or rejected lines over --max-reject-rate; \
            2 usage, format or config error; 3 input unreadable, corrupt or truncated.
            """,
        subcommands: [Check.self, Anonymize.self, Policies.self, Explain.self]
    )

    /// Runs the command with logward's exit codes: argument errors exit 2, not ArgumentParser's 64.
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardError.write(fullMessage(for: error) + "\n")
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
        do {
            try command.run()
        } catch let error as any LogWardError {
            fail(error)
        } catch {
            exit(withError: error)
        }
    }

    private static func fail(_ error: any Error) -> Never {
        StandardError.write("logward: \(error)\n")
        Foundation.exit(ExitStatus.for(error).rawValue)
    }
}

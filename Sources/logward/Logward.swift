import ArgumentParser
import Foundation
import LogWard
import LogWardPostgres

@main
struct Logward: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logward",
        abstract: "Anonymize web server access logs and aggregate their statistics, keeping each site's privacy promise.",
        discussion: """
            Exit codes: 0 ok; 1 violations, or rejected lines over --max-reject-rate; \
            2 usage, format, rules or key store error; 3 input unreadable, corrupt or truncated, or output failed (a full disk, or \
            stdout closed by its reader); 4 another run holds the archive lock.
            """,
        version: "0.2.0",
        subcommands: [Check.self, Anonymize.self, Stats.self, Run.self, Retain.self, Erase.self, Audit.self, Merge.self, Report.self, Keys.self, Policies.self, Explain.self]
    )

    /// Runs the command with logward's exit codes: usage errors exit 2, not ArgumentParser's 64; an error of
    /// a library logward builds on (SQLite, the file system) is an I/O failure, exit 3, never ArgumentParser's 1.
    static func main() {
        AllocatorTuning.keepFreedMemoryForReuse()
        StatsMirrorRegistry.register(PostgresStatsStore.open)
        // A reader that closes the pipe early (`| head`) is an output error with a message and exit 3, not a
        // silent death by SIGPIPE.
        StandardStreams.ignoreBrokenPipeSignal()
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForArgumentError(error)
        }
        do {
            try command.run()
        } catch let error as any LogWardError {
            StandardError.write("logward: \(error)\n")
            Foundation.exit(error.exitStatus.rawValue)
        } catch let error where error is ExitCode || exitCode(for: error) != .failure {
            // ArgumentParser's own: help and version (raised by the command it returned), usage errors.
            exitForArgumentError(error)
        } catch {
            StandardError.write("logward: \(OutputError.reason(error))\n")
            Foundation.exit(ExitStatus.unreadableInput.rawValue)
        }
    }

    private static func exitForArgumentError(_ error: any Error) -> Never {
        if exitCode(for: error) == .validationFailure {
            StandardError.write(fullMessage(for: error) + "\n")
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        exit(withError: error)
    }
}

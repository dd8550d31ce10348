import Foundation

/// Runs the built `logward` executable, for what only the command line shows: exit codes, pipes, stderr.
enum CommandRunner {
    static let executable = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/logward").path

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Killed by a signal (terminationStatus is then the signal number).
        var signaled = false
    }

    static func run(_ arguments: [String], stdin: Data? = nil, currentDirectory: String? = nil,
                    environment: [String: String] = [:], executable: String = executable) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory ?? Fixtures.repositoryRoot.path)
        let output = Pipe(), errors = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a full pipe cannot block the child.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
    }
}

import ArgumentParser

/// A command whose operational failures end the process with one clear sentence on
/// standard error and exit status 1, while ArgumentParser's usage errors keep their own
/// handling (usage text, exit status 64).
///
/// Conforming types implement ``execute()`` instead of `run()`. Runs on the main task.
public protocol HeimdallCommand: AsyncParsableCommand {
    /// The command's body. Throw ``UsageError`` for a usage mistake found late (exit 64);
    /// anything else is an operational failure (exit 1).
    func execute() async throws
}

extension HeimdallCommand {
    /// Runs ``execute()`` and turns its errors into exit statuses (see ``CommandFailure``).
    public mutating func run() async throws {
        do {
            try await execute()
        } catch {
            throw CommandFailure.report(error)
        }
    }
}

/// Entry point for executables whose commands are asynchronous. Call from `main.swift`.
public enum CommandRunner {
    /// Parses the process's arguments and runs `command` (or the chosen subcommand),
    /// then exits with the command's status.
    public static func main<Command: AsyncParsableCommand>(_ command: Command.Type) async {
        await command.main()
    }
}

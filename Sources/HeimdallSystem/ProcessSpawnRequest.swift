#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C side of ``ChildProcess/spawn(_:_:environment:output:user:workingDirectory:)``:
/// file actions, argv/envp and the `posix_spawn` call itself.
struct SpawnRequest {
    var executable: String
    var commandLine: [String]
    var environment: [String]
    var output: ChildProcess.Output
    var workingDirectory: String?

    /// Spawns the child and hands its pid and the read end of the capture pipe to `make`.
    func start<T>(_ make: (pid_t, Int32?) -> T) throws -> T {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }

        var pipeEnds: [Int32] = [-1, -1]
        let piped = output != .discard && output.filePath == nil
        if piped {
            guard pipe(&pipeEnds) == 0 else {
                throw ChildProcessError(.spawnFailed, command: executable, errno: errno)
            }
            _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        switch output {
        case .discard:
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        case .capture:
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        case .stream(let standardError):
            _ = fcntl(pipeEnds[0], F_SETFL, fcntl(pipeEnds[0], F_GETFL) | O_NONBLOCK)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
            if let standardError {
                posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            } else {
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            }
        }
        try closeInheritedDescriptors(&actions)
        if let workingDirectory { try changeDirectory(&actions, to: workingDirectory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        #if canImport(Darwin)
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)  // Darwin's way to close inherited descriptors
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = commandLine.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if piped { close(pipeEnds[1]) }
        guard result == 0 else {
            if piped { close(pipeEnds[0]) }
            throw ChildProcessError(.spawnFailed, command: executable, errno: result)
        }
        return make(pid, piped ? pipeEnds[0] : nil)
    }
}

extension ChildProcess.Output {
    /// The path of `.file`, `nil` for the other cases.
    var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }
}

extension SpawnRequest {
    /// Closes every descriptor above 2 in the child (glibc); on Darwin the spawn flag
    /// `POSIX_SPAWN_CLOEXEC_DEFAULT` does it instead.
    private func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) throws {
        #if !canImport(Darwin)
        guard let addCloseFrom = GNUSpawnActions.addCloseFrom else {
            throw ChildProcessError(.spawnFailed, command: executable, errno: ENOSYS)
        }
        _ = addCloseFrom(&actions, 3)
        #endif
    }

    /// Makes the child start in `directory`.
    private func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to directory: String) throws {
        #if canImport(Darwin)
        _ = posix_spawn_file_actions_addchdir_np(&actions, directory)
        #else
        guard let addChdir = GNUSpawnActions.addChdir else {
            throw ChildProcessError(.spawnFailed, command: executable, errno: ENOSYS)
        }
        _ = addChdir(&actions, directory)
        #endif
    }
}

#if !canImport(Darwin)
/// glibc's `posix_spawn_file_actions_add{chdir,closefrom}_np` (2.29 / 2.34): the Glibc
/// module is imported without `_GNU_SOURCE`, so they are looked up at run time.
enum GNUSpawnActions {
    typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    static let addChdir: AddChdir? = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
    static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
}
#endif

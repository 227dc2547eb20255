#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HeimdallSystem

/// Blocking file operations on one spool directory's segments (thin wrappers over POSIX
/// calls, each failure a ``SpoolError``). Used by ``Spool`` only, from one thread at a time.
struct SegmentFiles {
    let directory: String

    var quarantineDirectory: String { directory + "/quarantine" }
    var statePath: String { directory + "/state" }

    func path(_ number: UInt32) -> String {
        let digits = String(number)
        return directory + "/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits + ".seg"
    }

    /// Segment numbers present, in any order (other files are ignored).
    func list() throws(SpoolError) -> [UInt32] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw SpoolError(.directory, path: directory, "\(error)")
        }
        return names.compactMap { name in
            guard name.hasSuffix(".seg"), name.count == 12 else { return nil }
            return UInt32(name.dropLast(4))
        }
    }

    func readAll(_ number: UInt32) throws(SpoolError) -> [UInt8] {
        let file = path(number)
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpoolError(.open, path: file, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SpoolError(.open, path: file, errno: errno) }
        return try read(fd, path: file, offset: 0, count: Int(info.st_size))
    }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    func read(_ number: UInt32, offset: Int, count: Int) throws(SpoolError) -> [UInt8] {
        let file = path(number)
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SpoolError(.open, path: file, errno: errno) }
        defer { close(fd) }
        return try read(fd, path: file, offset: offset, count: count)
    }

    private func read(_ fd: Int32, path: String, offset: Int, count: Int) throws(SpoolError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError(.open, path: path, errno: errno)
            }
            if result == 0 { break }
            done += result
        }
        return Array(bytes.prefix(done))
    }

    /// Creates a segment holding only the header, `fsync`ed with its directory; returns a
    /// descriptor open for appending.
    func create(_ number: UInt32) throws(SpoolError) -> Int32 {
        let file = path(number)
        let fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SpoolError(.open, path: file, errno: errno) }
        do throws(SpoolError) {
            try write(fd, SpoolFormat.header, path: file)
            try sync(fd, path: file)
            try syncDirectory()
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SpoolError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                posixWrite(fd, buffer.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SpoolError(.write, path: path, errno: errno)
            }
            written += result
        }
    }

    func sync(_ fd: Int32, path: String) throws(SpoolError) {
        guard fsync(fd) == 0 else { throw SpoolError(.write, path: path, errno: errno) }
    }

    func syncDirectory() throws(SpoolError) {
        do {
            try AtomicFile.syncDirectory(directory)
        } catch {
            throw SpoolError(.write, path: directory, errno: error.errno)
        }
    }

    func truncate(_ number: UInt32, length: Int) throws(SpoolError) {
        let file = path(number)
        guard Glibc.truncate(file, off_t(length)) == 0 else { throw SpoolError(.write, path: file, errno: errno) }
    }

    func delete(_ number: UInt32) {
        unlink(path(number))
    }

    /// Stores a durable copy of segment `number`'s `bytes` as
    /// `quarantine/NNNNNNNN.seg.<unix time>`; returns its path. The segment itself is left
    /// for the caller to replace or delete, so a crash in between loses nothing.
    func quarantine(_ number: UInt32, bytes: [UInt8], now: Date) throws(SpoolError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: quarantineDirectory, withIntermediateDirectories: true)
        } catch {
            throw SpoolError(.directory, path: quarantineDirectory, "\(error)")
        }
        let name = path(number).split(separator: "/").last.map(String.init) ?? "segment"
        let target = "\(quarantineDirectory)/\(name).\(Int(now.timeIntervalSince1970))"
        do {
            try AtomicFile.write(bytes, to: target)
        } catch {
            throw SpoolError(.write, path: target, errno: error.errno)
        }
        return target
    }

    /// Writes `bytes` as segment `number`, atomically and durably.
    func replace(_ number: UInt32, with bytes: [UInt8]) throws(SpoolError) {
        do {
            try AtomicFile.write(bytes, to: path(number))
        } catch {
            throw SpoolError(.write, path: path(number), errno: error.errno)
        }
    }

    func writeState(_ state: SpoolState) throws(SpoolError) {
        do {
            try AtomicFile.write(state.encoded, to: statePath)
        } catch {
            throw SpoolError(.write, path: statePath, errno: error.errno)
        }
    }

    func readState() -> SpoolState? {
        guard let data = FileManager.default.contents(atPath: statePath) else { return nil }
        return SpoolState.decode(Array(data))
    }
}

private func posixWrite(_ fd: Int32, _ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, pointer, count)
    #elseif canImport(Musl)
    Musl.write(fd, pointer, count)
    #else
    Darwin.write(fd, pointer, count)
    #endif
}

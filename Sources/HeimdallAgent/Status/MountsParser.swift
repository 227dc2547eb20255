/// One line of `/proc/mounts` (or `/proc/self/mounts`). Pure value; any thread.
public struct MountEntry: Sendable, Hashable {
    /// The device or source (`/dev/sda1`, `server:/export`, `tmpfs`).
    public var source: String
    public var mountPoint: String
    public var fileSystemType: String

    public init(source: String, mountPoint: String, fileSystemType: String) {
        self.source = source
        self.mountPoint = mountPoint
        self.fileSystemType = fileSystemType
    }
}

extension KernelText {
    /// Parses `/proc/mounts`, decoding the kernel's octal escapes (`\040` is a space).
    public static func mounts(_ text: String) -> [MountEntry] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3 else { return nil }
            return MountEntry(
                source: unescapeMountField(fields[0]), mountPoint: unescapeMountField(fields[1]),
                fileSystemType: unescapeMountField(fields[2])
            )
        }
    }

    /// `\NNN` (three octal digits) becomes that byte; anything else is kept as is.
    static func unescapeMountField(_ field: Substring) -> String {
        let bytes = Array(field.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count, let value = octal(bytes[(index + 1)...(index + 3)]) {
                output.append(value)
                index += 4
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}

/// Which mounts are real storage worth reporting.
public enum FileSystemFilter {
    /// Virtual, in-memory and layered file systems that are never reported.
    public static let ignoredTypes: Set<String> = [
        "proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "ramfs", "overlay", "overlayfs", "aufs", "squashfs",
        "cgroup", "cgroup2", "securityfs", "pstore", "bpf", "debugfs", "tracefs", "configfs", "fusectl",
        "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "rpc_pipefs", "nsfs", "efivarfs", "selinuxfs",
        "nfsd", "devfs", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "fuse.snapfuse", "rootfs", "none",
        "shm", "zram", "iso9660", "udf",
    ]

    /// Whether `type` is a real file system.
    public static func isReal(_ type: String) -> Bool {
        !ignoredTypes.contains(type)
    }

    /// The real file systems among `entries`, each source once (bind mounts and btrfs
    /// subvolumes repeat a device; the shortest mount point is kept), in mount-point order.
    public static func reportable(_ entries: [MountEntry]) -> [MountEntry] {
        var bySource: [String: MountEntry] = [:]
        for entry in entries where isReal(entry.fileSystemType) && entry.mountPoint.hasPrefix("/") {
            if let kept = bySource[entry.source], kept.mountPoint.utf8.count <= entry.mountPoint.utf8.count { continue }
            bySource[entry.source] = entry
        }
        return bySource.values.sorted { $0.mountPoint < $1.mountPoint }
    }
}

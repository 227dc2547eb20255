import Foundation

/// Certificate signing requests made by the `openssl` tool (independent of our code).
enum OpenSSLRequests {
    /// A request for `commonName` with `key` (e.g. `rsa:2048`, `ec -pkeyopt ec_paramgen_curve:P-256`)
    /// and extra `req` arguments (e.g. `-addext`).
    static func make(commonName: String, key: [String], extra: [String] = [], in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let out = directory + "/req-\(UUID().uuidString).pem"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["req", "-new"] + key + ["-nodes", "-keyout", out + ".key", "-subj", "/CN=\(commonName)", "-out", out] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return try String(contentsOfFile: out, encoding: .utf8)
    }

    /// `openssl x509 -text` of a PEM certificate.
    static func describe(certificate pem: String, in directory: String) throws -> String {
        let path = directory + "/cert-\(UUID().uuidString).pem"
        try pem.write(toFile: path, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-in", path, "-noout", "-text"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

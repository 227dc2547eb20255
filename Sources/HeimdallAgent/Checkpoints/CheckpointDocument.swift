#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The checkpoint file's JSON shape, version 1:
/// `{"version":1,"files":{"/var/log/auth.log":{"identity":{"device":..,"inode":..,"generation":..},"offset":..}}}`.
///
/// Pure encoding and decoding: any thread may call it.
enum CheckpointDocument {
    static let version = 1

    private struct Document: Codable {
        var version: Int
        var files: [String: FilePosition]
    }

    private struct VersionOnly: Decodable {
        var version: Int
    }

    static func encode(_ positions: [String: FilePosition]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(Document(version: version, files: positions))
    }

    static func decode(_ data: Data, path: String) -> Result<[String: FilePosition], CheckpointError> {
        let decoder = JSONDecoder()
        guard let header = try? decoder.decode(VersionOnly.self, from: data) else {
            return .failure(CheckpointError(code: .corrupt, path: path, detail: "not a checkpoint document"))
        }
        guard header.version == version else {
            return .failure(CheckpointError(code: .unsupportedVersion, path: path, detail: "version \(header.version)"))
        }
        do {
            return .success(try decoder.decode(Document.self, from: data).files)
        } catch {
            return .failure(CheckpointError(code: .corrupt, path: path, detail: "\(error)"))
        }
    }
}

import Foundation

/// A detection's snapshot (the frame the algorithm saw), checked before anything is written: PNG or JPEG as told by
/// the file's own structure (``PhotoUpload/imageType(of:)``, the rule the case photos and government uploads use),
/// at most ``maxBytes``, with its pixel size read from the container so the box can be checked against it. Stored
/// once per content in `camera_snapshots`, keyed by its SHA-256.
struct CameraSnapshot: Sendable, Equatable {
    /// Largest snapshot, in bytes: 1 MiB (a 1920×1080 JPEG frame at the quality video platforms store is
    /// 150–500 KB).
    static let maxBytes = 1024 * 1024

    /// `image/png` or `image/jpeg`.
    let contentType: String
    let data: Data
    let width: Int
    let height: Int
    /// Hex SHA-256 of ``data``.
    let sha256: String

    /// Checks a snapshot sent as base64 text.
    /// - Throws: a message saying why it is refused (`bad_snapshot`).
    init(base64 text: String) throws(SnapshotProblem) {
        guard let data = Data(base64Encoded: text), !data.isEmpty else {
            throw SnapshotProblem(message: "snapshot is not base64 image data")
        }
        guard data.count <= Self.maxBytes else {
            throw SnapshotProblem(message: "snapshot is \(data.count) bytes; at most \(Self.maxBytes) (1 MiB)")
        }
        let type = PhotoUpload.imageType(of: data)
        guard type == "image/png" || type == "image/jpeg" else {
            throw SnapshotProblem(message: "snapshot is not a PNG or JPEG image")
        }
        guard let size = Self.pixelSize(of: [UInt8](data), type: type ?? "") else {
            throw SnapshotProblem(message: "snapshot has no readable image size")
        }
        contentType = type ?? ""
        self.data = data
        (width, height) = size
        sha256 = Access.digest(data)
    }

    /// The width and height in pixels: PNG's IHDR (RFC 2083 §4.1.1, big-endian words at bytes 16 and 20); JPEG's
    /// first start-of-frame marker (ISO/IEC 10918-1 B.2.2: `FF C0`–`FF CF` except `C4`, `C8`, `CC`; height at +5,
    /// width at +7), found by walking the marker segments.
    static func pixelSize(of bytes: [UInt8], type: String) -> (Int, Int)? {
        func word16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        if type == "image/png" {
            let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
            let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
            return (width, height)
        }
        var at = 2
        while at + 9 < bytes.count {
            guard bytes[at] == 0xFF else { return nil }
            let marker = bytes[at + 1]
            if marker == 0xFF {
                at += 1
                continue
            }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                let height = word16(at + 5)
                let width = word16(at + 7)
                return width > 0 && height > 0 ? (width, height) : nil
            }
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 {
                at += 2
                continue
            }
            at += 2 + word16(at + 2)
        }
        return nil
    }
}

/// Why a snapshot is refused.
struct SnapshotProblem: Error, Sendable, Equatable {
    var message: String
}

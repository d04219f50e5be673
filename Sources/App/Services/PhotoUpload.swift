import Foundation

/// A photo an operator sends with a case action, checked before anything is written: JPEG, PNG or WebP as told by
/// the file's own first bytes (the sender's content type and file name are not trusted), 1 byte to 5 MiB, at most
/// four with one action.
struct PhotoUpload: Sendable {
    /// Largest photo accepted: 5 MiB (a phone camera's JPEG is 2–4 MB).
    static let maxBytes = 5 * 1024 * 1024
    /// Most photos sent with one action (before / during / after, plus one).
    static let maxCount = 4
    /// The request body that can carry `maxCount` photos plus the form fields.
    static let maxBodyBytes = maxCount * maxBytes + 64 * 1024

    /// `image/jpeg`, `image/png` or `image/webp`.
    let contentType: String
    let data: Data

    /// Checks one file.
    /// - Parameters:
    ///   - name: the file name the sender gave, for messages only.
    ///   - data: the file's bytes.
    /// - Throws: ``PhotoError/empty(_:)``, ``PhotoError/tooLarge(_:bytes:)``, ``PhotoError/notAnImage(_:)``.
    init(name: String, data: Data) throws(PhotoError) {
        guard !data.isEmpty else { throw .empty(name) }
        guard data.count <= Self.maxBytes else { throw .tooLarge(name, bytes: data.count) }
        guard let type = Self.imageType(of: data) else { throw .notAnImage(name) }
        contentType = type
        self.data = data
    }

    /// Checks every file of one action.
    /// - Throws: ``PhotoError/tooMany(_:)`` for more than ``maxCount``, or the first file's error.
    static func check(_ files: [(name: String, data: Data)]) throws(PhotoError) -> [PhotoUpload] {
        guard files.count <= maxCount else { throw .tooMany(files.count) }
        var uploads: [PhotoUpload] = []
        for file in files { uploads.append(try PhotoUpload(name: file.name, data: file.data)) }
        return uploads
    }

    /// The image type by its signature: JPEG `FF D8 FF` (JFIF/Exif, ISO/IEC 10918-1 SOI marker), PNG's 8-byte
    /// signature (RFC 2083 §3.1), WebP `RIFF????WEBP` (RFC 9649 §2); nil for anything else.
    static func imageType(of data: Data) -> String? {
        let head = [UInt8](data.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }
}

/// Why a photo was refused (400); nothing was written.
enum PhotoError: Error, Equatable, CustomStringConvertible {
    case empty(String)
    case tooLarge(String, bytes: Int)
    case notAnImage(String)
    case tooMany(Int)

    var description: String {
        switch self {
        case .empty(let name): "photo '\(name)' is empty"
        case .tooLarge(let name, let bytes):
            "photo '\(name)' is \(bytes) bytes; the largest accepted is \(PhotoUpload.maxBytes) bytes (5 MiB)"
        case .notAnImage(let name): "photo '\(name)' is not a JPEG, PNG or WebP image"
        case .tooMany(let count): "\(count) photos sent; at most \(PhotoUpload.maxCount) go with one action"
        }
    }
}

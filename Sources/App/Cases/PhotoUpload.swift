import Foundation

/// A photo an operator sends with a case action, checked before anything is written: JPEG, PNG or WebP as told by
/// the file's own structure (the sender's content type and file name are not trusted), at most 5 MiB, at most four
/// with one action. The structure check reads the container, not the pixels: it is not a full decoder.
struct PhotoUpload: Sendable {
    /// Largest photo accepted, in bytes: 5 MiB (a phone camera's JPEG is 2–4 MB).
    static let maxBytes = 5 * 1024 * 1024
    /// Most photos sent with one action (before / during / after, plus one).
    static let maxCount = 4
    /// Largest request body, in bytes, that carries `maxCount` photos plus 64 KiB of form fields and part headers.
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

    /// The image type by its container structure, or nil for anything else:
    /// - JPEG (ISO/IEC 10918-1 Annex B): starts with the SOI marker `FF D8 FF` and ends with EOI `FF D9`;
    /// - PNG (RFC 2083 §3.1, §4.1.1): the 8-byte signature, then an `IHDR` chunk of 13 bytes with a width and height
    ///   of at least 1, and an `IEND` chunk at the end;
    /// - WebP (RFC 9649 §2): `RIFF`, a size equal to the file's length − 8, `WEBP`, then a `VP8 `, `VP8L` or `VP8X`
    ///   chunk.
    static func imageType(of data: Data) -> String? {
        let bytes = [UInt8](data)
        func word(_ at: Int) -> UInt32 {  // big-endian
            bytes[at..<at + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        if bytes.count >= 6, bytes.starts(with: [0xFF, 0xD8, 0xFF]), bytes.suffix(2).elementsEqual([0xFF, 0xD9]) {
            return "image/jpeg"
        }
        if bytes.count >= 57, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            word(8) == 13, bytes[12..<16].elementsEqual("IHDR".utf8), word(16) > 0, word(20) > 0,
            bytes.suffix(12).elementsEqual([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        {
            return "image/png"
        }
        if bytes.count >= 20, bytes.starts(with: Array("RIFF".utf8)), bytes[8..<12].elementsEqual("WEBP".utf8),
            UInt32(bytes[4]) | UInt32(bytes[5]) << 8 | UInt32(bytes[6]) << 16 | UInt32(bytes[7]) << 24
                == UInt32(bytes.count - 8),
            ["VP8 ", "VP8L", "VP8X"].contains(String(decoding: bytes[12..<16], as: UTF8.self))
        {
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

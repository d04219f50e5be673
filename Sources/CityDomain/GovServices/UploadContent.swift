import Foundation

/// The type of an uploaded material as its own bytes tell it (the sender's file name and content type are not
/// trusted): PDF (ISO 32000-1 §7.5.2: `%PDF-` header, `%%EOF` near the end), JPEG (ISO/IEC 10918-1 Annex B: SOI
/// `FF D8 FF` … EOI `FF D9`) or PNG (RFC 2083: the 8-byte signature then `IHDR`).
public enum UploadContent: String, Sendable, CaseIterable {
    case pdf = "application/pdf"
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// Largest material accepted, in bytes (2 MiB: a scanned A4 page at 200 dpi).
    public static let maxBytes = 2 * 1024 * 1024

    /// Why an upload is refused.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty(String)
        case tooLarge(String, bytes: Int)
        /// The bytes are none of the accepted types (whatever the name says).
        case notAcceptedType(String)

        public var description: String {
            switch self {
            case .empty(let name): "material '\(name)' is empty"
            case .tooLarge(let name, let bytes):
                "material '\(name)' is \(bytes) bytes; the largest accepted is \(UploadContent.maxBytes) bytes (2 MiB)"
            case .notAcceptedType(let name):
                "material '\(name)' is not a PDF, JPEG or PNG file by its content (the file name or type given does not count)"
            }
        }
    }

    /// Detects the type of `bytes`, checking size first.
    /// - Parameter name: the material's name, for messages.
    /// - Throws: ``Problem``.
    public static func detect(_ bytes: [UInt8], name: String) throws(Problem) -> UploadContent {
        guard !bytes.isEmpty else { throw .empty(name) }
        guard bytes.count <= maxBytes else { throw .tooLarge(name, bytes: bytes.count) }
        if bytes.starts(with: Array("%PDF-".utf8)), bytes.suffix(1024).firstRange(of: Array("%%EOF".utf8)) != nil {
            return .pdf
        }
        if bytes.count >= 6, bytes.starts(with: [0xFF, 0xD8, 0xFF]), bytes.suffix(2).elementsEqual([0xFF, 0xD9]) {
            return .jpeg
        }
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
            bytes[12..<16].elementsEqual("IHDR".utf8)
        {
            return .png
        }
        throw .notAcceptedType(name)
    }
}

import Foundation

/// What an e-licence's signature covers: everything a checkpoint needs to recognise the holder and the licence
/// without asking a server.
///
/// Canonical encoding (format 1), the bytes that are signed and carried in the QR payload:
/// ```
/// 0x01                                   format version
/// number, kind, holder name, holder identity (masked), issuer unit code, key id, status list id
///                                        each: 1 byte length (≤ 255) + UTF-8 bytes
/// issued at, valid until                 each: signed 64-bit big-endian seconds since 1970 (valid until 0 = 长期)
/// status index                           unsigned 32-bit big-endian
/// ```
/// Fixed order, fixed widths and no optional fields, so one licence has exactly one encoding; decoding refuses any
/// other byte string (an unknown version, a short field, trailing bytes, invalid UTF-8).
public struct LicencePayload: Hashable, Sendable {
    public static let formatVersion: UInt8 = 1
    /// The GB/T 36904-style number (``LicenceNumber``).
    public var number: String
    /// The licence kind's code, e.g. `birth_medical_certificate`.
    public var kind: String
    public var holderName: String
    /// The holder's identity number masked as the rest of government services shows it (never in clear).
    public var holderIdentity: String
    /// The issuing unit's code, e.g. `310115.health`.
    public var issuer: String
    /// The signing key's id.
    public var keyID: String
    /// The status list (revocation) this licence's bit is in, and its index there.
    public var statusList: String
    public var statusIndex: UInt32
    /// Seconds since 1970 (UTC).
    public var issuedAt: Int64
    /// Seconds since 1970 (UTC) after which the licence is expired; nil for no end (长期有效).
    public var validUntil: Int64?

    public init(
        number: String, kind: String, holderName: String, holderIdentity: String, issuer: String, keyID: String,
        statusList: String, statusIndex: UInt32, issuedAt: Int64, validUntil: Int64?
    ) {
        self.number = number
        self.kind = kind
        self.holderName = holderName
        self.holderIdentity = holderIdentity
        self.issuer = issuer
        self.keyID = keyID
        self.statusList = statusList
        self.statusIndex = statusIndex
        self.issuedAt = issuedAt
        self.validUntil = validUntil
    }

    /// Why bytes are not a payload.
    public enum DecodingError: Error, Equatable, Sendable {
        case unsupportedVersion(UInt8)
        /// The bytes end inside this field.
        case truncated(field: String)
        case invalidText(field: String)
        case trailingBytes(Int)
    }

    /// Why a payload cannot be encoded.
    public struct EncodingError: Error, Equatable, Sendable {
        public let field: String
    }

    private var texts: [(String, String)] {
        [
            ("number", number), ("kind", kind), ("holder_name", holderName), ("holder_identity", holderIdentity),
            ("issuer", issuer), ("key_id", keyID), ("status_list", statusList),
        ]
    }

    /// The canonical bytes.
    /// - Throws: ``EncodingError`` when a text field is longer than 255 bytes in UTF-8.
    public func encoded() throws(EncodingError) -> [UInt8] {
        var bytes: [UInt8] = [Self.formatVersion]
        for (field, text) in texts {
            let utf8 = Array(text.utf8)
            guard utf8.count <= 255 else { throw EncodingError(field: field) }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes += Self.bigEndian(UInt64(bitPattern: issuedAt), width: 8)
        bytes += Self.bigEndian(UInt64(bitPattern: validUntil ?? 0), width: 8)
        bytes += Self.bigEndian(UInt64(statusIndex), width: 4)
        return bytes
    }

    /// Decodes canonical bytes.
    /// - Throws: ``DecodingError``.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = Reader(bytes: bytes)
        let version = try reader.integer(width: 1, field: "version")
        guard version == UInt64(Self.formatVersion) else { throw .unsupportedVersion(UInt8(version)) }
        var fields: [String] = []
        for field in ["number", "kind", "holder_name", "holder_identity", "issuer", "key_id", "status_list"] {
            fields.append(try reader.text(field: field))
        }
        let issued = Int64(bitPattern: try reader.integer(width: 8, field: "issued_at"))
        let until = Int64(bitPattern: try reader.integer(width: 8, field: "valid_until"))
        let index = UInt32(try reader.integer(width: 4, field: "status_index"))
        guard reader.offset == bytes.count else { throw .trailingBytes(bytes.count - reader.offset) }
        self.init(
            number: fields[0], kind: fields[1], holderName: fields[2], holderIdentity: fields[3], issuer: fields[4],
            keyID: fields[5], statusList: fields[6], statusIndex: index, issuedAt: issued,
            validUntil: until == 0 ? nil : until)
    }

    static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func integer(width: Int, field: String) throws(DecodingError) -> UInt64 {
            guard offset + width <= bytes.count else { throw .truncated(field: field) }
            defer { offset += width }
            return bytes[offset..<offset + width].reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func text(field: String) throws(DecodingError) -> String {
            let count = Int(try integer(width: 1, field: field))
            guard offset + count <= bytes.count else { throw .truncated(field: field) }
            defer { offset += count }
            guard let text = String(validating: bytes[offset..<offset + count], as: UTF8.self) else {
                throw .invalidText(field: field)
            }
            return text
        }
    }
}

import Foundation

/// A revocation list in the W3C Bitstring Status List v1.0 style: bit *i* is the status of the licence with status
/// index *i* (1 = revoked); the list is signed with an issuer key and carries its issue time, so an offline verifier
/// can fetch it once, cache it, and know how old its knowledge is.
///
/// Bit order as in the W3C recommendation: index 0 is the most significant bit of the first byte. The list is at
/// least ``minimumBits`` long (the recommendation's 131,072 bits = 16 KiB, so one index reveals little about which
/// licence is checked) and grows in steps of that size. Unlike the recommendation's `encodedList`, the bits are
/// base64url without GZIP: the project's dependencies hold no zlib binding; a mostly-zero 16 KiB list is 21.8 KB.
public struct LicenceStatusList: Hashable, Sendable {
    public static let minimumBits = 131_072
    public static let signingContext = Array("citynet-status-list-v1:".utf8)

    public var listID: String
    /// Seconds since 1970 (UTC).
    public var issuedAt: Int64
    public var keyID: String
    public private(set) var bits: [UInt8]

    /// A list with the given indexes set, long enough for `capacity` indexes (rounded up to ``minimumBits``).
    public init(listID: String, issuedAt: Int64, keyID: String, capacity: Int, revoked: [UInt32]) {
        let needed = max(capacity, Int(revoked.max() ?? 0) + 1)
        let blocks = max(1, (needed + Self.minimumBits - 1) / Self.minimumBits)
        self.init(listID: listID, issuedAt: issuedAt, keyID: keyID, bits: [UInt8](repeating: 0, count: blocks * 16_384))
        for index in revoked { bits[Int(index) / 8] |= 0x80 >> UInt8(index % 8) }
    }

    public init(listID: String, issuedAt: Int64, keyID: String, bits: [UInt8]) {
        self.listID = listID
        self.issuedAt = issuedAt
        self.keyID = keyID
        self.bits = bits
    }

    public var bitCount: Int { bits.count * 8 }

    /// Whether the licence at `index` is revoked; nil when the list is shorter than the index.
    public func isRevoked(_ index: UInt32) -> Bool? {
        guard Int(index) < bitCount else { return nil }
        return bits[Int(index) / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// The signed bytes: ``signingContext``, then the list id and key id (1-byte length + UTF-8 each), the issue time
    /// (signed 64-bit big-endian seconds), the bit count (unsigned 32-bit big-endian) and the bits.
    public var signedMessage: [UInt8] {
        var bytes = Self.signingContext
        for text in [listID, keyID] {
            let utf8 = Array(text.utf8.prefix(255))
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes += LicencePayload.bigEndian(UInt64(bitPattern: issuedAt), width: 8)
        bytes += LicencePayload.bigEndian(UInt64(bitCount), width: 4)
        return bytes + bits
    }
}

/// The published, signed status list (`GET /api/v1/licence-status-list`, the file `citynet licence verify
/// --status-list` reads).
public struct LicenceStatusDocument: Codable, Hashable, Sendable {
    public var listID: String
    /// ISO 8601, whole seconds, UTC.
    public var issuedAt: String
    public var keyID: String
    public var bitCount: Int
    /// The bits, base64url without padding.
    public var encodedList: String
    /// Ed25519 over ``LicenceStatusList/signedMessage``, base64url without padding.
    public var signature: String

    enum CodingKeys: String, CodingKey {
        case listID = "list_id"
        case issuedAt = "issued_at"
        case keyID = "key_id"
        case bitCount = "bit_count"
        case encodedList = "encoded_list"
        case signature
    }

    public init(list: LicenceStatusList, signature: [UInt8]) {
        listID = list.listID
        issuedAt = LicenceTime.iso(list.issuedAt)
        keyID = list.keyID
        bitCount = list.bitCount
        encodedList = Base64URL.encode(list.bits)
        self.signature = Base64URL.encode(signature)
    }

    /// The list and its signature, when the document is well formed (nil otherwise).
    public func decoded() -> (list: LicenceStatusList, signature: [UInt8])? {
        guard let bits = Base64URL.decode(encodedList), bits.count * 8 == bitCount,
            let signature = Base64URL.decode(self.signature), let issued = LicenceTime.parse(issuedAt)
        else { return nil }
        return (LicenceStatusList(listID: listID, issuedAt: issued, keyID: keyID, bits: bits), signature)
    }
}

/// base64url without padding (RFC 4648 §5).
public enum Base64URL {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// nil when `text` is not base64url.
    public static func decode(_ text: String) -> [UInt8]? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map { Array($0) }
    }
}

/// Licence times: seconds since 1970, shown as ISO 8601 UTC with whole seconds.
public enum LicenceTime {
    public static func iso(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    public static func parse(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }
}

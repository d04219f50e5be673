import Foundation

/// The compact form of a signed e-licence a QR code carries: `CNL1:` followed by the Base45 (``Base45``) of the
/// canonical payload (``LicencePayload/encoded()``) and its 64-byte Ed25519 signature.
///
/// Base45 rather than base64url: every character of `CNL1:` + Base45 is in the QR alphanumeric set, which a QR
/// code stores at 5.5 bits a character (byte mode: 8), so the same licence fits a smaller code, as the EU Digital
/// COVID Certificate's `HC1:` does. The prefix names the format version, so a later format can change everything
/// after it.
public struct LicenceQR: Hashable, Sendable {
    public static let prefix = "CNL1:"
    public static let signatureLength = 64
    /// The context signed before the payload, so a licence's signature can never pass for another kind of signed
    /// document (a status list) made with the same key.
    public static let signingContext = Array("citynet-licence-v1:".utf8)

    public let payloadBytes: [UInt8]
    public let signature: [UInt8]
    public let payload: LicencePayload

    /// Why a pasted text is not a licence payload.
    public enum Problem: Error, Equatable, Sendable {
        case prefix
        case base45(Base45.DecodingError)
        /// Fewer bytes than a signature and a version byte.
        case tooShort(Int)
        case payload(LicencePayload.DecodingError)
    }

    /// The bytes the issuer signs: ``signingContext`` followed by the payload.
    public static func signedMessage(_ payloadBytes: [UInt8]) -> [UInt8] { signingContext + payloadBytes }

    /// Assembles a payload and its signature.
    public init(payload: LicencePayload, signature: [UInt8]) throws(LicencePayload.EncodingError) {
        self.payload = payload
        payloadBytes = try payload.encoded()
        self.signature = signature
    }

    /// Parses a pasted or scanned text; surrounding white space is ignored.
    /// - Throws: ``Problem`` naming what is wrong.
    public init(parsing text: String) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(Self.prefix) else { throw .prefix }
        let bytes: [UInt8]
        do { bytes = try Base45.decode(String(trimmed.dropFirst(Self.prefix.count))) } catch { throw .base45(error) }
        guard bytes.count > Self.signatureLength else { throw .tooShort(bytes.count) }
        payloadBytes = Array(bytes.dropLast(Self.signatureLength))
        signature = Array(bytes.suffix(Self.signatureLength))
        do { payload = try LicencePayload(decoding: payloadBytes) } catch { throw .payload(error) }
    }

    /// The text to put in the QR code.
    public var text: String { Self.prefix + Base45.encode(payloadBytes + signature) }
}

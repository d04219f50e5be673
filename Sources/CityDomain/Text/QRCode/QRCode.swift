import Foundation

/// A QR Code symbol (ISO/IEC 18004:2015, Model 2) for a text: versions 1–40, one segment, error correction L, M, Q
/// or H, with the mask chosen by the standard's penalty rules (§7.8.3).
///
/// Hand-written because no Swift QR library resolves on the machines CityNet must build on and a C library would
/// break the "only the Swift toolchain" promise; it encodes what the e-licence payloads need (``LicenceQR``'s
/// `CNL1:` + Base45 text is all in the alphanumeric set) and nothing more: no ECI, no Kanji, no structured append,
/// no Micro QR. Modules are addressed as `(x, y)`: column and row from the top-left corner, 0-based.
public struct QRCode: Hashable, Sendable {
    /// The error correction level (§5.3.1): the share of codewords that can be restored.
    public enum ErrorCorrection: String, CaseIterable, Sendable {
        /// About 7 %.
        case low = "L"
        /// About 15 %.
        case medium = "M"
        /// About 25 %.
        case quartile = "Q"
        /// About 30 %.
        case high = "H"

        /// The two bits of the format information (§7.9.1, Table 12): L 01, M 00, Q 11, H 10.
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }
    }

    /// Why a text cannot be encoded.
    public enum EncodingError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text needs `bitsNeeded` data bits in `mode`, and version 40 at this level holds `bitsAvailable`
        /// (or its character count exceeds what version 40's count indicator can state).
        case tooLong(characters: Int, mode: Mode, level: ErrorCorrection, bitsNeeded: Int, bitsAvailable: Int)

        public var description: String {
            switch self {
            case .tooLong(let characters, let mode, let level, let needed, let available):
                "a text of \(characters) characters needs \(needed) data bits in \(mode.rawValue) mode; a version 40 "
                    + "QR code at level \(level.rawValue) holds \(available)"
            }
        }
    }

    /// 1–40; the symbol is `17 + 4 · version` modules wide (§5.3.2).
    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// The data mask pattern reference, 0–7 (§7.8.2, Table 10).
    public let mask: Int
    /// The mode the text was encoded in.
    public let mode: Mode
    /// Row-major, `true` for a dark module.
    let modules: [Bool]

    /// Modules per side, without the quiet zone.
    public var size: Int { version * 4 + 17 }

    /// Whether the module in column `x`, row `y` (0-based from the top left) is dark; outside the symbol (the quiet
    /// zone) is light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Encodes `text` in the smallest version (1–40) that holds it at `level`.
    ///
    /// The mode is numeric when the text is all digits, alphanumeric when every character is in the 45-character
    /// set of §7.4.4 (digits, upper-case A–Z, space and `$%*+-./:`; a lower-case letter is not), and otherwise
    /// byte mode holding the text's UTF-8 (readers take UTF-8 without an ECI header in practice).
    /// - Throws: ``EncodingError/tooLong(characters:mode:level:bitsNeeded:bitsAvailable:)`` when even version 40
    ///   is too small.
    public static func encode(_ text: String, level: ErrorCorrection = .medium) throws(EncodingError) -> QRCode {
        let segment = Segment(text)
        guard let version = segment.smallestVersion(level: level) else {
            throw .tooLong(
                characters: segment.characterCount, mode: segment.mode, level: level,
                bitsNeeded: segment.bitLength(version: 40),
                bitsAvailable: QRCapacity.dataCodewords(version: 40, level: level) * 8)
        }
        let data = segment.dataCodewords(version: version, level: level)
        let codewords = QRCapacity.interleave(data, version: version, level: level)
        var matrix = QRMatrix(version: version)
        matrix.place(codewords)
        var best: (matrix: QRMatrix, mask: Int, penalty: Int)?
        for mask in 0..<8 {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormat(level: level, mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (candidate, mask, penalty) }
        }
        return QRCode(
            version: version, errorCorrection: level, mask: best!.mask, mode: segment.mode,
            modules: best!.matrix.dark)
    }
}

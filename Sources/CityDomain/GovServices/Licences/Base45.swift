import Foundation

/// Base45 (RFC 9285): bytes as characters of the QR code's alphanumeric mode, so a QR code stores them at 5.5 bits a
/// character instead of the 8 of byte mode (the EU Digital COVID Certificate's `HC1:` payloads use it for this
/// reason).
///
/// RFC 9285 §4: each pair of bytes `[a, b]` is `n = a·256 + b`, written as three characters `c d e` with
/// `n = c + d·45 + e·45²`; a final single byte as two characters. Hand-written (about 40 lines) because no Swift
/// library for it is among the project's dependencies.
public enum Base45 {
    /// The 45 characters, in value order (RFC 9285 §4, table 1).
    public static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
    private static let values: [UInt8: Int] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    /// Why a string is not Base45.
    public enum DecodingError: Error, Equatable, Sendable {
        /// A character outside the alphabet (lower-case letters included), at this 0-based offset.
        case character(offset: Int, character: Character)
        /// A length of 3k+1 characters, which no byte string encodes to.
        case length(Int)
        /// A group whose value exceeds what it can encode (65535 for three characters, 255 for two), at this offset.
        case value(offset: Int)
    }

    /// `bytes` in Base45.
    public static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count + 1) / 2 * 3)
        var index = 0
        while index + 1 < input.count {
            let n = Int(input[index]) * 256 + Int(input[index + 1])
            output += [alphabet[n % 45], alphabet[n / 45 % 45], alphabet[n / 2025]]
            index += 2
        }
        if index < input.count {
            let n = Int(input[index])
            output += [alphabet[n % 45], alphabet[n / 45]]
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes `text` encodes.
    /// - Throws: ``DecodingError`` for a character outside the alphabet, a length of 3k+1, or a group out of range.
    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        let characters = Array(text)
        var digits: [Int] = []
        digits.reserveCapacity(characters.count)
        for (offset, character) in characters.enumerated() {
            guard character.isASCII, let ascii = character.asciiValue, let value = values[ascii] else {
                throw .character(offset: offset, character: character)
            }
            digits.append(value)
        }
        guard digits.count % 3 != 1 else { throw .length(digits.count) }
        var output: [UInt8] = []
        output.reserveCapacity(digits.count / 3 * 2 + 1)
        var index = 0
        while index < digits.count {
            if index + 2 < digits.count {
                let n = digits[index] + digits[index + 1] * 45 + digits[index + 2] * 2025
                guard n <= 0xFFFF else { throw .value(offset: index) }
                output += [UInt8(n >> 8), UInt8(n & 0xFF)]
                index += 3
            } else {
                let n = digits[index] + digits[index + 1] * 45
                guard n <= 0xFF else { throw .value(offset: index) }
                output.append(UInt8(n))
                index += 2
            }
        }
        return output
    }
}

import Foundation

/// A citizen identity number (公民身份号码) checked against GB 11643-1999: 6 digits of address code, 8 of birth date
/// (YYYYMMDD), 3 of sequence (odd for men, even for women) and a check character computed by ISO 7064 MOD 11-2
/// (weights 2^(17−i) mod 11, result `10X98765432`).
///
/// The value keeps the number in its canonical form (upper-case `X`). ``masked`` is the only form that may reach a
/// screen or a log.
public struct IdentityNumber: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, with the check character upper-cased.
    public let value: String

    /// Why a text is not a valid identity number.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// Not 18 characters.
        case length(Int)
        /// A character other than a digit (or `X` at the end).
        case characters
        /// The birth date (characters 7–14) is not a real date, or lies after `today`, or before 1900.
        case birthDate(String)
        /// The check character does not match; `expected` is the correct one.
        case checkCharacter(expected: Character)

        public var description: String {
            switch self {
            case .length(let count): "an identity number has 18 characters, not \(count)"
            case .characters: "an identity number is 17 digits followed by a digit or X"
            case .birthDate(let text): "the birth date \(text) in the identity number is not a possible date"
            case .checkCharacter: "the check character (the 18th) does not match the first 17 digits (GB 11643-1999)"
            }
        }
    }

    /// Weights of the first 17 digits, ISO 7064 MOD 11-2 (GB 11643-1999 §8.2).
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check character for each remainder 0…10.
    static let checkCharacters = Array("10X98765432")

    /// Checks `text` (surrounding spaces ignored, a lower-case `x` accepted).
    /// - Parameter today: birth dates after this day are refused.
    /// - Throws: ``Problem``.
    public init(_ text: String, today: CalendarDay? = nil) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let chars = Array(trimmed)
        guard chars.count == 18 else { throw .length(chars.count) }
        guard chars[0..<17].allSatisfy({ $0.isASCII && $0.isNumber }),
            chars[17] == "X" || (chars[17].isASCII && chars[17].isNumber)
        else { throw .characters }
        let dateText = String(chars[6..<14])
        let isoDate = "\(dateText.prefix(4))-\(dateText.dropFirst(4).prefix(2))-\(dateText.suffix(2))"
        guard let birth = CalendarDay(isoDate), birth.year >= 1900, today.map({ birth <= $0 }) ?? true else {
            throw .birthDate(dateText)
        }
        let expected = Self.checkCharacter(for: String(chars[0..<17]))
        guard chars[17] == expected else { throw .checkCharacter(expected: expected) }
        value = trimmed
    }

    /// The check character for 17 digits (no validation of the digits beyond their values).
    public static func checkCharacter(for first17: String) -> Character {
        let sum = zip(first17, weights).reduce(0) { $0 + ($1.0.wholeNumberValue ?? 0) * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// The birth date the number encodes.
    public var birthDate: CalendarDay {
        let chars = Array(value)
        return CalendarDay(
            "\(String(chars[6..<10]))-\(String(chars[10..<12]))-\(String(chars[12..<14]))")!
    }

    /// The form shown on screens and written to logs: the first 3 and the last 4 characters, the rest as `*`
    /// (`110***********002X`), as the national government service platform shows them.
    public var masked: String { Self.mask(value) }

    /// Masks any text as ``masked`` does (3 first and 4 last characters kept); shorter text becomes all `*`.
    public static func mask(_ text: String) -> String {
        let chars = Array(text)
        guard chars.count > 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars[0..<3]) + String(repeating: "*", count: chars.count - 7) + String(chars.suffix(4))
    }

    /// Same as ``masked``: printing the value never reveals it.
    public var description: String { masked }
}

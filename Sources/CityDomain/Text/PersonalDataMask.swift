/// Masks the personal data citizens type into free text (a description, an address) before it is published.
///
/// Operators see reports as written; the public Open311 GET output shows them through ``mask(_:)``. What is masked,
/// wherever it stands in the text, written with ASCII or full-width digits and with spaces, hyphens or parentheses
/// between digit groups:
/// - Mainland mobile numbers (`1[3-9]` + 9 digits, optionally after `86`/`+86`): `138****5678` — the 4 digits after
///   the network prefix, as Chinese services conventionally show a number.
/// - Landline numbers with an area code (`010`, `02X` or `0XXX`, then a 7- or 8-digit local number, or the same
///   after `86` without the leading 0): the local number but its last 4 digits, `021-****4321`.
/// - Identity numbers (GB 11643-1999: 6-digit area, 8-digit birth date, 3-digit sequence, check digit or X): all but
///   the 6-digit area code, `310101************`. The check digit is not verified: a mistyped number is still the
///   person's.
/// - E-mail addresses: the local part but its first character, `z***@example.com`.
///
/// A digit run is masked only as a whole (digits right before or after make it another kind of number, an order
/// or bank reference, left as it is); separators and everything else are kept. Never fails; text without any of
/// these is returned unchanged.
public enum PersonalDataMask {
    /// The masking character.
    static let star: Unicode.Scalar = "*"

    /// `text` with phone numbers, identity numbers and e-mail addresses masked (see the type's rules).
    public static func mask(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { digitValue($0) != nil || $0 == "@" || $0 == "＠" }) else { return text }
        var protected = [Bool](repeating: false, count: scalars.count)
        var removed = [Bool](repeating: false, count: scalars.count)
        maskEmails(&scalars, protected: &protected, removed: &removed)
        maskNumbers(&scalars, protected: protected)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() where !removed[index] { result.append(scalar) }
        return String(result)
    }

    /// 0–9 for an ASCII or full-width digit.
    static func digitValue(_ scalar: Unicode.Scalar) -> Int? {
        switch scalar.value {
        case 0x30...0x39: Int(scalar.value - 0x30)
        case 0xFF10...0xFF19: Int(scalar.value - 0xFF10)
        default: nil
        }
    }

    // MARK: - E-mail

    private static func isLocalPartScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || digitValue(scalar) != nil || "._%+-".unicodeScalars.contains(scalar))
    }

    private static func isDomainScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || digitValue(scalar) != nil || scalar == "-" || scalar == ".")
    }

    /// Masks `local@domain.tld`: the local part becomes its first character and `***`; marks the address protected
    /// so that digits in it are not read as a phone number.
    private static func maskEmails(
        _ scalars: inout [Unicode.Scalar], protected: inout [Bool], removed: inout [Bool]
    ) {
        for at in scalars.indices where scalars[at] == "@" || scalars[at] == "＠" {
            var start = at
            while start > 0, isLocalPartScalar(scalars[start - 1]) { start -= 1 }
            var end = at + 1
            while end < scalars.count, isDomainScalar(scalars[end]) { end += 1 }
            while end > at + 1, scalars[end - 1] == "." || scalars[end - 1] == "-" { end -= 1 }  // sentence end
            let domain = String(String.UnicodeScalarView(scalars[(at + 1)..<end]))
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            guard start < at, labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }),
                let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter)
            else { continue }
            // Keep the first character, then three stars in place of the rest (whatever its length).
            let stars = min(3, at - start - 1)
            for index in (start + 1)..<at {
                if index - start - 1 < stars { scalars[index] = star } else { removed[index] = true }
            }
            if at - start == 1 { scalars[start] = star }  // a one-character local part is masked whole
            for index in start..<end { protected[index] = true }
        }
    }

    // MARK: - Numbers

    /// A maximal run of digits (the last may be an identity number's X).
    private struct Group {
        var indices: [Int]
        var digits: [Int]  // 10 for X
    }

    /// Scalars allowed between the digit groups of one number: spaces, hyphens and dashes, parentheses.
    private static let separators: Set<Unicode.Scalar> = [
        " ", "\u{3000}", "-", "－", "‐", "–", "—", "(", ")", "（", "）",
    ]

    private static func maskNumbers(_ scalars: inout [Unicode.Scalar], protected: [Bool]) {
        var index = 0
        while index < scalars.count {
            guard !protected[index], digitValue(scalars[index]) != nil else {
                index += 1
                continue
            }
            // A run: digit groups joined by one or two separators.
            var groups: [Group] = []
            var cursor = index
            while true {
                var group = Group(indices: [], digits: [])
                while cursor < scalars.count, !protected[cursor], let digit = digitValue(scalars[cursor]) {
                    group.indices.append(cursor)
                    group.digits.append(digit)
                    cursor += 1
                }
                if cursor < scalars.count, !protected[cursor], "xXＸ".unicodeScalars.contains(scalars[cursor]),
                    !(cursor + 1 < scalars.count && scalars[cursor + 1].properties.isAlphabetic
                        && scalars[cursor + 1].isASCII)
                {
                    group.indices.append(cursor)
                    group.digits.append(10)
                    cursor += 1
                }
                groups.append(group)
                guard group.digits.last != 10 else { break }
                var gap = cursor
                while gap < scalars.count, gap - cursor < 2, separators.contains(scalars[gap]) { gap += 1 }
                guard gap > cursor, gap < scalars.count, !protected[gap], digitValue(scalars[gap]) != nil else {
                    break
                }
                cursor = gap
            }
            maskRun(groups, in: &scalars)
            index = cursor
        }
    }

    /// Finds numbers made of whole consecutive groups, longest first from each group on, and masks them.
    private static func maskRun(_ groups: [Group], in scalars: inout [Unicode.Scalar]) {
        var first = 0
        while first < groups.count {
            var matched: (last: Int, masked: [Int])?
            var digits: [Int] = []
            var indices: [Int] = []
            for last in first..<groups.count {
                digits += groups[last].digits
                indices += groups[last].indices
                guard digits.count <= 18 else { break }
                if digits.dropLast().contains(10) { break }
                if let positions = maskedPositions(digits) { matched = (last, positions.map { indices[$0] }) }
            }
            if let matched {
                for index in matched.masked { scalars[index] = star }
                first = matched.last + 1
            } else {
                first += 1
            }
        }
    }

    /// Which positions of a number's digits to mask, or nil when it is none of the personal numbers.
    static func maskedPositions(_ digits: [Int]) -> [Int]? {
        let count = digits.count
        if count == 18, isIdentityNumber(digits) { return Array(6..<18) }
        guard !digits.contains(10) else { return nil }
        // Mobile: 1[3-9] + 9 digits, possibly after 86.
        for offset in [0, 2] where count == 11 + offset {
            if offset == 2, digits[0] != 8 || digits[1] != 6 { continue }
            if digits[offset] == 1, (3...9).contains(digits[offset + 1]) {
                return Array((offset + 3)..<(offset + 7))
            }
        }
        // Landline: 0 + area code + 7–8 digit local number, or 86 + area code without its 0.
        // `offset`: a digit's index in `digits` minus its index in `national`.
        let national: [Int]
        let offset: Int
        if digits.first == 0 {
            (national, offset) = (digits, 0)
        } else if count > 2, digits[0] == 8, digits[1] == 6, digits[2] != 0 {
            (national, offset) = ([0] + digits.dropFirst(2), 1)
        } else {
            return nil
        }
        guard national.count >= 2, national[1] != 0 else { return nil }
        let areaLength = national[1] == 1 || national[1] == 2 ? 3 : 4  // 010 and 02X; other codes have four digits
        let local = national.count - areaLength
        guard local == 8 || (local == 7 && areaLength == 4), national[areaLength] >= 2 else { return nil }
        return Array(areaLength..<(national.count - 4)).map { $0 + offset }
    }

    /// 18 characters, the first 17 digits, a plausible birth date (1900–2099) at 7–14, a digit or X last.
    static func isIdentityNumber(_ digits: [Int]) -> Bool {
        guard digits.count == 18, !digits.dropLast().contains(10), digits[0] != 0 else { return false }
        let number = { (range: Range<Int>) in range.reduce(0) { $0 * 10 + digits[$1] } }
        let year = number(6..<10)
        let month = number(10..<12)
        let day = number(12..<14)
        return (1900...2099).contains(year) && (1...12).contains(month) && (1...31).contains(day)
    }
}

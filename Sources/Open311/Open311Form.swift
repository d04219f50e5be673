import Foundation

/// Reads `application/x-www-form-urlencoded` bodies (GeoReport v2 "POST Service Request": the body is
/// form-encoded UTF-8).
///
/// Use it when the web framework's form decoding would merge repeated fields: a multivaluelist attribute arrives as
/// `attribute[code][]=a&attribute[code][]=b`.
public enum Open311Form {
    /// Splits a form body into its fields, in order, keeping repeated names.
    ///
    /// - Parameter body: the raw body, e.g. `"service_code=001&lat=31.23&attribute%5BWHO%5D%5B%5D=a"`.
    /// - Returns: name/value pairs, `+` read as a space and `%XX` sequences decoded as UTF-8 (WHATWG URL standard,
    ///   "application/x-www-form-urlencoded parsing"); a field without `=` has an empty value; empty segments (`&&`)
    ///   are skipped. A name or value whose escapes are malformed (`%G1`, a lone `%`) or do not decode to UTF-8
    ///   (`%FF`) becomes U+FFFD, which the app's text rules refuse as malformed UTF-8, rather than literal text.
    public static func pairs(fromURLEncoded body: String) -> [(name: String, value: String)] {
        body.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { segment in
            let parts = segment.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            return (name, value)
        }
    }

    private static func decode(_ field: Substring.UTF8View.SubSequence) -> String {
        let plus = UInt8(ascii: "+"), percent = UInt8(ascii: "%")
        guard field.contains(where: { $0 == plus || $0 == percent }) else {
            return String(decoding: field, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(field.count)
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            if byte == plus {
                bytes.append(UInt8(ascii: " "))
            } else if byte == percent {
                let high = field.index(after: index)
                guard high < field.endIndex, field.index(after: high) < field.endIndex,
                    let h = hexValue(field[high]), let l = hexValue(field[field.index(after: high)])
                else { return "\u{FFFD}" }
                bytes.append(h << 4 | l)
                index = field.index(after: high)
            } else {
                bytes.append(byte)
            }
            index = field.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self) ?? "\u{FFFD}"
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

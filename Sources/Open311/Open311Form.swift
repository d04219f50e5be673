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
    /// - Returns: name/value pairs, `+` read as a space and `%XX` sequences decoded as UTF-8; a field without `=`
    ///   has an empty value; empty segments (`&&`) are skipped; a sequence that is not valid percent-encoded UTF-8
    ///   is kept as written.
    public static func pairs(fromURLEncoded body: String) -> [(name: String, value: String)] {
        body.split(separator: "&", omittingEmptySubsequences: true).map { segment in
            let parts = segment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            return (name, value)
        }
    }

    private static func decode(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        // Escapes that do not decode to UTF-8 (%FF, a lone "%") become U+FFFD, which the app's text rules refuse
        // as malformed UTF-8, instead of being kept as literal "%FF" text.
        return spaced.removingPercentEncoding ?? "\u{FFFD}"
    }
}

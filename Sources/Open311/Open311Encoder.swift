import Foundation
import XMLCoder

/// A value that is a whole Open311 response body: it knows its XML root element.
///
/// Conforming: `Open311ServiceDefinition` (`<service_definition>`), `Open311Discovery` (`<discovery>`), and any array
/// of an `Open311ListItem` (`[Open311Service]` → `<services><service>…`, `[Open311ServiceRequest]`,
/// `[Open311RequestCreated]` and `[Open311Token]` → `<service_requests><request>…`, `[Open311RequestUpdate]` →
/// `<service_request_updates><request_update>…`, `[Open311Error]` → `<errors><error>…`).
public protocol Open311Document: Encodable, Sendable {
    /// The XML root element's name.
    static var xmlRootElement: String { get }
    /// The type XMLCoder encodes under the root element.
    associatedtype XMLContent: Encodable = Self
    /// What XMLCoder encodes under the root element; `self` unless the XML shape differs from the JSON one.
    var xmlContent: XMLContent { get }
}

extension Open311Document where XMLContent == Self {
    /// The document itself: its XML shape is its JSON shape under the root element.
    public var xmlContent: Self { self }
}

/// An element of a list response: in XML each item is one `xmlItemElement` inside `xmlListElement`; in JSON the
/// response is a bare array of objects (GeoReport v2 "JSON Support", the Spark convention).
public protocol Open311ListItem: Encodable, Sendable {
    /// The wrapping element, e.g. `services`.
    static var xmlListElement: String { get }
    /// The element of one item, e.g. `service`.
    static var xmlItemElement: String { get }
}

extension Array: Open311Document where Element: Open311ListItem {
    /// The element list's wrapper, e.g. `services` for `[Open311Service]`.
    public static var xmlRootElement: String { Element.xmlListElement }
    /// The items as repeated `Element.xmlItemElement`s.
    public var xmlContent: Open311XMLList<Element> {
        Open311XMLList(itemElement: Element.xmlItemElement, items: self)
    }
}

/// How much whitespace the encoder writes.
public enum Open311OutputStyle: Sendable {
    /// Indented: XML by 4 spaces as in the spec's examples, JSON by 2 spaces. The default.
    case pretty
    /// No whitespace between elements or tokens.
    case compact
}

/// Encodes Open311 documents to the bytes of an HTTP response body.
///
/// - XML: `<?xml version="1.0" encoding="utf-8"?>` then the root element; element names are the spec's; `<`, `>`,
///   `&`, `'` and `"` in text are escaped as entities; a carriage return is written `&#13;` (a parser turns a
///   literal one into a line feed, XML 1.0 §2.11), and a character XML 1.0 cannot carry at all (C0 controls but
///   tab and line feed, U+FFFE, U+FFFF) becomes U+FFFD, so every body parses; an absent optional field is an empty
///   element (`<zipcode />`).
/// - JSON: lists are bare arrays, a service definition and discovery are objects; keys are sorted alphabetically
///   (stable output); an absent optional field is `null`; Chinese text and `/` are written unescaped.
/// - Both: UTF-8; date-times as `2026-11-29T19:14:06+08:00` (Asia/Shanghai); `lat`/`long` as numbers (WGS84
///   degrees).
public enum Open311Encoder {
    /// Encodes a response document in the requested format.
    ///
    /// - Parameters:
    ///   - value: the document, e.g. `[Open311ServiceRequest]` or an `Open311ServiceDefinition`.
    ///   - format: `.xml` or `.json`, as parsed from the path suffix.
    ///   - style: `.pretty` (default) or `.compact`.
    /// - Returns: UTF-8 bytes; send them with `format.contentType`.
    /// - Throws: an `EncodingError` only if a value cannot be represented (a non-finite `lat`/`long` is written as
    ///   null/empty instead, so in practice this does not throw for the types of this module).
    public static func encode<T: Open311Document>(
        _ value: T, format: Open311Format, style: Open311OutputStyle = .pretty
    ) throws -> Data {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting =
                style == .pretty
                ? [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
                : [.sortedKeys, .withoutEscapingSlashes]
            encoder.userInfo[.open311Format] = Open311Format.json
            let data = try encoder.encode(value)
            // Foundation pretty-prints an empty array as "[\n\n]"; clients and reviewers read "[]" more easily.
            return data == Data("[\n\n]".utf8) ? Data("[]".utf8) : data
        case .xml:
            let encoder = XMLEncoder()
            if style == .pretty {
                encoder.outputFormatting = [.prettyPrinted]
                encoder.prettyPrintIndentation = .spaces(4)
            }
            encoder.userInfo[.open311Format] = Open311Format.xml
            return try encodeXML(value.xmlContent, root: T.xmlRootElement, encoder: encoder)
        }
    }

    private static func encodeXML<V: Encodable>(_ content: V, root: String, encoder: XMLEncoder) throws -> Data {
        XMLCharacters.sanitize(
            try encoder.encode(content, withRootKey: root, header: XMLHeader(version: 1.0, encoding: "utf-8")))
    }

    /// Encodes an error response body (GeoReport v2 "Errors"): `<errors><error><code/><description/></error>…`
    /// in XML, `[{"code":…,"description":…}]` in JSON.
    ///
    /// - Parameters:
    ///   - errors: one or more errors; the HTTP status is the app's choice (usually the first error's `code`).
    ///   - format: the format the client asked for; use `.xml` when the suffix itself was unusable.
    ///   - style: `.pretty` (default) or `.compact`.
    /// - Returns: UTF-8 bytes. Never fails.
    public static func encode(
        errors: [Open311Error], format: Open311Format, style: Open311OutputStyle = .pretty
    ) -> Data {
        if let data = try? encode(errors, format: format, style: style) { return data }
        // Unreachable for Int + String fields; kept so that an error path never throws.
        return Data(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>500</code></error></errors>".utf8)
    }
}

extension CodingUserInfoKey {
    /// Tells the wire types whether they are being encoded to XML or JSON, where their shapes differ.
    static let open311Format = CodingUserInfoKey(rawValue: "open311.format")!
}

extension Encoder {
    var open311Format: Open311Format { (userInfo[.open311Format] as? Open311Format) ?? .json }
}

/// A string coding key for element names chosen at run time.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// In XML, a list is repeated `itemElement`s inside the parent element; in JSON it is a plain array.
/// Public only because `Array`'s `Open311Document.XMLContent` names it; build documents from arrays instead.
public struct Open311XMLList<Item: Encodable>: Encodable {
    let itemElement: String
    let items: [Item]

    /// Encodes the wire fields in the spec's order; whether a list or absent value becomes XML elements or JSON
    /// arrays/nulls follows the format `Open311Encoder` is writing.
    public func encode(to encoder: Encoder) throws {
        if encoder.open311Format == .json {
            var container = encoder.singleValueContainer()
            try container.encode(items)
        } else {
            var container = encoder.container(keyedBy: AnyKey.self)
            try container.encode(items, forKey: AnyKey(itemElement))
        }
    }
}

extension KeyedEncodingContainer {
    /// Encodes a date as a W3C string in Asia/Shanghai, or null / an empty element when absent.
    mutating func encodeOpen311Date(_ date: Date?, forKey key: Key) throws {
        try encode(date.map(Open311DateFormat.string(from:)), forKey: key)
    }

    /// Encodes a coordinate in degrees as a number, or null / an empty element when absent or not finite.
    mutating func encodeDegrees(_ value: Double?, forKey key: Key) throws {
        try encode(value.flatMap { $0.isFinite ? $0 : nil }, forKey: key)
    }

    /// Encodes a list as repeated `itemElement`s in XML, or as an array in JSON.
    mutating func encodeList<Item: Encodable>(_ items: [Item], itemElement: String, forKey key: Key) throws {
        try encode(Open311XMLList(itemElement: itemElement, items: items), forKey: key)
    }
}

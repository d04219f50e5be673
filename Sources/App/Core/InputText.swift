import CityDomain
import Foundation
import Open311
import Vapor

/// The one check every input passes at the edge: no path segment, query parameter, form field or JSON string may
/// hold a character that CityNet refuses everywhere (``TextRules/isRefusedEverywhere(_:)``: NUL and the other C0
/// controls but tab, line feed and carriage return, and the noncharacters such as U+FFFE). Such a character would
/// make PostgreSQL fail (NUL) or an XML body unparseable, so it is answered with a 400 that names where it was,
/// on SQLite and PostgreSQL alike, before any handler or database sees it.
///
/// The path and query are checked by ``InputTextMiddleware`` for every request; bodies by the content decoders
/// (``install()`` wraps JSON, URL-encoded and multipart decoding), so every route that decodes a body is covered
/// whatever body size it collects. Code that parses a body by hand calls ``check(body:contentType:)`` itself.
enum InputText {
    /// Where a refused character was found.
    struct Refused: AbortError, Equatable {
        /// `query parameter`, `form field`, `JSON field`, `path`, …
        var place: String
        /// The parameter or field's name (`assignee`, `note`, `items[2].name`); empty for the path.
        var name: String
        /// The character, as a code point.
        var codePoint: UInt32

        var status: HTTPResponseStatus { .badRequest }
        var reason: String {
            let what = name.isEmpty ? place : "\(place) '\(Self.printable(name))'"
            let character = TextRules.codePointName(codePoint)
            return codePoint < 0x20
                ? "\(what) contains the control character \(character); no input may hold control characters other"
                    + " than tab and line breaks"
                : "\(what) contains \(character), which is not a character (XML 1.0 forbids it)"
        }

        /// `name` with every refused character written as `U+XXXX`, so the message never carries one.
        static func printable(_ name: String) -> String {
            var text = ""
            for scalar in name.unicodeScalars {
                if TextRules.isRefusedEverywhere(scalar) {
                    text += "<\(TextRules.codePointName(scalar.value))>"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
            return text
        }
    }

    /// The first refused scalar of `text`, if any.
    static func firstRefused(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first(where: TextRules.isRefusedEverywhere)
    }

    /// Checks the percent-encoded path and query string of a request URL.
    /// - Throws: ``Refused`` naming the query parameter, or the path.
    static func check(path: String, query: String?) throws {
        for segment in path.split(separator: "/") {
            if let decoded = segment.removingPercentEncoding, let scalar = firstRefused(in: decoded) {
                throw Refused(place: "the path", name: "", codePoint: scalar.value)
            }
        }
        if let query { try check(pairs: Open311Form.pairs(fromURLEncoded: query), place: "query parameter") }
    }

    /// Checks name/value pairs (a query string or a URL-encoded form, already decoded).
    /// - Throws: ``Refused`` naming the first pair whose name or value holds a refused character.
    static func check(pairs: [(name: String, value: String)], place: String) throws {
        for (name, value) in pairs {
            if let scalar = firstRefused(in: name) ?? firstRefused(in: value) {
                throw Refused(place: place, name: name, codePoint: scalar.value)
            }
        }
    }

    /// Checks a request body of one of the types CityNet decodes: JSON, URL-encoded or multipart form (file
    /// parts are binary and not checked). Other types, and bodies that are not valid UTF-8 or not valid JSON, are
    /// left to the decoders, which refuse them with their own 400.
    /// - Throws: ``Refused`` naming the field.
    static func check(body: ByteBuffer, contentType: HTTPMediaType?) throws {
        guard let contentType else { return }
        if contentType == .json {
            guard let text = String(validating: body.readableBytesView, as: UTF8.self) else { return }
            try checkJSON(text)
        } else if contentType == .urlEncodedForm {
            try check(pairs: Open311Form.pairs(fromURLEncoded: String(buffer: body)), place: "form field")
        } else if contentType == .formData, let boundary = contentType.parameters["boundary"] {
            try checkMultipart(body, boundary: boundary)
        }
    }

    /// JSON: a refused character may be raw (U+FFFE) or escaped (`\u0000`); only when one is seen is the body
    /// parsed to find the field it is in (the common body costs one pass over its characters).
    private static func checkJSON(_ text: String) throws {
        guard let seen = firstRefused(in: text) ?? refusedEscape(in: text) else { return }
        if let data = text.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]),
            let (path, scalar) = refusedString(in: value, path: "")
        {
            throw Refused(place: path.isEmpty ? "the JSON body" : "JSON field", name: path, codePoint: scalar.value)
        }
        // Seen but not in the parsed value: a repeated key (the parser keeps the last copy, Codable the first) or a
        // body that does not parse. Refused all the same, so no decoder ever hands it on.
        throw Refused(place: "the JSON body", name: "", codePoint: seen.value)
    }

    /// The first `\uXXXX` escape (or escaped surrogate pair) in JSON text that stands for a refused character.
    private static func refusedEscape(in text: String) -> Unicode.Scalar? {
        let utf8 = Array(text.utf8)
        var index = 0
        var highSurrogate: UInt32?
        while index < utf8.count {
            guard utf8[index] == UInt8(ascii: "\\"), index + 1 < utf8.count else {
                index += 1
                continue
            }
            guard utf8[index + 1] == UInt8(ascii: "u"), index + 6 <= utf8.count,
                let unit = UInt32(String(decoding: utf8[(index + 2)..<(index + 6)], as: UTF8.self), radix: 16)
            else {
                index += 2  // `\\`, `\"`, `\n`…: the escaped character is not the start of another escape
                continue
            }
            index += 6
            var value = unit
            if (0xD800...0xDBFF).contains(unit) {
                highSurrogate = unit
                continue
            }
            if (0xDC00...0xDFFF).contains(unit), let high = highSurrogate {
                value = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
            }
            highSurrogate = nil
            if let scalar = Unicode.Scalar(value), TextRules.isRefusedEverywhere(scalar) { return scalar }
        }
        return nil
    }

    /// The path (`a.b[2]`) of the first string, key or value, holding a refused character; keys in sorted order.
    private static func refusedString(in value: Any, path: String) -> (String, Unicode.Scalar)? {
        switch value {
        case let text as String:
            return firstRefused(in: text).map { (path, $0) }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                let inner = path.isEmpty ? key : "\(path).\(key)"
                if let scalar = firstRefused(in: key) { return (inner, scalar) }
                if let found = refusedString(in: object[key]!, path: inner) { return found }
            }
        case let array as [Any]:
            for (offset, item) in array.enumerated() {
                if let found = refusedString(in: item, path: "\(path)[\(offset)]") { return found }
            }
        default: break
        }
        return nil
    }

    /// Multipart: the text of every part without a file name, and every part's name.
    private static func checkMultipart(_ body: ByteBuffer, boundary: String) throws {
        try MultipartGuard.check(body, boundary: boundary)  // what would crash MultipartKit's parser, first
        var disposition = ""
        var content = ByteBuffer()
        var refused: Refused?
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in if name.lowercased() == "content-disposition" { disposition = value } }
        parser.onBody = { chunk in
            if !FormPart(disposition: disposition).isFile { content.writeBuffer(&chunk) }  // files are not read
        }
        parser.onPartComplete = {
            defer {
                disposition = ""
                content.clear()
            }
            guard refused == nil else { return }
            let part = FormPart(disposition: disposition)
            let name = part.name
            let text = part.isFile ? "" : String(decoding: content.readableBytesView, as: UTF8.self)
            if let scalar = firstRefused(in: name) ?? firstRefused(in: text) {
                refused = Refused(place: "form field", name: name, codePoint: scalar.value)
            }
        }
        try? parser.execute(body)  // a malformed body is the decoder's to refuse
        if let refused { throw refused }
    }

    /// Wraps the JSON, URL-encoded and multipart decoders of `ContentConfiguration.global` so that every body
    /// decoded through Vapor's content API is checked first. Safe to call more than once.
    static func install() {
        for type in [HTTPMediaType.json, .urlEncodedForm, .formData] {
            guard let current = try? ContentConfiguration.global.requireDecoder(for: type),
                !(current is CheckedDecoder)
            else { continue }
            ContentConfiguration.global.use(decoder: CheckedDecoder(inner: current), for: type)
        }
    }

    /// A content decoder that runs ``check(body:contentType:)`` before its inner decoder.
    struct CheckedDecoder: ContentDecoder {
        let inner: any ContentDecoder

        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
            try InputText.check(body: body, contentType: headers.contentType)
            let value = try inner.decode(D.self, from: body, headers: headers)
            try InputText.checkDecoded(value)
            return value
        }

        func decode<D: Decodable>(
            _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders, userInfo: [CodingUserInfoKey: Sendable]
        ) throws -> D {
            try InputText.check(body: body, contentType: headers.contentType)
            let value = try inner.decode(D.self, from: body, headers: headers, userInfo: userInfo)
            try InputText.checkDecoded(value)
            return value
        }
    }

    /// The decoded value's strings, at any depth up to 6 (optionals, arrays, nested structs; a file's name but not
    /// its bytes), checked again: the body scan above names the field, this catches what a body's syntax can hide
    /// from a scan (a repeated key whose first copy the decoder keeps, a part that only looks like a file).
    /// - Throws: ``Refused`` naming the property (its Swift name).
    static func checkDecoded(_ value: Any) throws {
        func walk(_ value: Any, label: String, depth: Int) throws {
            if let checked = value as? any InputTextFields {
                for (name, text) in checked.inputTextFields {
                    if let text, let scalar = firstRefused(in: text) {
                        throw Refused(place: "field", name: name, codePoint: scalar.value)
                    }
                }
                return
            }
            if let text = value as? String {
                if let scalar = firstRefused(in: text) {
                    throw Refused(place: "field", name: label, codePoint: scalar.value)
                }
                return
            }
            guard depth < 6 else { return }
            for child in Mirror(reflecting: value).children {
                // An optional's one child is labelled `some`, an array's elements have none: keep the field's name.
                let name = child.label.flatMap { $0 == "some" ? nil : $0 }.map {
                    $0.hasPrefix("_") ? String($0.dropFirst()) : $0
                }
                try walk(child.value, label: name ?? label, depth: depth + 1)
            }
        }
        try walk(value, label: "", depth: 0)
    }
}

/// A decoded body that lists its strings itself, so ``InputText/checkDecoded(_:)`` checks them without walking it
/// by reflection (a batch of thousands of readings took longer to walk than to store).
protocol InputTextFields {
    /// Every string the value holds, at any depth, with the name of its field (the Swift property's name).
    var inputTextFields: [(name: String, text: String?)] { get }
}

/// Runs ``InputText/check(path:query:)`` on every request before routing, answering a refused character with a
/// 400 (in the GeoReport v2 error format under `/open311/v2/`).
struct InputTextMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            try InputText.check(path: request.url.path, query: request.url.query)
        } catch let refused as InputText.Refused {
            if request.url.path.hasPrefix("/open311/") {
                return Open311ErrorMiddleware.response(for: refused, to: request)
            }
            throw refused
        }
        return try await next.respond(to: request)
    }
}

/// A multipart part's field name and whether it carries a file, read from its `Content-Disposition` value
/// (RFC 7578 §4.2): a file has a `filename` (or `filename*`) parameter; anything else is text.
struct FormPart: Equatable {
    let name: String
    let isFile: Bool

    init(disposition: String) {
        var name = ""
        var isFile = false
        for parameter in disposition.split(separator: ";") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            if key == "name", pair.count == 2 {
                name = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\""))
            }
            if key == "filename" || key == "filename*" { isFile = true }
        }
        self.name = name
        self.isFile = isFile
    }
}

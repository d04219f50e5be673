import Foundation
import Testing

@testable import Open311

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Encoder behaviour")
struct EncoderBehaviourTests {
    func text<T: Open311Document>(_ value: T, _ format: Open311Format, _ style: Open311OutputStyle = .pretty) throws
        -> String
    {
        String(decoding: try Open311Encoder.encode(value, format: format, style: style), as: UTF8.self)
    }

    @Test("compact style has no whitespace between elements or tokens (XMLCoder ends the header line)")
    func compact() throws {
        let xml = try text([Samples.created], .xml, .compact)
        #expect(
            xml
                == #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
                + #"<service_requests><request><service_request_id>SR20261129000123</service_request_id><service_notice>已受理，2个工作日内处置</service_notice><account_id /></request></service_requests>"#
        )
        #expect(
            try text([Samples.created], .json, .compact)
                == #"[{"account_id":null,"service_notice":"已受理，2个工作日内处置","service_request_id":"SR20261129000123"}]"#)
        #expect(
            Open311Encoder.encode(errors: [.forbidden("api_key is required")], format: .json, style: .compact)
                == Data(#"[{"code":403,"description":"api_key is required"}]"#.utf8))
    }

    @Test("an empty list is an empty root element or []")
    func emptyLists() throws {
        #expect(
            try text([Open311ServiceRequest](), .xml)
                == "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests />")
        #expect(try text([Open311ServiceRequest](), .json) == "[]")
        #expect(try text([Open311RequestUpdate](), .json, .compact) == "[]")
    }

    @Test("a blackbox POST answer carries neither id nor token")
    func blackbox() throws {
        #expect(
            try text([Open311RequestCreated(identifier: nil, serviceNotice: "已收到")], .json, .compact)
                == #"[{"account_id":null,"service_notice":"已收到"}]"#)
    }

    @Test("<, &, quotes and Chinese survive XML: a parser reads back exactly the original text")
    func xmlEscapingRoundTrips() throws {
        let nasty = "小区东门 <script>alert('x')</script> & \"引号\" ]]> 完"
        var request = Samples.closedRequest
        request.description = nasty
        let data = try Open311Encoder.encode([request], format: .xml)
        let body = String(decoding: data, as: UTF8.self)
        #expect(
            body.contains(
                "<description>小区东门 &lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;引号&quot; ]]&gt; 完</description>"
            ))
        #expect(try XMLText.elements(named: "description", in: data) == [nasty])
    }

    @Test("a carriage return comes back from XML (as &#13;) and JSON as a carriage return, not a line feed")
    func carriageReturnRoundTrips() throws {
        var request = Samples.closedRequest
        request.description = "第一行\r\n第二行\r第三行"
        let xml = try Open311Encoder.encode([request], format: .xml)
        #expect(String(decoding: xml, as: UTF8.self).contains("第一行&#13;\n第二行&#13;第三行"))
        #expect(try XMLText.elements(named: "description", in: xml) == [request.description])
        let json = try Open311Encoder.encode([request], format: .json)
        let objects = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        #expect(objects[0]["description"] as? String == request.description)
    }

    @Test("characters XML 1.0 cannot carry become U+FFFD, so a body always parses, error bodies included")
    func forbiddenCharactersNeverReachXML() throws {
        var request = Samples.closedRequest
        request.description = "a\u{0}b\u{1}c\u{1F}d\u{FFFE}e\u{FFFF}f\tg"
        let xml = try Open311Encoder.encode([request], format: .xml)
        #expect(
            try XMLText.elements(named: "description", in: xml) == ["a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\tg"]
        )
        let errors = Open311Encoder.encode(errors: [.badRequest("status 'open\u{1}' \u{FFFF}")], format: .xml)
        #expect(try XMLText.elements(named: "description", in: errors) == ["status 'open\u{FFFD}' \u{FFFD}"])
        // Text without such characters is written byte for byte as before.
        let plain = Open311Encoder.encode(errors: [.badRequest("无效")], format: .xml, style: .compact)
        #expect(
            String(decoding: plain, as: UTF8.self).hasSuffix(
                "<errors><error><code>400</code><description>无效</description></error></errors>"))
    }

    @Test("JSON keeps Chinese and slashes unescaped, lat/long are numbers, and it parses back")
    func jsonUnescapedAndNumeric() throws {
        let data = try Open311Encoder.encode([Samples.openRequest], format: .json)
        let body = String(decoding: data, as: UTF8.self)
        #expect(!body.contains("\\u"))
        #expect(!body.contains("\\/"))
        let objects = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(objects[0]["description"] as? String == Samples.openRequest.description)
        #expect(objects[0]["lat"] as? Double == 31.2397)
        #expect(objects[0]["long"] as? Double == 121.4856)
        #expect(objects[0]["lat"] is NSNumber)
    }

    @Test("a non-finite coordinate is written as absent rather than failing the response")
    func nonFiniteCoordinate() throws {
        var request = Samples.closedRequest
        request.lat = .nan
        request.long = .infinity
        let json = try text([request], .json, .compact)
        #expect(json.contains(#""lat":null"#) && json.contains(#""long":null"#))
        #expect(try text([request], .xml).contains("<lat />"))
    }

    @Test("extended_attributes is left out when not set and drops its nil fields")
    func extendedAttributes() throws {
        #expect(try !text([Samples.closedRequest], .json).contains("extended_attributes"))
        var request = Samples.closedRequest
        request.extendedAttributes = .init(detailedStatus: "closed")
        #expect(try text([request], .json, .compact).contains(#""extended_attributes":{"detailed_status":"closed"}"#))
        #expect(
            try text([request], .xml, .compact).contains(
                "<extended_attributes><detailed_status>closed</detailed_status></extended_attributes>"))
    }

    @Test("content types and MIME types are the spec's")
    func contentTypes() {
        #expect(Open311Format.xml.contentType == "text/xml; charset=utf-8")
        #expect(Open311Format.json.contentType == "application/json; charset=utf-8")
        #expect(Open311Format.xml.mimeType == "text/xml")
        #expect(Open311Format.json.mimeType == "application/json")
    }

    @Test("the format comes from the path suffix")
    func formatFromPath() throws {
        #expect(try Open311Format.split(pathComponent: "services.xml") == ("services", .xml))
        #expect(try Open311Format.split(pathComponent: "requests.JSON") == ("requests", .json))
        #expect(try Open311Format.split(pathComponent: "SR.2026.001.json") == ("SR.2026.001", .json))
        #expect(Open311Format(suffix: "Xml") == .xml)
        #expect(Open311Format(suffix: "csv") == nil)
        #expect(
            throws: Open311Error.notFound(
                "\"services.csv\" does not end in .xml or .json (format \"csv\" is not supported)")
        ) {
            try Open311Format.split(pathComponent: "services.csv")
        }
        #expect(throws: Open311Error.notFound("\"services\" has no format suffix; append .xml or .json")) {
            try Open311Format.split(pathComponent: "services")
        }
        #expect(throws: Open311Error.notFound("\".json\" names no resource before the format suffix")) {
            try Open311Format.split(pathComponent: ".json")
        }
    }

    @Test("input errors map to HTTP statuses: a missing api_key is 403, the rest 400")
    func inputErrorStatuses() {
        #expect(Open311InputError.missingAPIKey.httpStatus == 403)
        #expect(
            Open311InputError.missingAPIKey.errors == [.forbidden("api_key is required to submit a service request")])
        #expect(Open311InputError.invalid([.badRequest("x")]).httpStatus == 400)
        #expect(Open311Error.notFound("x").code == 404)
    }
}

/// Reads the text of every element with a given name, with a real XML parser.
final class XMLText: NSObject, XMLParserDelegate {
    private let name: String
    private var inside = false
    private var current = ""
    private(set) var found: [String] = []

    private init(name: String) { self.name = name }

    static func elements(named name: String, in data: Data) throws -> [String] {
        let reader = XMLText(name: name)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.coderReadCorrupt) }
        return reader.found
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elementName == name {
            inside = true
            current = ""
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inside { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == name {
            inside = false
            found.append(current)
        }
    }
}

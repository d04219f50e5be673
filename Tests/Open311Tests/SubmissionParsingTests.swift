import Foundation
import Testing

@testable import Open311

@Suite("POST requests: form parsing")
struct SubmissionParsingTests {
    /// A valid form; each test breaks one field.
    let valid: [String: String] = [
        "api_key": "key-1", "jurisdiction_id": "shanghai.gov.cn", "service_code": "fire_lane_blocked",
        "lat": "31.2397", "long": "121.4856", "address_string": "黄浦区河南中路99号", "email": "li@example.com",
        "device_id": "dev-9", "account_id": "u-3321", "first_name": "明", "last_name": "李", "phone": "+86 138-0013-8000",
        "description": "消防通道被车辆堵塞\n已持续两小时", "media_url": "https://img.example.com/a.jpg",
        "attribute[obstruction]": "vehicle",
    ]

    func errors(_ form: [String: String]) -> [Open311Error] {
        do {
            _ = try Open311RequestSubmission(form: form)
            return []
        } catch {
            return error.errors
        }
    }

    func with(_ changes: [String: String?]) -> [String: String] {
        var form = valid
        for (k, v) in changes { form[k] = v }
        return form
    }

    @Test("a full valid form is read field by field")
    func fullForm() throws {
        let s = try Open311RequestSubmission(form: valid)
        #expect(s.apiKey == "key-1")
        #expect(s.jurisdictionID == "shanghai.gov.cn")
        #expect(s.serviceCode == "fire_lane_blocked")
        #expect(s.coordinate == .init(lat: 31.2397, long: 121.4856))
        #expect(s.addressString == "黄浦区河南中路99号")
        #expect(s.addressID == nil)
        #expect(s.attributes == ["obstruction": ["vehicle"]])
        #expect(s.email == "li@example.com")
        #expect(s.deviceID == "dev-9")
        #expect(s.accountID == "u-3321")
        #expect(s.firstName == "明")
        #expect(s.lastName == "李")
        #expect(s.phone == "+86 138-0013-8000")
        #expect(s.description == "消防通道被车辆堵塞\n已持续两小时")
        #expect(s.mediaURL == "https://img.example.com/a.jpg")
    }

    @Test("a missing or blank api_key is the 403 kind, checked first")
    func missingKey() {
        #expect(throws: Open311InputError.missingAPIKey) { try Open311RequestSubmission(form: with(["api_key": nil])) }
        #expect(throws: Open311InputError.missingAPIKey) {
            try Open311RequestSubmission(form: ["api_key": "  ", "lat": "abc"])
        }
    }

    @Test("service_code is required")
    func serviceCode() {
        #expect(
            errors(with(["service_code": nil])) == [
                .badRequest("service_code is required: the code of a service from GET /services")
            ])
        #expect(errors(with(["service_code": " "])).count == 1)
    }

    @Test("one location is enough: lat & long, address_string or address_id")
    func locationAlternatives() throws {
        let onlyAddress = with(["lat": nil, "long": nil])
        #expect(try Open311RequestSubmission(form: onlyAddress).coordinate == nil)
        let onlyID = with(["lat": nil, "long": nil, "address_string": nil, "address_id": "A-1"])
        #expect(try Open311RequestSubmission(form: onlyID).addressID == "A-1")
        let onlyPoint = with(["address_string": nil])
        #expect(try Open311RequestSubmission(form: onlyPoint).coordinate == .init(lat: 31.2397, long: 121.4856))
    }

    @Test("no location at all → 400 naming the alternatives")
    func noLocation() {
        #expect(
            errors(with(["lat": nil, "long": nil, "address_string": nil, "address_id": ""]))
                == [.badRequest("a location is required: send lat and long, or address_string, or address_id")])
    }

    @Test("lat without long, and long without lat")
    func halfACoordinate() {
        #expect(
            errors(with(["long": nil]))
                == [.badRequest("lat was sent without long; send both lat and long, or neither")])
        #expect(
            errors(with(["lat": nil]))
                == [.badRequest("long was sent without lat; send both lat and long, or neither")])
    }

    @Test("lat/long must be plain decimal degrees in range")
    func badNumbers() {
        #expect(
            errors(with(["lat": "abc"])) == [
                .badRequest("lat must be a decimal number in degrees (WGS84), got \"abc\"")
            ])
        for bad in ["1e1", "0x1p3", "nan", "inf", "31,2", "31.2.3", ".", "-", "31°", "三十一"] {
            #expect(
                errors(with(["long": bad])) == [
                    .badRequest("long must be a decimal number in degrees (WGS84), got \"\(bad)\"")
                ])
        }
        #expect(errors(with(["lat": "91"])) == [.badRequest("lat must be between -90 and 90 degrees, got \"91\"")])
        #expect(
            errors(with(["long": "-180.5"])) == [
                .badRequest("long must be between -180 and 180 degrees, got \"-180.5\"")
            ])
        #expect(errors(with(["lat": "-90", "long": "+180"])) == [])
        #expect(errors(with(["lat": ".5", "long": "121."])) == [])
    }

    @Test("a bad lat does not also claim the location is missing")
    func badLatNoLocation() {
        #expect(
            errors(with(["lat": "x", "address_string": nil]))
                == [.badRequest("lat must be a decimal number in degrees (WGS84), got \"x\"")])
    }

    @Test("description: 4,000 characters allowed, 4,001 refused (code points, so Chinese counts one each)")
    func descriptionLimit() {
        #expect(errors(with(["description": String(repeating: "堵", count: 4000)])) == [])
        #expect(
            errors(with(["description": String(repeating: "堵", count: 4001)]))
                == [.badRequest("description is 4001 characters long; the limit is 4000")])
    }

    @Test("email, phone and media_url are checked")
    func contactFields() {
        for bad in ["li", "li@", "@example.com", "li@example", "li @example.com", "a@b@c.com"] {
            #expect(
                errors(with(["email": bad])) == [
                    .badRequest("email must be an address such as name@example.com, got \"\(bad)\"")
                ])
        }
        for bad in ["12", "call me", "138001380001380013800", "１３８"] {
            #expect(
                errors(with(["phone": bad]))
                    == [
                        .badRequest(
                            "phone may contain only digits, spaces and + - ( ), with 3 to 20 digits, got \"\(bad)\"")
                    ])
        }
        #expect(errors(with(["phone": "021-6321 1234"])) == [])
        for bad in ["img.jpg", "ftp://x.example.com/a.jpg", "javascript:alert(1)", "https://", "https://a b.com/x"] {
            #expect(
                errors(with(["media_url": bad])) == [
                    .badRequest("media_url must be an absolute http or https URL, got \"\(bad)\"")
                ])
        }
    }

    @Test("every problem is reported at once, in a stable order")
    func allProblemsTogether() {
        let form = ["api_key": "k", "lat": "abc", "email": "nope", "media_url": "x"]
        #expect(
            errors(form) == [
                .badRequest("service_code is required: the code of a service from GET /services"),
                .badRequest("lat must be a decimal number in degrees (WGS84), got \"abc\""),
                .badRequest("lat was sent without long; send both lat and long, or neither"),
                .badRequest("email must be an address such as name@example.com, got \"nope\""),
                .badRequest("media_url must be an absolute http or https URL, got \"x\""),
            ])
    }

    @Test("empty optional fields count as not sent; values are trimmed; unknown fields ignored")
    func emptyAndUnknown() throws {
        let s = try Open311RequestSubmission(
            form: with(["email": "", "phone": "   ", "description": "  有垃圾 \n", "x_extra": "1"]))
        #expect(s.email == nil)
        #expect(s.phone == nil)
        #expect(s.description == "有垃圾")
    }

    @Test("attribute[CODE] and attribute[CODE][] from ordered pairs, multivalue kept in order")
    func attributes() throws {
        let body =
            "api_key=k&service_code=x&address_id=A1&attribute%5Bkinds%5D%5B%5D=car&attribute%5Bkinds%5D%5B%5D=goods"
            + "&attribute[plate]=%E6%B2%AAA12345&attribute[note]="
        let s = try Open311RequestSubmission(formPairs: Open311Form.pairs(fromURLEncoded: body))
        #expect(s.attributes == ["kinds": ["car", "goods"], "plate": ["沪A12345"]])
    }

    @Test("malformed attribute names and conflicting repeats are 400s naming the field")
    func badAttributes() {
        for name in ["attribute[", "attribute[]", "attribute[a", "attribute[a]x", "attribute[a][b]"] {
            #expect(
                errors(with([name: "v"]))
                    == [.badRequest("form field \"\(name)\" is not of the form attribute[CODE] or attribute[CODE][]")])
        }
        let pairs: [(name: String, value: String)] = [
            ("api_key", "k"), ("service_code", "x"), ("address_id", "A"), ("attribute[plate]", "a"),
            ("attribute[plate]", "b"), ("attribute[plate]", "c"),
        ]
        #expect(
            throws: Open311InputError.invalid([
                .badRequest("attribute[plate] was sent more than once; use attribute[plate][] for several values")
            ])
        ) {
            try Open311RequestSubmission(formPairs: pairs)
        }
    }

    @Test("a field repeated with different values is refused; an identical repeat is harmless")
    func repeatedFields() throws {
        let base: [(name: String, value: String)] = [("api_key", "k"), ("service_code", "x"), ("address_id", "A")]
        #expect(
            throws: Open311InputError.invalid([
                .badRequest("service_code was sent more than once with different values; send it once")
            ])
        ) {
            try Open311RequestSubmission(formPairs: base + [("service_code", "y")])
        }
        #expect(try Open311RequestSubmission(formPairs: base + [("service_code", "x")]).serviceCode == "x")
    }

    @Test("url-encoded bodies: + is a space, %XX is UTF-8, repeats kept, bare names empty, bad escapes U+FFFD")
    func formDecoding() {
        let pairs = Open311Form.pairs(fromURLEncoded: "a=1+2&b=%E9%BB%84%E6%B5%A6&&c&a=3&bad=%ZZ")
        #expect(pairs.map(\.name) == ["a", "b", "c", "a", "bad"])
        #expect(pairs.map(\.value) == ["1 2", "黄浦", "", "3", "\u{FFFD}"])
    }

    @Test(
        "escapes: lower-case hex, names decoded too, an escaped + stays a plus; %FF, a cut %E9%BB and a lone % are U+FFFD"
    )
    func formEscapes() {
        let pairs = Open311Form.pairs(
            fromURLEncoded: "attribute%5bwho%5d%5B%5D=%e5%b0%8f+%2B1&x=%FF&y=%E9%BB&z=50%&w=%4")
        #expect(pairs.map(\.name) == ["attribute[who][]", "x", "y", "z", "w"])
        #expect(pairs.map(\.value) == ["小 +1", "\u{FFFD}", "\u{FFFD}", "\u{FFFD}", "\u{FFFD}"])
    }
}

@Suite("POST requests: attributes against the service definition")
struct AttributeValidationTests {
    let definition = Open311ServiceDefinition(
        serviceCode: "fire_lane_blocked",
        attributes: [
            .init(
                code: "obstruction", datatype: .singlevaluelist, required: true, order: 1,
                values: [.init(key: "vehicle", name: "车辆"), .init(key: "goods", name: "杂物")]),
            .init(
                code: "kinds", datatype: .multivaluelist, required: false, order: 2,
                values: [.init(key: "car", name: "汽车"), .init(key: "bike", name: "非机动车")]),
            .init(code: "count", datatype: .number, required: false, order: 3),
            .init(code: "seen_at", datatype: .datetime, required: false, order: 4),
            .init(code: "plate", datatype: .string, required: false, order: 5),
            .init(code: "notice", datatype: .text, required: true, order: 6),
            .init(variable: false, code: "info", datatype: .text, required: true, order: 7, description: "仅提示"),
        ])

    func submission(_ attributes: [String: [String]]) throws -> Open311RequestSubmission {
        var s = try Open311RequestSubmission(form: [
            "api_key": "k", "service_code": "fire_lane_blocked", "address_id": "A",
        ])
        s.attributes = attributes
        return s
    }

    @Test("valid values pass; a non-variable attribute is never required")
    func valid() throws {
        let s = try submission([
            "obstruction": ["vehicle"], "kinds": ["car", "bike"], "count": ["3"],
            "seen_at": ["2026-11-29T19:00:00+08:00"],
            "plate": ["沪A12345"], "notice": ["第一行\n第二行"],
        ])
        #expect(s.attributeErrors(against: definition) == [])
    }

    @Test("each rule names the attribute")
    func problems() throws {
        let s = try submission([
            "kinds": ["car", "boat"], "count": ["three"], "seen_at": ["昨天"], "plate": ["沪A\n123"], "extra": ["1"],
            "notice": ["a", "b"],
        ])
        #expect(
            s.attributeErrors(against: definition) == [
                .badRequest("attribute[obstruction] is required for service fire_lane_blocked"),
                .badRequest("attribute[kinds] must be one of car, bike, got \"boat\""),
                .badRequest("attribute[count] must be a decimal number, got \"three\""),
                .badRequest("attribute[seen_at] must be a date-time such as 2026-11-01T08:00:00+08:00, got \"昨天\""),
                .badRequest("attribute[plate] must be a single line of text"),
                .badRequest("attribute[notice] takes one value, got 2"),
                .badRequest("attribute[extra] is not an attribute of service fire_lane_blocked"),
            ])
    }
}

import Foundation
import Testing

@testable import Open311

@Suite("GET requests: query parsing")
struct RequestQueryParsingTests {
    let now = shanghai("2026-11-29T19:14:06+08:00")
    let ninetyDays: TimeInterval = 90 * 86_400

    func query(_ q: [String: String]) throws(Open311InputError) -> Open311RequestQuery {
        try Open311RequestQuery(query: q, now: now)
    }

    func errors(_ q: [String: String]) -> [Open311Error] {
        do {
            _ = try query(q)
            return []
        } catch {
            return error.errors
        }
    }

    @Test("no parameters: the last 90 days, all services and statuses, limit 1000, no extensions")
    func defaults() throws {
        let q = try query([:])
        #expect(q == Open311RequestQuery(window: .init(start: now - ninetyDays, end: now)))
        #expect(q.limit == 1000)
        #expect(!q.includeExtensions)
    }

    @Test("only start_date: 90 days from it")
    func onlyStart() throws {
        let start = shanghai("2026-09-01T00:00:00+08:00")
        #expect(
            try query(["start_date": "2026-09-01T00:00:00+08:00"]).window
                == .init(start: start, end: start + ninetyDays))
    }

    @Test("only end_date: the 90 days before it, end inclusive to the second")
    func onlyEnd() throws {
        let end = shanghai("2026-11-01T12:00:00+08:00")
        #expect(try query(["end_date": "2026-11-01T04:00:00Z"]).window == .init(start: end - ninetyDays, end: end + 1))
    }

    @Test("both dates: start inclusive, end inclusive to the precision written")
    func bothDates() throws {
        let w = try #require(
            try query(["start_date": "2026-11-01T00:00:00+08:00", "end_date": "2026-11-02T18:30+08:00"]).window)
        #expect(w.start == shanghai("2026-11-01T00:00:00+08:00"))
        #expect(w.end == shanghai("2026-11-02T18:31:00+08:00"))
        #expect(w.contains(shanghai("2026-11-02T18:30:59+08:00")))
        #expect(!w.contains(shanghai("2026-11-02T18:31:00+08:00")))
        #expect(!w.contains(shanghai("2026-10-31T23:59:59+08:00")))
    }

    @Test("bare dates are whole days in Asia/Shanghai; 90 whole days are allowed, 91 are not")
    func bareDates() throws {
        let w = try query(["start_date": "2026-08-01", "end_date": "2026-10-29"]).window
        #expect(w == .init(start: shanghai("2026-08-01T00:00:00+08:00"), end: shanghai("2026-10-30T00:00:00+08:00")))
        #expect(
            errors(["start_date": "2026-08-01", "end_date": "2026-10-30"])
                == [
                    .badRequest(
                        "start_date to end_date spans 91 days; the limit is 90 days, so ask for several shorter ranges")
                ])
        let sameDay = try query(["start_date": "2026-11-01", "end_date": "2026-11-01"]).window
        #expect(
            sameDay == .init(start: shanghai("2026-11-01T00:00:00+08:00"), end: shanghai("2026-11-02T00:00:00+08:00")))
    }

    @Test("exactly 90 days of date-times is allowed; a second more is not")
    func ninetyDayEdge() throws {
        _ = try query(["start_date": "2026-08-01T00:00:00Z", "end_date": "2026-10-30T00:00:00Z"])
        #expect(
            errors(["start_date": "2026-08-01T00:00:00Z", "end_date": "2026-10-30T12:00:00Z"])
                == [
                    .badRequest(
                        "start_date to end_date spans 90.5 days; the limit is 90 days, so ask for several shorter ranges"
                    )
                ])
    }

    @Test("end before start → 400")
    func endBeforeStart() {
        #expect(
            errors(["start_date": "2026-11-02T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"])
                == [
                    .badRequest(
                        "end_date (2026-11-01T00:00:00+08:00) is before start_date (2026-11-02T00:00:00+08:00); swap them or correct one"
                    )
                ])
    }

    @Test("unreadable dates → 400 naming the parameter and the accepted forms")
    func badDates() {
        #expect(
            errors(["start_date": "yesterday"]) == [
                .badRequest(
                    "start_date must be a W3C date-time with a UTC offset such as 2026-11-01T08:00:00+08:00 or 2026-11-01T00:00:00Z, or a date such as 2026-11-01 (a day in Asia/Shanghai); got \"yesterday\""
                )
            ])
        #expect(
            errors(["end_date": "2026-11-01T08:00:00"])
                == [
                    .badRequest(
                        "end_date \"2026-11-01T08:00:00\" has no UTC offset; add Z or an offset such as +08:00 (encode + as %2B in a URL)"
                    )
                ])
        #expect(
            errors(["start_date": "2026-02-30"]) == [
                .badRequest("start_date \"2026-02-30\" is not a real date and time")
            ])
        #expect(errors(["start_date": "x", "end_date": "y"]).count == 2)
    }

    @Test("an offset whose + arrived as a space is accepted")
    func spaceOffset() throws {
        #expect(
            try query(["start_date": "2026-11-01T08:00:00 08:00"]).window?.start == shanghai("2026-11-01T00:00:00Z"))
    }

    @Test("blank parameters count as not sent")
    func blanks() throws {
        #expect(
            try query(["start_date": "", "end_date": " ", "status": "", "service_code": "", "limit": ""]) == query([:]))
    }

    @Test("status: open, closed, both; case-insensitive; anything else → 400")
    func statuses() throws {
        #expect(try query(["status": "open"]).statuses == [.open])
        #expect(try query(["status": "Closed,open,closed"]).statuses == [.closed, .open])
        #expect(
            errors(["status": "open,pending"])
                == [.badRequest("status must be open or closed (or both, comma-separated), got \"pending\"")])
    }

    @Test("service_code: comma-separated list, spaces and empty items dropped")
    func serviceCodes() throws {
        #expect(
            try query(["service_code": "fire_lane_blocked, illegal_dumping,,"]).serviceCodes == [
                "fire_lane_blocked", "illegal_dumping",
            ])
    }

    @Test("service_request_id overrides all other arguments, even malformed ones")
    func ids() throws {
        let q = try query([
            "service_request_id": "SR1, SR2", "status": "bogus", "start_date": "bogus", "service_code": "x",
        ])
        #expect(q == Open311RequestQuery(serviceRequestIDs: ["SR1", "SR2"], window: nil))
        let many = (1...1001).map { "SR\($0)" }.joined(separator: ",")
        #expect(
            errors(["service_request_id": many]) == [
                .badRequest("service_request_id lists 1001 ids; at most 1000 can be asked at once")
            ])
        #expect(
            errors(["service_request_id": "a,b,c", "limit": "2"]) == [
                .badRequest("service_request_id lists 3 ids; at most 2 can be asked at once")
            ])
    }

    @Test("limit: 1…1000, whole numbers only")
    func limit() throws {
        #expect(try query(["limit": "50"]).limit == 50)
        #expect(try query(["limit": "1000"]).limit == 1000)
        for bad in ["0", "1001", "-5", "ten", "2.5", "1e3"] {
            #expect(
                errors(["limit": bad]) == [.badRequest("limit must be a whole number from 1 to 1000, got \"\(bad)\"")])
        }
    }

    @Test("extensions=true asks for extended_attributes; jurisdiction_id is passed on")
    func extensionsAndJurisdiction() throws {
        let q = try query(["extensions": "TRUE", "jurisdiction_id": "shanghai.gov.cn"])
        #expect(q.includeExtensions)
        #expect(q.jurisdictionID == "shanghai.gov.cn")
        #expect(try !query(["extensions": "false"]).includeExtensions)
        #expect(errors(["extensions": "yes"]) == [.badRequest("extensions must be true or false, got \"yes\"")])
    }
}

@Suite("GET servicerequestupdates: query parsing")
struct UpdatesQueryParsingTests {
    let now = shanghai("2026-11-29T19:14:06+08:00")

    @Test("defaults to the last 90 days and limit 1000")
    func defaults() throws {
        let q = try Open311UpdatesQuery(query: [:], now: now)
        #expect(q == Open311UpdatesQuery(window: .init(start: now - 90 * 86_400, end: now), limit: 1000))
    }

    @Test("same date rules as GET requests; other GeoReport filters are ignored")
    func dates() throws {
        let q = try Open311UpdatesQuery(
            query: [
                "start_date": "2026-11-28T00:00:00+08:00", "end_date": "2026-11-29", "status": "bogus", "limit": "10",
            ],
            now: now)
        #expect(
            q.window == .init(start: shanghai("2026-11-28T00:00:00+08:00"), end: shanghai("2026-11-30T00:00:00+08:00")))
        #expect(q.limit == 10)
        #expect(
            throws: Open311InputError.invalid([
                .badRequest(
                    "start_date to end_date spans 151 days; the limit is 90 days, so ask for several shorter ranges")
            ])
        ) {
            try Open311UpdatesQuery(query: ["start_date": "2026-07-01", "end_date": "2026-11-28"], now: now)
        }
        #expect(
            throws: Open311InputError.invalid([
                .badRequest("limit must be a whole number from 1 to 1000, got \"0\""),
                .badRequest(
                    "end_date \"2026-11-29T08:00\" has no UTC offset; add Z or an offset such as +08:00 (encode + as %2B in a URL)"
                ),
            ])
        ) {
            try Open311UpdatesQuery(query: ["end_date": "2026-11-29T08:00", "limit": "0"], now: now)
        }
    }
}

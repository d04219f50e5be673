import Foundation
import Testing

@testable import Open311

@Suite("Date format (W3C profile of ISO 8601, Asia/Shanghai)")
struct DateFormatTests {
    @Test("writes Shanghai time with a +08:00 offset, whole seconds")
    func writes() {
        #expect(
            Open311DateFormat.string(from: Date(timeIntervalSince1970: 1_795_950_846)) == "2026-11-29T19:14:06+08:00")
        #expect(
            Open311DateFormat.string(from: Date(timeIntervalSince1970: 1_795_950_846.999))
                == "2026-11-29T19:14:06+08:00")
        #expect(Open311DateFormat.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T08:00:00+08:00")
        // Shanghai kept summer time 1986-1991: the offset written is the one in force then.
        #expect(Open311DateFormat.string(from: shanghai("1988-07-01T12:00:00Z")) == "1988-07-01T21:00:00+09:00")
    }

    @Test("reads offsets, Z, minutes-only times and fractions as the same instants")
    func readsInstants() throws {
        let instant = Date(timeIntervalSince1970: 1_795_950_846)
        #expect(try Open311DateFormat.parse("2026-11-29T19:14:06+08:00") == .instant(instant, precision: 1))
        #expect(try Open311DateFormat.parse("2026-11-29T11:14:06Z") == .instant(instant, precision: 1))
        #expect(try Open311DateFormat.parse("2026-11-29t11:14:06z") == .instant(instant, precision: 1))
        #expect(try Open311DateFormat.parse("2026-11-29T06:14:06-05:00") == .instant(instant, precision: 1))
        #expect(try Open311DateFormat.parse(" 2026-11-29T19:14:06+0800 ") == .instant(instant, precision: 1))
        #expect(try Open311DateFormat.parse("2026-11-29T19:14+08:00") == .instant(instant - 6, precision: 60))
        #expect(try Open311DateFormat.parse("2026-11-29T19:14:06.5+08:00") == .instant(instant + 0.5, precision: 0.1))
    }

    @Test("an unencoded + that arrived as a space is still read as +")
    func spaceForPlus() throws {
        #expect(
            try Open311DateFormat.parse("2026-11-29T19:14:06 08:00")
                == .instant(Date(timeIntervalSince1970: 1_795_950_846), precision: 1))
    }

    @Test("a bare date is the whole day in Asia/Shanghai")
    func bareDate() throws {
        #expect(
            try Open311DateFormat.parse("2026-11-01")
                == .day(start: shanghai("2026-11-01T00:00:00+08:00"), end: shanghai("2026-11-02T00:00:00+08:00")))
    }

    @Test("says what is wrong: malformed, missing offset, impossible")
    func failures() {
        for text in [
            "", "yesterday", "2026/11/01", "2026-11-1", "2026-11-01T", "2026-11-01T08", "2026-11-01T08:00:00+8",
            "2026-11-01T08:00:00.+08:00", "2026-11-01T08:00:00+08:00x", "1795950846", "2026-11-01 08:00:00+08:00",
        ] {
            #expect(throws: Open311DateFormat.ParseFailure.malformed, "\(text)") { try Open311DateFormat.parse(text) }
        }
        for text in ["2026-11-01T08:00:00", "2026-11-01T08:00", "2026-11-01T08:00:00.123"] {
            #expect(throws: Open311DateFormat.ParseFailure.missingOffset, "\(text)") {
                try Open311DateFormat.parse(text)
            }
        }
        for text in [
            "2026-02-30", "2026-13-01", "2026-11-01T24:00:00Z", "2026-11-01T08:60:00Z", "2026-11-01T08:00:60Z",
            "2026-11-01T08:00:00+19:00",
        ] {
            #expect(throws: Open311DateFormat.ParseFailure.impossible, "\(text)") { try Open311DateFormat.parse(text) }
        }
    }
}

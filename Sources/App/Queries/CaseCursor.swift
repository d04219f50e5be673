import Foundation
import Vapor

/// A position in the work queue (``CaseQueries/inQueueOrder(_:)``) for keyset paging of `GET /api/v1/cases`: the
/// last case of a page, so the next page starts right after it whatever the page's depth (issue #17: deep pages cost
/// what the first does; an offset makes the database walk every skipped row).
///
/// Sent as an opaque token: base64url (RFC 4648 §5, no padding) of `o:<step due, seconds since 2001-01-01 UTC, or
/// ->:<id>` for an open case, `c:<id>` for a closed one.
enum CaseCursor: Equatable, Sendable {
    /// After the open case `id`, whose running step limit is `stepDue` (nil: none; such cases come last).
    case open(stepDue: Date?, id: Int)
    /// After the closed case `id` (closed cases follow the open ones, newest first).
    case closed(id: Int)

    /// The cursor after `record`, the last case of a page.
    init(after record: Case) throws {
        let id = try record.requireID()
        self = record.state == .closed ? .closed(id: id) : .open(stepDue: record.stepDueAt, id: id)
    }

    /// - Throws: 400 when `token` is not a cursor this server gave.
    init(token: String) throws {
        let invalid = LocalizedRefusal(.badRequest, "paging.bad_cursor")
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard token.count <= 100, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8)
        else { throw invalid }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch (parts.first, parts.count) {
        case ("c", 2):
            guard let id = Int(parts[1]), id > 0 else { throw invalid }
            self = .closed(id: id)
        case ("o", 3):
            guard let id = Int(parts[2]), id > 0 else { throw invalid }
            if parts[1] == "-" {
                self = .open(stepDue: nil, id: id)
            } else {
                guard let seconds = Double(parts[1]), seconds.isFinite else { throw invalid }
                self = .open(stepDue: Date(timeIntervalSinceReferenceDate: seconds), id: id)
            }
        default: throw invalid
        }
    }

    /// The opaque token (the exact `Date` round-trips, so the next page starts exactly after the last case).
    var token: String {
        let text: String
        switch self {
        case .closed(let id): text = "c:\(id)"
        case .open(let due, let id): text = "o:\(due.map { "\($0.timeIntervalSinceReferenceDate)" } ?? "-"):\(id)"
        }
        return Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

import CSV
import Foundation
import Vapor

/// CSV files of console views (issue #12 §4), written with yaslab/CSV.swift's `CSVWriter` (RFC 4180: fields holding
/// a comma, a double quote or a line break are quoted, quotes doubled; rows end with CRLF), as UTF-8 with a byte
/// order mark so that Excel opens Chinese text correctly.
enum ConsoleCSV {
    /// The UTF-8 byte order mark, EF BB BF.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// `rows` (the header first) as the bytes of a CSV file: the byte order mark, then every row ending with CRLF.
    /// - Throws: `CSVError` when the in-memory stream refuses a write (not expected).
    static func bytes(_ rows: [[String]]) throws -> Data {
        Data(byteOrderMark) + (try lines(rows))
    }

    /// `rows` as CSV lines, each ending with CRLF, no byte order mark: a piece of a file that is written in parts
    /// (the desk's streamed export), which joins into the same file as ``bytes(_:)`` of all the rows.
    /// - Throws: `CSVError` when the in-memory stream refuses a write (not expected).
    static func lines(_ rows: [[String]]) throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, newline: .crlf)
        for row in rows { try writer.write(row: row) }
        writer.stream.close()
        let written = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return written + (rows.isEmpty ? Data() : Data("\r\n".utf8))
    }

    /// Citizens' text as a cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return would be read as a formula by Excel and LibreOffice (OWASP "CSV injection"), so it gets a
    /// leading apostrophe.
    static func text(_ value: String?) -> String {
        guard let value, let first = value.first else { return "" }
        return "=+-@\t\r".contains(first) ? "'" + value : value
    }

    /// A `200 text/csv; charset=utf-8` download named `filename` (ASCII).
    /// - Throws: as ``bytes(_:)``.
    static func response(_ rows: [[String]], filename: String) throws -> Response {
        response(body: .init(data: try bytes(rows)), filename: filename)
    }

    /// A `200 text/csv; charset=utf-8` download named `filename` (ASCII) with `body` (a stream: chunked).
    static func response(body: Response.Body, filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: body)
    }
}

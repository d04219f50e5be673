import Vapor

/// Refuses `multipart/form-data` bodies that would crash MultipartKit's parser, before it sees them.
///
/// MultipartKit 4.7.1 looks each byte of a part's header name up in a 128-entry table, so a byte of 0x80 or more
/// there traps and ends the whole process: one unauthenticated `POST /api/v1/sessions` was enough. Header names are
/// ASCII tokens (RFC 7578 §4.8, RFC 5322 §2.2), so such a body is refused with a 400 instead. Found by schemathesis.
enum MultipartGuard {
    /// The longest boundary RFC 2046 §5.1.1 allows.
    static let maxBoundaryLength = 70

    /// Checks every place the parser could read a part header: after each `--boundary` CRLF, each line up to the
    /// empty line that ends the headers (or a line without a colon, where the parser stops with a syntax error),
    /// up to its first colon. Lines are the same CRLF-delimited runs the parser reads, so no byte is checked twice
    /// and the scan stays linear in the body's size.
    /// - Throws: ``LocalizedRefusal`` 400 (`body.part_header`, `body.boundary_too_long`) for a non-ASCII byte in a header name or a boundary over 70 characters.
    static func check(_ body: ByteBuffer, boundary: String) throws {
        guard boundary.utf8.count <= maxBoundaryLength else {
            throw LocalizedRefusal(.badRequest, "body.boundary_too_long")
        }
        let bytes = body.readableBytesView
        let delimiter = Array("--\(boundary)\r\n".utf8)
        let crlf: [UInt8] = [0x0D, 0x0A]
        var searchFrom = bytes.startIndex
        var checkedUpTo = bytes.startIndex
        while let found = bytes[searchFrom...].firstRange(of: delimiter) {
            searchFrom = found.upperBound
            // A part starting inside lines already checked would read the same lines to the same end.
            guard found.upperBound >= checkedUpTo else { continue }
            var line = found.upperBound
            while line < bytes.endIndex {
                let end = bytes[line...].firstRange(of: crlf)?.lowerBound ?? bytes.endIndex
                let colon = bytes[line..<end].firstIndex(of: UInt8(ascii: ":"))
                if bytes[line..<(colon ?? end)].contains(where: { $0 >= 0x80 }) {
                    throw LocalizedRefusal(.badRequest, "body.part_header")
                }
                line = end
                if colon == nil || end == bytes.endIndex { break }  // headers end, or the parser would stop here
                line = end + crlf.count
            }
            checkedUpTo = line
        }
    }
}

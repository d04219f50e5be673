import Foundation

/// What XML 1.0 lets a document carry, applied to the bytes XMLCoder wrote (it escapes markup characters but writes
/// every other character as it is).
enum XMLCharacters {
    /// U+FFFD REPLACEMENT CHARACTER in UTF-8.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Makes an encoded UTF-8 XML document parse and keep its text: a carriage return becomes the character
    /// reference `&#13;` (XML 1.0 §2.11: a parser normalises a literal CR or CR LF to LF), and each character outside
    /// production [2] `Char` of XML 1.0 §2.2 — C0 controls other than tab and line feed, U+FFFE, U+FFFF — becomes
    /// U+FFFD (not even a character reference may name them). Element names and the prolog never hold such bytes,
    /// so only text changes.
    /// - Parameter data: UTF-8 XML as XMLCoder wrote it.
    /// - Returns: `data` itself when nothing needed changing (the usual case), otherwise the changed copy.
    static func sanitize(_ data: Data) -> Data {
        guard needsChange(data) else { return data }
        var output = Data()
        output.reserveCapacity(data.count + 16)
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            if byte == 0x0D {
                output.append(contentsOf: Array("&#13;".utf8))
            } else if byte < 0x20, byte != 0x09, byte != 0x0A {
                output.append(contentsOf: replacement)
            } else if isNoncharacterFFFx(data, at: index) {
                output.append(contentsOf: replacement)
                index += 3
                continue
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    private static func needsChange(_ data: Data) -> Bool {
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            if byte < 0x20, byte != 0x09, byte != 0x0A { return true }
            if byte == 0xEF, isNoncharacterFFFx(data, at: index) { return true }
            index += 1
        }
        return false
    }

    /// Whether U+FFFE or U+FFFF (`EF BF BE`, `EF BF BF`) starts at `index`.
    private static func isNoncharacterFFFx(_ data: Data, at index: Data.Index) -> Bool {
        data[index] == 0xEF && index + 2 < data.endIndex && data[index + 1] == 0xBF
            && (data[index + 2] == 0xBE || data[index + 2] == 0xBF)
    }
}

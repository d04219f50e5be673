import Foundation

extension QRCode {
    /// The encoding mode of a segment (§7.3, Table 2).
    public enum Mode: String, Sendable {
        case numeric, alphanumeric, byte

        /// The 4-bit mode indicator (Table 2).
        var indicator: Int {
            switch self {
            case .numeric: 0b0001
            case .alphanumeric: 0b0010
            case .byte: 0b0100
            }
        }

        /// Bits of the character count indicator (§7.4.1, Table 3) for versions 1–9, 10–26 and 27–40.
        func countBits(version: Int) -> Int {
            let column = version <= 9 ? 0 : version <= 26 ? 1 : 2
            switch self {
            case .numeric: return [10, 12, 14][column]
            case .alphanumeric: return [9, 11, 13][column]
            case .byte: return [8, 16, 16][column]
            }
        }
    }

    /// The 45 characters of alphanumeric mode in value order, 0–44 (§7.4.4, Table 5); the same alphabet, in the same
    /// order, as Base45 (RFC 9285).
    static let alphanumericSet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
    private static let alphanumericValues: [UInt8: Int] = Dictionary(
        uniqueKeysWithValues: alphanumericSet.enumerated().map { ($1, $0) })

    /// One segment: a mode and the text's data bits in it (§7.4.3–§7.4.5), without mode and count indicators.
    struct Segment {
        let mode: Mode
        /// Characters for numeric and alphanumeric mode, bytes for byte mode (what the count indicator states).
        let characterCount: Int
        let bits: [Bool]

        init(_ text: String) {
            let bytes = Array(text.utf8)
            var bits: [Bool] = []
            if !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                // §7.4.3: groups of three digits in 10 bits; a final two in 7, a final one in 4.
                mode = .numeric
                var index = 0
                while index < bytes.count {
                    let group = bytes[index..<min(index + 3, bytes.count)]
                    let value = group.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                    bits.append(value, count: group.count * 3 + 1)
                    index += 3
                }
            } else if let values = Self.alphanumericValues(bytes) {
                // §7.4.4: pairs as 45·a + b in 11 bits; a final single character in 6.
                mode = .alphanumeric
                var index = 0
                while index + 1 < values.count {
                    bits.append(values[index] * 45 + values[index + 1], count: 11)
                    index += 2
                }
                if index < values.count { bits.append(values[index], count: 6) }
            } else {
                // §7.4.5: each byte in 8 bits.
                mode = .byte
                for byte in bytes { bits.append(Int(byte), count: 8) }
            }
            characterCount = bytes.count
            self.bits = bits
        }

        private static func alphanumericValues(_ bytes: [UInt8]) -> [Int]? {
            var values: [Int] = []
            values.reserveCapacity(bytes.count)
            for byte in bytes {
                guard let value = QRCode.alphanumericValues[byte] else { return nil }
                values.append(value)
            }
            return values
        }

        /// Mode indicator, count indicator and data bits at `version`.
        func bitLength(version: Int) -> Int { 4 + mode.countBits(version: version) + bits.count }

        /// The smallest version whose data capacity at `level` holds the segment, nil when none does.
        func smallestVersion(level: ErrorCorrection) -> Int? {
            (1...40).first { version in
                characterCount < 1 << mode.countBits(version: version)
                    && bitLength(version: version) <= QRCapacity.dataCodewords(version: version, level: level) * 8
            }
        }

        /// The data codewords (§7.4.2, §7.4.9, §7.4.10): mode indicator, count, data, a terminator of up to four 0
        /// bits, 0 bits to the byte boundary, then the pad codewords 11101100 and 00010001 alternately.
        func dataCodewords(version: Int, level: ErrorCorrection) -> [UInt8] {
            let capacity = QRCapacity.dataCodewords(version: version, level: level) * 8
            var stream: [Bool] = []
            stream.reserveCapacity(capacity)
            stream.append(mode.indicator, count: 4)
            stream.append(characterCount, count: mode.countBits(version: version))
            stream += bits
            stream += repeatElement(false, count: min(4, capacity - stream.count))
            stream += repeatElement(false, count: (8 - stream.count % 8) % 8)
            var codewords = stride(from: 0, to: stream.count, by: 8).map { start in
                stream[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
            }
            let pads: [UInt8] = [0xEC, 0x11]
            while codewords.count < capacity / 8 { codewords.append(pads[(codewords.count - stream.count / 8) % 2]) }
            return codewords
        }
    }
}

extension [Bool] {
    /// Appends the `count` low bits of `value`, most significant first.
    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { append(value >> shift & 1 == 1) }
    }
}

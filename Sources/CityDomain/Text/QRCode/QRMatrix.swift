import Foundation

/// The module grid of a QR Code symbol while it is built: the function patterns (ISO/IEC 18004:2015 §6.3), then the
/// codewords placed in the remaining modules (§7.7.3), then a mask and the format information.
struct QRMatrix: Hashable {
    let version: Int
    let size: Int
    /// Row-major, `true` for dark.
    var dark: [Bool]
    /// Row-major, `true` for a module of a function pattern or of format or version information (never masked).
    var isFunction: [Bool]

    /// Modules left for codewords and remainder bits.
    var freeModules: Int { isFunction.lazy.filter { !$0 }.count }

    /// A grid with every function pattern drawn, the version information (versions 7 and up) and the dark module,
    /// and the format information areas reserved (drawn light until ``drawFormat(level:mask:)``).
    init(version: Int) {
        self.version = version
        size = version * 4 + 17
        dark = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        // Timing patterns (§6.3.5): row 6 and column 6, dark on even positions.
        for index in 0..<size {
            set(x: 6, y: index, dark: index % 2 == 0)
            set(x: index, y: 6, dark: index % 2 == 0)
        }
        // Finder patterns with their separators (§6.3.3, §6.3.4), overwriting the timing patterns' ends.
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] { drawFinder(centreX: x, centreY: y) }
        // Alignment patterns (§6.3.6, Annex E): at every pair of the centre coordinates except the three that would
        // overlap a finder pattern.
        let centres = Self.alignmentCentres[version]
        let corners: Set<[Int]> = [[6, 6], [6, centres.last ?? 0], [centres.last ?? 0, 6]]
        for x in centres {
            for y in centres where !corners.contains([x, y]) {
                for dy in -2...2 {
                    for dx in -2...2 { set(x: x + dx, y: y + dy, dark: max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        // Reserve the format information areas (§7.9.1), then the dark module beside the lower one (§7.9.1,
        // Figure 25: always dark, at (8, 4·version + 9)).
        drawFormat(bits: 0)
        set(x: 8, y: size - 8, dark: true)
        if version >= 7 { drawVersion() }
    }

    mutating func set(x: Int, y: Int, dark value: Bool) {
        dark[y * size + x] = value
        isFunction[y * size + x] = true
    }

    /// A 7 × 7 finder (1:1:3:1:1 dark-light-dark-light-dark rings) and the light separator around it, clipped to the
    /// symbol.
    private mutating func drawFinder(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx
                let y = centreY + dy
                guard x >= 0, y >= 0, x < size, y < size else { continue }
                let ring = max(abs(dx), abs(dy))
                set(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// Row/column coordinates of the alignment pattern centres per version 1–40 (Annex E, Table E.1; index 0
    /// unused).
    static let alignmentCentres: [[Int]] = [
        [], [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
        [6, 30, 54], [6, 32, 58], [6, 34, 62], [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78],
        [6, 30, 56, 82], [6, 30, 58, 86], [6, 34, 62, 90], [6, 28, 50, 72, 94], [6, 26, 50, 74, 98],
        [6, 30, 54, 78, 102], [6, 28, 54, 80, 106], [6, 32, 58, 84, 110], [6, 30, 58, 86, 114],
        [6, 34, 62, 90, 118], [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
        [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142], [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    /// The 15 format information bits for a level and mask (§7.9.1, Annex C): the level's two bits and the mask's
    /// three, followed by the 10 bits of the (15, 5) BCH code with generator x¹⁰ + x⁸ + x⁵ + x⁴ + x² + x + 1
    /// (0x537), XORed with 101010000010010 (0x5412) so that no combination is all light.
    static func formatBits(level: QRCode.ErrorCorrection, mask: Int) -> Int {
        let data = level.formatBits << 3 | mask
        return (data << 10 | bchRemainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// The 18 version information bits (§7.10, Annex D): the 6-bit version followed by the 12 bits of the (18, 6)
    /// Golay code with generator x¹² + x¹¹ + x¹⁰ + x⁹ + x⁸ + x⁵ + x² + 1 (0x1F25); version 7 gives 0x07C94
    /// (Table D.1).
    static func versionBits(version: Int) -> Int {
        version << 12 | bchRemainder(version << 12, generator: 0x1F25)
    }

    /// The remainder of `value` divided by `generator` as polynomials over GF(2).
    static func bchRemainder(_ value: Int, generator: Int) -> Int {
        let degree = Int.bitWidth - generator.leadingZeroBitCount - 1
        var remainder = value
        while remainder != 0, Int.bitWidth - remainder.leadingZeroBitCount - 1 >= degree {
            remainder ^= generator << (Int.bitWidth - remainder.leadingZeroBitCount - 1 - degree)
        }
        return remainder
    }

    /// Draws the format information of `level` and `mask` in both of its places (§7.9.1, Figure 25).
    mutating func drawFormat(level: QRCode.ErrorCorrection, mask: Int) {
        drawFormat(bits: Self.formatBits(level: level, mask: mask))
    }

    /// Bit 0 is the least significant (Figure 25 numbers them 14 … 0, most significant first).
    private mutating func drawFormat(bits: Int) {
        func bit(_ index: Int) -> Bool { bits >> index & 1 == 1 }
        // Copy 1, around the top-left finder: bits 0–5 down column 8 at rows 0–5, bits 6–7 at rows 7–8 (skipping the
        // timing row), bit 8 at (7, 8), bits 9–14 along row 8 at columns 5 … 0.
        for index in 0...5 { set(x: 8, y: index, dark: bit(index)) }
        set(x: 8, y: 7, dark: bit(6))
        set(x: 8, y: 8, dark: bit(7))
        set(x: 7, y: 8, dark: bit(8))
        for index in 9..<15 { set(x: 14 - index, y: 8, dark: bit(index)) }
        // Copy 2: bits 0–7 along row 8 from the right edge leftwards (below the top-right finder), bits 8–14 down
        // column 8 in the last 7 rows (right of the bottom-left finder).
        for index in 0..<8 { set(x: size - 1 - index, y: 8, dark: bit(index)) }
        for index in 8..<15 { set(x: 8, y: size - 15 + index, dark: bit(index)) }
    }

    /// Draws the version information twice (§7.10, Figure 27): a 6 × 3 block above the bottom-left finder and its
    /// transpose left of the top-right finder; bit i at row/column i / 3 and offset size − 11 + i % 3.
    private mutating func drawVersion() {
        let bits = Self.versionBits(version: version)
        for index in 0..<18 {
            let value = bits >> index & 1 == 1
            let across = size - 11 + index % 3
            let along = index / 3
            set(x: along, y: across, dark: value)
            set(x: across, y: along, dark: value)
        }
    }

    /// Places the codewords, most significant bit first, in the non-function modules (§7.7.3, Figure 20): in
    /// two-module-wide columns from the right edge, moving up then down alternately, right module before left,
    /// skipping the vertical timing column 6; modules left over (remainder bits, Table 1) stay light.
    mutating func place(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var next = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !isFunction[y * size + x] && next < bitCount {
                    dark[y * size + x] = codewords[next >> 3] >> (7 - next & 7) & 1 == 1
                    next += 1
                }
            }
            right -= 2
        }
    }
}

import Foundation
import Testing

@testable import CityDomain

/// The QR Code encoder's parts against the numbers ISO/IEC 18004:2015 prints: the Annex I worked example, the
/// generator polynomials of Annex A, format information (Annex C) and version information (Annex D, Table D.1),
/// the codeword counts of Table 1 and Table 7, and the version chosen by length.
@Suite struct QRCodeTests {
    /// Annex I.2–I.3: "01234567" at version 1-M is 16 data codewords (numeric mode, terminator, pad codewords)
    /// followed by these 10 error correction codewords.
    @Test func annexIWorkedExampleGivesTheStandardsCodewords() throws {
        let segment = QRCode.Segment("01234567")
        #expect(segment.mode == .numeric)
        #expect(segment.smallestVersion(level: .medium) == 1)
        let data = segment.dataCodewords(version: 1, level: .medium)
        #expect(
            data == [
                0b0001_0000, 0b0010_0000, 0b0000_1100, 0b0101_0110, 0b0110_0001, 0b1000_0000, 0xEC, 0x11, 0xEC, 0x11,
                0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11,
            ])
        let ec = QRReedSolomon.remainder(data, generator: QRReedSolomon.generator(degree: 10))
        #expect(
            ec == [
                0b1010_0101, 0b0010_0100, 0b1101_0100, 0b1100_0001, 0b1110_1101, 0b0011_0110, 0b1100_0111,
                0b1000_0111, 0b0010_1100, 0b0101_0101,
            ])
        // One block at 1-M: the interleaved sequence is the data then the error correction codewords.
        #expect(QRCapacity.interleave(data, version: 1, level: .medium) == data + ec)
    }

    /// Annex A, Table A.1, as exponents of α: the generator polynomials for 7 and 10 error correction codewords.
    @Test func generatorPolynomialsMatchAnnexA() {
        let exponents = { (degree: Int) in
            QRReedSolomon.generator(degree: degree).map { QRReedSolomon.logarithms[Int($0)] }
        }
        #expect(exponents(7) == [0, 87, 229, 146, 149, 238, 102, 21])
        #expect(exponents(10) == [0, 251, 67, 46, 61, 118, 70, 64, 94, 32, 45])
    }

    /// Annex C: level M with mask 101 is 100000011001110 after the XOR; the others are the published table values.
    @Test func formatInformationMatchesAnnexC() {
        #expect(QRMatrix.formatBits(level: .medium, mask: 0b101) == 0b100_0000_1100_1110)
        #expect(QRMatrix.formatBits(level: .medium, mask: 0) == 0b101_0100_0001_0010)
        #expect(QRMatrix.formatBits(level: .low, mask: 0) == 0b111_0111_1100_0100)
        #expect(QRMatrix.formatBits(level: .quartile, mask: 0) == 0b011_0101_0101_1111)
        #expect(QRMatrix.formatBits(level: .high, mask: 7) == 0b000_1000_0011_1011)
        // Every pair differs from every other in at least 3 bits (the (15, 5) BCH code's distance is 7).
        let all = QRCode.ErrorCorrection.allCases.flatMap { level in
            (0..<8).map { QRMatrix.formatBits(level: level, mask: $0) }
        }
        for (index, a) in all.enumerated() {
            for b in all[(index + 1)...] { #expect((a ^ b).nonzeroBitCount >= 7) }
        }
    }

    /// Annex D, Table D.1: version information for versions 7, 8, 21 and 40.
    @Test func versionInformationMatchesTableD1() {
        #expect(QRMatrix.versionBits(version: 7) == 0x07C94)
        #expect(QRMatrix.versionBits(version: 8) == 0x085BC)
        #expect(QRMatrix.versionBits(version: 21) == 0x15683)
        #expect(QRMatrix.versionBits(version: 40) == 0x28C69)
    }

    /// Table 1's total codewords and Table 7's data codewords at M, counted from the drawn function patterns.
    @Test func capacitiesMatchTables1And7() {
        #expect(QRCapacity.totalCodewords[1] == 26 && QRCapacity.totalCodewords[7] == 196)
        #expect(QRCapacity.totalCodewords[14] == 581 && QRCapacity.totalCodewords[40] == 3706)
        #expect(QRCapacity.dataCodewords(version: 1, level: .medium) == 16)
        #expect(QRCapacity.dataCodewords(version: 10, level: .medium) == 216)
        #expect(QRCapacity.dataCodewords(version: 40, level: .medium) == 2334)
        #expect(QRCapacity.dataCodewords(version: 40, level: .low) == 2956)
        // Remainder bits (Table 1): 0 at version 1, 7 at 2–6, 0 at 7–13, 3 at 14–20.
        #expect([1, 2, 7, 14].map { QRMatrix(version: $0).freeModules % 8 } == [0, 7, 0, 3])
    }

    /// Annex E's alignment centres, typed from Table E.1, agree with the rule behind the table: version / 7 + 2
    /// centres from 6 to size − 7, the later ones an equal even step apart (the step rounded up to even from the
    /// span over the gaps, 26 at version 32), the first gap taking what is left.
    @Test func alignmentCentresFollowTheSpacingRule() {
        #expect(QRMatrix.alignmentCentres[1].isEmpty)
        for version in 2...40 {
            let count = version / 7 + 2
            let last = version * 4 + 10
            let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
            let expected = [6] + (0..<count - 1).map { last - step * $0 }.reversed()
            #expect(QRMatrix.alignmentCentres[version] == expected, "version \(version)")
        }
    }

    /// Table 7's capacities at level M for the alphanumeric mode: the smallest version is the first that fits, and
    /// one character more moves to the next.
    @Test func theSmallestVersionThatFitsIsChosen() throws {
        // Alphanumeric capacity at M (Table 7): version 1 holds 20, 2 holds 38, 6 holds 154, 7 holds 178, 10 holds
        // 311, 40 holds 3391.
        for (characters, version) in [
            (20, 1), (21, 2), (38, 2), (39, 3), (154, 6), (155, 7), (178, 7), (311, 10), (312, 11), (3391, 40),
        ] {
            let code = try QRCode.encode(String(repeating: "A", count: characters), level: .medium)
            #expect(code.version == version, "\(characters) characters")
            #expect(code.mode == .alphanumeric && code.size == 17 + 4 * version)
        }
        // Byte mode at M: version 1 holds 14 bytes, version 40 holds 2331.
        #expect(try QRCode.encode(String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode.encode(String(repeating: "a", count: 15)).version == 2)
        #expect(try QRCode.encode(String(repeating: "a", count: 2331)).version == 40)
        #expect(try QRCode.encode("0123456789", level: .high).mode == .numeric)
        #expect(
            throws: QRCode.EncodingError.tooLong(
                characters: 3392, mode: .alphanumeric, level: .medium, bitsNeeded: 18673, bitsAvailable: 18672)
        ) { try QRCode.encode(String(repeating: "A", count: 3392)) }
        #expect(throws: QRCode.EncodingError.self) { try QRCode.encode(String(repeating: "a", count: 2332)) }
    }

    /// Lower-case letters are outside the alphanumeric set; `CNL1:` and Base45 are inside it.
    @Test func modeFollowsTheCharacters() throws {
        #expect(QRCode.Segment("CNL1:6BFOXN*TS0BI$ZD.P9").mode == .alphanumeric)
        #expect(QRCode.Segment("cnl1:6BF").mode == .byte)
        #expect(QRCode.Segment("电子证照").mode == .byte)
        #expect(QRCode.Segment("电子证照").characterCount == 12)
        #expect(try QRCode.encode("").version == 1)
    }

    /// Function patterns in place: finder corners, timing, the dark module, version information and a mask
    /// pattern that never touches a function module.
    @Test func functionPatternsAreWhereTheStandardPutsThem() throws {
        let code = try QRCode.encode(String(repeating: "CNL1:", count: 34))
        #expect(code.version == 7)
        let size = code.size
        for (x, y) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            #expect((0..<7).allSatisfy { code.isDark(x: x + $0, y: y) && code.isDark(x: x, y: y + $0) })
            #expect(!code.isDark(x: x + 1, y: y + 1) && code.isDark(x: x + 3, y: y + 3))
        }
        #expect((8..<size - 8).allSatisfy { code.isDark(x: $0, y: 6) == ($0 % 2 == 0) })
        #expect((8..<size - 8).allSatisfy { code.isDark(x: 6, y: $0) == ($0 % 2 == 0) })
        #expect(code.isDark(x: 8, y: size - 8))
        // Version information, bottom-left block: bit i at (i / 3, size − 11 + i % 3).
        let bits = (0..<18).reduce(0) { $0 | (code.isDark(x: $1 / 3, y: size - 11 + $1 % 3) ? 1 << $1 : 0) }
        #expect(bits == 0x07C94)
        // Format information read back from copy 2 (row 8 from the right edge, column 8 at the bottom).
        var format = 0
        for index in 0..<8 where code.isDark(x: size - 1 - index, y: 8) { format |= 1 << index }
        for index in 8..<15 where code.isDark(x: 8, y: size - 15 + index) { format |= 1 << index }
        #expect(format == QRMatrix.formatBits(level: .medium, mask: code.mask))
        #expect(!code.isDark(x: -1, y: 0) && !code.isDark(x: size, y: 0))
    }

    /// Table 11's rules on small lines.
    @Test func penaltyRules() {
        #expect(QRMatrix.runPenalty([true, true, true, true]) == 0)
        #expect(QRMatrix.runPenalty([true, true, true, true, true, false]) == 3)
        #expect(QRMatrix.runPenalty(Array(repeating: false, count: 8)) == 6)
        let finder = [true, false, true, true, true, false, true]
        #expect(QRMatrix.finderLikePenalty([false, false, false, false] + finder + [true]) == 40)
        #expect(QRMatrix.finderLikePenalty(finder + [false, false, false, false]) == 40)  // once, light both sides
        #expect(QRMatrix.finderLikePenalty([false, false, false, true] + finder + [false, false, true]) == 0)
        #expect(QRMatrix.finderLikePenalty([true] + finder + [true]) == 0)
    }

    @Test func svgDrawsEveryDarkModuleWithAQuietZoneAndATitle() throws {
        let code = try QRCode.encode("01234567")
        let svg = code.svg(title: "e-licence <1> & \"2\"")
        #expect(svg.hasPrefix("<svg ") && svg.hasSuffix("</svg>"))
        #expect(
            svg.contains("viewBox=\"0 0 29 29\"")
                && svg.contains("<title>e-licence &lt;1&gt; &amp; &quot;2&quot;</title>"))
        #expect(!svg.contains("<script"))
        // The top-left finder's first row is one run of 7 modules starting at the quiet zone's edge.
        #expect(svg.contains("M4 4h7v1h-7z"))
        let runs = svg.matches(of: #/h(\d+)v1/#).reduce(0) { $0 + Int($1.output.1)! }
        let dark = (0..<code.size).flatMap { y in (0..<code.size).map { code.isDark(x: $0, y: y) } }.filter { $0 }
        #expect(runs == dark.count)
    }
}

import Foundation

/// How many codewords a QR Code version holds and how they split into Reed–Solomon blocks (ISO/IEC 18004:2015 §7.5
/// and §7.6, Table 9).
enum QRCapacity {
    /// Error correction codewords per block, by level (L, M, Q, H) and version 1–40 (Table 9; index 0 unused).
    static let ecCodewordsPerBlock: [QRCode.ErrorCorrection: [Int]] = [
        .low: [
            0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        .medium: [
            0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        .quartile: [
            0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        .high: [
            0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    /// Error correction blocks, by level and version 1–40 (Table 9, the two block groups together; index 0 unused).
    static let blocks: [QRCode.ErrorCorrection: [Int]] = [
        .low: [
            0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17,
            18, 19, 19, 20, 21, 22, 24, 25,
        ],
        .medium: [
            0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29,
            31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        .quartile: [
            0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38,
            40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        .high: [
            0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45,
            48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]

    /// All codewords of a version, data and error correction (Table 1, "number of codewords"): the modules left
    /// after the function patterns and format and version information, divided by 8 (the rest are remainder bits).
    static let totalCodewords: [Int] = [0] + (1...40).map { QRMatrix(version: $0).freeModules / 8 }

    /// Data codewords of a version at a level (Table 7's "number of data codewords").
    static func dataCodewords(version: Int, level: QRCode.ErrorCorrection) -> Int {
        totalCodewords[version] - ecCodewordsPerBlock[level]![version] * blocks[level]![version]
    }

    /// Splits the data codewords into blocks, appends each block's error correction codewords, and interleaves them
    /// (§7.6, Table 9): the blocks of group 1 have one data codeword fewer than those of group 2; the final sequence
    /// is each block's first data codeword, then each one's second, …, then the error correction codewords the same
    /// way.
    static func interleave(_ data: [UInt8], version: Int, level: QRCode.ErrorCorrection) -> [UInt8] {
        let blockCount = blocks[level]![version]
        let ecLength = ecCodewordsPerBlock[level]![version]
        let shortLength = data.count / blockCount
        let longBlocks = data.count % blockCount
        let generator = QRReedSolomon.generator(degree: ecLength)
        var dataBlocks: [[UInt8]] = []
        var ecBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blockCount {
            let length = shortLength + (index >= blockCount - longBlocks ? 1 : 0)
            let block = Array(data[start..<start + length])
            dataBlocks.append(block)
            ecBlocks.append(QRReedSolomon.remainder(block, generator: generator))
            start += length
        }
        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords[version])
        for column in 0...shortLength {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<ecLength {
            for block in ecBlocks { result.append(block[column]) }
        }
        return result
    }
}

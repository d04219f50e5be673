import Foundation

extension QRMatrix {
    /// Whether data mask pattern `mask` (0–7) inverts the module at row `i`, column `j` (§7.8.2, Table 10).
    static func masks(_ mask: Int, i: Int, j: Int) -> Bool {
        switch mask {
        case 0: (i + j) % 2 == 0
        case 1: i % 2 == 0
        case 2: j % 3 == 0
        case 3: (i + j) % 3 == 0
        case 4: (i / 2 + j / 3) % 2 == 0
        case 5: (i * j) % 2 + (i * j) % 3 == 0
        case 6: ((i * j) % 2 + (i * j) % 3) % 2 == 0
        default: ((i + j) % 2 + (i * j) % 3) % 2 == 0
        }
    }

    /// Inverts every non-function module that `mask` selects (§7.8.2: the mask applies to the encoding region only).
    mutating func applyMask(_ mask: Int) {
        for i in 0..<size {
            for j in 0..<size where !isFunction[i * size + j] && Self.masks(mask, i: i, j: j) {
                dark[i * size + j].toggle()
            }
        }
    }

    /// The penalty score of the whole symbol (§7.8.3, Table 11, with N1 = 3, N2 = 3, N3 = 40, N4 = 10); the encoder
    /// keeps the mask with the lowest, the lower mask number on a tie.
    ///
    /// Scored on the finished symbol, format and version information included, as ZXing does (segno scores before
    /// adding them, so the two can pick different masks; every mask decodes the same).
    ///
    /// 1. Each run of five or more same-coloured modules in a row or column: N1 + (length − 5).
    /// 2. Each 2 × 2 block of one colour (overlapping blocks counted apart, which is the standard's
    ///    N2 · (m − 1) · (n − 1) for an m × n block): N2.
    /// 3. Each 1:1:3:1:1 dark-light-dark-light-dark pattern in a row or column preceded or followed by four light
    ///    modules (outside the symbol counts as light): N3, once per pattern (as ZXing and segno read the rule).
    /// 4. The share of dark modules: N4 for each whole 5 % it deviates from 50 %.
    func penalty() -> Int {
        var score = 0
        for line in 0..<size {
            let row = (0..<size).map { dark[line * size + $0] }
            let column = (0..<size).map { dark[$0 * size + line] }
            score += Self.runPenalty(row) + Self.finderLikePenalty(row)
            score += Self.runPenalty(column) + Self.finderLikePenalty(column)
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = dark[y * size + x]
                if dark[y * size + x + 1] == colour && dark[(y + 1) * size + x] == colour
                    && dark[(y + 1) * size + x + 1] == colour
                {
                    score += 3
                }
            }
        }
        let darkCount = dark.lazy.filter { $0 }.count
        score += abs(darkCount * 20 - dark.count * 10) / dark.count * 10
        return score
    }

    /// Rule 1 for one line.
    static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0
        var start = 0
        while start < line.count {
            var end = start
            while end < line.count && line[end] == line[start] { end += 1 }
            if end - start >= 5 { score += 3 + (end - start - 5) }
            start = end
        }
        return score
    }

    /// Rule 3 for one line.
    static func finderLikePenalty(_ line: [Bool]) -> Int {
        let core = [true, false, true, true, true, false, true]
        func light(_ range: Range<Int>) -> Bool { range.allSatisfy { $0 < 0 || $0 >= line.count || !line[$0] } }
        var score = 0
        for start in 0...(line.count - core.count) where (0..<core.count).allSatisfy({ line[start + $0] == core[$0] }) {
            if light(start - 4..<start) || light(start + 7..<start + 11) { score += 40 }
        }
        return score
    }
}

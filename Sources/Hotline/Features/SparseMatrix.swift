/// Training texts as a compressed sparse row matrix over a compact column space.
///
/// Columns are the buckets that survive IDF pruning, renumbered `0..<columnCount` so that solvers keep dense
/// weights only for features the training set can inform; ``columnBucket`` maps back to hashed buckets.
struct SparseMatrix: Sendable {
    /// `rowStart[i]..<rowStart[i + 1]` are row `i`'s entries; `rowStart.count == rowCount + 1`.
    var rowStart: [Int]
    var columns: [Int32]
    var values: [Float]
    /// Number of compact columns.
    var columnCount: Int
    /// Hashed bucket of each compact column.
    var columnBucket: [Int32]

    var rowCount: Int { rowStart.count - 1 }

    /// Builds the matrix from bucket-indexed vectors, numbering buckets in first-seen order (deterministic).
    init(vectors: [SparseVector], dimension: Int) {
        var compact = [Int32](repeating: -1, count: dimension)
        var columnBucket: [Int32] = []
        var rowStart = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        rowStart.reserveCapacity(vectors.count + 1)
        for vector in vectors {
            for (bucket, value) in zip(vector.indices, vector.values) {
                if compact[Int(bucket)] < 0 {
                    compact[Int(bucket)] = Int32(columnBucket.count)
                    columnBucket.append(bucket)
                }
                columns.append(compact[Int(bucket)])
                values.append(value)
            }
            rowStart.append(columns.count)
        }
        self.rowStart = rowStart
        self.columns = columns
        self.values = values
        self.columnCount = columnBucket.count
        self.columnBucket = columnBucket
    }
}

extension SparseMatrix {
    /// The rows listed in `rows`, in that order, over the same columns.
    func subset(rows: [Int]) -> SparseMatrix {
        var copy = self
        copy.rowStart = [0]
        copy.columns = []
        copy.values = []
        for row in rows {
            copy.columns.append(contentsOf: columns[rowStart[row]..<rowStart[row + 1]])
            copy.values.append(contentsOf: values[rowStart[row]..<rowStart[row + 1]])
            copy.rowStart.append(copy.columns.count)
        }
        return copy
    }

    /// `W xᵢ + b` for row `row`, with `weights` laid out `[column * classCount + class]`.
    func scores(row: Int, weights: [Float], bias: [Float]) -> [Double] {
        let k = bias.count
        var scores = bias.map(Double.init)
        for e in rowStart[row]..<rowStart[row + 1] {
            let base = Int(columns[e]) * k
            for j in 0..<k { scores[j] += Double(weights[base + j]) * Double(values[e]) }
        }
        return scores
    }
}

/// A ``SparseMatrix`` stored column by column (compressed sparse column).
struct SparseColumns: Sendable {
    var columnStart: [Int]
    var rows: [Int32]
    var values: [Float]

    /// Calls `body(column, rows, values)` for every column in order, with that column's entries.
    @inline(__always)
    func forEachColumn(_ body: (Int, UnsafeBufferPointer<Int32>, UnsafeBufferPointer<Float>) -> Void) {
        rows.withUnsafeBufferPointer { rows in
            values.withUnsafeBufferPointer { values in
                for column in 0..<(columnStart.count - 1) {
                    let range = columnStart[column]..<columnStart[column + 1]
                    body(
                        column, UnsafeBufferPointer(rebasing: rows[range]), UnsafeBufferPointer(rebasing: values[range])
                    )
                }
            }
        }
    }
}

extension SparseMatrix {
    /// The same entries, column by column (rows ascending within a column).
    func transposed() -> SparseColumns {
        var counts = [Int](repeating: 0, count: columnCount + 1)
        for column in columns { counts[Int(column) + 1] += 1 }
        for i in 0..<columnCount { counts[i + 1] += counts[i] }
        var next = counts
        var rows = [Int32](repeating: 0, count: columns.count)
        var values = [Float](repeating: 0, count: columns.count)
        for row in 0..<rowCount {
            for e in rowStart[row]..<rowStart[row + 1] {
                let column = Int(columns[e])
                rows[next[column]] = Int32(row)
                values[next[column]] = self.values[e]
                next[column] += 1
            }
        }
        return SparseColumns(columnStart: counts, rows: rows, values: values)
    }
}

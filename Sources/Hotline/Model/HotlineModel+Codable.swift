import Foundation

/// The model file is JSON (UTF-8) with these keys:
/// - `format`: `"citynet.hotline.model"`, `version`: 1;
/// - `labels`: the sorted labels; `options`: the ``HotlineTrainingOptions`` used;
/// - `heads`: per head (logistic first, then SVM) its `temperature` and per-label `bias`;
/// - `buckets`: base64 of the ascending hashed bucket numbers, LEB128 varints of successive differences;
/// - `idf`: base64 of one little-endian Float32 IDF per bucket;
/// - `weightScales`: one Float per (head, label) column;
/// - `weights`: base64 of the weight columns one after another (head-major, then label), each holding one
///   little-endian Int16 per bucket; a weight is `Int16 × its column's scale` (scale = column max |w| / 32767,
///   a relative error below 2·10⁻⁵ of the largest weight).
extension HotlineModel: Codable {
    /// Value of the file's `format` key.
    public static let fileFormat = "citynet.hotline.model"
    /// Version of the layout described above.
    public static let fileVersion = 1

    private enum CodingKeys: String, CodingKey {
        case format, version, labels, options, heads, buckets, idf, weightScales, weights
    }

    /// Writes the layout described above.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.fileFormat, forKey: .format)
        try container.encode(Self.fileVersion, forKey: .version)
        try container.encode(labels, forKey: .labels)
        try container.encode(options, forKey: .options)
        try container.encode(heads, forKey: .heads)
        try container.encode(ModelBlob.packAscending(buckets), forKey: .buckets)
        try container.encode(ModelBlob.packFloats((0..<buckets.count).map { rows[$0 * stride] }), forKey: .idf)
        var scales: [Float] = []
        var weights = Data()
        for column in 1..<stride {
            let packed = ModelBlob.packQuantized((0..<buckets.count).map { rows[$0 * stride + column] })
            scales.append(packed.scale)
            weights.append(packed.data)
        }
        try container.encode(scales, forKey: .weightScales)
        try container.encode(weights, forKey: .weights)
    }

    /// Reads the layout described above.
    /// - Throws: `DecodingError.dataCorrupted` naming the problem: another format or version, invalid options,
    ///   or blobs whose sizes do not match the labels and heads.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func corrupted(_ message: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: container.codingPath, debugDescription: message))
        }
        let format = try container.decode(String.self, forKey: .format)
        let version = try container.decode(Int.self, forKey: .version)
        guard format == Self.fileFormat, version == Self.fileVersion else {
            throw corrupted(
                "expected \(Self.fileFormat) version \(Self.fileVersion), found \(format) version \(version)")
        }
        let labels = try container.decode([String].self, forKey: .labels)
        let options = try container.decode(HotlineTrainingOptions.self, forKey: .options)
        let heads = try container.decode([Head].self, forKey: .heads)
        do { try options.validate() } catch { throw corrupted("\(error)") }
        guard labels.count >= 2, !heads.isEmpty,
            heads.allSatisfy({ $0.bias.count == labels.count && $0.temperature > 0 })
        else { throw corrupted("need ≥ 2 labels and heads with one bias per label and a positive temperature") }
        guard let buckets = ModelBlob.unpackAscending(try container.decode(Data.self, forKey: .buckets)),
            buckets.allSatisfy({ $0 >= 0 && Int($0) < 1 << options.hashBits }),
            zip(buckets, buckets.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw corrupted("buckets are truncated, repeated or outside the hashed space") }
        guard let idf = ModelBlob.unpackFloats(try container.decode(Data.self, forKey: .idf)),
            idf.count == buckets.count
        else { throw corrupted("idf must hold one Float32 per bucket") }
        let width = heads.count * labels.count
        let scales = try container.decode([Float].self, forKey: .weightScales)
        let blob = try container.decode(Data.self, forKey: .weights)
        guard scales.count == width, blob.count == width * buckets.count * 2 else {
            throw corrupted("weights must hold \(width) Int16 columns of \(buckets.count) values")
        }
        let stride = 1 + width
        var rows = [Float](repeating: 0, count: buckets.count * stride)
        for row in 0..<buckets.count { rows[row * stride] = idf[row] }
        let columnBytes = buckets.count * 2
        for column in 0..<width {
            let start = blob.startIndex + column * columnBytes
            let values = ModelBlob.unpackQuantized(blob[start..<(start + columnBytes)], scale: scales[column]) ?? []
            for (row, value) in values.enumerated() { rows[row * stride + 1 + column] = value }
        }
        self.init(labels: labels, options: options, heads: heads, buckets: buckets, rows: rows)
    }
}

import Foundation

/// Little-endian packings used inside the model file's base64 fields (see ``HotlineModel``'s `Codable` notes).
enum ModelBlob {
    /// Ascending integers as LEB128 varints of their successive differences (the first against 0).
    static func packAscending(_ values: [Int32]) -> Data {
        var data = Data()
        var previous: Int64 = 0
        for value in values {
            var delta = UInt64(Int64(value) - previous)
            previous = Int64(value)
            repeat {
                let byte = UInt8(delta & 0x7F)
                delta >>= 7
                data.append(delta == 0 ? byte : byte | 0x80)
            } while delta != 0
        }
        return data
    }

    /// Inverse of ``packAscending(_:)``; `nil` when the data is truncated or a value overflows `Int32`.
    static func unpackAscending(_ data: Data) -> [Int32]? {
        var values: [Int32] = []
        var current: Int64 = 0
        var delta: UInt64 = 0
        var shift: UInt64 = 0
        for byte in data {
            guard shift < 35 else { return nil }
            delta |= UInt64(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 {
                current += Int64(delta)
                guard current <= Int64(Int32.max) else { return nil }
                values.append(Int32(current))
                delta = 0
                shift = 0
            }
        }
        return shift == 0 ? values : nil
    }

    /// Float32 values as 4 little-endian bytes each.
    static func packFloats(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Inverse of ``packFloats(_:)``; `nil` when the byte count is not a multiple of 4.
    static func unpackFloats(_ data: Data) -> [Float]? {
        guard data.count % 4 == 0 else { return nil }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 4).map { i in
            Float(
                bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
                    | UInt32(bytes[i + 3]) << 24)
        }
    }

    /// Values quantised to Int16 as `round(value / scale)` with `scale = max |value| / 32767`, 2 bytes each.
    static func packQuantized(_ values: [Float]) -> (scale: Float, data: Data) {
        let largest = values.reduce(0) { max($0, abs($1)) }
        let scale = largest > 0 ? largest / 32767 : 1
        var data = Data(capacity: values.count * 2)
        for value in values {
            let level = Int16(max(-32767, min(32767, (value / scale).rounded())))
            withUnsafeBytes(of: level.littleEndian) { data.append(contentsOf: $0) }
        }
        return (scale, data)
    }

    /// Inverse of ``packQuantized(_:)``; `nil` when the byte count is odd.
    static func unpackQuantized(_ data: Data, scale: Float) -> [Float]? {
        guard data.count % 2 == 0 else { return nil }
        let bytes = [UInt8](data)
        return stride(from: 0, to: bytes.count, by: 2).map { i in
            Float(Int16(bitPattern: UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)) * scale
        }
    }
}

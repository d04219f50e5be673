import Foundation

/// Reed–Solomon error correction codewords for QR Code (ISO/IEC 18004:2015 §7.5.2 and Annex A).
///
/// Arithmetic is in GF(2⁸) with the prime polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D, §7.5.2); the generator
/// polynomial for `n` error correction codewords is (x − α⁰)(x − α¹)…(x − αⁿ⁻¹) with α = 2, which is what Annex A
/// tabulates. The error correction codewords are the remainder of the data polynomial · xⁿ divided by it.
enum QRReedSolomon {
    /// αⁱ for i in 0..<255, repeated once so that a sum of two logarithms indexes it directly.
    static let exponents: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for index in 0..<255 {
            table[index] = UInt8(value)
            table[index + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11D }
        }
        return table
    }()

    /// log_α(v) for v in 1...255 (index 0 unused).
    static let logarithms: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for index in 0..<255 { table[Int(exponents[index])] = index }
        return table
    }()

    /// The product of two field elements.
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        guard a != 0, b != 0 else { return 0 }
        return exponents[logarithms[Int(a)] + logarithms[Int(b)]]
    }

    /// The monic generator polynomial of `degree`, coefficients from the highest power down (`degree + 1` of them,
    /// the first being 1).
    static func generator(degree: Int) -> [UInt8] {
        var polynomial: [UInt8] = [1]
        for power in 0..<degree {
            // Multiply by (x − αᵖᵒʷᵉʳ); minus is plus in GF(2⁸).
            let root = exponents[power]
            var next = polynomial + [0]
            for (index, coefficient) in polynomial.enumerated() { next[index + 1] ^= multiply(coefficient, root) }
            polynomial = next
        }
        return polynomial
    }

    /// The error correction codewords of `data`: the remainder of data(x) · xⁿ divided by `generator`, n its degree.
    static func remainder(_ data: [UInt8], generator: [UInt8]) -> [UInt8] {
        let degree = generator.count - 1
        var remainder = [UInt8](repeating: 0, count: degree)
        for codeword in data {
            let factor = codeword ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in 0..<degree { remainder[index] ^= multiply(generator[index + 1], factor) }
        }
        return remainder
    }
}

import Foundation
import Testing

@testable import CityDomain

/// Round trips through an independent decoder: codes rendered to a PGM image, read back by `zbarimg` (Debian's
/// `zbar-tools`, which `.ci/run` installs), and the decoded text compared with the input. Skipped, saying so, where
/// `zbarimg` is not installed.
@Suite(
    .enabled(if: ZBar.path != nil, "zbarimg is not installed (apt-get install zbar-tools); decoder round trips skipped")
)
struct QRCodeDecoderTests {
    /// Every version 1–40 at level M, each filled to its last alphanumeric character.
    @Test func everyVersionAtLevelMDecodes() throws {
        for version in 1...40 {
            let text = ZBar.text(length: ZBar.alphanumericCapacity(version: version, level: .medium), seed: version)
            let code = try QRCode.encode(text, level: .medium)
            #expect(code.version == version)
            #expect(try ZBar.decode(code) == text, "version \(version), \(text.count) characters")
        }
    }

    /// The other levels, byte mode (lower case and UTF-8 Chinese) and numeric mode.
    @Test func otherLevelsAndModesDecode() throws {
        for level in QRCode.ErrorCorrection.allCases {
            for length in [1, 25, 100, 400, 1000] {
                let text = ZBar.text(length: length, seed: length)
                #expect(try ZBar.decode(QRCode.encode(text, level: level)) == text, "\(level) \(length)")
            }
        }
        for text in [
            "https://citynet.example/console/citizen/licences?lang=en", "电子证照 e-licence 居民户口簿", "0123456789012",
        ] {
            let code = try QRCode.encode(text)
            #expect(try ZBar.decode(code) == text, "\(code.mode)")
        }
    }

    /// A signed licence's QR text, as the citizen's licences page shows it.
    @Test func aLicencePayloadDecodes() throws {
        let signature = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        let text = try LicenceQR(payload: LicenceEncodingTests.payload, signature: signature).text
        let code = try QRCode.encode(text)
        #expect(code.mode == .alphanumeric && (150...500).contains(text.count), "\(text.count) characters")
        #expect(try ZBar.decode(code) == text)
    }
}

/// The test decoder: `zbarimg`, its input written as a binary PGM.
enum ZBar {
    static let path: String? = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// A pseudo-random alphanumeric text (so the chosen masks vary), the same for the same seed.
    static func text(length: Int, seed: Int) -> String {
        var state = UInt64(seed) &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return String(
            decoding: (0..<length).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return QRCode.alphanumericSet[Int(state >> 33) % 45]
            }, as: UTF8.self)
    }

    /// The most alphanumeric characters `version` holds at `level` (11 bits a pair, 6 for a last single one).
    static func alphanumericCapacity(version: Int, level: QRCode.ErrorCorrection) -> Int {
        let bits =
            QRCapacity.dataCodewords(version: version, level: level) * 8 - 4
            - QRCode.Mode.alphanumeric.countBits(version: version)
        return bits / 11 * 2 + (bits % 11 >= 6 ? 1 : 0)
    }

    /// The code as a PGM image: `scale` pixels a module, a quiet zone of 4 modules.
    static func pgm(_ code: QRCode, scale: Int = 3) -> Data {
        let side = (code.size + 8) * scale
        var data = Data("P5\n\(side) \(side)\n255\n".utf8)
        for py in 0..<side {
            for px in 0..<side {
                data.append(code.isDark(x: px / scale - 4, y: py / scale - 4) ? 0 : 255)
            }
        }
        return data
    }

    /// What `zbarimg` reads from the rendered code (its `--raw` output without the final newline).
    static func decode(_ code: QRCode) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("citynet-qr-\(UUID()).pgm")
        try pgm(code).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

import Foundation

/// An e-licence number (电子证照标识) in the GB/T 36904-2018 style:
/// `1.2.156.3005.2.<type code>.<issuer code>.<serial>.<version>.<check>`.
///
/// - `1.2.156.3005.2`: the root OID of China's e-licences;
/// - type code (证照类型代码): the licence kind's code, upper-case letters and digits (ours come from the catalogue's
///   `licence_kinds`; the national codes are a ministry's unified social credit code plus three digits);
/// - issuer code (证照颁发机构代码): the issuing unit; nationally its 18-character unified social credit code, here the
///   unit's CityNet code without punctuation, upper case (`310115.health` → `310115HEALTH`), since the reference
///   data holds no credit codes;
/// - serial (流水号): upper-case letters and digits; CityNet issues 20 (the Hubei guide's length), and parses 1–32
///   since published identifiers use shorter ones;
/// - version (版本号): three digits, `001` for a first issue;
/// - check (校验位): ISO/IEC 7064 MOD 37,36 (hybrid) over type code, issuer code, serial and version concatenated.
///
/// Source: the text of GB/T 36904-2018 could not be read from here. The layout and the check algorithm follow the
/// provincial integration guides' published form (e.g. the Hubei e-licence platform's access guide) and identifiers
/// seen in public interfaces; the check character computed here matches those of published identifiers such as
/// `1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U` (the tests keep two).
public struct LicenceNumber: Hashable, Sendable, CustomStringConvertible {
    public static let root = "1.2.156.3005.2"
    public let typeCode: String
    public let issuerCode: String
    public let serial: String
    public let version: String
    public let check: Character

    /// Why a text is not a licence number.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// A number with its check character computed.
    /// - Throws: ``Problem`` when a part is empty or holds other than `0-9 A-Z`, the serial is longer than 32
    ///   characters or the version outside 1–999.
    public init(typeCode: String, issuerCode: String, serial: String, version: Int = 1) throws(Problem) {
        let versionText = String(format: "%03d", version)
        guard (1...999).contains(version) else { throw Problem(description: "version must be 1–999") }
        for (name, part) in [("type code", typeCode), ("issuer code", issuerCode), ("serial", serial)] {
            guard !part.isEmpty, part.allSatisfy(Self.isCodeCharacter) else {
                throw Problem(description: "\(name) must be upper-case letters and digits, got '\(part)'")
            }
        }
        guard serial.count <= 32 else { throw Problem(description: "serial must be at most 32 characters") }
        self.typeCode = typeCode
        self.issuerCode = issuerCode
        self.serial = serial
        self.version = versionText
        check = Self.checkCharacter(for: typeCode + issuerCode + serial + versionText)
    }

    /// Parses and checks a number.
    /// - Throws: ``Problem`` naming the first fault: root, number of parts, a part's characters, or the check.
    public init(parsing text: String) throws(Problem) {
        guard text.hasPrefix(Self.root + ".") else { throw Problem(description: "does not start with \(Self.root)") }
        let parts = text.dropFirst(Self.root.count + 1).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5 else { throw Problem(description: "needs 5 parts after the root, has \(parts.count)") }
        guard let version = Int(parts[3]), parts[3].count == 3, parts[3].allSatisfy(\.isNumber) else {
            throw Problem(description: "version must be three digits")
        }
        try self.init(
            typeCode: String(parts[0]), issuerCode: String(parts[1]), serial: String(parts[2]), version: version)
        guard parts[4].count == 1, parts[4].first == check else {
            throw Problem(description: "check character does not match")
        }
    }

    public var description: String {
        [Self.root, typeCode, issuerCode, serial, version, String(check)].joined(separator: ".")
    }

    /// The issuer code of a unit code: its letters and digits, upper case.
    public static func issuerCode(unitCode: String) -> String {
        String(unitCode.uppercased().filter(isCodeCharacter))
    }

    static func isCodeCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isNumber || ("A"..."Z").contains(character))
    }

    /// ISO/IEC 7064 MOD 37,36 (a hybrid system over `0-9 A-Z`, values 0–35): P₀ = 36; for each character a,
    /// S = P + a, R = S mod 36 (36 when 0), P = 2R mod 37; the check c makes (P + c) mod 36 = 1.
    /// - Parameter text: upper-case letters and digits.
    public static func checkCharacter(for text: String) -> Character {
        let m = 36
        var p = m
        for character in text {
            let s = p + value(character)
            let r = s % m == 0 ? m : s % m
            p = (2 * r) % (m + 1)
        }
        return symbol((m + 1 - p) % m)
    }

    private static func value(_ character: Character) -> Int {
        guard let ascii = character.asciiValue else { return 0 }
        return ascii <= 57 ? Int(ascii) - 48 : Int(ascii) - 55
    }

    private static func symbol(_ value: Int) -> Character {
        Character(UnicodeScalar(UInt8(value < 10 ? 48 + value : 55 + value)))
    }
}

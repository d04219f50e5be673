import Foundation

/// A kind of e-licence (证照类型) an item's approval produces, from the catalogue's `licence_kinds`.
public struct LicenceKind: Codable, Hashable, Sendable {
    /// Stable code, the same as materials' ``ServiceItem/Material/elicence``, e.g. `birth_medical_certificate`.
    public var code: String
    public var nameZh: String
    public var nameEn: String
    /// The type code in licence numbers (``LicenceNumber/typeCode``): upper-case letters and digits. CityNet's own
    /// codes (`SH` + department + number); the national 证照类型代码 are not in the project's data.
    public var typeCode: String
    /// Years a licence is valid from issue; nil for no end (长期有效).
    public var validityYears: Int?

    public init(code: String, nameZh: String, nameEn: String, typeCode: String, validityYears: Int?) {
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.typeCode = typeCode
        self.validityYears = validityYears
    }
}

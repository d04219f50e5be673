import Foundation
import Testing

@testable import CityDomain

/// The pure e-licence rules (issue #14 §1): Base45, the GB/T 36904-style number, the canonical payload, the QR
/// text, the status list's bits and the verification outcome rules. The expected bytes were computed apart from
/// this code (a Python transcription of the layout, RFC 9285's examples, published licence numbers).
@Suite struct LicenceEncodingTests {
    @Test func base45MatchesRFC9285Examples() throws {
        for (text, encoded) in [
            ("AB", "BB8"), ("Hello!!", "%69 VD92EX0"), ("base-45", "UJCLQE7W581"), ("ietf!", "QED8WEX0"),
        ] {
            #expect(Base45.encode(Array(text.utf8)) == encoded)
            #expect(try Base45.decode(encoded) == Array(text.utf8))
        }
        #expect(throws: Base45.DecodingError.length(4)) { try Base45.decode("BB8B") }
        #expect(throws: Base45.DecodingError.character(offset: 1, character: "b")) { try Base45.decode("BbB") }
        // "GGW" = 16 + 16·45 + 32·2025 = 65536: one past two bytes.
        #expect(throws: Base45.DecodingError.value(offset: 0)) { try Base45.decode("GGW") }
    }

    @Test func checkCharacterMatchesPublishedNumbersAndCatchesEverySingleSubstitution() throws {
        // Identifiers published by provincial platforms (their check characters computed elsewhere).
        for published in [
            "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U",
            "1.2.156.3005.2.11100000MB03271699022.340100.000000016.001.9",
        ] {
            #expect(try LicenceNumber(parsing: published).description == published)
        }
        let number = try LicenceNumber(
            typeCode: "SHGA001", issuerCode: "310115POLICE", serial: "20240000000000000001")
        #expect(number.description == "1.2.156.3005.2.SHGA001.310115POLICE.20240000000000000001.001.4")
        #expect(LicenceNumber.issuerCode(unitCode: "310115.police") == "310115POLICE")
        let text = number.description
        let symbols = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var caught = 0
        for (offset, character) in text.enumerated() where character != "." && offset > LicenceNumber.root.count {
            for symbol in symbols where symbol != character {
                var changed = Array(text)
                changed[offset] = symbol
                if (try? LicenceNumber(parsing: String(changed))) == nil {
                    caught += 1
                } else {
                    Issue.record("substitution at \(offset) by \(symbol) passed")
                }
            }
        }
        #expect(caught > 1000)
        #expect(throws: LicenceNumber.Problem.self) { try LicenceNumber(parsing: "1.2.156.3005.2.A.B.C.001") }
        #expect(throws: LicenceNumber.Problem.self) {
            try LicenceNumber(typeCode: "shga", issuerCode: "X", serial: "1")
        }
    }

    static let payload = LicencePayload(
        number: "1.2.156.3005.2.SHGA001.310115POLICE.20240000000000000001.001.4", kind: "household_register",
        holderName: "张三", holderIdentity: "310115********123X", issuer: "310115.police", keyID: "t1",
        statusList: "citynet-1", statusIndex: 7, issuedAt: 1_727_402_400, validUntil: nil)

    /// The canonical bytes of ``payload``, computed apart (Python) from the documented layout.
    static let golden =
        "013e312e322e3135362e333030352e322e534847413030312e333130313135504f4c4943452e3230323430303030303030303030"
        + "3030303030312e3030312e3412686f757365686f6c645f726567697374657206e5bca0e4b889123331303131352a2a2a2a2a2a"
        + "2a2a313233580d3331303131352e706f6c69636502743109636974796e65742d310000000066f611a00000000000000000000000"
        + "07"

    @Test func canonicalEncodingIsStableAndRoundTrips() throws {
        let bytes = try Self.payload.encoded()
        #expect(bytes.map { String(format: "%02x", $0) }.joined() == Self.golden)
        #expect(try LicencePayload(decoding: bytes) == Self.payload)
        var dated = Self.payload
        dated.validUntil = 1_885_168_800
        #expect(try LicencePayload(decoding: try dated.encoded()) == dated)
        #expect(throws: LicencePayload.DecodingError.trailingBytes(1)) { try LicencePayload(decoding: bytes + [0]) }
        #expect(throws: LicencePayload.DecodingError.unsupportedVersion(2)) {
            try LicencePayload(decoding: [2] + bytes.dropFirst())
        }
        #expect(throws: LicencePayload.DecodingError.truncated(field: "status_index")) {
            try LicencePayload(decoding: Array(bytes.dropLast()))
        }
        var long = Self.payload
        long.holderName = String(repeating: "名", count: 100)
        #expect(throws: LicencePayload.EncodingError(field: "holder_name")) { try long.encoded() }
    }

    @Test func statusListBitsFollowTheW3COrder() {
        let list = LicenceStatusList(listID: "citynet-1", issuedAt: 0, keyID: "t1", capacity: 10, revoked: [0, 9])
        #expect(list.bitCount == LicenceStatusList.minimumBits)
        #expect(list.bits[0] == 0x80 && list.bits[1] == 0x40)
        #expect(list.isRevoked(0) == true && list.isRevoked(9) == true && list.isRevoked(8) == false)
        #expect(list.isRevoked(UInt32(LicenceStatusList.minimumBits)) == nil)
        let grown = LicenceStatusList(listID: "x", issuedAt: 0, keyID: "t1", capacity: 131_073, revoked: [])
        #expect(grown.bitCount == 2 * LicenceStatusList.minimumBits)
        let document = LicenceStatusDocument(list: list, signature: [1, 2, 3])
        #expect(document.decoded()?.list == list && document.issuedAt == "1970-01-01T00:00:00Z")
    }
}

/// A stand-in signature scheme for the outcome rules (CityDomain has no cryptography): a "signature" is 64 copies
/// of the sum of the message's bytes with the key id's length; key `k1` only.
struct SumChecker: LicenceSignatureChecker {
    static func sign(_ message: [UInt8]) -> [UInt8] {
        [UInt8](repeating: UInt8(truncatingIfNeeded: message.reduce(2) { $0 &+ Int($1) }), count: 64)
    }

    func isValid(signature: [UInt8], message: [UInt8], keyID: String) -> Bool? {
        keyID == "k1" ? signature == Self.sign(message) : nil
    }
}

@Suite struct LicenceOutcomeTests {
    static func text(_ payload: LicencePayload) throws -> String {
        let bytes = try payload.encoded()
        return try LicenceQR(payload: payload, signature: SumChecker.sign(LicenceQR.signedMessage(bytes))).text
    }

    static func list(revoked: [UInt32], at: Int64 = 1_800_000_000, listID: String = "citynet-1")
        -> LicenceStatusDocument
    {
        let list = LicenceStatusList(listID: listID, issuedAt: at, keyID: "k1", capacity: 100, revoked: revoked)
        return LicenceStatusDocument(list: list, signature: SumChecker.sign(list.signedMessage))
    }

    var payload: LicencePayload {
        var payload = LicenceEncodingTests.payload
        payload.keyID = "k1"
        payload.validUntil = 1_900_000_000
        return payload
    }

    @Test func outcomesFollowTheirOrder() throws {
        let now: Int64 = 1_800_000_000
        let text = try Self.text(payload)
        let checker = SumChecker()
        #expect(LicenceCheck.check(text, keys: checker, statusList: nil, now: now).outcome == .valid)
        #expect(
            LicenceCheck.check(text, keys: checker, statusList: Self.list(revoked: [7]), now: now).outcome == .revoked)
        #expect(
            LicenceCheck.check(text, keys: checker, statusList: Self.list(revoked: [6, 8]), now: now).revocation
                == .checked(listIssuedAt: 1_800_000_000))
        // Revoked wins over expired; expired is after valid-until, not at it.
        let late = LicenceCheck.check(text, keys: checker, statusList: Self.list(revoked: [7]), now: 1_900_000_001)
        #expect(late.outcome == .revoked)
        #expect(LicenceCheck.check(text, keys: checker, statusList: nil, now: 1_900_000_000).outcome == .valid)
        #expect(LicenceCheck.check(text, keys: checker, statusList: nil, now: 1_900_000_001).outcome == .expired)
        // Issued beyond the tolerated skew in the future.
        #expect(
            LicenceCheck.check(text, keys: checker, statusList: nil, now: payload.issuedAt - 301).outcome
                == .notYetValid)
        #expect(LicenceCheck.check(text, keys: checker, statusList: nil, now: payload.issuedAt - 300).outcome == .valid)
        var other = payload
        other.keyID = "k9"
        #expect(
            LicenceCheck.check(try Self.text(other), keys: checker, statusList: nil, now: now).outcome == .unknownKey)
        // A list of another id, or with a bad signature, is not used: the licence stays valid, unchecked.
        let foreign = LicenceCheck.check(
            text, keys: checker, statusList: Self.list(revoked: [7], listID: "x"), now: now)
        #expect(foreign.outcome == .valid && foreign.revocation == .otherList("x"))
        var forged = Self.list(revoked: [7])
        forged.signature = Base64URL.encode([UInt8](repeating: 0, count: 64))
        let unverified = LicenceCheck.check(text, keys: checker, statusList: forged, now: now)
        #expect(unverified.outcome == .valid && unverified.revocation == .listInvalid)
        // The register online: unknown number, or revoked now.
        let signed = LicenceCheck.check(text, keys: checker, statusList: nil, now: now)
        #expect(signed.withRegister(known: false, revoked: false, now: now).outcome == .unknownLicence)
        #expect(signed.withRegister(known: true, revoked: true, now: now).outcome == .revoked)
        #expect(signed.withRegister(known: true, revoked: false, now: now).outcome == .valid)
    }

    @Test func qrTextIsAlphanumericModeOnlyAndStable() throws {
        let text = try Self.text(payload)
        let alphanumeric = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
        #expect(text.allSatisfy(alphanumeric.contains))
        #expect(text == (try Self.text(payload)))
        let parsed = try LicenceQR(parsing: "  " + text + "\n")
        #expect(parsed.payload == payload)
    }
}

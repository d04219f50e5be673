import Foundation

/// What a check of a licence payload found, and why: the rules a checkpoint, the verification endpoint and
/// `citynet licence verify` share.
///
/// Order of the rules: a text that does not parse is `malformed`; a key id the verifier does not know is
/// `unknown_key`; a signature that does not verify is `tampered`; then `revoked` (status list or the issuer's
/// register), then `expired` (now after valid-until), then `not_yet_valid` (issued more than ``clockSkew`` in the
/// future); else `valid`. A revoked licence is reported revoked even when it has also expired.
public struct LicenceCheck: Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case valid
        case malformed
        case tampered
        case unknownKey = "unknown_key"
        case revoked
        case expired
        case notYetValid = "not_yet_valid"
        /// Signed by the issuer's key but not in its register (online only): a leaked key or lost records.
        case unknownLicence = "unknown_licence"
    }

    /// Whether revocation was checked, and against what.
    public enum Revocation: Sendable, Equatable {
        /// Against a verified status list issued at this time, or the issuer's register (online, `nil`).
        case checked(listIssuedAt: Int64?)
        case noList
        /// The list given is another list than the licence's.
        case otherList(String)
        /// The list's signature does not verify, or its key is unknown, or it is not well formed.
        case listInvalid
        /// The list is shorter than the licence's index.
        case indexOutside
    }

    public var outcome: Outcome
    /// The precise reason in English (``reasonZh`` in Chinese).
    public var reasonEn: String
    public var reasonZh: String
    /// The decoded payload, when the text parsed (trust it only when `outcome` is `valid`).
    public var payload: LicencePayload?
    public var revocation: Revocation

    /// Tolerated clock difference between issuer and checkpoint, in seconds.
    public static let clockSkew: Int64 = 300

    /// Checks `text` against `keys` and, when given, a status list document.
    /// - Parameters:
    ///   - now: seconds since 1970 (UTC) at the checkpoint.
    ///   - statusList: a published list; its own signature is checked with `keys` before any bit is read.
    public static func check(
        _ text: String, keys: any LicenceSignatureChecker, statusList: LicenceStatusDocument?, now: Int64
    ) -> LicenceCheck {
        let qr: LicenceQR
        do { qr = try LicenceQR(parsing: text) } catch {
            let (en, zh) = LicenceText.malformed(error)
            return LicenceCheck(outcome: .malformed, reasonEn: en, reasonZh: zh, payload: nil, revocation: .noList)
        }
        let payload = qr.payload
        guard
            let signed = keys.isValid(
                signature: qr.signature, message: LicenceQR.signedMessage(qr.payloadBytes), keyID: payload.keyID)
        else {
            return LicenceCheck(
                outcome: .unknownKey, reasonEn: "signed with key '\(payload.keyID)', which this verifier does not know",
                reasonZh: "签名密钥“\(payload.keyID)”不在本验证方的公钥中", payload: payload, revocation: .noList)
        }
        guard signed else {
            return LicenceCheck(
                outcome: .tampered,
                reasonEn: "the signature does not match the contents: the payload or the signature was altered",
                reasonZh: "签名与内容不符：内容或签名已被篡改", payload: payload, revocation: .noList)
        }
        let revocation = revocationStatus(payload, list: statusList, keys: keys)
        let result = LicenceCheck(outcome: .valid, reasonEn: "", reasonZh: "", payload: payload, revocation: revocation)
        return result.judged(revoked: listBit(payload, statusList), now: now)
    }

    /// The bit of the licence in a verified list, or nil.
    private static func listBit(_ payload: LicencePayload, _ document: LicenceStatusDocument?) -> Bool? {
        document?.decoded()?.list.isRevoked(payload.statusIndex)
    }

    private static func revocationStatus(
        _ payload: LicencePayload, list document: LicenceStatusDocument?, keys: any LicenceSignatureChecker
    ) -> Revocation {
        guard let document else { return .noList }
        guard let (list, signature) = document.decoded(),
            keys.isValid(signature: signature, message: list.signedMessage, keyID: list.keyID) == true
        else { return .listInvalid }
        guard list.listID == payload.statusList else { return .otherList(list.listID) }
        guard list.isRevoked(payload.statusIndex) != nil else { return .indexOutside }
        return .checked(listIssuedAt: list.issuedAt)
    }

    /// This check with the issuer's register applied (online): `known` false makes it `unknown_licence`, `revoked`
    /// true `revoked`; the revocation is then counted as checked.
    public func withRegister(known: Bool, revoked: Bool, now: Int64) -> LicenceCheck {
        guard outcome != .malformed, outcome != .tampered, outcome != .unknownKey else { return self }
        var result = self
        result.revocation = .checked(listIssuedAt: nil)
        guard known else {
            result.outcome = .unknownLicence
            result.reasonEn = "the signature is the issuer's, but the issuer's register has no licence with this number"
            result.reasonZh = "签名有效，但发证机关的登记中没有此证照编号"
            return result
        }
        return result.judged(revoked: revoked, now: now)
    }

    /// Applies the revocation, expiry and not-yet-valid rules to a check whose signature verified.
    private func judged(revoked: Bool?, now: Int64) -> LicenceCheck {
        var result = self
        guard let payload else { return result }
        let verifiedRevoked: Bool
        if case .checked = revocation { verifiedRevoked = revoked == true } else { verifiedRevoked = false }
        if verifiedRevoked {
            result.outcome = .revoked
            result.reasonEn = "revoked by the issuer (status list index \(payload.statusIndex))"
            result.reasonZh = "已被发证机关注销（状态列表第 \(payload.statusIndex) 位）"
        } else if let until = payload.validUntil, now > until {
            result.outcome = .expired
            result.reasonEn = "expired on \(LicenceTime.iso(until))"
            result.reasonZh = "已于 \(LicenceTime.iso(until)) 过期"
        } else if payload.issuedAt > now + Self.clockSkew {
            result.outcome = .notYetValid
            result.reasonEn = "issued in the future (\(LicenceTime.iso(payload.issuedAt))): check the clock"
            result.reasonZh = "签发时间在未来（\(LicenceTime.iso(payload.issuedAt))），请检查时钟"
        } else {
            result.outcome = .valid
            switch revocation {
            case .checked(let at):
                result.reasonEn =
                    at.map { "signature valid; not revoked according to the status list of \(LicenceTime.iso($0))" }
                    ?? "signature valid; not revoked according to the issuer's register"
                result.reasonZh =
                    at.map { "签名有效；据 \(LicenceTime.iso($0)) 的状态列表未被注销" } ?? "签名有效；据发证机关登记未被注销"
            case .noList:
                result.reasonEn = "signature valid; revocation not checked (no status list)"
                result.reasonZh = "签名有效；未核对注销状态（无状态列表）"
            case .otherList(let id):
                result.reasonEn =
                    "signature valid; revocation not checked (the status list is '\(id)', not '\(payload.statusList)')"
                result.reasonZh = "签名有效；未核对注销状态（状态列表为“\(id)”，不是“\(payload.statusList)”）"
            case .listInvalid:
                result.reasonEn =
                    "signature valid; revocation not checked (the status list's own signature does not verify)"
                result.reasonZh = "签名有效；未核对注销状态（状态列表本身的签名无效）"
            case .indexOutside:
                result.reasonEn = "signature valid; revocation not checked (the status list is older than this licence)"
                result.reasonZh = "签名有效；未核对注销状态（状态列表早于本证照）"
            }
        }
        return result
    }
}

/// The reasons for malformed payloads, in English and Chinese.
enum LicenceText {
    static func malformed(_ problem: LicenceQR.Problem) -> (String, String) {
        switch problem {
        case .prefix:
            return ("does not start with \(LicenceQR.prefix)", "不是以 \(LicenceQR.prefix) 开头的证照码")
        case .base45(.character(let offset, let character)):
            let shown = character.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined()
            return (
                "character \(shown) at position \(offset + 1) after the prefix is not Base45 (0-9, A-Z, space, $%*+-./:)",
                "前缀后第 \(offset + 1) 个字符 \(shown) 不属于 Base45 字符集"
            )
        case .base45(.length(let count)):
            return (
                "\(count) characters after the prefix: a Base45 text never has 3k+1 characters (cut short?)",
                "前缀后有 \(count) 个字符，Base45 长度不可能为 3k+1（是否被截断？）"
            )
        case .base45(.value(let offset)):
            return ("the Base45 group at position \(offset + 1) is out of range", "第 \(offset + 1) 位起的 Base45 字符组超出范围")
        case .tooShort(let count):
            return ("only \(count) bytes: too short for a licence and its signature", "仅 \(count) 字节，不足以容纳证照和签名")
        case .payload(.unsupportedVersion(let version)):
            return (
                "payload format \(version) is not supported (this verifier reads format 1)", "不支持的证照格式版本 \(version)"
            )
        case .payload(.truncated(let field)):
            return ("the payload ends inside field '\(field)' (cut short?)", "内容在字段“\(field)”处中断（是否被截断？）")
        case .payload(.invalidText(let field)):
            return ("field '\(field)' is not valid UTF-8", "字段“\(field)”不是有效的 UTF-8")
        case .payload(.trailingBytes(let count)):
            return ("\(count) unexpected bytes after the payload", "内容后有 \(count) 个多余字节")
        }
    }
}

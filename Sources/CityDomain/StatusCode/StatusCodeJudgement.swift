import Foundation

/// What a checkpoint found in a status code, and why (CityNet issue #16 §2): the rules `citynet code verify`, the
/// checkpoint page (in the browser, `status-check.js`, with these reasons rendered into the page) and the tests share. The signature itself is checked in the app (a compact JWS, EdDSA); this
/// type holds the order of the answers and their reasons in both languages.
///
/// Order: a text that is not a well-formed code is `malformed`; a key id the checkpoint does not know is
/// `unknown_key`; a signature that does not verify is `tampered`; a code id on a verified revocation list is
/// `revoked`; then the validity window `[iat − clockSkew, exp + clockSkew]`: after it by at most ``refreshGrace``
/// is `expired` (the holder's page missed a refresh), later still is `replayed` (an old code shown again, e.g. a
/// screenshot), before it is `not_yet_valid`; else `valid`.
public struct StatusCodeCheck: Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case valid, malformed, tampered, revoked, expired, replayed
        case unknownKey = "unknown_key"
        case notYetValid = "not_yet_valid"
    }

    /// What the checkpoint knew of revocations.
    public enum Revocation: String, Codable, Sendable {
        /// A verified list, still within its own validity.
        case checked
        /// A verified list past its `exp`: used, but the checkpoint should fetch a new one.
        case stale
        case noList = "no_list"
        /// The list's signature does not verify, or it is not well formed: not used.
        case listInvalid = "list_invalid"
    }

    /// The claims a status code carries, and nothing else.
    public struct Claims: Codable, Hashable, Sendable {
        /// The per-code pseudonym (also the revocation id).
        public var subject: String
        public var category: String
        /// Seconds since 1970 (UTC).
        public var issuedAt: Int64
        public var expiresAt: Int64

        public init(subject: String, category: String, issuedAt: Int64, expiresAt: Int64) {
            (self.subject, self.category, self.issuedAt, self.expiresAt) = (subject, category, issuedAt, expiresAt)
        }
    }

    public var outcome: Outcome
    public var reasonEn: String
    public var reasonZh: String
    /// The claims when the text parsed (trust them only when `outcome` is `valid`).
    public var claims: Claims?
    public var revocation: Revocation

    /// Tolerated clock difference between issuer and checkpoint, in seconds.
    public static let clockSkew: Int64 = 60
    /// How long after its expiry a code is `expired` rather than `replayed`, in seconds.
    public static let refreshGrace: Int64 = 600

    public init(outcome: Outcome, reasonEn: String, reasonZh: String, claims: Claims?, revocation: Revocation) {
        (self.outcome, self.reasonEn, self.reasonZh, self.claims, self.revocation) =
            (outcome, reasonEn, reasonZh, claims, revocation)
    }

    /// A refusal before the claims could be trusted.
    public static func refused(_ outcome: Outcome, detail: String, claims: Claims? = nil) -> StatusCodeCheck {
        let (en, zh): (String, String)
        switch outcome {
        case .malformed: (en, zh) = ("not a status code: \(detail)", "不是有效的状态码：\(detail)")
        case .unknownKey:
            (en, zh) = ("signed with key '\(detail)', which this checkpoint does not know", "签名密钥“\(detail)”不在本核验点的公钥中")
        default:
            (en, zh) = (
                "the signature does not match the contents: the code was altered", "签名与内容不符：状态码已被篡改"
            )
        }
        return StatusCodeCheck(outcome: outcome, reasonEn: en, reasonZh: zh, claims: claims, revocation: .noList)
    }

    /// Judges a code whose signature verified.
    /// - Parameters:
    ///   - revoked: whether its subject is on the revocation list (false without a usable list).
    ///   - now: seconds since 1970 (UTC) at the checkpoint.
    public static func judged(_ claims: Claims, revoked: Bool, revocation: Revocation, now: Int64) -> StatusCodeCheck {
        var check = StatusCodeCheck(outcome: .valid, reasonEn: "", reasonZh: "", claims: claims, revocation: revocation)
        let until = StatusRuleSet.shanghaiTime(claims.expiresAt)
        if revoked {
            (check.outcome, check.reasonEn, check.reasonZh) = (
                .revoked, "revoked by the issuer: the holder's status changed", "已被签发方撤销：持码人状态已变化"
            )
        } else if now > claims.expiresAt + clockSkew + refreshGrace {
            (check.outcome, check.reasonEn, check.reasonZh) = (
                .replayed,
                "beyond its validity window (issued \(StatusRuleSet.shanghaiTime(claims.issuedAt)), valid until \(until)): an old code shown again",
                "超出有效期窗口（签发于 \(StatusRuleSet.shanghaiTime(claims.issuedAt))，有效至 \(until)）：重复出示的旧码"
            )
        } else if now > claims.expiresAt + clockSkew {
            (check.outcome, check.reasonEn, check.reasonZh) = (
                .expired, "expired at \(until): refresh the code", "已于 \(until) 过期：请刷新状态码"
            )
        } else if claims.issuedAt > now + clockSkew {
            (check.outcome, check.reasonEn, check.reasonZh) = (
                .notYetValid, "issued in the future: check the checkpoint's clock", "签发时间在未来：请检查核验设备时钟"
            )
        } else {
            switch revocation {
            case .checked:
                (check.reasonEn, check.reasonZh) = ("valid until \(until); not revoked", "有效至 \(until)；未被撤销")
            case .stale:
                (check.reasonEn, check.reasonZh) = (
                    "valid until \(until); not revoked according to an outdated revocation list: update it",
                    "有效至 \(until)；据过期的撤销列表未被撤销，请更新列表"
                )
            case .noList, .listInvalid:
                (check.reasonEn, check.reasonZh) = (
                    "valid until \(until); revocation not checked (no usable revocation list)",
                    "有效至 \(until)；未核对撤销状态（无可用的撤销列表）"
                )
            }
        }
        return check
    }
}

import Testing

@testable import CityDomain

@Suite struct StatusCodeJudgementTests {
    let claims = StatusCodeCheck.Claims(subject: "p", category: "green", issuedAt: 1000, expiresAt: 1300)

    @Test func theValidityWindowDecidesExpiredReplayedAndNotYetValid() {
        func outcome(_ now: Int64, revoked: Bool = false) -> StatusCodeCheck.Outcome {
            StatusCodeCheck.judged(claims, revoked: revoked, revocation: .checked, now: now).outcome
        }
        #expect(outcome(1100) == .valid)
        #expect(outcome(1300 + 60) == .valid)  // within the clock skew
        #expect(outcome(1300 + 61) == .expired)
        #expect(outcome(1300 + 60 + 600) == .expired)
        #expect(outcome(1300 + 60 + 601) == .replayed)
        #expect(outcome(1000 - 61) == .notYetValid)
        #expect(outcome(1100, revoked: true) == .revoked)
        #expect(outcome(99_999, revoked: true) == .revoked)
    }

    @Test func aValidCodeSaysWhetherRevocationWasChecked() {
        let stale = StatusCodeCheck.judged(claims, revoked: false, revocation: .stale, now: 1100)
        #expect(stale.outcome == .valid)
        #expect(stale.reasonEn.contains("outdated revocation list"))
        let none = StatusCodeCheck.judged(claims, revoked: false, revocation: .noList, now: 1100)
        #expect(none.reasonZh.contains("未核对撤销状态"))
    }
}

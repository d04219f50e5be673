import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// Issue #14 §1 through the API and the offline command: approval issues a signed licence in the same
/// transaction, the holder sees its payload, checkpoints verify it online and offline, and tampering, expiry,
/// revocation and key rotation are told apart. Runs on PostgreSQL with `TEST_DATABASE_URL`.
@Suite struct LicenceIssuanceTests {
    @Test func approvalIssuesASignedLicenceThatVerifiesOnlineAndOffline() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, application) = try await LicenceFixtures.approvedNewborn(app)
            let licences = try await LicenceFixtures.licences(app, token: citizen)
            let licence = try #require(licences.first)
            #expect(licences.count == 1)
            #expect(licence.kind == "household_register" && licence.kindNameZh == "居民户口簿")
            #expect(licence.applicationId == application && licence.issuer == "310115.police")
            #expect(licence.keyId == "t1" && licence.validUntil == nil)
            // A GB/T 36904-style number with a correct check character.
            let number = try LicenceNumber(parsing: licence.number)
            #expect(number.typeCode == "SHGA001" && number.issuerCode == "310115POLICE" && number.version == "001")
            // Never the clear identity number: neither in the DTO nor in the signed payload.
            let clear = GovFixtures.identityNumber()
            #expect(licence.holderIdentityNumber == IdentityNumber.mask(clear))
            let qr = try LicenceQR(parsing: licence.payload)
            #expect(
                !qr.payload.holderIdentity.contains(clear) && qr.payload.holderIdentity == IdentityNumber.mask(clear))
            #expect(!String(decoding: qr.payloadBytes, as: UTF8.self).contains(clear))
            // The approval and the issue are on the application's trail.
            let events = try await GovApplicationEvent.query(on: app.db).filter(\.$applicationID == application)
                .sort(\.$at).all().map(\.action)
            #expect(events.suffix(2) == ["approve", "licence_issued"])
            // Online.
            let online = try await LicenceFixtures.verify(app, licence.payload)
            #expect(online.outcome == .valid, "\(online.reasonEn)")
            #expect(online.licence?.number == licence.number && online.licence?.holderName == "张三")
            // Offline, with the published keys and status list.
            let keys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            let list = try await LicenceFixtures.download(app, "/api/v1/licence-status-list")
            let offline = LicenceFixtures.cli([licence.payload, "--keys", keys.path, "--status-list", list.path])
            #expect(offline.status == 0, "\(offline.output)")
            #expect(offline.output.contains("outcome: valid") && offline.output.contains(licence.number))
            // Without a status list it is still valid, and says revocation was not checked.
            let unlisted = LicenceFixtures.cli([licence.payload, "--keys", keys.path])
            #expect(unlisted.status == 0 && unlisted.output.contains("revocation not checked"))
        }
    }

    @Test func noLicenceBeforeTheApproval() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovFixtures.citizen(app)
            let worker = try await TestApp.login(
                app, username: "pd.police.1", unit: "310115.police", role: .caseworker)
            var id: UUID?
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen, body: GovFixtures.newbornApplication()
            ) { res in id = try res.content.decode(LicenceFixtures.ApplicationID.self).id }
            for action in ["accept", "review"] {
                try await LicenceFixtures.act(app, action, on: try #require(id), token: worker)
            }
            #expect(try await LicenceFixtures.licences(app, token: citizen).isEmpty)
            #expect(try await GovLicence.query(on: app.db).count() == 0)
        }
    }

    @Test func oneBitFlippedInThePayloadOrTheSignatureIsTampered() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let payload = try #require(try await LicenceFixtures.licences(app, token: citizen).first).payload
            let keys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            let qr = try LicenceQR(parsing: payload)
            // A bit inside the holder's name (a byte well inside the payload) and the last bit of the signature.
            let nameByte = 1 + 1 + qr.payload.number.utf8.count + 1 + qr.payload.kind.utf8.count + 1
            for flipped in [
                try LicenceFixtures.flipping(payload, byte: nameByte, bit: 0),
                try LicenceFixtures.flipping(payload, byte: qr.payloadBytes.count + 63, bit: 7),
            ] {
                #expect(flipped != payload)
                let online = try await LicenceFixtures.verify(app, flipped)
                #expect(online.outcome == .tampered, "\(online.reasonEn)")
                #expect(online.licence == nil)
                let offline = LicenceFixtures.cli([flipped, "--keys", keys.path])
                #expect(offline.status == 3, "\(offline.output)")
                #expect(offline.output.contains("outcome: tampered"))
            }
        }
    }

    @Test func revokedByTheIssuingUnitOnlyAndSeenThroughTheStatusList() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, worker, application) = try await LicenceFixtures.approvedNewborn(app)
            let licence = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let keys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            let before = try await LicenceFixtures.download(app, "/api/v1/licence-status-list")
            let path = "/api/v1/gov/licences/\(licence.number)/revocation"
            // Another unit's operator: 404, as if no such licence; a blank reason: 400.
            let other = try await TestApp.login(app, username: "pd.health.1", unit: "310115.health", role: .caseworker)
            try await GovFixtures.send(app, .POST, path, token: other, body: ["reason": "wrong unit"]) { res in
                #expect(res.status == .notFound)
            }
            try await GovFixtures.send(app, .POST, path, token: worker, body: ["reason": "  "]) { res in
                #expect(res.status == .badRequest)
            }
            try await GovFixtures.send(app, .POST, path, token: worker, body: ["reason": "登记错误，已更正后重新签发"]) { res in
                #expect(res.status == .ok, "\(res.body.string)")
                let revoked = try res.content.decode(LicenceDTO.self)
                #expect(revoked.revokedAt != nil && revoked.revokeReason == "登记错误，已更正后重新签发")
            }
            try await GovFixtures.send(app, .POST, path, token: worker, body: ["reason": "again"]) { res in
                #expect(res.status == .conflict)
            }
            // Audited on the application's trail, with who and why.
            let event = try #require(
                try await GovApplicationEvent.query(on: app.db).filter(\.$applicationID == application)
                    .filter(\.$action == "licence_revoked").first())
            #expect(event.actor == "pd.police.1" && event.unitCode == "310115.police")
            #expect(event.note?.contains(licence.number) == true)
            // Online: revoked at once.
            let online = try await LicenceFixtures.verify(app, licence.payload)
            #expect(online.outcome == .revoked, "\(online.reasonEn)")
            // Offline: a list fetched after the revocation says revoked; the cached older one did not know yet.
            let after = try await LicenceFixtures.download(app, "/api/v1/licence-status-list")
            let revoked = LicenceFixtures.cli([licence.payload, "--keys", keys.path, "--status-list", after.path])
            #expect(revoked.status == 5 && revoked.output.contains("outcome: revoked"), "\(revoked.output)")
            let stale = LicenceFixtures.cli([licence.payload, "--keys", keys.path, "--status-list", before.path])
            #expect(stale.status == 0, "\(stale.output)")
            // A status list with one bit changed no longer verifies: not used, and said so (exit 8).
            var document = try JSONDecoder().decode(LicenceStatusDocument.self, from: Data(contentsOf: after))
            var bits = try #require(Base64URL.decode(document.encodedList))
            bits[0] = 0
            document.encodedList = Base64URL.encode(bits)
            let forged = FileManager.default.temporaryDirectory.appendingPathComponent("forged-\(UUID()).json")
            try JSONEncoder().encode(document).write(to: forged)
            let unverified = LicenceFixtures.cli([licence.payload, "--keys", keys.path, "--status-list", forged.path])
            #expect(unverified.status == 8, "\(unverified.output)")
            #expect(unverified.output.contains("status list's own signature does not verify"))
        }
    }

    @Test func expiredAfterItsValidityOnlineAndOffline() async throws {
        try await TestApp.withApp { app, clock in
            // The food business licence is valid 5 years (catalogue); issue one.
            let citizen = try await GovFixtures.citizen(app)
            let worker = try await TestApp.login(
                app, username: "pd.market.1", unit: "310115.market_regulation", role: .caseworker)
            let upload = ["file_name": "a.pdf", "content_base64": GovFixtures.pdf]
            var id: UUID?
            try await GovFixtures.send(
                app, .POST, "/api/v1/me/applications", token: citizen,
                body: [
                    "item_code": "SH-SC-0003", "region_code": "310115", "client_token": "food-1",
                    "materials": [
                        upload.merging(["code": "layout"]) { $1 }, upload.merging(["code": "safety_rules"]) { $1 },
                    ],
                ]
            ) { res in
                #expect(res.status == .created, "\(res.body.string)")
                id = try res.content.decode(LicenceFixtures.ApplicationID.self).id
            }
            for action in ["accept", "review", "approve"] {
                try await LicenceFixtures.act(app, action, on: try #require(id), token: worker)
            }
            let licence = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let until = try #require(licence.validUntil)
            #expect(abs(until.timeIntervalSince(TestApp.friday) - 5 * 365.25 * 86_400) < 2 * 86_400)
            let keys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            #expect(LicenceFixtures.cli([licence.payload, "--keys", keys.path], now: until).status == 0)
            let later = until.addingTimeInterval(1)
            let offline = LicenceFixtures.cli([licence.payload, "--keys", keys.path], now: later)
            #expect(offline.status == 6 && offline.output.contains("outcome: expired"), "\(offline.output)")
            clock.set(later)
            let online = try await LicenceFixtures.verify(app, licence.payload)
            #expect(online.outcome == .expired && online.reasonEn.hasPrefix("expired on"), "\(online.reasonEn)")
        }
    }

    @Test func afterRotationOldLicencesStillVerifyAndNewOnesNameTheNewKey() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let old = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let oldKeys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            // Rotate: append a new key, which becomes current.
            let rotated = try LicenceKeyRing.parse(
                TestApp.licenceKeys + "\n" + LicenceKeyRing.newKeyLine(id: "t2"), source: "test")
            app.govServices.licenceKeys = rotated
            let (second, _, _) = try await LicenceFixtures.approvedNewborn(
                app, number: GovFixtures.identityNumber(sequence: "456"), worker: "pd.police.2")
            let new = try #require(try await LicenceFixtures.licences(app, token: second).first)
            #expect(old.keyId == "t1" && new.keyId == "t2")
            let published = try JSONDecoder().decode(
                LicenceKeySet.self,
                from: Data(contentsOf: try await LicenceFixtures.download(app, "/api/v1/licence-keys")))
            #expect(published.keys.map(\.keyID) == ["t1", "t2"] && published.keys.map(\.current) == [false, true])
            for payload in [old.payload, new.payload] {
                #expect(try await LicenceFixtures.verify(app, payload).outcome == .valid)
            }
            let newKeys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            #expect(LicenceFixtures.cli([old.payload, "--keys", newKeys.path]).status == 0)
            // A checkpoint that still has only the old keys: the new licence's key is unknown to it (exit 4).
            let stale = LicenceFixtures.cli([new.payload, "--keys", oldKeys.path])
            #expect(stale.status == 4 && stale.output.contains("'t2'"), "\(stale.output)")
            // The status list is signed with the current key and verifies with the new keys.
            let list = try await LicenceFixtures.download(app, "/api/v1/licence-status-list")
            let checked = LicenceFixtures.cli([old.payload, "--keys", newKeys.path, "--status-list", list.path])
            #expect(checked.status == 0 && checked.output.contains("status list of"), "\(checked.output)")
        }
    }

    @Test func malformedPayloadsAreToldApartPrecisely() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let payload = try #require(try await LicenceFixtures.licences(app, token: citizen).first).payload
            let keys = try await LicenceFixtures.download(app, "/api/v1/licence-keys")
            // Cut to 3k+1 characters after the prefix, whatever the payload's length.
            let body = payload.dropFirst(LicenceQR.prefix.count)
            let cut = LicenceQR.prefix + body.prefix((body.count - 2) / 3 * 3 + 1)
            let cases: [(String, String)] = [
                ("HC1:" + payload.dropFirst(5), "does not start with CNL1:"),
                ("CNL1:" + payload.dropFirst(5).lowercased(), "is not Base45"),
                (cut, "3k+1"),
                (String(payload.dropLast(3)), "ends inside field"),
                (String(payload.prefix(50)), "too short"),
                ("CNL1:", "too short"),
            ]
            for (text, reason) in cases {
                let online = try await LicenceFixtures.verify(app, text)
                #expect(online.outcome == .malformed && online.reasonEn.contains(reason), "\(text): \(online.reasonEn)")
                let offline = LicenceFixtures.cli([text, "--keys", keys.path])
                #expect(offline.status == 2, "\(offline.output)")
            }
            // Too long a body is refused before any decoding.
            try await app.testing().test(
                .POST, "/api/v1/licence-verifications",
                beforeRequest: { req in try req.content.encode(["payload": String(repeating: "A", count: 5000)]) },
                afterResponse: { res in #expect(res.status == .badRequest) })
        }
    }
}

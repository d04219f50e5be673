import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The console's licence pages (issue #14 §1): the holder's licences with their payloads to copy, and the public
/// check page that takes a pasted payload, in Chinese first and in English.
@Suite struct LicencePagesTests {
    static func page(_ app: Application, _ path: String, cookie: String = "") async throws -> (HTTPStatus, String) {
        var result: (HTTPStatus, String) = (.internalServerError, "")
        try await GovPages.send(app, .GET, path, cookie: cookie) { res in result = (res.status, res.body.string) }
        return result
    }

    @Test func theHolderSeesThePayloadAndTheCheckPageJudgesIt() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let licence = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let session = try #require(try await GovPages.signIn(app, number: GovFixtures.identityNumber()))
            let cookie = "\(CitizenPageSession.cookie)=\(session)"
            let (status, mine) = try await Self.page(app, "/console/citizen/licences", cookie: cookie)
            #expect(status == .ok)
            #expect(mine.contains("居民户口簿") && mine.contains(licence.number) && mine.contains(licence.payload))
            #expect(mine.contains("data-copy") && mine.contains("/console/assets/licence.js"))
            #expect(!mine.contains(GovFixtures.identityNumber()))
            // The page's own link to the check page carries the payload intact (percent-encoded).
            let link = try #require(
                mine.firstRange(of: #/href="(/console/citizen/licence-check\?payload=[^"]+)"/#).map {
                    String(mine[$0]).dropFirst(6).dropLast()
                })
            let (checked, zh) = try await Self.page(app, String(link))
            #expect(checked == .ok)
            #expect(zh.contains("data-outcome=\"valid\"") && zh.contains("有效") && zh.contains(licence.number), "\(zh)")
            #expect(!zh.contains(GovFixtures.identityNumber()))
            let (_, en) = try await Self.page(app, String(link) + "&lang=en")
            #expect(en.contains("lang=\"en\"") && en.contains(">Valid<") && en.contains("Household register"))
            // A tampered one, and nothing pasted.
            let tampered = try LicenceFixtures.flipping(licence.payload, byte: 20)
            let encoded = tampered.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            let (_, bad) = try await Self.page(app, "/console/citizen/licence-check?payload=\(encoded)")
            #expect(bad.contains("data-outcome=\"tampered\"") && bad.contains("签名与内容不符"))
            #expect(!bad.contains(licence.number))
            let (_, empty) = try await Self.page(app, "/console/citizen/licence-check")
            #expect(empty.contains("id=\"licence-check\"") && !empty.contains("licence-result"))
        }
    }

    /// Each licence on the page carries its payload as an inline SVG QR code (drawn by ``QRCode``, no script, no
    /// external image), with a title naming the licence; the modules the SVG draws are the payload's code, in Chinese
    /// and in English.
    @Test func eachLicenceShowsItsPayloadAsAQRCode() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let licences = try await LicenceFixtures.licences(app, token: citizen)
            #expect(!licences.isEmpty)
            let session = try #require(try await GovPages.signIn(app, number: GovFixtures.identityNumber()))
            let cookie = "\(CitizenPageSession.cookie)=\(session)"
            for (query, title) in [("", "电子证照二维码 居民户口簿"), ("?lang=en", "E-licence QR code Household register")] {
                let (status, page) = try await Self.page(app, "/console/citizen/licences" + query, cookie: cookie)
                #expect(status == .ok)
                let items = page.split(separator: "<li ").dropFirst().filter { $0.contains("data-number=") }
                #expect(items.count == licences.count)
                for licence in licences {
                    let item = try #require(items.first { $0.contains("data-number=\"\(licence.number)\"") })
                    let svg = try #require(item.firstRange(of: #/<svg [^>]*>.*?</svg>/#).map { String(item[$0]) })
                    #expect(svg.contains("<title>\(title) \(licence.number)</title>"), "\(svg.prefix(300))")
                    #expect(!svg.contains("<script") && !svg.contains("href"))
                    let code = try QRCode.encode(licence.payload, level: .medium)
                    let side = code.size + 8
                    #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
                    var drawn = Set<[Int]>()
                    for run in svg.matches(of: #/M(\d+) (\d+)h(\d+)v1h-\d+z/#) {
                        let (x, y, length) = (Int(run.output.1)! - 4, Int(run.output.2)! - 4, Int(run.output.3)!)
                        for dx in 0..<length { drawn.insert([x + dx, y]) }
                    }
                    var expected = Set<[Int]>()
                    for y in 0..<code.size {
                        for x in 0..<code.size where code.isDark(x: x, y: y) { expected.insert([x, y]) }
                    }
                    #expect(drawn == expected, "\(licence.payload.count) characters, version \(code.version)")
                }
            }
        }
    }

    @Test func theApplyFormOffersTheHeldLicenceAndAttachesItOnlyWhenTicked() async throws {
        try await TestApp.withApp { app, _ in
            let (citizen, _, _) = try await LicenceFixtures.approvedNewborn(app)
            let licence = try #require(try await LicenceFixtures.licences(app, token: citizen).first)
            let session = try #require(try await GovPages.signIn(app, number: GovFixtures.identityNumber()))
            let page = GovPages.Citizen(
                cookie: "\(CitizenPageSession.cookie)=\(session)", csrf: ConsoleSession.csrfToken(forSession: session))
            let (_, form) = try await Self.page(app, "/console/citizen/services/SH-YB-0003", cookie: page.cookie)
            #expect(form.contains("name=\"consent_household_register\"") && form.contains(licence.number), "\(form)")
            for (token, ticked) in [("p1", true), ("p2", false)] {
                var fields = ["_csrf": page.csrf, "client_token": token, "region_code": "310115"]
                if ticked { fields["consent_household_register"] = "on" }
                try await GovPages.send(
                    app, .POST, "/console/citizen/services/SH-YB-0003/apply", cookie: page.cookie,
                    multipart: GovPages.multipart(fields, files: ["m_enrolment_form": ("表.pdf", GovPages.pdf)])
                ) { res in #expect(res.status == .seeOther, "\(res.body.string)") }
                let application = try #require(
                    try await GovApplication.query(on: app.db).filter(\.$clientToken == token).first())
                let row = try #require(
                    try await GovMaterial.query(on: app.db).filter(\.$applicationID == application.requireID())
                        .filter(\.$materialCode == "household_register").first())
                #expect((row.licenceID != nil) == ticked && (row.consentedAt != nil) == ticked)
            }
        }
    }

    @Test func theLicencesPageNeedsASignedInCitizen() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/console/citizen/licences") { res in
                #expect(res.status != .ok)
                #expect(!res.body.string.contains("id=\"licences\""))
            }
        }
    }
}

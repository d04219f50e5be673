import CityDomain
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@testable import App

/// The citizens' pages (issue #13 §5): registration and sign-in with precise errors, finding a service, applying
/// with uploads (the same checks as the API), CSRF, and never another person's data.
@Suite struct GovCitizenPagesTests {
    @Test func registrationNamesTheProblemRevealsNoAccountAndSignInWorks() async throws {
        try await TestApp.withApp { app, _ in
            var bad = GovFixtures.identityNumber()
            bad.removeLast()
            bad += bad.hasSuffix("1") ? "2" : "1"
            let refused = try await GovPages.register(app, number: String(bad.prefix(17)) + "0")
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("校验码（第 18 位）不正确"), "\(refused.body)")
            #expect(refused.body.contains("value=\"张三\""))  // what was typed is kept (not the number)
            #expect(refused.session == nil)
            let short = try await GovPages.register(app, number: "31011519900307")
            #expect(short.body.contains("身份证号应为 18 位，您输入了 14 位"))
            let phone = try await GovPages.register(app, phone: "12345")
            #expect(phone.body.contains("手机号应为以 1 开头的 11 位数字"))
            let citizen = try await GovPages.citizen(app)
            try await GovPages.send(app, .GET, "/console/citizen", cookie: citizen.cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("id=\"citizen-name\">张三"))
                #expect(!res.body.string.contains(GovFixtures.identityNumber()))
            }
            // The same number again: the very same page as a new registration (no account is revealed), and no
            // session; the holder's notifications say someone tried.
            let again = try await GovPages.register(app)
            #expect(again.status == .ok && again.body.contains("登记已受理") && again.session == nil)
            #expect(!again.body.contains("已注册"))
            try await GovPages.send(app, .GET, "/console/citizen/notifications", cookie: citizen.cookie) { res in
                #expect(res.body.string.contains("有人尝试用您的身份证号注册新账户"))
            }
            // Without the form's token: refused.
            try await app.testing().test(
                .POST, "/console/citizen/login",
                beforeRequest: { req in
                    try req.content.encode(
                        ["identity_number": GovFixtures.identityNumber(), "password": "correct horse 1"],
                        as: .urlEncodedForm)
                }, afterResponse: { res in #expect(res.status == .forbidden) })
            // Signed-out pages go to the citizens' sign-in, not the operators'.
            try await app.testing().test(.GET, "/console/citizen/notifications") { res in
                #expect(res.headers.first(name: .location)?.hasPrefix("/console/citizen/login?next=") == true)
            }
        }
    }

    @Test func tooManyRegistrationAttemptsAreToldInThePage() async throws {
        try await TestApp.withApp { app, _ in
            for _ in 0..<Access.maxFailures {
                #expect(try await GovPages.register(app, phone: "1").status == .badRequest)
            }
            let throttled = try await GovPages.register(app)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.body.contains("该地址注册尝试过多，请 15 分钟后再试"), "\(throttled.body)")
            #expect(throttled.session == nil)
        }
    }

    @Test func servicesAreFoundByKeywordDepartmentAndLifeEventInBothLanguages() async throws {
        try await TestApp.withApp { app, _ in
            try await app.testing().test(.GET, "/console/citizen/services?q=%E6%88%B7%E5%8F%A3") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("data-code=\"SH-GA-0001\""))
                #expect(!res.body.string.contains("data-code=\"SH-WJW-0002\""))
            }
            try await app.testing().test(.GET, "/console/citizen/services?life_event=newborn&department=health") {
                res in
                #expect(res.body.string.contains("data-code=\"SH-WJW-0001\""))
                #expect(!res.body.string.contains("data-code=\"SH-GA-0001\""))
            }
            try await app.testing().test(.GET, "/console/citizen/services/SH-GA-0001?lang=en") { res in
                #expect(res.body.string.contains("Household registration of a newborn"))
                #expect(res.body.string.contains("Sign in to apply"))
                #expect(!res.body.string.contains("apply-form"))
            }
        }
    }

    @Test func applyingChecksTheFilesAndMakesOneApplication() async throws {
        try await TestApp.withApp { app, _ in
            let citizen = try await GovPages.citizen(app)
            let item = "/console/citizen/services/SH-GA-0001"
            var (location, flash) = try await GovPages.apply(app, citizen, files: [:])
            #expect(location == item && flash == "error:缺少必需材料：新生儿入户申报表")
            // A text file named .png is refused by its content.
            (location, flash) = try await GovPages.apply(
                app, citizen, files: ["m_declaration": ("photo.png", Data("not an image".utf8))])
            #expect(flash.contains("“photo.png”的内容不是 PDF、JPEG 或 PNG 文件（与文件名无关）"), "\(flash)")
            var big = Data("%PDF-1.4\n".utf8)
            big.append(Data(repeating: 0x20, count: UploadContent.maxBytes))
            big.append(Data("\n%%EOF\n".utf8))
            (location, flash) = try await GovPages.apply(app, citizen, files: ["m_declaration": ("big.pdf", big)])
            #expect(flash.contains("超过 2 MB 上限"), "\(flash)")
            // A stale security token: refused, nothing stored.
            try await GovPages.send(
                app, .POST, item + "/apply", cookie: citizen.cookie,
                multipart: GovPages.multipart(
                    ["_csrf": "stale", "client_token": "x", "region_code": "310115"],
                    files: ["m_declaration": ("a.pdf", GovPages.pdf)])
            ) { res in #expect(res.status == .forbidden) }
            #expect(try await GovApplication.query(on: app.db).count() == 0)
            (location, flash) = try await GovPages.apply(app, citizen)
            #expect(location.hasPrefix("/console/citizen/applications/") && flash.hasPrefix("ok:"))
            // The same form sent twice (the same client token): still one application.
            let (second, _) = try await GovPages.apply(app, citizen)
            #expect(second == location)
            #expect(try await GovApplication.query(on: app.db).count() == 1)
            try await GovPages.send(app, .GET, location, cookie: citizen.cookie) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("data-state=\"submitted\""))
                #expect(res.body.string.contains("受理后起算"))  // the promised date counts from acceptance
                #expect(res.body.string.contains("application/pdf"))
            }
        }
    }

    @Test func aCitizenNeverSeesAnotherPersonsApplication() async throws {
        try await TestApp.withApp { app, _ in
            let owner = try await GovPages.citizen(app)
            let (location, _) = try await GovPages.apply(app, owner)
            let other = try await GovPages.citizen(
                app, number: GovFixtures.identityNumber(birth: "19851111", sequence: "456"), name: "李四")
            try await GovPages.send(app, .GET, location, cookie: other.cookie) { res in
                #expect(res.status == .notFound)
                #expect(!res.body.string.contains("新生儿出生户口登记"))
            }
            try await GovPages.send(
                app, .POST, location + "/rating", cookie: other.cookie,
                form: ["_csrf": other.csrf, "level": "dissatisfied"]
            ) { res in #expect(res.status == .notFound) }
            try await GovPages.send(
                app, .POST, location + "/completion", cookie: other.cookie,
                multipart: GovPages.multipart(
                    ["_csrf": other.csrf], files: ["m_declaration": ("a.pdf", GovPages.pdf)])
            ) { res in #expect(res.status == .notFound) }
            let material = try #require(
                try await GovMaterial.query(on: app.db).filter(\.$supply == "upload").first()?.id)
            try await GovPages.send(app, .GET, location + "/materials/\(material)", cookie: other.cookie) { res in
                #expect(res.status == .notFound)
            }
            try await GovPages.send(app, .GET, location + "/materials/\(material)", cookie: owner.cookie) { res in
                #expect(res.status == .ok && Data(res.body.readableBytesView) == GovPages.pdf)
            }
            try await GovPages.send(app, .GET, "/console/citizen", cookie: other.cookie) { res in
                #expect(res.status == .ok && !res.body.string.contains("新生儿出生户口登记"))
            }
            // Each refusal is in the other person's own access log.
            try await GovPages.send(app, .GET, "/console/citizen/access-log", cookie: other.cookie) { res in
                #expect(res.body.string.components(separatedBy: "class=\"overdue\"").count - 1 == 4)
            }
            // The owner's application is untouched.
            let stored = try await GovApplication.query(on: app.db).first()
            #expect(stored?.state == .submitted && stored?.version == 0)
        }
    }
}

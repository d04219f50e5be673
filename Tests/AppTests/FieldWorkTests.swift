import CityDomain
import Fluent
import Testing
import Vapor
import VaporTesting

@testable import App

/// Field work on a case: assigning a grid worker, and resolving with photos (CityNet console issue §3).
@Suite struct FieldWorkTests {
    /// A multipart action form, as the console's file input sends it.
    struct Upload: Content {
        var action: String
        var note: String?
        var _csrf: String?
        var photos: [File]
    }

    /// A PNG's container: signature, IHDR (1×1), one IDAT chunk, IEND (the check reads the structure, not pixels).
    static let png = Data(
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
            + [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE, 0, 0, 0, 20] + Array("IDAT".utf8)
            + Array(repeating: 7, count: 24) + [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    /// A JPEG's frame: SOI marker, bytes, EOI marker.
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 9, count: 300) + [0xFF, 0xD9])

    static func file(_ data: Data, _ name: String) -> File { File(data: ByteBuffer(data: data), filename: name) }

    static let unit = "310101002.greening_sanitation"

    /// A rubbish case in 南京东路街道 (with the street's greening and sanitation unit) and its caseworker's token.
    static func garbageCase(_ app: Application) async throws -> (id: Int, caseworker: String) {
        let id = try await register(app)
        let token = try await TestApp.login(app, username: "hp.sanit", unit: unit, role: .caseworker)
        return (id, token)
    }

    static func register(_ app: Application) async throws -> Int {
        try await CaseWorkflowAPITests.register(
            app, category: "sanitation.garbage", lat: 31.2304, long: 121.4737, address: "南京东路街道")
    }

    @Test func caseworkerAssignsAGridWorkerOfTheirUnit() async throws {
        try await TestApp.withApp { app, _ in
            let (id, caseworker) = try await Self.garbageCase(app)
            let grid = try await TestApp.login(app, username: "hp.grid1", unit: Self.unit, role: .gridWorker)
            _ = try await TestApp.login(app, username: "hp.grid2", unit: Self.unit, role: .gridWorker)
            _ = try await TestApp.login(
                app, username: "wt.grid", unit: "310101013.greening_sanitation", role: .gridWorker)
            _ = try await TestApp.login(app, username: "hp.sanit2", unit: Self.unit, role: .caseworker)

            // One message whatever the miss, so that nobody learns who exists elsewhere or in which role.
            let refused: [([String: String], HTTPStatus, String)] = [
                (["action": "assign"], .badRequest, "needs assignee"),
                (
                    ["action": "assign", "assignee": "nobody"], .badRequest,
                    "'nobody' is not an enabled grid worker of '310101002.greening_sanitation'"
                ),
                (
                    ["action": "assign", "assignee": "hp.sanit2"], .badRequest,
                    "'hp.sanit2' is not an enabled grid worker of"
                ),
                (
                    ["action": "assign", "assignee": "wt.grid"], .badRequest,
                    "'wt.grid' is not an enabled grid worker of"
                ),
            ]
            for (body, status, message) in refused {
                try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, body) { res in
                    #expect(res.status == status)
                    #expect(res.body.string.contains(message))
                }
            }
            // A grid worker does not hand cases out.
            try await CaseWorkflowAPITests.act(
                app, token: grid, caseID: id, ["action": "assign", "assignee": "hp.grid2"]
            ) { res in
                #expect(res.status == .forbidden)
            }
            #expect(try await Case.find(id, on: app.db)?.assignee == nil)

            try await CaseWorkflowAPITests.act(
                app, token: caseworker, caseID: id, ["action": "assign", "assignee": "hp.grid1"]
            ) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.assignee == "hp.grid1")
                #expect(detail.summary.state == "dispatched")  // the state does not move
                let event = try #require(detail.events.last)
                #expect(event.action == "assign")
                #expect(event.actor == "hp.sanit")
                #expect(event.note == "网格员 hp.grid1")
            }
            try await CaseWorkflowAPITests.act(
                app, token: caseworker, caseID: id, ["action": "assign", "assignee": "hp.grid1"]
            ) { res in
                #expect(res.status == .conflict)
            }
            // The assigned grid worker finds it among "their" cases.
            try await app.testing().test(.GET, "/api/v1/cases?assignee=hp.grid1", headers: .bearer(grid)) { res in
                #expect(res.status == .ok)
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(list.items.map(\.id) == [id])
            }
            try await app.testing().test(.GET, "/api/v1/cases?assignee=hp.grid2", headers: .bearer(grid)) { res in
                let list = try res.content.decode(CaseController.ListResponse.self)
                #expect(list.total == 0)
            }
            // The grid worker's console desk offers "assigned to me".
            let gridCookie = try await ConsoleTests.signIn(
                app, username: "hp.grid3", unit: Self.unit, role: .gridWorker)
            try await app.testing().test(.GET, "/console/cases?mine=1", headers: ["Cookie": gridCookie]) { res in
                #expect(res.body.string.contains(#"name="mine" value="1" checked"#))
                // assigned to hp.grid1, not hp.grid3
                #expect(!res.body.string.contains(#"href="/console/cases/\#(id)""#))
            }
            try await app.testing().test(.GET, "/console/cases", headers: ["Cookie": gridCookie]) { res in
                #expect(res.body.string.contains(#"href="/console/cases/\#(id)""#))  // the unit's case, unfiltered
            }
            // Sent to another unit, the case leaves this unit's grid worker.
            let centre = try await TestApp.login(
                app, username: "hp.op", unit: "310101.operations_centre", role: .districtOperator)
            try await CaseWorkflowAPITests.act(
                app, token: centre, caseID: id, ["action": "reassign", "unit_code": "310101.greening_sanitation"]
            ) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.assignee == nil)
            }
        }
    }

    @Test func theGridWorkerWhoStartsACaseIsTheOneOnIt() async throws {
        try await TestApp.withApp { app, _ in
            let (id, caseworker) = try await Self.garbageCase(app)
            let grid = try await TestApp.login(app, username: "hp.grid1", unit: Self.unit, role: .gridWorker)
            let colleague = try await TestApp.login(app, username: "hp.grid2", unit: Self.unit, role: .gridWorker)
            try await CaseWorkflowAPITests.act(app, token: grid, caseID: id, ["action": "start"]) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.assignee == "hp.grid1")
                #expect(detail.events.last?.note == "网格员 hp.grid1")
            }
            // A colleague who takes over (the case sent back to dispatched, then started again) is on record.
            try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, ["action": "return", "note": "需改派"])
            { _ in }
            let second = try await Self.register(app)
            try await CaseWorkflowAPITests.act(
                app, token: caseworker, caseID: second, ["action": "assign", "assignee": "hp.grid1"]
            ) { res in
                #expect(res.status == .ok)
            }
            try await CaseWorkflowAPITests.act(app, token: colleague, caseID: second, ["action": "start"]) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(CaseDetailDTO.self)
                #expect(detail.summary.assignee == "hp.grid2")
                #expect(detail.events.last?.note == "网格员 hp.grid2（原 hp.grid1）")
            }
        }
    }

    /// A multipart body written by hand, for what an encoder would never produce.
    static func rawMultipart(_ parts: [(name: String, filename: String?, body: Data)], close: Bool) -> (
        Data, HTTPHeaders
    ) {
        let boundary = "XyZ-boundary"
        var data = Data()
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
            if let filename = part.filename { head += "; filename=\"\(filename)\"\r\nContent-Type: image/png" }
            data += Data((head + "\r\n\r\n").utf8) + part.body + Data("\r\n".utf8)
        }
        if close { data += Data("--\(boundary)--\r\n".utf8) }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (data, headers)
    }

    @Test func aCutOffUploadOrAFileInAnotherFieldIsRefusedNotDropped() async throws {
        try await TestApp.withApp { app, _ in
            let (id, caseworker) = try await Self.garbageCase(app)
            try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, ["action": "start"]) { _ in }
            let action = (name: "action", filename: String?.none, body: Data("resolve".utf8))
            let cases: [([(name: String, filename: String?, body: Data)], Bool, String)] = [
                ([action, (name: "photos[]", filename: "a.png", body: Self.png)], false, "cut off"),
                ([action, (name: "photo", filename: "a.png", body: Self.png)], true, "a file came in field 'photo'"),
            ]
            for (parts, close, message) in cases {
                let (body, headers) = Self.rawMultipart(parts, close: close)
                var all = headers
                all.bearerAuthorization = BearerAuthorization(token: caseworker)
                try await app.testing().test(
                    .POST, "/api/v1/cases/\(id)/actions", headers: all, body: ByteBuffer(data: body)
                ) { res in
                    #expect(res.status == .badRequest)
                    #expect(res.body.string.contains(message))
                }
            }
            #expect(try await Case.find(id, on: app.db)?.state == .handling)
            // The same form, whole and in the right field, is taken.
            let note = (name: "note", filename: String?.none, body: Data("已清运".utf8))
            let (body, headers) = Self.rawMultipart(
                [action, note, (name: "photos[0]", filename: "a.png", body: Self.png)], close: true)
            var all = headers
            all.bearerAuthorization = BearerAuthorization(token: caseworker)
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: all, body: ByteBuffer(data: body)
            ) { res in
                #expect(res.status == .ok)
            }
            #expect(try await CasePhoto.query(on: app.db).count() == 1)
        }
    }

    @Test func resolveWithPhotosKeepsThemWithTheEventAndServesThemInScope() async throws {
        try await TestApp.withApp { app, _ in
            let (id, caseworker) = try await Self.garbageCase(app)
            try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, ["action": "start"]) { res in
                #expect(res.status == .ok)
            }
            var photoURLs: [String] = []
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(caseworker),
                beforeRequest: { req in
                    try req.content.encode(
                        Upload(
                            action: "resolve", note: "积水已排除",
                            photos: [Self.file(Self.jpeg, "before.jpg"), Self.file(Self.png, "after.png")]),
                        as: .formData)
                },
                afterResponse: { res in
                    #expect(res.status == .ok)
                    let detail = try res.content.decode(CaseDetailDTO.self)
                    #expect(detail.summary.state == "handled")
                    let event = try #require(detail.events.last)
                    #expect(event.action == "resolve")
                    #expect(event.note == "积水已排除; 照片 2 张")
                    #expect(event.photos.map(\.contentType) == ["image/jpeg", "image/png"])  // in the order sent
                    #expect(event.photos.map(\.byteCount) == [Self.jpeg.count, Self.png.count])
                    #expect(event.photos.allSatisfy { $0.uploadedBy == "hp.sanit" })
                    photoURLs = event.photos.map(\.url)
                })
            #expect(photoURLs.count == 2)
            var etag = ""
            try await app.testing().test(.GET, photoURLs[1], headers: .bearer(caseworker)) { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType == .png)
                #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(res.headers.first(name: "Content-Security-Policy") == "default-src 'none'; sandbox")
                #expect(Data(buffer: res.body) == Self.png)
                etag = res.headers.first(name: .eTag) ?? ""
            }
            var conditional = HTTPHeaders.bearer(caseworker)
            conditional.replaceOrAdd(name: .ifNoneMatch, value: etag)
            try await app.testing().test(.GET, photoURLs[1], headers: conditional) { res in
                #expect(res.status == .notModified)
                #expect(res.body.readableBytes == 0)
            }
            // The timeline endpoint lists them too.
            try await app.testing().test(.GET, "/api/v1/cases/\(id)/events", headers: .bearer(caseworker)) { res in
                let events = try res.content.decode([CaseEventDTO].self)
                #expect(events.last?.photos.map(\.url) == photoURLs)
            }
            // Outside the case's scope, and on another case's path, a photo does not exist.
            let xuhui = try await TestApp.login(
                app, username: "xh.op", unit: "310104.operations_centre", role: .districtOperator)
            try await app.testing().test(.GET, photoURLs[0], headers: .bearer(xuhui)) { res in
                #expect(res.status == .notFound)
            }
            let other = try await Self.register(app)
            let wrongCase = photoURLs[0].replacingOccurrences(of: "/cases/\(id)/", with: "/cases/\(other)/")
            try await app.testing().test(.GET, wrongCase, headers: .bearer(caseworker)) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/api/v1/cases/\(id)/photos/1", headers: .bearer(caseworker)) { res in
                #expect(res.status == .badRequest)
            }
        }
    }

    @Test func badPhotosAreRefusedAndNothingIsWritten() async throws {
        try await TestApp.withApp { app, _ in
            let (id, caseworker) = try await Self.garbageCase(app)
            try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, ["action": "start"]) { _ in }
            let oversized = Data(
                [0xFF, 0xD8, 0xFF] + Array(repeating: 0, count: PhotoUpload.maxBytes - 4) + [0xFF, 0xD9])
            let cases: [([File], String)] = [
                (
                    [Self.file(Data("<svg onload=alert(1)>".utf8), "x.png")],
                    "photo 'x.png' is not a JPEG, PNG or WebP image"
                ),
                // A JPEG's first bytes in front of markup, and a bare WebP header, are not images.
                (
                    [Self.file(Data([0xFF, 0xD8, 0xFF] + Array("<html><script>alert(1)</script>".utf8)), "p.jpg")],
                    "is not a JPEG"
                ),
                ([Self.file(Data(Array("RIFF".utf8) + [4, 0, 0, 0] + Array("WEBP".utf8)), "w.webp")], "is not a JPEG"),
                ([Self.file(Data(), "empty.jpg")], "photo 'empty.jpg' is empty"),
                ([Self.file(oversized, "big.jpg")], "photo 'big.jpg' is \(PhotoUpload.maxBytes + 1) bytes"),
                (Array(repeating: Self.file(Self.png, "p.png"), count: 5), "5 photos sent; at most 4"),
            ]
            for (photos, message) in cases {
                try await app.testing().test(
                    .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(caseworker),
                    beforeRequest: { req in
                        try req.content.encode(Upload(action: "resolve", photos: photos), as: .formData)
                    },
                    afterResponse: { res in
                        #expect(res.status == .badRequest)
                        #expect(res.body.string.contains(message))
                    })
            }
            #expect(try await Case.find(id, on: app.db)?.state == .handling)
            #expect(try await CasePhoto.query(on: app.db).count() == 0)
            #expect(
                try await CaseEvent.query(on: app.db).filter(\.$caseID == id).filter(\.$action == .workflow(.resolve))
                    .count()
                    == 0)
            // An action that takes no photos refuses them, and an action the state refuses stores none either.
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(caseworker),
                beforeRequest: { req in
                    try req.content.encode(
                        Upload(action: "request_extension", note: "等待配件", photos: [Self.file(Self.png, "p.png")]),
                        as: .formData)
                },
                afterResponse: { res in
                    #expect(res.status == .badRequest)
                    #expect(
                        res.body.string.contains(
                            "action 'request_extension' takes no photos; photos go with return, resolve, fail_verification"
                        ))
                })
            try await CaseWorkflowAPITests.act(app, token: caseworker, caseID: id, ["action": "resolve"]) { res in
                #expect(res.status == .badRequest)  // what was done must be said
                #expect(res.body.string.contains("action 'resolve' needs a note"))
            }
            try await CaseWorkflowAPITests.act(
                app, token: caseworker, caseID: id, ["action": "resolve", "note": "已清运"]
            ) { _ in }
            try await app.testing().test(
                .POST, "/api/v1/cases/\(id)/actions", headers: .bearer(caseworker),
                beforeRequest: { req in
                    try req.content.encode(
                        Upload(action: "resolve", note: "再次处置", photos: [Self.file(Self.png, "p.png")]), as: .formData)
                }, afterResponse: { res in #expect(res.status == .conflict) })
            #expect(try await CasePhoto.query(on: app.db).count() == 0)
        }
    }

    @Test func consoleAssignsAndResolvesWithAPhoto() async throws {
        try await TestApp.withApp { app, _ in
            let id = try await Self.register(app)
            _ = try await TestApp.login(app, username: "hp.grid1", unit: Self.unit, role: .gridWorker)
            let cookie = try await ConsoleTests.signIn(app, username: "hp.sanit", unit: Self.unit, role: .caseworker)
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                let page = res.body.string
                #expect(page.contains(#"<option value="hp.grid1">hp.grid1</option>"#))
                #expect(page.contains(#"data-action="assign""#))
            }
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        ["action": "assign", "assignee": "hp.grid1", "_csrf": ConsoleTests.csrf(forCookie: cookie)],
                        as: .urlEncodedForm)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(ConsoleTests.flash(res).hasPrefix("ok:"))
                })
            #expect(try await Case.find(id, on: app.db)?.assignee == "hp.grid1")
            try await CaseWorkflowAPITests.act(
                app, token: try await TestApp.login(app, username: "hp.sanit9", unit: Self.unit, role: .caseworker),
                caseID: id, ["action": "start"]
            ) { res in #expect(res.status == .ok) }
            // Without the form token, a multipart post is refused like any other.
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        Upload(action: "resolve", photos: [Self.file(Self.png, "after.png")]), as: .formData)
                }, afterResponse: { res in #expect(res.status == .forbidden) })
            try await app.testing().test(
                .POST, "/console/cases/\(id)/actions", headers: ["Cookie": cookie],
                beforeRequest: { req in
                    try req.content.encode(
                        Upload(
                            action: "resolve", note: "已清理", _csrf: ConsoleTests.csrf(forCookie: cookie),
                            photos: [Self.file(Self.png, "after.png")]),
                        as: .formData)
                },
                afterResponse: { res in
                    #expect(res.status == .seeOther)
                    #expect(ConsoleTests.flash(res).hasPrefix("ok:"))
                })
            let photo = try #require(try await CasePhoto.query(on: app.db).first())
            #expect(photo.caseID == id)
            #expect(photo.data == Self.png)
            let url = "/console/cases/\(id)/photos/\(try photo.requireID().uuidString.lowercased())"
            try await app.testing().test(.GET, "/console/cases/\(id)", headers: ["Cookie": cookie]) { res in
                #expect(res.body.string.contains(#"<img src="\#(url)""#))
                #expect(res.body.string.contains(#"id="case-assignee">hp.grid1<"#))
            }
            try await app.testing().test(.GET, url, headers: ["Cookie": cookie]) { res in
                #expect(res.status == .ok)
                #expect(Data(buffer: res.body) == Self.png)
            }
        }
    }
}

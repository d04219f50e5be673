import AsyncHTTPClient
import CityDomain
import Fluent
import NIOCore
import Vapor

/// `citynet bench apply`: government-service applications submitted through real HTTP by a signed-in citizen, each
/// with one small PDF upload (typed by content, checksummed, stored) and its own Idempotency-Key, on a fresh
/// embedded SQLite file; beside the do-nothing endpoint on the same server in the same run (issue #13 §6).
struct ApplyBenchmark {
    let requests: Int
    let concurrency: Int

    func run() async throws -> [String] {
        try await BenchApp.run { app, database in try await measure(app, database: database) }
    }

    private func measure(_ app: Application, database: String) async throws -> [String] {
        try await configure(app, config: AppConfig(storage: .sqliteFile(database), escalationInterval: nil))
        app.get("bench", "noop") { _ in HTTPStatus.ok }
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        guard let port = app.http.server.shared.localAddress?.port else { throw CommandFailure("server has no port") }
        let number = "310115199003071" + "23"
        let identity = number + String(IdentityNumber.checkCharacter(for: number))
        let password = "bench password 1"
        _ = try await CitizenAccess.register(
            name: "测试", identityNumber: identity, phone: "13800138000", password: password, clientAddress: "bench",
            vault: app.govServices.vault, gate: app.writeGate, db: app.db, now: Date(),
            hash: { try Bcrypt.hash($0, cost: 12) })
        guard
            let session = try await CitizenAccess.login(
                identityNumber: identity, password: password, clientAddress: "bench", lifetime: 3600,
                vault: app.govServices.vault, gate: app.writeGate, db: app.db, now: Date(),
                verify: { try Bcrypt.verify($0, created: $1) })
        else { throw CommandFailure("bench citizen could not sign in") }
        let token = session.token
        let base = "http://127.0.0.1:\(port)"
        let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8).base64EncodedString()
        let load = IntakeBenchmark(requests: requests, concurrency: concurrency)
        let noop = try await load.load(requests: requests) { _ in
            var request = HTTPClientRequest(url: "\(base)/bench/noop")
            request.method = .GET
            return request
        }
        let districts = app.reference.hierarchy.all.filter { $0.level == .district }.map(\.code)
        let apply = try await load.load(requests: requests) { index in
            var request = HTTPClientRequest(url: "\(base)/api/v1/me/applications")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Idempotency-Key", value: "bench-\(index)")
            let body =
                "{\"item_code\":\"SH-YB-0001\",\"region_code\":\"\(districts[index % districts.count])\","
                + "\"materials\":[{\"code\":\"enrolment_form\",\"file_name\":\"form.pdf\",\"content_base64\":\"\(pdf)\"}]}"
            request.body = .bytes(ByteBuffer(string: body))
            return request
        } check: { status in
            status == .created
        }
        await app.server.shutdown()
        func ms(_ micros: UInt64) -> String { String(format: "%.2f", Double(micros) / 1000) }
        return [
            "bench apply_http_rps \(Int(apply.rate)) applications/s reference \(Int(noop.rate)) requests/s",
            "bench apply_http_p50 \(ms(apply.p50)) ms reference \(ms(noop.p50)) ms",
            "bench apply_http_p99 \(ms(apply.p99)) ms reference \(ms(noop.p99)) ms",
        ]
    }
}

import CityDomain
import Foundation
import SQLKit
import Vapor

/// The response plans (预案) of the running app: the bundled `Resources/incidents/response-plans.json`, checked at
/// start (a bad file stops the server naming each refused field), overlaid by the plans operators edited through
/// `PUT /api/v1/response-plans/{code}` (`response_plans`, one row per edited or added plan, the whole definition as
/// JSON).
enum ResponsePlans {
    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// The bundled plans, each checked against `units`.
    /// - Throws: ``LoadError`` naming the file and every refused field.
    static func bundled(unitExists: (String) -> Bool) throws -> [ResponsePlan] {
        guard
            let url = Bundle.module.url(
                forResource: "response-plans", withExtension: "json", subdirectory: "Resources/incidents")
        else { throw LoadError(description: "Resources/incidents/response-plans.json is missing from the app bundle") }
        return try parse(try Data(contentsOf: url), unitExists: unitExists)
    }

    /// Plans from a plan file's bytes.
    /// - Throws: ``LoadError`` for JSON that does not decode, a duplicate code, or any field a plan refuses.
    static func parse(_ data: Data, unitExists: (String) -> Bool) throws -> [ResponsePlan] {
        let file: ResponsePlanFile
        do { file = try JSONDecoder().decode(ResponsePlanFile.self, from: data) } catch {
            throw LoadError(description: "response-plans.json: \(error)")
        }
        var seen = Set<String>()
        for (index, plan) in file.plans.enumerated() {
            guard seen.insert(plan.code).inserted else {
                throw LoadError(description: "response-plans.json: plans[\(index)].code '\(plan.code)' is used twice")
            }
            let problems = plan.problems(unitExists: unitExists)
            if !problems.isEmpty {
                let text = problems.map { "plans[\(index)].\($0.field): \($0.message)" }.joined(separator: "; ")
                throw LoadError(description: "response-plans.json: \(text)")
            }
        }
        return file.plans
    }

    /// Every plan in effect: the bundled ones in file order, each replaced by its edited version, then the plans
    /// added through the API in code order.
    static func all(bundled: [ResponsePlan], on sql: any SQLDatabase) async throws -> [ResponsePlan] {
        let decoder = JSONDecoder()
        var stored: [String: ResponsePlan] = [:]
        for row in try await sql.select().column("code").column("definition").from("response_plans").orderBy("code")
            .all()
        {
            let definition = try row.decode(column: "definition", as: String.self)
            let plan = try decoder.decode(ResponsePlan.self, from: Data(definition.utf8))
            stored[plan.code] = plan
        }
        let codes = Set(bundled.map(\.code))
        return bundled.map { stored[$0.code] ?? $0 }
            + stored.values.filter { !codes.contains($0.code) }.sorted { $0.code < $1.code }
    }

    /// Stores a checked plan (new or replacing), attributed to `actor`.
    static func save(_ plan: ResponsePlan, by actor: String, atMS: Int64, on sql: any SQLDatabase) async throws {
        let definition = String(decoding: try JSONEncoder.sorted.encode(plan), as: UTF8.self)
        try await sql.delete(from: "response_plans").where("code", .equal, plan.code).run()
        try await sql.insert(into: "response_plans").columns("code", "definition", "updated_at_ms", "updated_by")
            .values(SQLBind(plan.code), SQLBind(definition), SQLBind(atMS), SQLBind(actor)).run()
    }
}

extension Application {
    private struct ResponsePlansKey: StorageKey { typealias Value = [ResponsePlan] }

    /// The bundled response plans, checked at start by `configure`.
    var bundledResponsePlans: [ResponsePlan] {
        get { storage[ResponsePlansKey.self] ?? [] }
        set { storage[ResponsePlansKey.self] = newValue }
    }
}

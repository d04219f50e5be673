import CityDomain
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// What needs an operator now (CityNet issue 12 §1): within their scope, how many open cases are overdue, due soon
/// and supervised (督办: escalated at least once), how many hotline reports wait in triage (centres only) and how
/// many alarms are active, with the most urgent cases themselves.
struct Attention: Sendable {
    var overdue: Int
    var dueSoon: Int
    var supervised: Int
    /// Nil for operators who do not triage (caseworkers, grid workers).
    var triage: Int?
    var alarms: Int
    /// Open cases that are overdue, due soon or supervised, the earliest running limit first; at most
    /// ``AttentionQueries/itemLimit``.
    var cases: [Case]
}

enum AttentionQueries {
    /// How many cases the strip lists.
    static let itemLimit = 8

    /// The attention of `scope` at `now`. Every count reads open cases through the partial index of open cases
    /// (or the triage and alarm tables), so it costs what the open work costs, not the history.
    /// - Throws: database errors.
    static func load(scope: OperatorScope, reference: CityReference, on db: any Database, now: Date) async throws
        -> Attention
    {
        func open() throws -> QueryBuilder<Case> {
            try CaseQueries.matching(CaseFilter(), scope: scope, reference: reference, on: db, now: now, openOnly: true)
        }
        let overdue = try await CaseOverdue.filter(try open(), now: now).count()
        let dueSoon = try await open().filter(.sql(CaseOverdue.dueSoonExpression(now: now))).count()
        let supervised = try await open().filter(.sql(supervisedExpression)).count()
        let urgent = try open().filter(.sql(urgentExpression(now: now)))
        let cases = try await CaseQueries.inQueueOrder(urgent).limit(itemLimit).all()
        let triage =
            scope.worksForACentre ? try await TriageQueries.count(scope: scope, reference: reference, on: db) : nil
        let alarms = try await AlarmController.activeCount(scope: scope, hierarchy: reference.hierarchy, on: db.sql())
        return Attention(
            overdue: overdue, dueSoon: dueSoon, supervised: supervised, triage: triage, alarms: alarms, cases: cases)
    }

    /// Overdue, due soon or supervised, as one parenthesised condition. Grouped because Fluent joins filters with AND
    /// and adds no parentheses: a bare OR once let the scope and the open condition bind its first term only, so
    /// other districts' due-soon cases and closed 督办 cases were listed, and the list read every case (0.5 s at a
    /// million) instead of the open cases' index.
    static func urgentExpression(now: Date) -> any SQLExpression {
        SQLGroupExpression(
            SQLBinaryExpression(
                SQLBinaryExpression(CaseOverdue.sqlExpression(now: now), .or, CaseOverdue.dueSoonExpression(now: now)),
                .or, supervisedExpression))
    }

    /// `escalation_level > 0`: the case has been escalated (督办), by the sweep or an operator.
    static var supervisedExpression: any SQLExpression {
        SQLBinaryExpression(
            SQLColumn(Case.path(for: \.$escalationLevel)[0].description, table: Case.schema), .greaterThan,
            SQLLiteral.numeric("0"))
    }
}

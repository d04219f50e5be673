import FluentKit
import FluentSQL
import SQLKit

/// 一次派遣准确 (first dispatch kept) for stored cases, in every form the app needs, from one rule: a case counts as
/// dispatched right the first time when it is still held by the unit it was first dispatched to
/// (`unit_code = first_unit_code`; a reassignment away from a wrongly chosen unit is the miss). The league's
/// first-dispatch accuracy is kept / received, all time (``CaseCounters``) or within a window (``TrendQueries``);
/// `CaseCountersTests` checks the counters against a recount that uses the SQL form.
enum CaseFirstDispatch {
    /// The rule for a loaded case.
    static func isKept(_ record: Case) -> Bool { record.unitCode == record.firstUnitCode }

    /// The rule as an SQL boolean over `cases`: `"cases"."unit_code" = "cases"."first_unit_code"`, with the columns
    /// named from the model's field keys.
    static func sqlExpression() -> any SQLExpression {
        func column<Field: AnyQueryableProperty>(_ field: KeyPath<Case, Field>) -> SQLColumn {
            SQLColumn(Case.path(for: field)[0].description, table: Case.schema)
        }
        return SQLBinaryExpression(column(\.$unitCode), .equal, column(\.$firstUnitCode))
    }
}

import Logging
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// An `SQLDatabase` that runs every statement on `base` and keeps it, so that a test can ask the planner about
/// each statement a query function issues (``QueryPlanTests``).
struct RecordingSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let statements = NIOLockedValueBox<[any SQLExpression]>([])

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        statements.withLockedValue { $0.append(query) }
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        statements.withLockedValue { $0.append(query) }
        try await base.execute(sql: query, onRow)
    }
}

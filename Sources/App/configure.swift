import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import Prometheus
import Histogram

public func configure(_ app: Application) async throws {
    app.get("health") { _ in "ok" }
}

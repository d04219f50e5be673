import Vapor

/// Every route of CityNet, registered in one place.
func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    try app.register(collection: Open311Controller())
    try app.register(collection: ConsoleRoutes())

    let api = app.grouped("api", "v1")
    try api.register(collection: SessionController())
    let operators = api.grouped(OperatorAuthenticator(), APIKeyElsewhereGuard(), SessionGuard())
    try operators.register(collection: CaseController())
    try operators.register(collection: ReferenceController())
    try operators.register(collection: TriageController())
    try api.register(collection: GovCatalogueController())
    try api.register(collection: CitizenController())
    try api.register(collection: LicenceController())
    try api.register(collection: LicenceReuseController())
    try api.register(collection: BundleController())
    try operators.register(collection: GovDeskController())
    let vitals = operators.grouped(ProcessedReadingsMiddleware())
    try vitals.register(collection: SensorController())
    try api.grouped(OperatorAuthenticator(), ReadingSenderAuthenticator()).register(collection: ReadingController())
    try vitals.register(collection: AlarmController())
    try vitals.register(collection: AlarmRuleController())
    try vitals.register(collection: IndicatorController())
    try operators.register(collection: CameraController())
    try operators.register(collection: CameraIncidentController())
    try api.grouped(OperatorAuthenticator(), HotlineCallerAuthenticator()).register(collection: HotlineController())
    try api.register(collection: MyStatusController())
    try api.register(collection: StatusSourcesController())
    try api.register(collection: StatusCodePublicController())
    try operators.register(collection: StatusRulesController())
}

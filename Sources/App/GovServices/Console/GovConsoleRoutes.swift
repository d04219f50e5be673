import Vapor

/// The government-services pages of the console: the citizens' pages under `/console/citizen` (their own sign-in)
/// and the caseworkers' under `/console/gov` (the operators' sign-in).
enum GovConsoleRoutes {
    /// - Parameters: `console` is the console's group (its responses and error pages); `signedIn` the operators'.
    static func register(console: any RoutesBuilder, signedIn: any RoutesBuilder) {
        let citizen = console.grouped("citizen")
        let account = CitizenAccountPages()
        citizen.get("login", use: account.loginForm)
        citizen.post("login", use: account.login)
        citizen.get("register", use: account.registerForm)
        citizen.post("register", use: account.register)
        let services = CitizenServicePages()
        let browsing = citizen.grouped(CitizenPageAuthenticator(required: false))
        browsing.get("services", use: services.list)
        browsing.get("services", ":code", use: services.show)
        browsing.get("licence-check", use: LicencePages().check)
        browsing.get("status-check", use: StatusPages().check)
        browsing.get("bundles", use: BundleListPages().list)
        browsing.get("bundles", ":code", use: BundleFormPages().show)

        let me = citizen.grouped(CitizenPageAuthenticator())
        let upload = ByteCount(value: GovSubmission.maxBodyBytes)
        me.post("logout", use: account.logout)
        me.on(.POST, "services", ":code", "apply", body: .collect(maxSize: upload), use: services.apply)
        let applications = CitizenApplicationPages()
        me.get(use: applications.home)
        me.get("applications", ":id", use: applications.show)
        me.get("applications", ":id", "materials", ":materialID", use: applications.material)
        me.on(.POST, "applications", ":id", "completion", body: .collect(maxSize: upload), use: applications.complete)
        me.post("applications", ":id", "rating", use: applications.rate)
        let notices = CitizenNoticePages()
        me.get("notifications", use: notices.notifications)
        me.get("access-log", use: notices.accessLog)
        me.get("licences", use: LicencePages().mine)
        me.get("status", use: StatusPages().status)
        me.post("status", "appeal", use: StatusPages().appeal)
        me.on(.POST, "bundles", ":code", "apply", body: .collect(maxSize: upload), use: BundleFormPages().apply)
        me.get("bundle-applications", ":id", use: BundleTrackPages().show)
        me.post("bundle-applications", ":id", "legs", ":code", "resubmission", use: BundleTrackPages().resubmit)

        let desk = CaseworkerPages()
        signedIn.get("gov", use: desk.queue)
        signedIn.get("gov", "applications", ":id", use: desk.show)
        signedIn.get("gov", "applications", ":id", "materials", ":materialID", use: desk.material)
        signedIn.post("gov", "applications", ":id", "actions", use: desk.act)
        signedIn.get("gov", "stats", use: desk.stats)
    }
}

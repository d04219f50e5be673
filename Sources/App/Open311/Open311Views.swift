import CityDomain
import Open311
import Vapor

/// The static GeoReport v2 documents: discovery and the service list.
enum Open311Views {
    /// When the service list last changed in a way clients should notice (CityNet 0.1.0's taxonomy).
    static let changeset = Timestamps.parse("2026-11-29T00:00:00+08:00")!

    static func discovery(_ req: Request) -> Open311Discovery {
        let base = baseURL(req.application)
        let endpoint = Open311Discovery.Endpoint(url: "\(base)/open311/v2", changeset: changeset)
        return Open311Discovery(
            changeset: changeset, contact: "上海市城市运行管理中心 12345 · CityNet \(cityNetVersion)",
            keyService: "Ask the city operations centre for an API key (citynet apikey create --name NAME)",
            endpoints: [endpoint])
    }

    /// Where clients reach this server: `CITYNET_PUBLIC_URL` (``AppConfig/publicURL``), else the scheme, hostname
    /// and port `serve` listens on (Vapor's server configuration, updated by `--hostname`/`--port` when the server
    /// starts). Never the request's Host header: a client could make discovery point other clients anywhere.
    static func baseURL(_ app: Application) -> String {
        if let url = app.config.publicURL { return url }
        let server = app.http.server.configuration
        let scheme = server.tlsConfiguration == nil ? "http" : "https"
        let host = server.hostname.contains(":") ? "[\(server.hostname)]" : server.hostname  // IPv6 literal
        return "\(scheme)://\(host):\(server.port)"
    }

    /// Every dispatchable leaf category as a service; `group` is its parent's Chinese name.
    static func services(_ reference: CityReference) -> [Open311Service] {
        let taxonomy = reference.taxonomy
        return taxonomy.all.filter(reference.isService).map { category in
            let group = category.parentCode.flatMap { taxonomy[$0]?.nameZh }
            return Open311Service(
                serviceCode: category.code, serviceName: category.nameZh,
                description: "\(category.nameEn) — \(category.responsibleKind?.nameZh ?? "")",
                keywords: Array(category.triggers.prefix(8)), group: group)
        }
    }
}

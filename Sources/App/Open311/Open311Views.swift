import CityDomain
import Open311
import Vapor

/// The static GeoReport v2 documents: discovery and the service list.
enum Open311Views {
    /// When the service list last changed in a way clients should notice (CityNet 0.1.0's taxonomy).
    static let changeset = Timestamps.parse("2026-11-29T00:00:00+08:00")!

    static func discovery(_ req: Request) -> Open311Discovery {
        let base = req.application.config.publicURL ?? "http://\(req.headers.first(name: .host) ?? "127.0.0.1:8080")"
        let endpoint = Open311Discovery.Endpoint(url: "\(base)/open311/v2", changeset: changeset)
        return Open311Discovery(
            changeset: changeset, contact: "上海市城市运行管理中心 12345 · CityNet \(cityNetVersion)",
            keyService: "Ask the city operations centre for an API key (citynet apikey create --name NAME)",
            endpoints: [endpoint])
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

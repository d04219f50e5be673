import Foundation

@testable import Open311

/// Instants used across the tests, written in Shanghai time. 2026-11-29T19:14:06+08:00 is Unix time 1795950846.
func shanghai(_ text: String) -> Date {
    switch try! Open311DateFormat.parse(text) {
    case .instant(let date, _): return date
    case .day(let start, _): return start
    }
}

/// Sample documents built from CityNet's own vocabulary; the snapshot tests and the schema check use them.
enum Samples {
    static let services: [Open311Service] = [
        Open311Service(
            serviceCode: "fire_lane_blocked", serviceName: "消防通道堵塞", description: "车辆或杂物占用、堵塞消防通道",
            metadata: true, type: .realtime, keywords: ["消防", "占道"], group: "公共安全"),
        Open311Service(serviceCode: "illegal_dumping", serviceName: "乱倒垃圾", metadata: false, type: .batch),
    ]

    static let definition = Open311ServiceDefinition(
        serviceCode: "fire_lane_blocked",
        attributes: [
            Open311ServiceAttribute(
                code: "obstruction", datatype: .singlevaluelist, required: true, order: 1, description: "堵塞物是什么？",
                values: [.init(key: "vehicle", name: "车辆"), .init(key: "goods", name: "杂物")]),
            Open311ServiceAttribute(
                code: "plate", datatype: .string, required: false, datatypeDescription: "车牌号，如 沪A12345", order: 2,
                description: "车牌号（如能看清）"),
        ])

    static let openRequest = Open311ServiceRequest(
        serviceRequestID: "SR20261129000123", status: .open, statusNotes: "已派遣至黄浦区城管执法中队",
        serviceName: "消防通道堵塞", serviceCode: "fire_lane_blocked",
        description: "小区东门消防通道被车辆堵塞 <script>&\"'", agencyResponsible: "黄浦区城管执法局",
        serviceNotice: "2个工作日内处置", requestedDatetime: shanghai("2026-11-29T19:14:06+08:00"),
        updatedDatetime: shanghai("2026-11-29T19:40:00+08:00"), expectedDatetime: shanghai("2026-12-02T00:00:00+08:00"),
        address: "上海市黄浦区南京东路街道河南中路99号", zipcode: "200001", lat: 31.2397, long: 121.4856,
        mediaURL: "https://citynet.example.gov.cn/media/SR20261129000123/1.jpg",
        extendedAttributes: Open311ExtendedAttributes(
            detailedStatus: "handling", detailedStatusZh: "处置中", caseID: "C20261129-0042", regionCode: "310101002",
            regionName: "南京东路街道"))

    static let closedRequest = Open311ServiceRequest(
        serviceRequestID: "SR20261101000007", status: .closed, serviceCode: "illegal_dumping",
        requestedDatetime: shanghai("2026-11-01T08:00:00+08:00"),
        updatedDatetime: shanghai("2026-11-02T17:30:00+08:00"),
        address: "徐汇区漕河泾街道")

    static let created = Open311RequestCreated(serviceRequestID: "SR20261129000123", serviceNotice: "已受理，2个工作日内处置")
    static let createdWithToken = Open311RequestCreated(identifier: .token("T-8842"), accountID: "u-3321")
    static let token = Open311Token(token: "T-8842", serviceRequestID: "SR20261129000124")

    static let errors: [Open311Error] = [
        .badRequest("lat must be a decimal number in degrees (WGS84), got \"abc\""),
        .badRequest("a location is required: send lat and long, or address_string, or address_id"),
    ]

    static let discovery = Open311Discovery(
        changeset: shanghai("2026-11-20T09:00:00+08:00"), contact: "上海市城市运行管理中心 open311@citynet.example.gov.cn",
        keyService: "api_key 申请：https://citynet.example.gov.cn/open311/key",
        endpoints: [
            .init(url: "https://citynet.example.gov.cn/open311/v2", changeset: shanghai("2026-11-20T09:00:00+08:00")),
            .init(
                url: "https://test.citynet.example.gov.cn/open311/v2", changeset: shanghai("2026-11-18T14:00:00+08:00"),
                type: .test, formats: [.xml]),
        ])

    static let updates: [Open311RequestUpdate] = [
        Open311RequestUpdate(
            updateID: "SR20261129000123-3", serviceRequestID: "SR20261129000123", status: .open,
            updatedDatetime: shanghai("2026-11-29T19:40:00+08:00"), description: "已派遣至黄浦区城管执法中队",
            extendedAttributes: .init(detailedStatus: "dispatched", detailedStatusZh: "已派遣")),
        Open311RequestUpdate(
            updateID: "SR20261129000123-4", serviceRequestID: "SR20261129000123", status: .closed,
            updatedDatetime: shanghai("2026-11-30T10:05:00+08:00"), description: "车辆已挪走，通道畅通",
            mediaURL: "https://citynet.example.gov.cn/media/SR20261129000123/after.jpg",
            extendedAttributes: .init(detailedStatus: "closed", detailedStatusZh: "已结案")),
    ]
}

import Foundation
import Testing

@testable import Open311

/// Whole-body snapshots of every document in both formats: what a client receives, byte for byte.
@Suite("Encoder snapshots")
struct EncoderSnapshotTests {
    func body<T: Open311Document>(_ value: T, _ format: Open311Format, _ style: Open311OutputStyle = .pretty) throws
        -> String
    {
        String(decoding: try Open311Encoder.encode(value, format: format, style: style), as: UTF8.self)
    }

    @Test("GET /services as XML")
    func servicesXML() throws {
        #expect(
            try body(Samples.services, .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <services>
                    <service>
                        <service_code>fire_lane_blocked</service_code>
                        <service_name>消防通道堵塞</service_name>
                        <description>车辆或杂物占用、堵塞消防通道</description>
                        <metadata>true</metadata>
                        <type>realtime</type>
                        <keywords>消防, 占道</keywords>
                        <group>公共安全</group>
                    </service>
                    <service>
                        <service_code>illegal_dumping</service_code>
                        <service_name>乱倒垃圾</service_name>
                        <description />
                        <metadata>false</metadata>
                        <type>batch</type>
                        <keywords />
                        <group />
                    </service>
                </services>
                """#)
    }

    @Test("GET /services as JSON")
    func servicesJSON() throws {
        #expect(
            try body(Samples.services, .json) == #"""
                [
                  {
                    "description" : "车辆或杂物占用、堵塞消防通道",
                    "group" : "公共安全",
                    "keywords" : "消防, 占道",
                    "metadata" : true,
                    "service_code" : "fire_lane_blocked",
                    "service_name" : "消防通道堵塞",
                    "type" : "realtime"
                  },
                  {
                    "description" : null,
                    "group" : null,
                    "keywords" : null,
                    "metadata" : false,
                    "service_code" : "illegal_dumping",
                    "service_name" : "乱倒垃圾",
                    "type" : "batch"
                  }
                ]
                """#)
    }

    @Test("GET /services/{service_code} as XML")
    func definitionXML() throws {
        #expect(
            try body(Samples.definition, .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <service_definition>
                    <service_code>fire_lane_blocked</service_code>
                    <attributes>
                        <attribute>
                            <variable>true</variable>
                            <code>obstruction</code>
                            <datatype>singlevaluelist</datatype>
                            <required>true</required>
                            <datatype_description />
                            <order>1</order>
                            <description>堵塞物是什么？</description>
                            <values>
                                <value>
                                    <key>vehicle</key>
                                    <name>车辆</name>
                                </value>
                                <value>
                                    <key>goods</key>
                                    <name>杂物</name>
                                </value>
                            </values>
                        </attribute>
                        <attribute>
                            <variable>true</variable>
                            <code>plate</code>
                            <datatype>string</datatype>
                            <required>false</required>
                            <datatype_description>车牌号，如 沪A12345</datatype_description>
                            <order>2</order>
                            <description>车牌号（如能看清）</description>
                        </attribute>
                    </attributes>
                </service_definition>
                """#)
    }

    @Test("GET /services/{service_code} as JSON")
    func definitionJSON() throws {
        #expect(
            try body(Samples.definition, .json) == #"""
                {
                  "attributes" : [
                    {
                      "code" : "obstruction",
                      "datatype" : "singlevaluelist",
                      "datatype_description" : null,
                      "description" : "堵塞物是什么？",
                      "order" : 1,
                      "required" : true,
                      "values" : [
                        {
                          "key" : "vehicle",
                          "name" : "车辆"
                        },
                        {
                          "key" : "goods",
                          "name" : "杂物"
                        }
                      ],
                      "variable" : true
                    },
                    {
                      "code" : "plate",
                      "datatype" : "string",
                      "datatype_description" : "车牌号，如 沪A12345",
                      "description" : "车牌号（如能看清）",
                      "order" : 2,
                      "required" : false,
                      "variable" : true
                    }
                  ],
                  "service_code" : "fire_lane_blocked"
                }
                """#)
    }

    @Test("GET /requests as XML")
    func requestsXML() throws {
        #expect(
            try body([Samples.openRequest, Samples.closedRequest], .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <service_requests>
                    <request>
                        <service_request_id>SR20261129000123</service_request_id>
                        <status>open</status>
                        <status_notes>已派遣至黄浦区城管执法中队</status_notes>
                        <service_name>消防通道堵塞</service_name>
                        <service_code>fire_lane_blocked</service_code>
                        <description>小区东门消防通道被车辆堵塞 &lt;script&gt;&amp;&quot;&apos;</description>
                        <agency_responsible>黄浦区城管执法局</agency_responsible>
                        <service_notice>2个工作日内处置</service_notice>
                        <requested_datetime>2026-11-29T19:14:06+08:00</requested_datetime>
                        <updated_datetime>2026-11-29T19:40:00+08:00</updated_datetime>
                        <expected_datetime>2026-12-02T00:00:00+08:00</expected_datetime>
                        <address>上海市黄浦区南京东路街道河南中路99号</address>
                        <address_id />
                        <zipcode>200001</zipcode>
                        <lat>31.2397</lat>
                        <long>121.4856</long>
                        <media_url>https://citynet.example.gov.cn/media/SR20261129000123/1.jpg</media_url>
                        <extended_attributes>
                            <detailed_status>handling</detailed_status>
                            <detailed_status_zh>处置中</detailed_status_zh>
                            <case_id>C20261129-0042</case_id>
                            <region_code>310101002</region_code>
                            <region_name>南京东路街道</region_name>
                        </extended_attributes>
                    </request>
                    <request>
                        <service_request_id>SR20261101000007</service_request_id>
                        <status>closed</status>
                        <status_notes />
                        <service_name />
                        <service_code>illegal_dumping</service_code>
                        <description />
                        <agency_responsible />
                        <service_notice />
                        <requested_datetime>2026-11-01T08:00:00+08:00</requested_datetime>
                        <updated_datetime>2026-11-02T17:30:00+08:00</updated_datetime>
                        <expected_datetime />
                        <address>徐汇区漕河泾街道</address>
                        <address_id />
                        <zipcode />
                        <lat />
                        <long />
                        <media_url />
                    </request>
                </service_requests>
                """#)
    }

    @Test("GET /requests as JSON")
    func requestsJSON() throws {
        #expect(
            try body([Samples.openRequest, Samples.closedRequest], .json) == #"""
                [
                  {
                    "address" : "上海市黄浦区南京东路街道河南中路99号",
                    "address_id" : null,
                    "agency_responsible" : "黄浦区城管执法局",
                    "description" : "小区东门消防通道被车辆堵塞 <script>&\"'",
                    "expected_datetime" : "2026-12-02T00:00:00+08:00",
                    "extended_attributes" : {
                      "case_id" : "C20261129-0042",
                      "detailed_status" : "handling",
                      "detailed_status_zh" : "处置中",
                      "region_code" : "310101002",
                      "region_name" : "南京东路街道"
                    },
                    "lat" : 31.2397,
                    "long" : 121.4856,
                    "media_url" : "https://citynet.example.gov.cn/media/SR20261129000123/1.jpg",
                    "requested_datetime" : "2026-11-29T19:14:06+08:00",
                    "service_code" : "fire_lane_blocked",
                    "service_name" : "消防通道堵塞",
                    "service_notice" : "2个工作日内处置",
                    "service_request_id" : "SR20261129000123",
                    "status" : "open",
                    "status_notes" : "已派遣至黄浦区城管执法中队",
                    "updated_datetime" : "2026-11-29T19:40:00+08:00",
                    "zipcode" : "200001"
                  },
                  {
                    "address" : "徐汇区漕河泾街道",
                    "address_id" : null,
                    "agency_responsible" : null,
                    "description" : null,
                    "expected_datetime" : null,
                    "lat" : null,
                    "long" : null,
                    "media_url" : null,
                    "requested_datetime" : "2026-11-01T08:00:00+08:00",
                    "service_code" : "illegal_dumping",
                    "service_name" : null,
                    "service_notice" : null,
                    "service_request_id" : "SR20261101000007",
                    "status" : "closed",
                    "status_notes" : null,
                    "updated_datetime" : "2026-11-02T17:30:00+08:00",
                    "zipcode" : null
                  }
                ]
                """#)
    }

    @Test("POST /requests (realtime) as XML")
    func createdXML() throws {
        #expect(
            try body([Samples.created], .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <service_requests>
                    <request>
                        <service_request_id>SR20261129000123</service_request_id>
                        <service_notice>已受理，2个工作日内处置</service_notice>
                        <account_id />
                    </request>
                </service_requests>
                """#)
    }

    @Test("POST /requests (realtime) as JSON")
    func createdJSON() throws {
        #expect(
            try body([Samples.created], .json) == #"""
                [
                  {
                    "account_id" : null,
                    "service_notice" : "已受理，2个工作日内处置",
                    "service_request_id" : "SR20261129000123"
                  }
                ]
                """#)
    }

    @Test("POST /requests (batch: token) as XML")
    func createdTokenXML() throws {
        #expect(
            try body([Samples.createdWithToken], .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <service_requests>
                    <request>
                        <token>T-8842</token>
                        <service_notice />
                        <account_id>u-3321</account_id>
                    </request>
                </service_requests>
                """#)
    }

    @Test("POST /requests (batch: token) as JSON")
    func createdTokenJSON() throws {
        #expect(
            try body([Samples.createdWithToken], .json) == #"""
                [
                  {
                    "account_id" : "u-3321",
                    "service_notice" : null,
                    "token" : "T-8842"
                  }
                ]
                """#)
    }

    @Test("GET /tokens/{token} as XML")
    func tokenXML() throws {
        #expect(
            try body([Samples.token], .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <service_requests>
                    <request>
                        <service_request_id>SR20261129000124</service_request_id>
                        <token>T-8842</token>
                    </request>
                </service_requests>
                """#)
    }

    @Test("GET /tokens/{token} as JSON")
    func tokenJSON() throws {
        #expect(
            try body([Samples.token], .json) == #"""
                [
                  {
                    "service_request_id" : "SR20261129000124",
                    "token" : "T-8842"
                  }
                ]
                """#)
    }

    @Test("errors as XML")
    func errorsXML() throws {
        #expect(
            try body(Samples.errors, .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <errors>
                    <error>
                        <code>400</code>
                        <description>lat must be a decimal number in degrees (WGS84), got &quot;abc&quot;</description>
                    </error>
                    <error>
                        <code>400</code>
                        <description>a location is required: send lat and long, or address_string, or address_id</description>
                    </error>
                </errors>
                """#)
    }

    @Test("errors as JSON")
    func errorsJSON() throws {
        #expect(
            try body(Samples.errors, .json) == #"""
                [
                  {
                    "code" : 400,
                    "description" : "lat must be a decimal number in degrees (WGS84), got \"abc\""
                  },
                  {
                    "code" : 400,
                    "description" : "a location is required: send lat and long, or address_string, or address_id"
                  }
                ]
                """#)
    }

    @Test("GET /discovery as XML")
    func discoveryXML() throws {
        #expect(
            try body(Samples.discovery, .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <discovery>
                    <changeset>2026-11-20T09:00:00+08:00</changeset>
                    <contact>上海市城市运行管理中心 open311@citynet.example.gov.cn</contact>
                    <key_service>api_key 申请：https://citynet.example.gov.cn/open311/key</key_service>
                    <endpoints>
                        <endpoint>
                            <specification>http://wiki.open311.org/GeoReport_v2</specification>
                            <url>https://citynet.example.gov.cn/open311/v2</url>
                            <changeset>2026-11-20T09:00:00+08:00</changeset>
                            <type>production</type>
                            <formats>
                                <format>text/xml</format>
                                <format>application/json</format>
                            </formats>
                        </endpoint>
                        <endpoint>
                            <specification>http://wiki.open311.org/GeoReport_v2</specification>
                            <url>https://test.citynet.example.gov.cn/open311/v2</url>
                            <changeset>2026-11-18T14:00:00+08:00</changeset>
                            <type>test</type>
                            <formats>
                                <format>text/xml</format>
                            </formats>
                        </endpoint>
                    </endpoints>
                </discovery>
                """#)
    }

    @Test("GET /discovery as JSON")
    func discoveryJSON() throws {
        #expect(
            try body(Samples.discovery, .json) == #"""
                {
                  "changeset" : "2026-11-20T09:00:00+08:00",
                  "contact" : "上海市城市运行管理中心 open311@citynet.example.gov.cn",
                  "endpoints" : [
                    {
                      "changeset" : "2026-11-20T09:00:00+08:00",
                      "formats" : [
                        "text/xml",
                        "application/json"
                      ],
                      "specification" : "http://wiki.open311.org/GeoReport_v2",
                      "type" : "production",
                      "url" : "https://citynet.example.gov.cn/open311/v2"
                    },
                    {
                      "changeset" : "2026-11-18T14:00:00+08:00",
                      "formats" : [
                        "text/xml"
                      ],
                      "specification" : "http://wiki.open311.org/GeoReport_v2",
                      "type" : "test",
                      "url" : "https://test.citynet.example.gov.cn/open311/v2"
                    }
                  ],
                  "key_service" : "api_key 申请：https://citynet.example.gov.cn/open311/key"
                }
                """#)
    }

    @Test("GET /servicerequestupdates (mySociety) as XML")
    func updatesXML() throws {
        #expect(
            try body(Samples.updates, .xml) == #"""
                <?xml version="1.0" encoding="utf-8"?>
                <service_request_updates>
                    <request_update>
                        <update_id>SR20261129000123-3</update_id>
                        <service_request_id>SR20261129000123</service_request_id>
                        <status>open</status>
                        <updated_datetime>2026-11-29T19:40:00+08:00</updated_datetime>
                        <description>已派遣至黄浦区城管执法中队</description>
                        <media_url />
                        <extended_attributes>
                            <detailed_status>dispatched</detailed_status>
                            <detailed_status_zh>已派遣</detailed_status_zh>
                        </extended_attributes>
                    </request_update>
                    <request_update>
                        <update_id>SR20261129000123-4</update_id>
                        <service_request_id>SR20261129000123</service_request_id>
                        <status>closed</status>
                        <updated_datetime>2026-11-30T10:05:00+08:00</updated_datetime>
                        <description>车辆已挪走，通道畅通</description>
                        <media_url>https://citynet.example.gov.cn/media/SR20261129000123/after.jpg</media_url>
                        <extended_attributes>
                            <detailed_status>closed</detailed_status>
                            <detailed_status_zh>已结案</detailed_status_zh>
                        </extended_attributes>
                    </request_update>
                </service_request_updates>
                """#)
    }

    @Test("GET /servicerequestupdates (mySociety) as JSON")
    func updatesJSON() throws {
        #expect(
            try body(Samples.updates, .json) == #"""
                [
                  {
                    "description" : "已派遣至黄浦区城管执法中队",
                    "extended_attributes" : {
                      "detailed_status" : "dispatched",
                      "detailed_status_zh" : "已派遣"
                    },
                    "media_url" : null,
                    "service_request_id" : "SR20261129000123",
                    "status" : "open",
                    "update_id" : "SR20261129000123-3",
                    "updated_datetime" : "2026-11-29T19:40:00+08:00"
                  },
                  {
                    "description" : "车辆已挪走，通道畅通",
                    "extended_attributes" : {
                      "detailed_status" : "closed",
                      "detailed_status_zh" : "已结案"
                    },
                    "media_url" : "https://citynet.example.gov.cn/media/SR20261129000123/after.jpg",
                    "service_request_id" : "SR20261129000123",
                    "status" : "closed",
                    "update_id" : "SR20261129000123-4",
                    "updated_datetime" : "2026-11-30T10:05:00+08:00"
                  }
                ]
                """#)
    }
}

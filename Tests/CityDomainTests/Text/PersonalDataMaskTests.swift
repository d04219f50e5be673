import Testing

@testable import CityDomain

@Suite struct PersonalDataMaskTests {
    @Test(arguments: [
        // Mobile numbers, plain, grouped, with the country code, in full-width digits.
        ("我的电话13812345678，请尽快处理", "我的电话138****5678，请尽快处理"),
        ("联系人张先生 139 1234 5678。", "联系人张先生 139 **** 5678。"),
        ("手机：186-2171-0099", "手机：186-****-0099"),
        ("回电+86 15921345678谢谢", "回电+86 159****5678谢谢"),
        ("电话１３６１２３４５６７８", "电话１３６****５６７８"),
        ("两个号码13812345678/13998765432都行", "两个号码138****5678/139****5432都行"),
        // Landlines with an area code.
        ("物业电话021-64321234，打不通", "物业电话021-****1234，打不通"),
        ("(021)6432 1234", "(021)**** 1234"),
        ("北京010 87654321", "北京010 ****4321"),
        ("杭州0571-87012345", "杭州0571-****2345"),
        ("+86 21 64321234", "+86 21 ****1234"),
        // Identity numbers (GB 11643-1999's own example, and one with a lower-case x).
        ("身份证11010519491231002X，户主本人", "身份证110105************，户主本人"),
        ("证件号 310101199003071234 已核实", "证件号 310101************ 已核实"),
        ("310101 19900307 123x", "310101 ******** ****"),
        // E-mail addresses.
        ("请回复到zhang.san@example.com。", "请回复到z***@example.com。"),
        ("邮箱 123456789@qq.com 或 li＠163.com", "邮箱 1***@qq.com 或 l*＠163.com"),
        ("a@sh.gov.cn", "*@sh.gov.cn"),
    ])
    func masksPersonalData(_ text: String, _ masked: String) {
        #expect(PersonalDataMask.mask(text) == masked)
    }

    @Test(arguments: [
        "浦东新区莲溪路1388弄5号楼302室门口积水",
        "2024-09-27 10:00 起施工，持续到 2024-10-08",
        "订单号 202409271234567890123 的退款",
        "工单 1381234567 号",  // ten digits: not a mobile number
        "138123456789",  // twelve digits: not a mobile number
        "拨打12345反映过三次",
        "沪A12345 车辆占用消防通道",
        "温度 38.5 度，PM2.5 达 150",
        "邮件 @某某 转发",
        "路灯编号 0213-1145",
        "",
    ])
    func leavesOtherNumbersAlone(_ text: String) {
        #expect(PersonalDataMask.mask(text) == text)
    }

    @Test func identityNumbersNeedAPlausibleBirthDate() {
        #expect(PersonalDataMask.isIdentityNumber("11010519491231002".map { Int(String($0))! } + [10]))
        #expect(!PersonalDataMask.isIdentityNumber("110105194913310021".map { Int(String($0))! }))  // month 13
        #expect(!PersonalDataMask.isIdentityNumber("110105180012310021".map { Int(String($0))! }))  // year 1800
    }
}

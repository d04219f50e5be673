import CityDomain
import Vapor

/// The refusals of the government-services rules, said precisely in the page's language (material names from
/// the item instead of codes). Any other refusal is worded as the console words refusals (``Refusal/text(_:_:reference:)``:
/// the catalogue's message, an English page's own reason, else the status's sentence); a server fault is never shown.
enum GovConsoleErrors {
    /// The message for `error`, or nil for an error that is not the user's to fix (a 500).
    static func message(_ error: any Error, item: ServiceItem?, _ language: DisplayLanguage) -> String? {
        let zh = language == .zh
        func material(_ code: String) -> String {
            guard let found = item?.materials.first(where: { $0.code == code }) else { return code }
            return zh ? found.nameZh : found.nameEn
        }
        switch error {
        case let error as CitizenAccountError:
            switch error {
            case .identityNumber(let problem): return identity(problem, zh)
            case .invalidName: return zh ? "姓名应为 1–50 个字符，与身份证一致" : error.description
            case .invalidPhone: return zh ? "手机号应为以 1 开头的 11 位数字" : error.description
            case .alreadyRegistered: return zh ? "该身份证号已注册，请直接登录" : error.description
            }
        case let error as AccessError where error == .weakPassword:
            return zh ? "密码至少 10 个字符（不超过 72 字节）" : "the password needs 10 characters or more (72 bytes at most)"
        case let error as GovApplicationError:
            switch error {
            case .missingMaterials(let codes) where codes != ["(any)"]:
                let names = codes.map(material).joined(separator: zh ? "、" : ", ")
                return zh ? "缺少必需材料：\(names)" : "missing required materials: \(names)"
            case .missingMaterials: return zh ? "请至少上传一份补正材料" : "upload at least one file to complete"
            case .upload(.empty(let code)): return zh ? "“\(material(code))”是空文件" : "'\(material(code))' is empty"
            case .upload(.tooLarge(let code, let bytes)):
                return zh
                    ? "“\(material(code))”有 \(bytes) 字节，超过 2 MB 上限"
                    : "'\(material(code))' is \(bytes) bytes; the limit is 2 MB"
            case .upload(.notAcceptedType(let code)):
                return zh
                    ? "“\(material(code))”的内容不是 PDF、JPEG 或 PNG 文件（与文件名无关）"
                    : "'\(material(code))' is not a PDF, JPEG or PNG file by its content (whatever its name says)"
            case .regionRequired: return zh ? "请选择办理区" : "choose the district"
            case .unknownRegion: return zh ? "办理区无效" : "unknown district"
            case .rule(.reasonRequired): return zh ? "请填写说明（申请人据此补正或知悉原因）" : error.description
            case .concurrentChange: return zh ? "办件已被他人更新，请刷新后重试" : error.description
            default: return zh ? Refusal.text(error, .zh, reference: nil) : error.description
            }
        case let error as RatingError:
            switch error {
            case .alreadyRated: return zh ? "本办件已评价过，每件只能评价一次" : error.description
            case .notDone: return zh ? "办结后才能评价" : error.description
            case .commentTooLong: return zh ? "意见不超过 \(RatingRules.maxComment) 字" : error.description
            }
        case let error as BundleApplicationError: return zh ? error.chinese : error.description
        case let error as any AbortError where error.status != .internalServerError:
            // Any other refusal: the catalogue's message, else its status's sentence on a Chinese page.
            return Refusal.text(error, language, reference: nil)
        default: return nil
        }
    }

    private static func identity(_ problem: IdentityNumber.Problem, _ zh: Bool) -> String {
        guard zh else { return "invalid identity number: \(problem)" }
        switch problem {
        case .length(let count): return "身份证号应为 18 位，您输入了 \(count) 位"
        case .characters: return "身份证号应为 17 位数字加 1 位数字或 X"
        case .birthDate(let text): return "身份证号中的出生日期 \(text) 不是有效日期"
        case .checkCharacter: return "身份证号校验码（第 18 位）不正确（GB 11643-1999）"
        }
    }
}

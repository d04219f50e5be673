import CityDomain
import Vapor

/// The words of the government-services pages (citizens' and caseworkers'), Chinese first and English, merged into
/// the console's table (``ConsoleText``) for these pages.
enum GovConsoleText {
    /// Key → (Chinese, English).
    static let entries: [String: (String, String)] = [
        "gov_app": ("一网通办", "One-stop government services"),
        "services": ("找服务", "Find a service"), "bundles": ("一件事", "Bundles"), "bundle_leg": ("所属一件事", "Part of bundle"),
        "my_applications": ("我的办件", "My applications"),
        "notifications": ("消息", "Messages"),
        "access_log": ("我的数据访问记录", "Access to my data"),
        "sign_in": ("登录", "Sign in"), "register": ("注册", "Register"), "sign_out": ("退出", "Sign out"),
        "name": ("姓名", "Name"), "identity_number": ("身份证号", "Identity number"), "phone": ("手机号", "Mobile"),
        "password": ("密码（至少 10 位）", "Password (10 characters or more)"),
        "no_account": ("还没有账号？", "No account yet?"), "have_account": ("已有账号？", "Have an account?"),
        "sign_in_failed": ("身份证号或密码错误", "Invalid identity number or password"),
        "registration_received": (
            "登记已受理：该身份证号此前没有账号的，账号已建立，请登录；已有账号的，持有人会在通知中看到这次登记。",
            "Registration received: if this identity number had no account, it has one now; sign in. If it had one, "
                + "its holder is told in their notifications."
        ),
        "register_throttled": (
            "该地址注册尝试过多，请 {n} 分钟后再试", "Too many registration attempts from this address; try again in {n} minute(s)"
        ),
        "keyword": ("关键词", "Keyword"), "search": ("搜索", "Search"),
        "department": ("部门", "Department"), "life_event": ("一件事", "Life event"), "all": ("全部", "All"),
        "no_items": ("没有符合条件的事项", "No service matches"),
        "promised_days": ("承诺时限", "Promised limit"), "legal_days": ("法定时限", "Legal limit"),
        "working_days": ("个工作日", "working days"), "immediate": ("即办件", "Immediate"),
        "promised": ("承诺件", "Promised"), "visits": ("跑动次数", "Visits"), "fee": ("收费", "Fee"),
        "free": ("不收费", "Free"), "online": ("全程网办", "Fully online"), "materials": ("申请材料", "Materials"),
        "elicence": ("电子证照（无需上传）", "E-licence (nothing to upload)"), "required": ("必需", "required"),
        "optional": ("可选", "optional"), "steps": ("办理环节", "Steps"), "district": ("办理区", "District"),
        "choose_district": ("选择区…", "Choose a district…"), "apply": ("提交申请", "Apply"),
        "sign_in_to_apply": ("登录后申请", "Sign in to apply"),
        "upload_hint": ("PDF、JPEG 或 PNG，每个不超过 2 MB", "PDF, JPEG or PNG, 2 MB each at most"),
        "submitted": ("提交时间", "Submitted"), "accepted_at": ("受理时间", "Accepted"),
        "promised_due": ("承诺办结日", "Promised date"), "legal_due": ("法定办结日", "Legal date"),
        "not_started": ("受理后起算", "Counted from acceptance"),
        "no_calendar": (
            "工作日历尚未发布该年数据，暂无法计算", "Not yet countable: the working-day calendar of that year is not published"
        ), "state": ("状态", "State"),
        "clock_stopped": ("补正期间计时暂停", "Clock stopped while waiting for completion"),
        "clock_stops": ("计时暂停记录", "Clock stops"), "since": ("自", "since"),
        "reason": ("说明", "Reason"), "timeline": ("办理过程", "Timeline"),
        "completion": ("补正材料", "Complete the application"), "send_completion": ("提交补正", "Send completion"),
        "note": ("备注（可不填）", "Note (optional)"), "rate": ("评价", "Rate"),
        "rate_service": ("请对本次服务评价（只能评价一次）", "Rate this service (once)"),
        "comment": ("意见（可不填）", "Comment (optional)"), "your_rating": ("您的评价", "Your rating"),
        "no_applications": ("还没有办件", "No applications yet"), "item": ("事项", "Service"),
        "no_notifications": ("没有新消息", "No new messages"),
        "notices_once": ("消息只显示一次", "Each message is shown once"),
        "no_access": ("暂无记录", "No entries yet"), "action": ("操作", "Action"), "outcome": ("结果", "Outcome"),
        "target": ("对象", "Target"), "at": ("时间", "Time"), "new_messages": ("条新消息", "new message(s)"),
        "escalated": ("已超期并上报", "Overdue, escalated"), "rectification": ("整改工单", "Rectification case"),
        // Caseworkers.
        "applicant": ("申请人", "Applicant"), "queue_empty": ("本部门没有在办的办件", "No open applications for your unit"),
        "reason_for_citizen": ("告知申请人的说明", "Reason told to the applicant"),
        "gov_no_actions": (
            "当前状态下没有需要您办理的步骤（已办结、不予许可或等待申请人补正）",
            "Nothing for you to do in this state (done, refused, or waiting for the applicant's completion)"
        ),
        "supervising": ("本件已上报至本部门督办，由承办部门办理", "Escalated here for supervision; the handling unit acts"),
        "by_item": ("按事项", "By service"), "by_department": ("按部门", "By department"),
        "completed": ("办结数", "Completed"), "rated": ("评价数", "Rated"), "rating_rate": ("评价率", "Rating rate"),
        "share_good": ("好评率", "Share good"), "bad": ("差评数", "Bad"),
        "open_rectifications": ("整改中", "Open rectifications"), "uploaded": ("上传", "Upload"),
        "round": ("轮次", "Round"), "overdue": ("超期", "Overdue"),
        // Personal status codes (issue #16).
        "my_status": ("我的状态码", "My status code"), "status_reason": ("原因：", "Why:"),
        "status_until": ("有效至", "Stands until"), "rule_version": ("规则版本", "Rule version"),
        "status_sources": ("读取的数据来源", "Sources read"), "no_status_sources": ("没有任何来源的记录", "No source holds a record"),
        "status_source_used": ("决定了当前状态", "decided the status"),
        "status_sources_logged": ("每次读取都记入", "Every read is recorded in"),
        "status_qr": ("状态码", "Status code"),
        "status_qr_hint": (
            "出示此码供核验；页面会在过期前自动刷新。本码有效至",
            "Show this code to be checked; the page refreshes it before it expires. Valid until"
        ),
        "status_check": ("状态码核验", "Check a status code"),
        "status_check_hint": (
            "粘贴或扫描状态码。本页只用发码方公开的公钥和撤销列表核验，与离线核验点相同；核验结果只显示状态和有效期。",
            "Paste or scan a status code. This page verifies with the issuer's published keys and revocation list only, "
                + "as an offline checkpoint does; it shows the status and validity, nothing else."
        ),
        "status_code": ("状态码", "Status code"), "appeal": ("申诉", "Appeal"),
        "appeal_statement": ("申诉理由", "Why the status is wrong"), "appeal_sent": ("申诉已提交 ✓", "Appeal sent ✓"),
        "appeal_case": ("申诉已立案，案件号", "Under appeal: case"), "appeal_due": ("办理时限", "due"),
        "code_outcome_valid": ("有效", "Valid"), "code_outcome_malformed": ("格式错误", "Malformed"),
        "code_outcome_tampered": ("已被篡改", "Tampered"), "code_outcome_unknown_key": ("未知签名密钥", "Unknown key"),
        "code_outcome_revoked": ("已撤销", "Revoked"), "code_outcome_expired": ("已过期", "Expired"),
        "code_outcome_replayed": ("超出有效期窗口", "Beyond its validity window"),
        "code_outcome_not_yet_valid": ("尚未生效", "Not yet valid"),
        "status_check_cache": (
            "本设备核验，不联网：公钥更新于 {keys}，撤销列表更新于 {list}",
            "Checked on this device, without the network: keys refreshed {keys}, revocation list refreshed {list}"
        ),
        "status_check_never": ("从未", "never"),
        "status_check_offline": ("当前离线，使用缓存", "offline now, using the cache"),
        "status_check_no_keys": (
            "本设备还没有发码方的公钥：请联网打开本页一次", "This device has no issuer keys yet: open this page online once"
        ),
        "status_check_checked_here": ("在本设备上核验", "Checked on this device"),
        // E-licences (issue 14).
        "my_licences": ("我的证照", "My licences"), "licence_check": ("证照核验", "Check a licence"),
        "no_licences": ("还没有电子证照", "No e-licences yet"),
        "licence_check_hint": (
            "粘贴证照二维码内容（以 CNL1: 开头）核验真伪、有效期和注销状态；本页不扫描、不保存任何内容。",
            "Paste a licence's QR content (starting CNL1:) to check its signature, validity and revocation; this page "
                + "scans and keeps nothing."
        ),
        "licence_payload": ("证照码", "Licence payload"), "check": ("核验", "Check"), "copy": ("复制", "Copy"),
        "copied": ("已复制", "Copied"), "licence_number": ("证照编号", "Number"),
        "licence_not_attached": ("未附证照", "No licence attached"), "licence_kind": ("证照类型", "Kind"),
        "holder": ("持证人", "Holder"), "issuer": ("发证机关", "Issuer"), "issued_at": ("签发时间", "Issued"),
        "valid_until": ("有效期至", "Valid until"), "no_end": ("长期", "No end"), "key_id": ("签名密钥", "Signing key"),
        "revoked": ("已注销", "Revoked"), "reader": ("查阅部门", "Read by"),
        "reuse_consent": (
            "同意本次办理使用我已有的电子证照（无需上传）", "I consent to this application using my e-licence (no upload)"
        ),
        "licence_qr_hint": (
            "出示下方二维码或复制证照码，核验方凭发证机关公钥即可离线核验。",
            "Show the QR code or copy the payload below: a checkpoint verifies it offline "
                + "with the issuer's public key."
        ),
        "licence_qr": ("电子证照二维码", "E-licence QR code"),
        "outcome_valid": ("有效", "Valid"), "outcome_malformed": ("格式错误", "Malformed"),
        "outcome_tampered": ("已被篡改", "Tampered"), "outcome_unknown_key": ("未知签名密钥", "Unknown key"),
        "outcome_revoked": ("已注销", "Revoked"), "outcome_expired": ("已过期", "Expired"),
        "outcome_not_yet_valid": ("尚未生效", "Not yet valid"), "outcome_unknown_licence": ("无此证照", "Unknown licence"),
    ]

    /// The console's words of `language` with these merged in.
    static func table(_ language: DisplayLanguage) -> [String: String] {
        ConsoleText.table(language).merging(entries.mapValues { language == .zh ? $0.0 : $0.1 }) { $1 }
    }

    static func word(_ key: String, _ language: DisplayLanguage) -> String {
        entries[key].map { language == .zh ? $0.0 : $0.1 } ?? key
    }

    static func state(_ state: ApplicationState, _ language: DisplayLanguage) -> String {
        language == .zh ? GovText.stateZh(state) : state.rawValue.replacingOccurrences(of: "_", with: " ")
    }

    static func action(_ code: String, _ language: DisplayLanguage) -> String {
        let names: [String: (String, String)] = [
            "submit": ("提交", "Submitted"), "accept": ("受理", "Accept"),
            "request_completion": ("补正告知", "Request completion"), "complete": ("补正提交", "Completed"),
            "review": ("审核", "Review"), "approve": ("准予", "Approve"), "refuse": ("不予许可", "Refuse"),
            "issue": ("出证", "Issue result"), "finish": ("办结", "Done"), "rate": ("评价", "Rated"),
            "escalate": ("超期上报", "Escalated"), "sign_in": ("登录", "Sign in"), "time_limit": ("时限", "Time limit"),
            "read_application": ("查看办件", "Read application"), "read_material": ("查看材料", "Read a material"),
            "licence_issued": ("签发证照", "Licence issued"), "licence_revoked": ("注销证照", "Licence revoked"),
            "department_read_licence": ("部门查阅证照", "Department read a licence"),
            "department_read_application": ("部门查阅办件", "Department read the application"),
        ]
        return names[code].map { language == .zh ? $0.0 : $0.1 } ?? code
    }

    static func level(_ level: RatingLevel, _ language: DisplayLanguage) -> String {
        language == .zh ? level.nameZh : level.nameEn
    }
}

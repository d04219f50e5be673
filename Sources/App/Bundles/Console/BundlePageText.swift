import Vapor

/// The words of the citizens' bundle pages, Chinese first and English, merged over ``GovConsoleText``'s.
enum BundlePageText {
    static let entries: [String: (String, String)] = [
        "bundles": ("一件事", "Bundles"),
        "bundles_intro": (
            "一张表单、一次提交：各部门按先后顺序并行办理，前一事项签发的证照经您同意自动用于后续事项。",
            "One form, one submission: the departments work in parallel where the order allows, and a licence one "
                + "step issues is used for the next with your consent."
        ),
        "item_by_item": ("逐项办理", "Item by item"), "as_bundle": ("一件事办理", "As a bundle"),
        "saved": ("节省", "Saved"), "applications_count": ("申请次数", "Applications"),
        "steps_count": ("办理环节", "Steps"), "materials_count": ("申请材料", "Materials"),
        "visits_count": ("跑动次数", "Visits"), "days_count": ("承诺时限（工作日）", "Promised time (working days)"),
        "legs": ("包含事项", "Services in this bundle"), "waits_for": ("需先办结", "Waits for"),
        "starts_at_once": ("提交即办", "Starts at once"), "shared_fields": ("共用信息", "Shared details"),
        "bundle_consent": (
            "我同意：前一事项签发的电子证照自动用于需要它的后续事项（无需上传）",
            "I consent that the e-licences one step issues are used for the steps that need them (no upload)"
        ),
        "start_bundle": ("一次提交", "Submit once"), "my_bundles": ("我的一件事", "My bundles"),
        "bundle_state_in_progress": ("办理中", "In progress"),
        "bundle_state_action_needed": ("需要您处理", "Needs your action"),
        "bundle_state_completed": ("已全部办结", "All done"), "leg_waiting": ("等待前序事项", "Waiting"),
        "overall_due": ("整体承诺办结日", "Promised date for the whole bundle"),
        "attempt": ("第几次提交", "Attempt"), "resubmit": ("重新提交此事项", "Resubmit this service"),
        "open_leg": ("查看办件", "Open"),
    ]

    /// The gov pages' words of `language` with these merged in.
    static func table(_ language: DisplayLanguage) -> [String: String] {
        GovConsoleText.table(language).merging(entries.mapValues { language == .zh ? $0.0 : $0.1 }) { $1 }
    }
}

extension ConsolePage {
    /// A citizen's bundle page: ``gov(_:title:active:)`` with the bundle words.
    static func bundles(_ req: Request, title: String) -> ConsolePage {
        var page = ConsolePage.gov(req, title: title, active: "bundles")
        page.t = BundlePageText.table(req.pageLanguage)
        page.title = page.t[title] ?? title
        return page
    }
}

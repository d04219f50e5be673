"""The newborn bundle (出生一件事) of issue #14 §3–4 in headless Chromium, run by console_browser.py.

A citizen on a phone (390x844, touch) registers and signs in, opens the bundles page and sees 出生一件事 with its savings
computed from the catalogue (applications, steps, materials, visits, promised days: item by item, as a bundle, saved),
opens its one form (the legs and what each waits for), is refused in Chinese without the consent (nothing started),
then submits the shared fields and one PDF for every material the form asks for with the consent (posted twice at once
by script and once more by the button: one bundle), and lands on the tracking page: 办理中, the shared fields, the legs
that start at once submitted and the others 等待前序事项. The medical-insurance caseworker (a desktop browser at 1920x1080,
as every desk) refuses the reimbursement leg with a reason: the bundle shows 需要您处理, the reason on that leg and a
resubmit button on it alone; the citizen resubmits it (attempt 2, a new application, 办理中 again). The first wave then
goes to its departments' desks: the health commission's caseworker (浦东新区卫生健康委员会) approves 出生医学证明 and the medical-
insurance caseworker (浦东新区医疗保障局) approves the reimbursement leg; the citizen's tracking page then shows the released
second wave (户口登记 at 浦东公安分局 and 预防接种证) submitted, and the released 户口登记 application carries the birth medical
certificate as an e-licence, not an upload (once-only reuse), the citizen holds that licence and its check link
verifies it; the police caseworker approves 户口登记, which releases the third wave (社会保障卡, 城乡居民医保, 少儿住院互助基金), the
medical-insurance enrolment carrying both licences of the two legs it waits for. The remaining legs are approved at
their desks (浦东新区卫生健康委员会, 上海市人力资源和社会保障局, 浦东新区医疗保障局): every leg is approved, the bundle 已全部办结, and the citizen holds
one licence from each certificate-producing leg. The data-access log lists the four departments' reads; the tracking
page is checked in English too. Every citizen page is checked to fit the phone's width and, in Chinese, to show no
English error text.
"""
import os
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from gov_story import detached, identity_number, pdf_file, phone

# Words of an English error message or system note that must not appear on a Chinese page.
ENGLISH_ERROR = re.compile(r"\b(error|invalid|failed|unknown|required|missing|not found|forbidden|denied|"
                           r"abort|exception|unauthori[sz]ed|bad request|conflict|released by|promised date)\b",
                           re.IGNORECASE)

FIRST_WAVE = {"SH-WJW-0001": "health", "SH-YB-0002": "medical_insurance"}
SECOND_WAVE = ("SH-WJW-0002", "SH-GA-0001")
THIRD_WAVE = ("SH-RS-0001", "SH-YB-0001", "SH-YB-0003")
# The remaining legs' desks: 浦东新区卫生健康委员会, 上海市人力资源和社会保障局 (a city-level item), 浦东新区医疗保障局.
LAST_LEGS = {"SH-WJW-0002": "health", "SH-RS-0001": "human_resources", "SH-YB-0001": "medical_insurance",
             "SH-YB-0003": "medical_insurance"}


def run(args, new_browser, check, screenshots=None):
    citizen = new_browser()
    phone(citizen)
    base = args.base
    cwait = WebDriverWait(citizen, 10)
    desks = {}

    def desk(unit):
        """A desktop browser signed in as the caseworker of `unit` (health, medical_insurance, police)."""
        if unit in desks:
            return desks[unit]
        username, password = {
            "health": (args.health_username, args.health_password),
            "medical_insurance": (args.medins_username, args.medins_password),
            "police": (args.caseworker_username, args.caseworker_password),
            "human_resources": (args.hr_username, args.hr_password),
        }[unit]
        driver = new_browser()
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
        driver.get(base + "/console/login")
        driver.find_element(By.NAME, "username").send_keys(username)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.ID, "login-submit").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, "header .who")))
        desks[unit] = driver
        return driver

    def submit(driver, form):
        form.find_element(By.CSS_SELECTOR, "button[type=submit], button").click()
        wait = WebDriverWait(driver, 10)
        wait.until(lambda _: detached(form))
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def page_ok(what):
        """The citizen's page fits the phone and, in Chinese, shows no English error text."""
        wide = citizen.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"{what} fits a 390-pixel phone (overflows by {wide} px)")
        text = citizen.find_element(By.TAG_NAME, "body").text
        english = ENGLISH_ERROR.findall(text)
        check(not english, f"{what} shows no English error text{' (' + ', '.join(english) + ')' if english else ''}")

    def legs():
        """The tracking page's legs: item code → (state, application id or None)."""
        found = {}
        for li in citizen.find_elements(By.CSS_SELECTOR, "#legs > li"):
            state = li.find_element(By.CSS_SELECTOR, ".state").get_attribute("data-state")
            links = li.find_elements(By.CSS_SELECTOR, 'a[href^="/console/citizen/applications/"]')
            found[li.get_attribute("data-code")] = (
                state, links[0].get_attribute("href").rstrip("/").split("/")[-1] if links else None)
        return found

    def approve(unit, application, item):
        """At `unit`'s desk: finds the leg's application in the queue and takes it to 已批准 through the forms."""
        worker = desk(unit)
        worker.get(base + "/console/gov")
        rows = worker.find_elements(By.CSS_SELECTOR, f'#gov-queue a[data-id="{application.upper()}"]')
        check(rows != [], f"{item} is in the queue of {unit}'s caseworker")
        worker.get(f"{base}/console/gov/applications/{application}")
        state = worker.find_element(By.ID, "application-state").get_attribute("data-state")
        for _ in range(4):
            if state == "approved":
                break
            offered = [f.get_attribute("data-action")
                       for f in worker.find_elements(By.CSS_SELECTOR, "form.action[data-action]")]
            action = next((a for a in ("approve", "review", "accept") if a in offered), None)
            if action is None:
                check(False, f"{item} at {state} offers a way to approval (offered: {offered})")
                return state
            submit(worker, worker.find_element(By.CSS_SELECTOR, f'form.action[data-action="{action}"]'))
            state = worker.find_element(By.ID, "application-state").get_attribute("data-state")
        check(state == "approved", f"{unit}'s caseworker approves {item} ({state})")
        return state

    def refuse(unit, application, item, reason):
        """At `unit`'s desk: refuses the leg's application with `reason` (accepting it first if refusing needs it)."""
        worker = desk(unit)
        worker.get(f"{base}/console/gov/applications/{application}")
        for _ in range(3):
            offered = [f.get_attribute("data-action")
                       for f in worker.find_elements(By.CSS_SELECTOR, "form.action[data-action]")]
            if "refuse" in offered:
                form = worker.find_element(By.CSS_SELECTOR, 'form.action[data-action="refuse"]')
                form.find_element(By.NAME, "reason").send_keys(reason)
                submit(worker, form)
                break
            if "accept" not in offered:
                break
            submit(worker, worker.find_element(By.CSS_SELECTOR, 'form.action[data-action="accept"]'))
        state = worker.find_element(By.ID, "application-state").get_attribute("data-state")
        check(state == "refused", f"{unit}'s caseworker refuses {item} with a reason ({state})")

    try:
        # Register and sign in as gov_story does.
        citizen.get(base + "/console/citizen/register")
        number = identity_number()
        form = citizen.find_element(By.ID, "citizen-register")
        form.find_element(By.NAME, "name").send_keys("李一件")
        form.find_element(By.NAME, "identity_number").send_keys(number)
        form.find_element(By.NAME, "phone").send_keys("13800138000")
        form.find_element(By.NAME, "password").send_keys("ci bundle pass 1")
        submit(citizen, form)
        form = citizen.find_element(By.ID, "citizen-login")
        form.find_element(By.NAME, "identity_number").send_keys(number)
        form.find_element(By.NAME, "password").send_keys("ci bundle pass 1")
        submit(citizen, form)
        check(citizen.find_elements(By.ID, "citizen-name") != [], "the bundle citizen registers and signs in")

        # The bundles page with the newborn's savings computed from the catalogue.
        citizen.find_element(By.CSS_SELECTOR, 'header nav a[href="/console/citizen/bundles"]').click()
        cwait.until(EC.presence_of_element_located((By.CSS_SELECTOR, 'section[data-bundle="newborn"]')))
        card = citizen.find_element(By.CSS_SELECTOR, 'section[data-bundle="newborn"]')
        check("出生一件事" in card.text, "the bundles page lists 出生一件事")
        figures = {}
        for row in card.find_elements(By.CSS_SELECTOR, "tr[data-figure]"):
            cells = [int(td.text) for td in row.find_elements(By.TAG_NAME, "td")]
            figures[row.get_attribute("data-figure")] = cells
        for key in ("steps_count", "visits_count", "days_count", "applications_count", "materials_count"):
            cells = figures.get(key)
            check(cells is not None and len(cells) == 3 and cells[0] - cells[1] == cells[2] and cells[2] >= 0,
                  f"the newborn card shows {key} item by item, as a bundle and saved, consistent ({cells})")
        check(figures.get("days_count") == [34, 20, 14], f"the promised days are 34 → 20, 14 saved "
              f"({figures.get('days_count')})")
        check(all(figures.get(k, [0, 0, 0])[2] > 0 for k in ("steps_count", "visits_count")),
              f"steps and visits are saved ({figures.get('steps_count')}, {figures.get('visits_count')})")
        page_ok("the bundles page")
        if screenshots:
            citizen.save_screenshot(os.path.join(screenshots, "citizen-bundles-phone.png"))

        # The one form: legs, shared fields, the materials it asks for.
        card.find_element(By.CSS_SELECTOR, 'a[data-code="newborn"]').click()
        form = cwait.until(EC.presence_of_element_located((By.ID, "bundle-form")))
        steps = citizen.find_element(By.ID, "legs").text
        check("新生儿出生户口登记" in steps and "需先办结" in steps, "the form lists the legs and what each waits for")
        page_ok("the newborn bundle's form")
        fields = {"child_name": "李小宝", "child_sex": "女", "birth_date": "2026-11-30",
                  "birth_place": "浦东新区妇幼保健院", "guardian_phone": "13800138000"}

        def fill(form, consent):
            form.find_element(By.CSS_SELECTOR, '#region-code option[value="310115"]').click()
            for code, value in fields.items():
                box = form.find_element(By.CSS_SELECTOR, f'input[data-field="{code}"]')
                box.clear()
                box.send_keys(value)
            materials = [m.get_attribute("data-material")
                         for m in form.find_elements(By.CSS_SELECTOR, "input[type=file][data-material]")]
            for code in materials:
                form.find_element(By.CSS_SELECTOR, f'input[data-material="{code}"]').send_keys(pdf_file(f"{code}.pdf"))
            if consent:
                form.find_element(By.ID, "bundle-consent").click()
            return materials

        # Without the consent: refused in Chinese, nothing started.
        fill(form, consent=False)
        submit(citizen, form)
        error = citizen.find_elements(By.ID, "flash-error")
        check(error != [] and "同意" in error[0].text and not re.search(r"[A-Za-z]{3,}", error[0].text),
              "without the consent the form is refused in Chinese" + (f" ({error[0].text})" if error else ""))
        check(citizen.find_elements(By.ID, "bundle-form") != [], "the refusal returns to the form")
        page_ok("the refused form")
        citizen.get(base + "/console/citizen/bundles")
        check(citizen.find_elements(By.ID, "my-bundles") == [], "the refused form started no bundle")

        citizen.get(base + "/console/citizen/bundles/newborn")
        form = citizen.find_element(By.ID, "bundle-form")
        materials = fill(form, consent=True)
        check(set(materials) >= {"birth_record", "declaration", "photo", "enrolment_form", "invoices",
                                 "discharge_summary", "bank_card"}, f"the form asks for the uploads ({materials})")
        if screenshots:
            citizen.save_screenshot(os.path.join(screenshots, "citizen-bundle-form-phone.png"))
        # A double tap and a retry: the same form (same client token, same files) is posted twice at once by script,
        # then once more by the button; all three land on one bundle.
        citizen.set_script_timeout(20)
        raced = citizen.execute_async_script("""
            var done = arguments[arguments.length - 1], form = document.getElementById('bundle-form');
            var post = function () {
              return fetch(form.action, {method: 'POST', body: new FormData(form), credentials: 'same-origin'})
                .then(function (r) { return r.url; });
            };
            Promise.all([post(), post()]).then(done, function (e) { done(['failed ' + e]); });""")
        check(len(raced) == 2 and raced[0] == raced[1] and "/bundle-applications/" in raced[0],
              f"two posts of the same form at once make one bundle ({raced})")
        submit(citizen, form)
        cwait.until(EC.presence_of_element_located((By.ID, "bundle-state")))
        tracking = citizen.current_url.split("?")[0]
        check("/console/citizen/bundle-applications/" in tracking, f"the form lands on the tracking page ({tracking})")
        check(raced[0].split("?")[0].lower() == tracking.lower(),
              "the button's retry of that form lands on the same bundle")
        notice = citizen.find_elements(By.ID, "flash-ok")
        check(notice != [] and "出生一件事" in notice[0].text, "the submission is confirmed")
        state = citizen.find_element(By.ID, "bundle-state").get_attribute("data-state")
        check(state == "in_progress", f"the bundle is in progress ({state})")
        check("李小宝" in citizen.find_element(By.TAG_NAME, "main").text, "the shared fields are shown")
        first = legs()
        check(len(first) == 7, f"the tracking page shows the seven legs ({sorted(first)})")
        for item in FIRST_WAVE:
            check(first.get(item, ("",))[0] == "submitted" and first[item][1],
                  f"{item} starts at once ({first.get(item)})")
        waiting = [item for item in SECOND_WAVE + THIRD_WAVE if first.get(item, ("",))[0] == "waiting"]
        check(len(waiting) == 5, f"the legs that need a licence wait ({waiting})")
        page_ok("the tracking page")
        if screenshots:
            citizen.save_screenshot(os.path.join(screenshots, "citizen-bundle-tracking-phone.png"))

        citizen.get(base + "/console/citizen/bundles")
        mine = citizen.find_elements(By.CSS_SELECTOR, "#my-bundles a[data-id]")
        check(len(mine) == 1, f"my bundles lists the one bundle ({len(mine)})")
        citizen.get(tracking)

        # The first wave at its departments' desks.
        # The medical-insurance desk first refuses the reimbursement leg; only that leg is resubmitted.
        refund = first.get("SH-YB-0002", (None, None))[1]
        if refund:
            refuse("medical_insurance", refund, "SH-YB-0002", "出院小结缺少医院盖章")
            citizen.get(tracking)
            state = citizen.find_element(By.ID, "bundle-state")
            check(state.get_attribute("data-state") == "action_needed" and "需要您处理" in state.text,
                  f"the refused leg puts the bundle in 需要您处理 ({state.text})")
            leg = citizen.find_element(By.CSS_SELECTOR, '#legs > li[data-code="SH-YB-0002"]')
            check("出院小结缺少医院盖章" in leg.text, "the tracking page shows the refusal's reason on its leg")
            check(legs().get("SH-WJW-0001", ("",))[0] == "submitted", "the other leg is untouched by the refusal")
            page_ok("the tracking page with a refused leg")
            if screenshots:
                citizen.save_screenshot(os.path.join(screenshots, "citizen-bundle-refused-phone.png"))
            buttons = citizen.find_elements(By.CSS_SELECTOR, 'button[data-resubmit]')
            check([b.get_attribute("data-resubmit") for b in buttons] == ["SH-YB-0002"],
                  "only the refused leg offers resubmission")
            if buttons:
                submit(citizen, buttons[0].find_element(By.XPATH, "./ancestor::form"))
                notice = citizen.find_elements(By.ID, "flash-ok")
                check(notice != [] and "已重新提交" in notice[0].text, "the resubmission is confirmed")
                again = legs()
                leg = citizen.find_element(By.CSS_SELECTOR, '#legs > li[data-code="SH-YB-0002"]')
                check(again["SH-YB-0002"][0] == "submitted" and again["SH-YB-0002"][1] not in (None, refund)
                      and "第几次提交 2" in leg.text,
                      f"the leg is submitted again as a new application, attempt 2 ({again['SH-YB-0002']})")
                check(citizen.find_elements(By.CSS_SELECTOR, "button[data-resubmit]") == [],
                      "a resubmitted leg offers no second resubmission")
                state = citizen.find_element(By.ID, "bundle-state").get_attribute("data-state")
                check(state == "in_progress", f"the bundle is back in progress ({state})")
                page_ok("the tracking page after the resubmission")
                first = again

        for item, unit in FIRST_WAVE.items():
            if first.get(item, (None, None))[1]:
                approve(unit, first[item][1], item)

        citizen.get(tracking)
        second = legs()
        for item in SECOND_WAVE:
            check(second.get(item, ("",))[0] == "submitted" and second[item][1],
                  f"the approval of 出生医学证明 releases {item} ({second.get(item)})")
        for item in THIRD_WAVE:
            check(second.get(item, ("",))[0] == "waiting", f"{item} still waits for 户口登记 ({second.get(item)})")
        page_ok("the tracking page after the first wave")

        # The released 户口登记 carries the birth medical certificate as an e-licence (once-only reuse).
        household = second.get("SH-GA-0001", (None, None))[1]
        if household:
            citizen.get(f"{base}/console/citizen/applications/{household}")
            items = {}
            for li in citizen.find_elements(By.CSS_SELECTOR, "main li"):
                items.setdefault(li.text.split(" ")[0], li)
            certificate = items.get("出生医学证明")
            # Shown by kind name and the attached licence's number (never the raw kind code).
            check(certificate is not None and "证照编号" in certificate.text and ".SHWJW001." in certificate.text
                  and "birth_medical_certificate" not in certificate.text
                  and certificate.find_elements(By.CSS_SELECTOR, "a.material-file") == [],
                  "the released 户口登记 carries 出生医学证明 as an e-licence with its number, not an upload"
                  + (f" ({certificate.text})" if certificate is not None else ""))
            declaration = items.get("新生儿入户申报表")
            check(declaration is not None and declaration.find_elements(By.CSS_SELECTOR, "a.material-file") != [],
                  "the form's one upload of 新生儿入户申报表 is attached to the released leg")
            page_ok("the released leg's application page")
            if screenshots:
                citizen.save_screenshot(os.path.join(screenshots, "citizen-bundle-leg-phone.png"))
            # The licence the first leg issued is the citizen's, numbered by the health commission's leg.
            citizen.get(base + "/console/citizen/licences")
            held = [li for li in citizen.find_elements(By.CSS_SELECTOR, "#licences li[data-number]")
                    if "出生医学证明" in li.text]
            check(len(held) == 1 and ".SHWJW001.310115HEALTH." in held[0].get_attribute("data-number"),
                  "the citizen holds the birth medical certificate the first leg issued"
                  + (f" ({held[0].get_attribute('data-number')})" if held else ""))
            page_ok("the citizen's licences")
            if held:
                held[0].find_element(By.CSS_SELECTOR, "a.licence-check-link").click()
                result = cwait.until(EC.presence_of_element_located((By.ID, "licence-result")))
                check(result.get_attribute("data-outcome") == "valid",
                      f"its check link verifies it ({result.get_attribute('data-outcome')})")
                page_ok("the licence check")
            worker = desk("police")
            worker.get(f"{base}/console/gov/applications/{household}")
            text = worker.find_element(By.TAG_NAME, "main").text
            check("出生医学证明" in text, "the police desk sees the birth medical certificate among the materials")
            approve("police", household, "SH-GA-0001")
            citizen.get(tracking)
            third = legs()
            for item in THIRD_WAVE:
                check(third.get(item, ("",))[0] == "submitted" and third[item][1],
                      f"the approval of 户口登记 releases {item} ({third.get(item)})")
            check(citizen.find_element(By.ID, "bundle-state").get_attribute("data-state") == "in_progress",
                  "the bundle is still in progress")
            page_ok("the tracking page after the second wave")

            # 城乡居民医保参保 needs two licences from two legs: both are attached, neither uploaded.
            enrolment = third.get("SH-YB-0001", (None, None))[1]
            if enrolment:
                citizen.get(f"{base}/console/citizen/applications/{enrolment}")
                text = citizen.find_element(By.TAG_NAME, "main").text
                check(".SHWJW001." in text and ".SHGA001." in text and "household_register" not in text,
                      "城乡居民医保参保 carries the birth certificate and the new household register as e-licences,"
                      " each by its number")
                page_ok("the enrolment leg's application page")

            # The remaining legs to the end: the bundle is completed.
            for item, unit in LAST_LEGS.items():
                if third.get(item, (None, None))[1]:
                    approve(unit, third[item][1], item)
            citizen.get(tracking)
            last = legs()
            check(all(state == "approved" for state, _ in last.values()),
                  f"every leg is approved ({ {k: v[0] for k, v in last.items()} })")
            state = citizen.find_element(By.ID, "bundle-state")
            check(state.get_attribute("data-state") == "completed" and "已全部办结" in state.text,
                  f"the bundle is completed ({state.text})")
            page_ok("the completed bundle's tracking page")
            if screenshots:
                citizen.save_screenshot(os.path.join(screenshots, "citizen-bundle-completed-phone.png"))
            citizen.get(base + "/console/citizen/licences")
            numbers = [li.get_attribute("data-number")
                       for li in citizen.find_elements(By.CSS_SELECTOR, "#licences li[data-number]")]
            # The four legs whose item produces a certificate (catalogue "produces") issued one licence each.
            issuers = sorted(n.split(".")[5] for n in numbers if len(n.split(".")) > 5)
            check(issuers == ["SHGA001", "SHRS001", "SHWJW001", "SHWJW002"],
                  f"the citizen holds one licence from each certificate-producing leg ({issuers})")
            page_ok("the citizen's licences at the end")

        # The data-access log shows the departments' reads.
        citizen.find_element(By.CSS_SELECTOR, 'header nav a[href="/console/citizen/access-log"]').click()
        table = cwait.until(EC.presence_of_element_located((By.ID, "access-log")))
        log = table.text
        for department in ("浦东新区卫生健康委员会", "浦东新区医疗保障局", "浦东公安分局", "上海市人力资源和社会保障局"):
            check(department in log, f"the data-access log lists a read by {department}")
        page_ok("the data-access log")
        if screenshots:
            citizen.save_screenshot(os.path.join(screenshots, "citizen-access-log-phone.png"))

        # The English tracking page.
        citizen.get(tracking + "?lang=en")
        state = citizen.find_element(By.ID, "bundle-state")
        english = {"in_progress": "In progress", "completed": "All done"}.get(state.get_attribute("data-state"), "?")
        check(english in state.text, f"the tracking page in English ({state.text})")
        wide = citizen.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"the English tracking page fits a 390-pixel phone (overflows by {wide} px)")
    finally:
        citizen.quit()
        for driver in desks.values():
            driver.quit()

"""The government-services story of issue #13 in headless Chromium, run by console_browser.py.

A citizen on a phone (390x844, touch) registers, finds 新生儿出生户口登记 by keyword, applies with a PDF upload; a
caseworker of 浦东公安分局 at a desktop (1920x1080) accepts it and asks for a completion; the citizen answers with a
new upload; the caseworker reviews, approves, issues and finishes; the citizen finds the e-licence on the licences
page, where its QR code, screenshot from the phone and read back by zbarimg (Debian's zbar-tools), carries exactly
the payload shown beside it; the citizen rates 不满意, sees the notices once, and the rectification case appears on
the department's case desk and in the rating statistics. Every citizen page is checked to fit the phone's width.
"""
import os
import random
import shutil
import subprocess
import tempfile
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def identity_number():
    """A valid GB 11643-1999 number (Pudong, born 1990-03-07, a random sequence so that re-runs register anew)."""
    first = "31011519900307" + f"{random.randint(0, 999):03d}"
    return first + "10X98765432"[sum(int(c) * w for c, w in zip(first, WEIGHTS)) % 11]


def detached(element):
    """Whether `element` has left the document. Selenium's staleness_of expects StaleElementReferenceException, but
    while a page is being replaced Chromium may answer "Node with given id does not belong to the document" instead
    (a plain WebDriverException, which broke one CI run): either means the old page is gone."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


def pdf_file(name):
    path = os.path.join(tempfile.mkdtemp(), name)
    with open(path, "wb") as out:
        out.write(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return path


def phone(driver):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})


def decode_qr(png):
    """The texts zbarimg reads from the QR codes in a PNG file, or None when zbarimg is not installed."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        return None
    result = subprocess.run([zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png],
                            capture_output=True, text=True, timeout=60)
    return [line for line in result.stdout.splitlines() if line]


def licence_qr_codes(citizen, check, fits, screenshots):
    """The citizen's licences page on the phone: each licence's QR code, screenshot as the phone shows it, decodes
    to the payload in the text area beside it."""
    items = citizen.find_elements(By.CSS_SELECTOR, "#licences li[data-number]")
    check(items != [], "the approved application's e-licence is on the licences page")
    fits("the licences page")
    if screenshots:
        citizen.save_screenshot(os.path.join(screenshots, "citizen-licences-phone.png"))
    for item in items:
        number = item.get_attribute("data-number")
        payload = item.find_element(By.CSS_SELECTOR, "textarea.licence-payload").get_attribute("value").strip()
        qr = item.find_elements(By.CSS_SELECTOR, "figure.qr-figure svg.qr")
        check(qr != [], f"licence {number} shows a QR code")
        if not qr:
            continue
        width = qr[0].size["width"]
        check(200 <= width <= 390, f"the QR code is sized for the phone ({width} px wide)")
        png = os.path.join(tempfile.mkdtemp(), "licence-qr.png")
        citizen.execute_script("arguments[0].scrollIntoView({block: 'center'})", qr[0])
        qr[0].screenshot(png)
        texts = decode_qr(png)
        check(texts is not None, "zbarimg is installed to read the QR code back (apt-get install zbar-tools)")
        if texts is not None:
            check(texts == [payload], f"the QR code of licence {number} reads back as the payload shown beside it "
                  f"({len(payload)} characters; read {[len(t) for t in texts]})")


def run(args, new_browser, check, screenshots=None):
    citizen = new_browser()
    phone(citizen)
    worker = new_browser()
    worker.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    base = args.base
    cwait, wwait = WebDriverWait(citizen, 10), WebDriverWait(worker, 10)

    def fits(what):
        wide = citizen.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"{what} fits a 390-pixel phone (overflows by {wide} px)")

    def submit(driver, wait, form):
        # Waits for the answer to replace the page (the old page's elements go stale first) and to finish loading,
        # so nothing is read from the page before or in between.
        form.find_element(By.CSS_SELECTOR, "button[type=submit], button").click()
        wait.until(lambda _: detached(form))
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    def act(action, reason=None):
        form = worker.find_element(By.CSS_SELECTOR, f'form.action[data-action="{action}"]')
        if reason:
            form.find_element(By.NAME, "reason").send_keys(reason)
        submit(worker, wwait, form)
        state = worker.find_element(By.ID, "application-state").get_attribute("data-state")
        return state

    try:
        # The citizen registers and finds the item by keyword.
        citizen.get(base + "/console/citizen/services")
        fits("the service search")
        citizen.find_element(By.CSS_SELECTOR, 'header nav a[href="/console/citizen/register"]').click()
        form = citizen.find_element(By.ID, "citizen-register")
        form.find_element(By.NAME, "name").send_keys("王小明")
        form.find_element(By.NAME, "identity_number").send_keys(identity_number()[:-1] + "Y")
        form.find_element(By.NAME, "phone").send_keys("13900139000")
        form.find_element(By.NAME, "password").send_keys("ci citizen pass 1")
        submit(citizen, cwait, form)
        error = citizen.find_elements(By.ID, "form-error")
        check(error != [] and "身份证号" in error[0].text, "a wrong identity number is refused in the page"
              + (f" ({error[0].text})" if error else ""))
        form = citizen.find_element(By.ID, "citizen-register")
        check(form.find_element(By.NAME, "name").get_attribute("value") == "王小明", "the typed name is kept")
        number = identity_number()
        form.find_element(By.NAME, "identity_number").send_keys(number)
        form.find_element(By.NAME, "password").send_keys("ci citizen pass 1")
        submit(citizen, cwait, form)
        notice = citizen.find_elements(By.ID, "form-notice")
        check(notice != [] and "登记已受理" in notice[0].text, "registering is received (no account revealed)")
        form = citizen.find_element(By.ID, "citizen-login")
        form.find_element(By.NAME, "identity_number").send_keys(number)
        form.find_element(By.NAME, "password").send_keys("ci citizen pass 1")
        submit(citizen, cwait, form)
        check(citizen.find_elements(By.ID, "citizen-name") != [], "the new account signs in")
        fits("my applications")
        citizen.get(base + "/console/citizen/services?lang=en")
        check("Find a service" in citizen.page_source and "A baby is born" in citizen.page_source,
              "the citizen's pages switch to English")
        fits("the English service search")
        citizen.get(base + "/console/citizen/services?lang=zh")
        search = citizen.find_element(By.NAME, "q")
        search.send_keys("户口登记")
        submit(citizen, cwait, citizen.find_element(By.ID, "service-search"))
        citizen.find_element(By.CSS_SELECTOR, 'a[data-code="SH-GA-0001"]').click()
        form = cwait.until(EC.presence_of_element_located((By.ID, "apply-form")))
        check("新生儿出生户口登记" in citizen.find_element(By.ID, "item-name").text, "the keyword finds the item")
        fits("the item's guide and form")
        if screenshots:
            citizen.save_screenshot(os.path.join(screenshots, "citizen-apply-phone.png"))
        form.find_element(By.CSS_SELECTOR, '#region-code option[value="310115"]').click()
        form.find_element(By.CSS_SELECTOR, 'input[data-material="declaration"]').send_keys(pdf_file("申报表.pdf"))
        submit(citizen, cwait, form)
        state = citizen.find_element(By.ID, "application-state").get_attribute("data-state")
        check(state == "submitted", f"the application is submitted with its upload ({state})")
        application_url = citizen.current_url
        application = application_url.rstrip("/").split("/")[-1]
        fits("the application's page")

        # The caseworker accepts it and asks for a completion.
        worker.get(base + "/console/login")
        worker.find_element(By.NAME, "username").send_keys(args.caseworker_username)
        worker.find_element(By.NAME, "password").send_keys(args.caseworker_password)
        worker.find_element(By.ID, "login-submit").click()
        wwait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "header .who")))
        worker.get(base + "/console/gov")
        rows = worker.find_elements(By.CSS_SELECTOR, f'#gov-queue a[data-id="{application.upper()}"]')
        check(rows != [], "the application is in the department's queue")
        worker.get(f"{base}/console/gov/applications/{application}")
        check(act("accept") == "accepted", "the caseworker accepts it")
        check(act("request_completion", "申报表签名缺失，请重新上传") == "returned_for_completion",
              "the caseworker asks for a completion with a reason")

        # The citizen sees the stopped clock and answers with a new upload.
        citizen.refresh()
        check(citizen.find_elements(By.ID, "clock-stopped") != [], "the citizen sees the clock stopped")
        check("申报表签名缺失" in citizen.find_element(By.ID, "reason").text, "the citizen sees what to complete")
        form = citizen.find_element(By.ID, "completion-form")
        form.find_element(By.CSS_SELECTOR, 'input[data-material="declaration"]').send_keys(pdf_file("v2.pdf"))
        submit(citizen, cwait, form)
        state = citizen.find_element(By.ID, "application-state").get_attribute("data-state")
        check(state == "accepted", f"the completion returns it to the caseworker ({state})")
        check(citizen.find_elements(By.ID, "clock-stops") != [], "the closed clock stop is listed")

        # The caseworker finishes it.
        worker.refresh()
        for action, expected in (("review", "under_review"), ("approve", "approved"), ("issue", "result_issued"),
                                 ("finish", "done")):
            state = act(action)
            check(state == expected, f"{action} → {state}")
        if screenshots:
            worker.save_screenshot(os.path.join(screenshots, "caseworker-review.png"))

        # The approval issued an e-licence: its QR code on the phone carries the payload.
        citizen.get(base + "/console/citizen/licences")
        licence_qr_codes(citizen, check, fits, screenshots)
        citizen.get(application_url)

        # The citizen rates 不满意 and reads the notices once.
        form = citizen.find_element(By.ID, "rating-form")
        form.find_element(By.CSS_SELECTOR, 'input[name="level"][value="dissatisfied"]').click()
        form.find_element(By.NAME, "comment").send_keys("补正要求不清楚，来回跑")
        submit(citizen, cwait, form)
        rating = citizen.find_elements(By.ID, "my-rating")
        check(rating != [] and "不满意" in rating[0].text, "the rating is shown, with its rectification case")
        check(citizen.find_elements(By.ID, "rating-form") == [], "a rated application offers no second rating")
        if screenshots:
            citizen.save_screenshot(os.path.join(screenshots, "citizen-rated-phone.png"))
        citizen.get(base + "/console/citizen/notifications")
        notices = citizen.find_element(By.ID, "notices").text
        check("待补正" in notices and "整改" in notices, "the notices tell the completion request and the rectification")
        fits("the notices")
        citizen.refresh()
        check(citizen.find_elements(By.ID, "no-notices") != [], "each notice is shown once")

        # The rectification case is on the department's desk and in the statistics.
        worker.get(base + "/console/cases")
        check("好差评·不满意" in worker.find_element(By.TAG_NAME, "main").text,
              "the rectification case appears on the department's case desk")
        worker.get(base + "/console/gov/stats")
        cells = [c.text for c in worker.find_elements(By.CSS_SELECTOR, "#stats-departments td.open-rectifications")]
        check(any(c != "0" for c in cells), f"the statistics count an open rectification ({cells})")
    finally:
        citizen.quit()
        worker.quit()

"""The personal status code story of issue #16 in headless Chromium, run by console_browser.py.

A citizen on a phone (390x844) registers and signs in; a mobile carrier sends a presence fact about them (their own
API key, scope facts_carrier); the status page shows 黄码 with its reason, until when and the carrier as the source
read, and a QR code that, screenshot from the phone and read back by zbarimg, carries exactly the code shown below
it; the checkpoint page finds that code valid (yellow) and a cut-short one malformed, in Chinese and English; the
citizen appeals and the page shows the appeal's case.
"""
import datetime
import json
import os
import tempfile
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

import gov_story


def send_fact(base, key, number):
    observed = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).isoformat()
    body = json.dumps({"facts": [{"source_id": "ci-" + number, "identity_number": number, "kind": "presence",
                                  "value": "high_risk_area", "observed_at": observed}]}).encode()
    request = urllib.request.Request(base + "/api/v1/status-facts/carrier", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": key})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def run(args, new_browser, check, screenshots=None):
    if not getattr(args, "facts_key", None):
        print("status story skipped: no --facts-key")
        return
    citizen = new_browser()
    gov_story.phone(citizen)
    wait = WebDriverWait(citizen, 10)
    base = args.base

    def submit(form):
        form.find_element(By.CSS_SELECTOR, "button[type=submit], button").click()
        wait.until(lambda _: gov_story.detached(form))
        wait.until(lambda d: d.execute_script("return document.readyState") == "complete")

    try:
        number = gov_story.identity_number()
        citizen.get(base + "/console/citizen/register")
        form = citizen.find_element(By.ID, "citizen-register")
        form.find_element(By.NAME, "name").send_keys("赵码")
        form.find_element(By.NAME, "identity_number").send_keys(number)
        form.find_element(By.NAME, "phone").send_keys("13900139001")
        form.find_element(By.NAME, "password").send_keys("ci citizen pass 1")
        submit(form)
        form = citizen.find_element(By.ID, "citizen-login")
        form.find_element(By.NAME, "identity_number").send_keys(number)
        form.find_element(By.NAME, "password").send_keys("ci citizen pass 1")
        submit(form)
        result = send_fact(base, args.facts_key, number)
        check(result.get("accepted") == 1, f"the carrier's fact is accepted ({result})")

        citizen.get(base + "/console/citizen/status")
        status = citizen.find_element(By.ID, "status")
        check(status.get_attribute("data-category") == "yellow", "the status is yellow after the carrier's fact")
        check("黄码" in citizen.find_element(By.ID, "status-category").text, "the page names 黄码")
        check("高风险地区" in citizen.find_element(By.ID, "status-reason").text, "the reason names the high-risk area")
        check("通信运营商" in citizen.find_element(By.ID, "status-sources").text, "the carrier is listed as read")
        wide = citizen.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        check(wide <= 0, f"the status page fits a 390-pixel phone (overflows by {wide} px)")
        code = citizen.find_element(By.ID, "status-code-text").get_attribute("value").strip()
        check(code.count(".") == 2, "the code is a compact JWS")
        qr = citizen.find_elements(By.CSS_SELECTOR, "#status-code figure.qr-figure svg")
        check(qr != [], "the status page shows a QR code")
        if qr:
            png = os.path.join(screenshots or tempfile.mkdtemp(), "citizen-status-phone.png")
            citizen.execute_script("arguments[0].scrollIntoView()", qr[0])
            citizen.save_screenshot(png)
            texts = gov_story.decode_qr(png)
            if texts is None:
                print("zbarimg not installed: QR content not decoded")
            else:
                check(texts == [code], "the QR code on the phone decodes to the code shown")

        citizen.find_element(By.ID, "status-check-link").click()
        wait.until(lambda d: d.find_elements(By.ID, "status-result"))
        result = citizen.find_element(By.ID, "status-result")
        check(result.get_attribute("data-outcome") == "valid" and "黄码" in result.text,
              "the checkpoint page finds the code valid and yellow")
        citizen.get(base + "/console/citizen/status-check?lang=en&code=" + code[:40])
        result = citizen.find_element(By.ID, "status-result")
        check(result.get_attribute("data-outcome") == "malformed" and "Malformed" in result.text,
              "a cut-short code is malformed, in English")

        citizen.get(base + "/console/citizen/status")
        form = citizen.find_element(By.CSS_SELECTOR, "#status-appeal form")
        form.find_element(By.NAME, "statement").send_keys("我没有去过该地区")
        submit(form)
        check(citizen.find_elements(By.ID, "appeal-case") != [], "the appeal's case is shown on the status page")
    finally:
        citizen.quit()

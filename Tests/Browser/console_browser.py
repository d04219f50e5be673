#!/usr/bin/env python3
"""Drives CityNet's operations console in real headless Chromium (Debian's chromium + chromedriver).

Against a running server (`citynet serve`) with an operator account and an API key:
  1. signs in through the login form,
  2. opens the city screen and checks the 16 districts and the panels are there, with Chinese text rendered,
  3. submits a hotline report through the API and checks it appears in the live feed within 2 seconds,
  4. opens that case from the feed, checks the complaint's <script> shows as text, acts on it (suspend with a note)
     and sees the new state and the timeline entry,
  5. signs out.
With --screenshots DIR it also saves the city screen and a case page at 1920x1080 as PNG.

Usage: console_browser.py --base http://127.0.0.1:8391 --username U --password P --api-key K [--screenshots DIR]
Exit status 0 when every check passed; each failed check is printed.
"""
import argparse
import json
import os
import sys
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

FAILURES = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        FAILURES.append(message)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1920,1080", "--lang=zh-CN", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def post_report(base, key, text):
    body = json.dumps({"text": text, "channel": "phone"}).encode()
    request = urllib.request.Request(base + "/api/v1/hotline/reports", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "X-API-Key": key})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--screenshots")
    args = parser.parse_args()

    driver = browser()
    # The page itself at 1920×1080 (a window of that size loses some height to its frame).
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    wait = WebDriverWait(driver, 10)
    try:
        driver.get(args.base + "/console")
        check("/console/login" in driver.current_url, "an anonymous visit is sent to the login page")
        driver.find_element(By.NAME, "username").send_keys(args.username)
        driver.find_element(By.NAME, "password").send_keys(args.password)
        driver.find_element(By.ID, "login-submit").click()
        wait.until(EC.presence_of_element_located((By.ID, "map")))
        check(driver.current_url.rstrip("/").endswith("/console"), "signing in opens the city screen")
        districts = driver.find_elements(By.CSS_SELECTOR, "#map path.district")
        check(len(districts) == 16, f"the map draws 16 districts (got {len(districts)})")
        check("一屏观全城" in driver.page_source and "浦东新区" in driver.page_source, "the screen is in Chinese")
        wait.until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
        check(True, "the live event stream is connected")

        text = "北蔡镇莲溪路小区楼上装修电钻声太吵<script>window.hacked=1</script>"
        sent = time.monotonic()
        report = post_report(args.base, args.api_key, text)
        case_id = report.get("case_id")
        check(case_id is not None, f"the report became case {case_id}")
        selector = f'#feed li[data-case="{case_id}"]'
        try:
            WebDriverWait(driver, 2, poll_frequency=0.05).until(
                EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
            seen = time.monotonic() - sent
            check(seen <= 2.0, f"the new case appeared in the live feed after {seen:.2f} s (limit 2 s)")
        except Exception:
            check(False, "the new case appeared in the live feed within 2 s")
        check(driver.execute_script("return window.hacked === undefined"), "markup in a complaint never runs")

        if args.screenshots:
            os.makedirs(args.screenshots, exist_ok=True)
            time.sleep(1.5)  # let the arrival highlight fade
            driver.save_screenshot(os.path.join(args.screenshots, "city-screen.png"))

        driver.find_element(By.CSS_SELECTOR, selector + " a").click()
        wait.until(EC.presence_of_element_located((By.ID, "case-description")))
        shown = driver.find_element(By.ID, "case-description").text
        check("<script>" in shown, "the case page shows the complaint's <script> as text")
        actions = [f.get_attribute("data-action") for f in driver.find_elements(By.CSS_SELECTOR, "form.action")]
        # A fresh database gives a dispatched case (suspend offered); a re-run may merge into the case suspended last
        # time (resume offered).
        action = "suspend" if "suspend" in actions else "resume"
        check(action in actions, f"the case page offers the operator's actions ({', '.join(actions)})")
        if args.screenshots:
            driver.save_screenshot(os.path.join(args.screenshots, "case-page.png"))
        form = driver.find_element(By.CSS_SELECTOR, f'form.action[data-action="{action}"]')
        form.find_element(By.NAME, "note").send_keys("等待产权单位确认")
        form.find_element(By.CSS_SELECTOR, "button").click()
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
        state = driver.find_element(By.ID, "case-state").get_attribute("data-state")
        check((state == "suspended") == (action == "suspend"), f"after {action} the case is {state}")
        check("等待产权单位确认" in driver.find_element(By.ID, "timeline").text, "the timeline shows the note")

        driver.find_element(By.CSS_SELECTOR, "header form button").click()
        wait.until(EC.presence_of_element_located((By.NAME, "username")))
        driver.get(args.base + "/console/cases/" + str(case_id))
        check("/console/login" in driver.current_url, "after signing out the case page needs a login again")
    finally:
        driver.quit()
    if FAILURES:
        print(f"{len(FAILURES)} console check(s) failed")
        return 1
    print("console: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

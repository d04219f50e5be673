"""Time windows, trend charts and CSV exports (CityNet issue 12 §4) in headless Chromium, called by
console_browser.py (or alone with --trends-only).

With the city operator signed in and a hotline case taken in today: the city screen's league is counted 今日, 近7天
and over a custom window of yesterday only (nothing received then, so the league changes); a reversed window is
refused on the page in Chinese; the trends page draws the received/closed chart with one point per day of the window
and the weekly rates chart with at most 12; the league and desk CSV files (downloaded with the session cookie) start
with the UTF-8 byte order mark and a header in the page's language; English labels with ?lang=en; axe on each page.
"""
import datetime
import time
import urllib.error
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

import axe_check

BOM = b"\xef\xbb\xbf"


def beijing_today():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).date()


def league_received(driver):
    """The league's cases received in the window (under first-dispatch accuracy; absent all-time)."""
    return sum(int(cell.text or 0) for cell in driver.find_elements(By.CSS_SELECTOR, "#league .received"))


def league_open(driver):
    return sum(int(cell.text or 0) for cell in driver.find_elements(By.CSS_SELECTOR, "#league td.open"))


def download(driver, base, path):
    """GET `path` with the browser's session cookie; returns (status, headers, body bytes)."""
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def choose(driver, wait, code):
    driver.find_element(By.CSS_SELECTOR, f'#window-options a[data-window="{code}"]').click()
    wait.until(lambda d: f"window={code}" in d.current_url)
    wait.until(EC.presence_of_element_located((By.ID, "league")))
    axe_check.scan(driver)


def run(driver, wait, args, check, post_report):
    base = args.base
    today = beijing_today()
    report = post_report(base, args.api_key, "浦东新区北蔡镇莲溪路路口井盖缺失，行人容易摔倒，请尽快处理")
    case_id = report.get("case_id")
    time.sleep(3)  # past the live feed's arrival highlight, which axe would catch mid-fade

    driver.get(base + "/console?lang=zh")
    wait.until(EC.presence_of_element_located((By.ID, "window-options")))
    check(league_open(driver) >= 1 and league_received(driver) == 0,
          "the all-time league shows open cases and no window counts")
    check(driver.find_element(By.CSS_SELECTOR, '#window-options a[data-window="all"]').get_attribute("aria-current")
          == "true", "the league starts all-time (累计)")

    choose(driver, wait, "today")
    span = driver.find_element(By.ID, "window-span").text
    check(str(today) in span and "北京时间" in span, f"今日 is today in Beijing time ({span})")
    received_today = league_received(driver)
    check(received_today >= 1, f"今日's league counts today's cases ({received_today})")
    district_link = driver.find_element(By.CSS_SELECTOR, "#league tbody a").get_attribute("href")
    check("window=today" in district_link, f"the league's district links keep the window ({district_link})")

    choose(driver, wait, "7d")
    check(str(today - datetime.timedelta(days=6)) in driver.find_element(By.ID, "window-span").text,
          "近7天 starts six days before today")
    week = league_received(driver)
    check(week >= received_today, f"近7天 counts at least today's cases ({week} ≥ {received_today})")

    yesterday = str(today - datetime.timedelta(days=1))
    driver.execute_script("document.getElementById('window-from').value = arguments[0];"
                          "document.getElementById('window-to').value = arguments[0];", yesterday)
    driver.find_element(By.ID, "window-apply").click()
    wait.until(lambda d: "window=custom" in d.current_url)
    axe_check.scan(driver)
    custom = league_received(driver)
    check(custom == 0 and custom != received_today,
          f"a custom window of yesterday alone changes the league (received {custom}, today {received_today})")

    driver.get(f"{base}/console?window=custom&from={today}&to={yesterday}&lang=zh")
    problem = driver.find_elements(By.ID, "window-problem")
    check(bool(problem) and f"截止日期 {yesterday} 早于起始日期 {today}" in problem[0].text,
          "a reversed window is refused on the page, in Chinese")
    axe_check.scan(driver)

    driver.get(base + "/console?window=7d&lang=zh")
    wait.until(EC.presence_of_element_located((By.ID, "trends-link")))
    driver.find_element(By.ID, "trends-link").click()
    wait.until(EC.presence_of_element_located((By.ID, "daily-chart")))
    check("window=7d" in driver.current_url, "the trends link keeps the window")
    daily = driver.find_element(By.ID, "daily-chart")
    check(daily.get_attribute("data-points") == "7" and daily.get_attribute("data-other-points") == "7",
          "the daily chart has a received and a closed point for each of the 7 days")
    check(daily.get_attribute("role") == "img" and driver.find_elements(By.CSS_SELECTOR, "#daily-chart title"),
          "the daily chart is an image with a title")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#daily-chart polyline")) >= 1, "the daily chart draws lines")
    rows = driver.find_elements(By.CSS_SELECTOR, "#daily-table tbody tr")
    check(len(rows) == 7, f"the daily chart's data table has 7 rows ({len(rows)})")
    weekly = driver.find_element(By.ID, "weekly-chart")
    # A fresh database has no case closed yet: its on-time line may be empty, first-dispatch accuracy is not.
    on_time, first = int(weekly.get_attribute("data-points")), int(weekly.get_attribute("data-other-points"))
    check(0 <= on_time <= 12 and 1 <= first <= 12,
          f"the weekly chart draws at most 12 weeks (on time {on_time}, first dispatch {first})")
    check(len(driver.find_elements(By.CSS_SELECTOR, "#weekly-table tbody tr")) == 12, "the weekly table has 12 weeks")
    axe_check.scan(driver)
    driver.get(base + "/console/trends?lang=en")
    wait.until(EC.presence_of_element_located((By.ID, "daily-chart")))
    check("Cases received and closed per day" in driver.page_source, "the trends page reads in English")
    check(driver.find_element(By.ID, "daily-chart").get_attribute("data-points") == "30",
          "without a window the trends page shows the last 30 days")
    axe_check.scan(driver)
    driver.get(base + "/console?window=7d&lang=en")
    active = driver.find_element(By.CSS_SELECTOR, '#window-options a[aria-current="true"]').text
    check(active == "Last 7 days", f"the window choice reads in English ({active})")

    status, headers, body = download(driver, base, "/console/league.csv?window=today&lang=zh")
    check(status == 200 and headers.get("Content-Type", "").startswith("text/csv"), "the league exports as CSV")
    check("attachment" in headers.get("Content-Disposition", ""), "the league CSV is a download")
    text = body[3:].decode("utf-8")
    lines = text.split("\r\n")
    check(body.startswith(BOM) and lines[0].startswith("区代码,区,统计时段,受理,结案"),
          f"the league CSV has a BOM and a Chinese header ({lines[0][:40]})")
    check(len([line for line in lines[1:] if line]) == 16, "the league CSV has a row per district")
    check(sum(int(line.split(",")[3]) for line in lines[1:] if line) == received_today,
          "the league CSV counts what the page counted today")
    status, headers, body = download(driver, base, "/console/cases.csv?lang=en")
    text = body[3:].decode("utf-8")
    check(status == 200 and text.startswith("Case,Category,Region,Responsible unit"),
          "the desk exports as CSV with an English header")
    if case_id:
        check(f"\r\n{case_id}," in text, f"the desk CSV holds case {case_id}")
    status, _, _ = download(driver, base, "/console/league.csv?window=custom&from=2020-01-01&to=2026-13-01")
    check(status == 400, f"a bad window for the league CSV is a 400 ({status})")
    driver.get(base + "/console/cases?lang=zh")
    link = driver.find_element(By.ID, "desk-csv").get_attribute("href")
    check("/console/cases.csv" in link, "the desk links its CSV export")

    # The league keeps every column in view with the window chooser, on a wall screen and a laptop.
    for width, height in ((1920, 1080), (1366, 768)):
        # As console_browser.metrics: the page's own size, without the window's frame.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        for lang, query in (("zh", ""), ("zh", "window=7d&"), ("en", "window=7d&")):
            driver.get(f"{base}/console?{query}lang={lang}")
            cut = driver.execute_script(
                "var t = document.querySelector('.league .scroll'); return t.scrollWidth - t.clientWidth")
            check(cut <= 0, f"the league ({lang}, {query or 'all time'}) shows every column at {width}x{height} (cut by {cut} px)")
            tall = driver.execute_script("return document.documentElement.scrollHeight - window.innerHeight")
            check(tall <= 0, f"the city screen ({lang}, {query or 'all time'}) fits {width}x{height} (overflows by {tall} px)")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
    driver.get(base + "/console?lang=zh")

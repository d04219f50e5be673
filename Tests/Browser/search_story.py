"""The console's search (CityNet issue 12 §2) in headless Chromium, called by console_browser.py.

With the city operator signed in and the hotline case just taken in (北蔡镇, 电钻 noise): the header's search box on
the case page finds the case by a two-character word, a case number typed exactly opens the case, the district filter
narrows (浦东新区 keeps it, 黄浦区 drops it), and refusals are precise on the page in Chinese and in English.
"""
import urllib.parse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC


def header_search(driver, wait, text):
    box = driver.find_element(By.CSS_SELECTOR, "header form.search-box input[name=q]")
    box.clear()
    box.send_keys(text)
    box.submit()
    wait.until(lambda d: "/console/search" in d.current_url or "/console/cases/" in d.current_url)


def run(driver, wait, args, check, case_id):
    base = args.base
    driver.get(f"{base}/console/cases/{case_id}?lang=zh")
    header_search(driver, wait, "电钻")
    wait.until(EC.presence_of_element_located((By.ID, "search-total")))
    hits = [r.get_attribute("data-case") for r in driver.find_elements(By.CSS_SELECTOR, "tr.search-hit")]
    check(str(case_id) in hits, f"the header's box finds case {case_id} by the two-character word 电钻 ({hits[:5]})")
    check("按来件时间从新到旧排列" in driver.find_element(By.ID, "search-total").text, "the results say their order")

    header_search(driver, wait, f"#{case_id}")
    wait.until(EC.presence_of_element_located((By.ID, "case-description")))
    check(driver.current_url.split("?")[0].endswith(f"/console/cases/{case_id}"),
          f"typing #{case_id} opens the case ({driver.current_url})")

    def results(**filters):
        query = urllib.parse.urlencode({"q": "电钻", **filters})
        driver.get(f"{base}/console/search?{query}")
        wait.until(EC.presence_of_element_located((By.ID, "search-form")))
        return [r.get_attribute("data-case") for r in driver.find_elements(By.CSS_SELECTOR, "tr.search-hit")]

    check(str(case_id) in results(district="310115"), "the 浦东新区 filter keeps the case")
    check(str(case_id) not in results(district="310101"), "the 黄浦区 filter drops it")
    results()
    driver.find_element(By.ID, "search-channel").find_element(By.CSS_SELECTOR, "option[value=hotline]").click()
    driver.find_element(By.CSS_SELECTOR, "#search-form button").click()
    wait.until(lambda d: "channel=hotline" in d.current_url)
    hits = [r.get_attribute("data-case") for r in driver.find_elements(By.CSS_SELECTOR, "tr.search-hit")]
    check(str(case_id) in hits, "the channel filter chosen in the form (12345热线) keeps the hotline case")

    driver.get(f"{base}/console/search?q=&lang=zh")
    problem = driver.find_elements(By.ID, "search-problem")
    check(bool(problem) and problem[0].text == "请输入要搜索的内容", "an empty search is refused in Chinese")
    driver.get(f"{base}/console/search?q=%E7%94%B5%E9%92%BB&channel=fax&lang=en")
    problem = driver.find_elements(By.ID, "search-problem")
    check(bool(problem) and "No channel is called 'fax'" in problem[0].text, "an unknown channel is refused in English")
    driver.get(f"{base}/console?lang=zh")

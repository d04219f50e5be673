"""The incident room (CityNet issue 15 §5) in headless Chromium, called by console_browser.py.

Runs the seed's ferry story through the API (the city operations centre declares the 申崇线 suspension at the 五洲大道
terminal and starts the ferry plan: tasks for transport, weather, traffic police and the Pudong centre, 100 buses
nearest first), then in the browser as the Pudong transport caseworker: finds the incident in the list, checks the
room's SVG map (district outline, incident area, depots, one dot per bus), tasks by unit, timeline and measured
times; accepts the transport task through its form (the traffic police's task offers it no form); sees the traffic
police's acceptance and the buses' dispatch arrive over the live stream without a reload (timeline and map dots);
then, in Chinese and in English, a refused acceptance of the police's task (worded from the message catalogue) on a
room holding no sentence of the other language apart from operators' own words (issue 12 §6), the English room and
a 390 px phone width. With INCIDENT_ROOM_BIN and INCIDENT_ROOM_DATABASE (CI sets them) it
also runs `citynet incident simulate ferry` on the server's database and checks the closed story's room shows the
times the command printed.
"""
import os
import re
import subprocess
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from gov_story import detached
from language_story import check_language


def declare_ferry(base, token, api):
    title = f"申崇线停航，五洲大道旅客滞留（浏览器测试 {int(time.time())}）"
    incident = api(base, "/api/v1/incidents", token=token, body={
        "type": "ferry_suspension", "level": "III", "title": title,
        "area": {"region_codes": ["310115"], "point": {"lat": 31.3520, "long": 121.6000}, "radius_m": 3000},
        "lead_unit_code": "310115.operations_centre", "assisting_unit_codes": ["310000.transport"]})
    plan = api(base, f"/api/v1/incidents/{incident['id']}/plans", token=token, body={})
    return incident["id"], plan


def refuse_police_task(driver, incident_id, task_id):
    """Posts the room's accept form for the traffic police's task, as a stale form would: another unit's task."""
    driver.execute_script(
        """const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];
        for (const [k, v] of [['task_id', arguments[1]],
            ['_csrf', document.querySelector('input[name=_csrf]').value]]) {
          const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v; f.appendChild(i); }
        document.body.appendChild(f); f.submit();""",
        f"/console/incidents/{incident_id}/accept", str(task_id))


def simulated_times():
    """Runs `citynet incident simulate ferry` on the live server's database when INCIDENT_ROOM_BIN and
    INCIDENT_ROOM_DATABASE name them; returns its printed times as the room shows them in Chinese
    ({label: "1 小时 47 分"}), or None."""
    binary, database = os.environ.get("INCIDENT_ROOM_BIN"), os.environ.get("INCIDENT_ROOM_DATABASE")
    if not binary or not database:
        return None
    printed = subprocess.run([binary, "incident", "simulate", "ferry", "--database", database], check=True,
                             capture_output=True, text=True, timeout=120).stdout
    times = {}
    for label, line in (("首次响应", "time to first response"), ("全部任务签收", "time to all tasks accepted"),
                        ("处置完毕", "time to resolution")):
        match = re.search(re.escape(line) + r"[^:]*:\s*(?:(\d+) h )?(\d+) min", printed)
        if match:
            hours, minutes = match.group(1), match.group(2)
            times[label] = f"{hours} 小时 {minutes} 分" if hours else f"{minutes} 分"
    return times


def run(args, browser, check, api, metrics, screenshots=None):
    base = args.base
    city = api(base, "/api/v1/sessions", body={"username": args.username, "password": args.password})["token"]
    police = api(base, "/api/v1/sessions", body={"username": args.traffic_username,
                                                 "password": args.traffic_password})["token"]
    incident_id, plan = declare_ferry(base, city, api)
    # 100 buses on a fresh database; fewer when an earlier run's incident still holds some of the pool.
    assigned = plan.get("resources_assigned") or 0
    check(plan.get("tasks_created") == 5 and plan.get("resources_requested") == 100 and assigned >= 1,
          f"the ferry plan gives 5 tasks and requests 100 buses ({plan.get('tasks_created')} tasks, {assigned} buses)")
    driver = browser()
    wait = WebDriverWait(driver, 10)
    room_url = f"{base}/console/incidents/{incident_id}"
    try:
        driver.get(base + "/console/incidents?lang=zh")
        driver.find_element(By.NAME, "username").send_keys(args.transport_username)
        driver.find_element(By.NAME, "password").send_keys(args.transport_password)
        driver.find_element(By.ID, "login-submit").click()
        wait.until(EC.presence_of_element_located((By.ID, f"incident-{incident_id}")))
        row = driver.find_element(By.ID, f"incident-{incident_id}")
        check("浦东新区城市运行管理中心" in row.text and "较大" in row.text,
              "the incident list shows the incident with its level and lead unit")
        row.find_element(By.CSS_SELECTOR, "a").click()
        wait.until(EC.presence_of_element_located((By.ID, "incident-room")))
        check(driver.current_url.startswith(room_url), "the list links to the incident room")

        districts = driver.find_elements(By.CSS_SELECTOR, "#ir-map path.district")
        dots = driver.find_elements(By.CSS_SELECTOR, "#ir-map circle.res")
        depots = driver.find_elements(By.CSS_SELECTOR, "#ir-map rect.depot")
        check(len(districts) == 1 and driver.find_elements(By.CSS_SELECTOR, "#ir-map circle.incident-area"),
              "the map draws Pudong's outline and the incident's area")
        check(len(dots) == assigned and len(depots) >= 1,
              f"the map shows one dot per bus and their depots ({len(dots)} dots, {len(depots)} depots)")
        box = driver.execute_script("var r = document.getElementById('ir-map').getBoundingClientRect();"
                                    "return [r.width, r.height]")
        check(box[0] > 300 and box[1] > 200, f"the map is laid out ({box[0]:.0f}x{box[1]:.0f} px)")
        scripts = [s.get_attribute("src") for s in driver.find_elements(By.TAG_NAME, "script")]
        check(all(src.startswith(base) for src in scripts), "no script from outside CityNet")

        units = {u.get_attribute("data-unit"): u
                 for u in driver.find_elements(By.CSS_SELECTOR, "#ir-tasks .unit-tasks")}
        check({"310115.transport", "310115.traffic_police", "310000.meteorology"} <= set(units),
              f"tasks are grouped by unit ({', '.join(sorted(units))})")
        transport = units.get("310115.transport")
        traffic = units.get("310115.traffic_police")
        check(transport is not None and transport.find_elements(By.CSS_SELECTOR, "form.accept-form"),
              "the transport caseworker is offered its own task's accept form")
        check(traffic is not None and not traffic.find_elements(By.CSS_SELECTOR, "form"),
              "the traffic police's task offers the transport caseworker no form")
        check(not driver.find_elements(By.ID, "close-form") and not driver.find_elements(By.CSS_SELECTOR, ".plan-form"),
              "an assisting unit is offered neither closing nor plans")
        timeline = driver.find_element(By.ID, "ir-timeline").text
        check("启动预案" in timeline and "事件发布" in timeline, "the timeline shows the declaration and the plan")
        check("尚未" in driver.find_element(By.ID, "ir-measures").text, "no time is measured before any acceptance")
        if screenshots:
            os.makedirs(screenshots, exist_ok=True)
            driver.save_screenshot(os.path.join(screenshots, "incident-room.png"))

        form = transport.find_element(By.CSS_SELECTOR, "form.accept-form")
        form.find_element(By.CSS_SELECTOR, "button").click()
        wait.until(lambda _: detached(form))
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
        task = driver.find_element(By.CSS_SELECTOR, '#ir-tasks [data-unit="310115.transport"] li.task')
        check(task.get_attribute("data-state") == "accepted", "accepting through the form accepts the task")
        measures = driver.find_element(By.ID, "ir-measures").text
        check("首次响应" in measures and "分" in measures.split("首次响应")[1].split("\n")[0],
              "the first response time is measured")

        # Live: another unit acts through the API; the open room shows it without a reload.
        wait.until(lambda d: "on" in d.find_element(By.ID, "live-dot").get_attribute("class"))
        driver.execute_script("window.__noReload = true;")
        detail = api(base, f"/api/v1/incidents/{incident_id}", token=city)
        police_task = next(t for t in detail["tasks"] if t["unit_code"] == "310115.traffic_police")
        sent = time.monotonic()
        api(base, f"/api/v1/incidents/{incident_id}/tasks/{police_task['id']}/accept", token=police, body={})
        try:
            WebDriverWait(driver, 5, poll_frequency=0.1).until(lambda d: d.find_element(
                By.CSS_SELECTOR, f'#task-{police_task["id"]}').get_attribute("data-state") == "accepted")
            check(driver.execute_script("return window.__noReload === true"),
                  f"the police's acceptance appeared live after {time.monotonic() - sent:.2f} s, without a reload")
        except Exception:
            check(False, "the police's acceptance appeared live within 5 s")
        check("签收任务" in driver.find_element(By.ID, "ir-timeline").text, "the timeline gained the acceptance")
        buses = [a["id"] for a in api(base, f"/api/v1/incidents/{incident_id}/assignments", token=city)]
        check(not driver.find_elements(By.CSS_SELECTOR, "#ir-map circle.res-dispatched"), "no bus is dispatched yet")
        api(base, f"/api/v1/incidents/{incident_id}/assignments/dispatch", token=city, body={"assignment_ids": buses})
        try:
            WebDriverWait(driver, 5, poll_frequency=0.1).until(
                lambda d: len(d.find_elements(By.CSS_SELECTOR, "#ir-map circle.res-dispatched")) == assigned)
            check(driver.execute_script("return window.__noReload === true"),
                  f"the map's {assigned} dots turned dispatched live, without a reload")
        except Exception:
            check(False, "the map's dots turned dispatched within 5 s")

        # The buses go back to the pool, so that a re-run on the same database finds them again.
        api(base, f"/api/v1/incidents/{incident_id}/assignments/release", token=city, body={"assignment_ids": buses})

        # Every word in the page's language (issue 12 §6): a refusal and the room around it, in each language.
        for language, expected in (("zh", "只能由其本单位签收和办结"), ("en", "only its own unit accepts and signs it off")):
            driver.get(f"{room_url}?lang={language}")
            wait.until(EC.presence_of_element_located((By.ID, "ir-timeline")))
            refuse_police_task(driver, incident_id, police_task["id"])
            wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
            flash = driver.find_element(By.CSS_SELECTOR, ".flash.error").text
            check(expected in flash, f"the room's refusal is in the page's language ({language}): {flash}")
            check_language(driver, check, language, "incident room with a refusal")

        driver.get(room_url + "?lang=en")
        source = driver.page_source
        check("Tasks by unit" in source and "Measured times" in source and "Timeline" in source
              and "各单位任务" not in source, "the English room is in English")
        check("Task accepted" in driver.find_element(By.ID, "ir-timeline").text, "the English timeline")

        metrics(driver, 390, 844)
        driver.get(room_url + "?lang=zh")
        wait.until(EC.presence_of_element_located((By.ID, "ir-map")))
        width = driver.execute_script("return document.documentElement.scrollWidth")
        map_width = driver.execute_script("return document.getElementById('ir-map').getBoundingClientRect().width")
        check(width <= 390 and map_width <= 390,
              f"the room fits a 390 px phone (page {width} px, map {map_width:.0f} px)")
        if screenshots:
            driver.save_screenshot(os.path.join(screenshots, "incident-room-phone.png"))
        simulated = simulated_times()
        if simulated is not None:
            closed = [i for i in api(base, "/api/v1/incidents?state=closed", token=city) if "模拟" in i["title"]]
            check(len(closed) >= 1 and len(simulated) == 3,
                  f"citynet incident simulate ferry ran on the live database ({simulated})")
            if closed:
                metrics(driver, 1920, 1080)
                driver.get(f"{base}/console/incidents/{closed[0]['id']}?lang=zh")
                rows = {r.find_element(By.TAG_NAME, "th").text: r.find_element(By.TAG_NAME, "td").text
                        for r in driver.find_elements(By.CSS_SELECTOR, "#ir-measures table.measures tr")}
                check(all(rows.get(k) == v for k, v in simulated.items()),
                      f"the simulated story's room shows the times it printed ({rows})")
                check(driver.find_element(By.ID, "ir-state").get_attribute("data-state") == "closed"
                      and not driver.find_elements(By.CSS_SELECTOR, "#ir-actions form"),
                      "the closed incident offers no actions")
    finally:
        driver.quit()

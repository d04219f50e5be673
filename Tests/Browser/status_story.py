"""The personal status code story of issue #16 in headless Chromium, run by console_browser.py.

A citizen on a phone (390x844) registers and signs in; a mobile carrier sends a presence fact about them (their own
API key, scope facts_carrier); the status page shows 黄码 with its reason, until when and the carrier as the source
read, and a QR code that, screenshot from the phone and read back by zbarimg, carries exactly the code shown below
it; the checkpoint page finds that code valid (yellow) and a cut-short one malformed, in Chinese and English; the
citizen appeals and the page shows the appeal's case.

The checkpoint offline (issue #16 §2, `offline_checkpoint`): the citizen's green code from before the carrier's fact
was revoked when they turned yellow. The checkpoint page is loaded once online (it fetches and caches the keys and
the revocation list), then Chromium is cut from the network (DevTools Network.emulateNetworkConditions offline) and
the page checks, in the browser: the yellow code valid (黄码), a tampered one, the revoked green one, one signed by
a key the issuer never published (made here with WebCrypto), two malformed strings, and the yellow code at a
checkpoint clock 8 minutes and an hour later (expired, replayed). The server's own request counter
(citynet_http_requests_total at /metrics, read from Python, not through the browser) must not move while the
browser is offline: no request reached the server. Reloaded offline, the page comes from its service worker and
still checks. axe checks the page with its results. Back online, the page refreshes the list by itself.
"""
import base64
import datetime
import json
import os
import subprocess
import tempfile
import time
import urllib.request

import axe_check

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


def served(base):
    """Requests the server has answered, from its own counter: {labels: count} for all routes but /metrics."""
    with urllib.request.urlopen(base + "/metrics", timeout=30) as response:
        text = response.read().decode()
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
            if line.startswith("citynet_http_requests_total{") and 'route="/metrics"' not in line}


def network(driver, offline):
    """Cuts (or restores) the network of the page and of every service worker (DevTools
    Network.emulateNetworkConditions): a page's emulation does not cover its service worker's own fetches, so the
    worker's target gets the same command through a session of its own."""
    conditions = {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", conditions)
    for target in driver.execute_cdp_cmd("Target.getTargets", {})["targetInfos"]:
        if target["type"] != "service_worker":
            continue
        session = driver.execute_cdp_cmd("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})
        for number, (method, params) in enumerate([("Network.enable", {}),
                                                   ("Network.emulateNetworkConditions", conditions)]):
            driver.execute_cdp_cmd("Target.sendMessageToTarget", {
                "sessionId": session["sessionId"],
                "message": json.dumps({"id": number + 1, "method": method, "params": params})})


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def claims_of(code):
    part = code.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# Signs the claims in arguments[0] with a fresh Ed25519 key the issuer never published (kid "stranger").
SIGN_WITH_STRANGER = """
var done = arguments[arguments.length - 1];
function b64u(bytes) {
  var s = ""; new Uint8Array(bytes).forEach(function (b) { s += String.fromCharCode(b); });
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
var enc = new TextEncoder();
var input = b64u(enc.encode(JSON.stringify({alg: "EdDSA", kid: "stranger", typ: "JWT"}))) + "." +
  b64u(enc.encode(JSON.stringify(arguments[0])));
crypto.subtle.generateKey({name: "Ed25519"}, false, ["sign", "verify"]).then(function (pair) {
  return crypto.subtle.sign({name: "Ed25519"}, pair.privateKey, enc.encode(input));
}).then(function (signature) { done(input + "." + b64u(signature)); }, function (e) { done("error " + e); });
"""

# The checkpoint's clock, shifted by arguments[0] milliseconds (0 restores it).
SHIFT_CLOCK = """
if (!Date.realNow) Date.realNow = Date.now;
var shift = arguments[0];
Date.now = function () { return Date.realNow() + shift; };
"""


def cli_verify(keys, listed, text):
    """`citynet code verify` on the same keys and list, when the story knows the binary (INCIDENT_ROOM_BIN, set by
    .ci/run and browser-local.sh): its outcome and its Chinese reason; None without the binary."""
    binary = os.environ.get("INCIDENT_ROOM_BIN")
    if not binary:
        return None
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "keys.json"), "w") as out:
        json.dump(keys, out)
    with open(os.path.join(folder, "list.jws"), "w") as out:
        out.write(listed)
    printed = subprocess.run([binary, "code", "verify", text, "--keys", os.path.join(folder, "keys.json"),
                              "--revocations", os.path.join(folder, "list.jws")],
                             capture_output=True, text=True, timeout=60).stdout
    lines = dict(line.split(": ", 1) for line in printed.splitlines() if ": " in line)
    reason = next((line[len("原因："):] for line in printed.splitlines() if line.startswith("原因：")), None)
    return lines.get("outcome"), reason


def offline_checkpoint(citizen, base, check, green, yellow):
    """The checkpoint page, loaded once online, then checking every kind of code with the network cut."""
    wait = WebDriverWait(citizen, 10)
    # The signed-in citizen opens the page with their code (the link on their status page): the copy the worker keeps
    # for offline use is fetched signed out and without the code, so a shared device never shows it to the next one.
    citizen.get(base + "/console/citizen/status-check?lang=zh&code=" + yellow)
    wait.until(lambda d: d.execute_script("return document.body.dataset.checkpointReady === 'true'"))
    copy = citizen.execute_async_script("""
        var done = arguments[arguments.length - 1];
        (function look(tries) {
          caches.open('citynet-status-check-v1').then(function (c) { return c.match('/console/citizen/status-check?lang=zh'); })
            .then(function (r) { return r ? r.text() : ''; })
            .then(function (text) { if (text || tries > 50) done(text); else setTimeout(function () { look(tries + 1); }, 100); },
                  function () { done(''); });
        })(0);""")
    check("status-check" in copy and yellow not in copy and "赵码" not in copy,
          "the page's offline copy holds neither the citizen's code nor their name")
    citizen.get(base + "/console/citizen/status-check?lang=zh")
    wait.until(lambda d: d.execute_script("return document.body.dataset.checkpointReady === 'true'"))
    cache = citizen.find_element(By.ID, "status-check-cache")
    check(cache.get_attribute("data-keys-fetched-at") != "" and cache.get_attribute("data-list-fetched-at") != "",
          f"online, the checkpoint page fetched and cached the keys and the revocation list ({cache.text})")
    stored = citizen.execute_script("return JSON.parse(localStorage.getItem('citynet.status-check.v1'))")
    check(bool(stored and stored["keys"]["set"]["keys"] and stored["list"]["list"].count(".") == 2
               and [c["code"] for c in stored["categories"]] == ["green", "yellow", "red"]),
          "localStorage holds the keys, the signed list and the categories")

    claims = claims_of(yellow)
    header, _, signature = yellow.split(".")
    tampered = ".".join([header, b64url(json.dumps(dict(claims, st="green"), separators=(",", ":")).encode()),
                         signature])
    stranger = citizen.execute_async_script(SIGN_WITH_STRANGER, claims)
    check(stranger.count(".") == 2, "a code signed with a key the issuer never published is made")

    wait.until(lambda d: d.execute_async_script("""
        var done = arguments[arguments.length - 1];
        if (!navigator.serviceWorker.controller) return done(false);
        caches.open('citynet-status-check-v1').then(function (c) { return c.keys(); })
          .then(function (keys) { done(keys.some(function (r) { return r.url.indexOf('status-check?lang=zh') > 0; })); });"""))
    check(True, "a service worker controls the checkpoint page and keeps a copy of it")

    before = served(base)
    network(citizen, offline=True)
    try:
        gone = citizen.execute_async_script("""
            var done = arguments[arguments.length - 1];
            fetch('/api/v1/status-code-keys', {cache: 'no-store'})
              .then(function () { done('reached'); }, function () { done(navigator.onLine ? 'failed' : 'offline'); });""")
        check(gone == "offline", f"the browser is offline: a fetch fails and navigator.onLine is false ({gone})")
        wait.until(lambda d: "离线" in d.find_element(By.ID, "status-check-cache").text)
        check(True, "the page says it is offline and when the keys and the list were refreshed")

        def verify(text, expected, label, shift=0):
            citizen.execute_script(SHIFT_CLOCK, shift)
            old = citizen.find_elements(By.ID, "status-result")
            citizen.execute_script("document.querySelector('#status-check textarea').value = arguments[0]", text)
            citizen.find_element(By.CSS_SELECTOR, "#status-check button[type=submit]").click()
            wait.until(lambda d: (not old or gov_story.detached(old[0]))
                       and d.find_elements(By.CSS_SELECTOR, "#status-result[data-checked-by=browser]"))
            result = citizen.find_element(By.ID, "status-result")
            outcome = result.get_attribute("data-outcome")
            check(outcome == expected, f"offline, {label}: {expected} (got {outcome}: {result.text})")
            cli = cli_verify(stored["keys"]["set"], stored["list"]["list"], text) if shift == 0 else None
            if cli is not None:
                reason = citizen.find_element(By.ID, "status-result-reason").text
                check(cli == (outcome, reason), f"`citynet code verify` says the same ({cli[0]}: {cli[1]})")
            return result

        result = verify(yellow, "valid", "the yellow code is valid")
        check("黄码" in result.text and result.get_attribute("data-category") == "yellow"
              and result.get_attribute("data-revocation") == "checked",
              "offline, the valid code shows 黄码 and a checked revocation list")
        axe_check.scan(citizen, "/console/citizen/status-check offline valid [zh]")
        result = verify(tampered, "tampered", "a code whose status was changed to green is tampered")
        check("篡改" in result.text, "the tampered code's reason says it was altered")
        result = verify(green, "revoked", "the green code revoked by the category change (cached list)")
        check("撤销" in result.text, "the revoked code's reason says so")
        axe_check.scan(citizen, "/console/citizen/status-check offline refused [zh]")
        result = verify(stranger, "unknown_key", "a code signed by an unknown key")
        check("stranger" in result.text, "the unknown key's id is named")
        verify(yellow[:40], "malformed", "a cut-short code")
        verify("https://example.com/not-a-code", "malformed", "a URL from another QR code")
        numbered = b64url(json.dumps({"alg": "EdDSA", "kid": 5}).encode()) + yellow[len(header):]
        verify(numbered, "malformed", "a code whose header's key id is a number")
        result = verify(yellow, "expired", "the yellow code at a clock 8 minutes later", shift=8 * 60 * 1000)
        check("请刷新" in result.text, "the expired code's reason asks for a refresh")
        verify(yellow, "replayed", "the yellow code at a clock an hour later", shift=3600 * 1000)
        verify(yellow, "not_yet_valid", "the yellow code at a clock an hour earlier", shift=-3600 * 1000)
        # The cached list past its own exp: still used, the code still judged, the list called stale.
        listed = claims_of(stored["list"]["list"])
        at = listed["exp"] + 2
        late = verify(yellow, "valid" if at <= claims["exp"] + 60 else "expired",
                      f"the yellow code with the cached list {at - listed['exp']} s past its exp",
                      shift=int(at * 1000 - time.time() * 1000))
        if late.get_attribute("data-outcome") == "valid":
            check(late.get_attribute("data-revocation") == "stale" and "过期的撤销列表" in late.text,
                  "a list past its exp is used and called stale, as `citynet code verify` does")
        # The page reopens with the network still gone (from the service worker) and still checks.
        citizen.refresh()
        wait.until(lambda d: d.execute_script("return document.body.dataset.checkpointReady === 'true'"))
        check("离线" in citizen.find_element(By.ID, "status-check-cache").text,
              "offline, the reloaded page comes from the service worker and says it is offline")
        verify(yellow, "valid", "after a reload, the yellow code is still valid")
        listed = citizen.find_element(By.ID, "status-check-cache").get_attribute("data-list-fetched-at")
        after = served(base)
        moved = {labels: after[labels] - before.get(labels, 0) for labels in after
                 if after[labels] != before.get(labels, 0)}
        check(not moved, f"no request reached the server while offline ({sum(before.values()):.0f} → "
                         f"{sum(after.values()):.0f} served; changed: {moved})")
    finally:
        network(citizen, offline=False)
    wait.until(lambda d: d.find_element(By.ID, "status-check-cache").get_attribute("data-list-fetched-at") != listed
               and "离线" not in d.find_element(By.ID, "status-check-cache").text)
    check(True, "back online, the page refreshes the revocation list by itself")


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
        citizen.get(base + "/console/citizen/status")
        check(citizen.find_element(By.ID, "status").get_attribute("data-category") == "green",
              "with no facts the status is green")
        green = citizen.find_element(By.ID, "status-code-text").get_attribute("value").strip()
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
            folder = screenshots or tempfile.mkdtemp()
            os.makedirs(folder, exist_ok=True)  # the first screenshot of a --status-only run
            png = os.path.join(folder, "citizen-status-phone.png")
            citizen.execute_script("arguments[0].scrollIntoView()", qr[0])
            citizen.save_screenshot(png)
            texts = gov_story.decode_qr(png)
            if texts is None:
                print("zbarimg not installed: QR content not decoded")
            else:
                check(texts == [code], f"the QR code on the phone decodes to the code shown (read {texts})")

        citizen.find_element(By.ID, "status-check-link").click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#status-result[data-checked-by=browser]"))
        result = citizen.find_element(By.ID, "status-result")
        check(result.get_attribute("data-outcome") == "valid" and "黄码" in result.text,
              "the checkpoint page finds the code valid and yellow, checked in the browser")
        citizen.get(base + "/console/citizen/status-check?lang=en&code=" + code[:40])
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#status-result[data-checked-by=browser]"))
        result = citizen.find_element(By.ID, "status-result")
        check(result.get_attribute("data-outcome") == "malformed" and "Malformed" in result.text,
              "a cut-short code is malformed, in English")
        offline_checkpoint(citizen, base, check, green, code)

        citizen.get(base + "/console/citizen/status")
        form = citizen.find_element(By.CSS_SELECTOR, "#status-appeal form")
        form.find_element(By.NAME, "statement").send_keys("我没有去过该地区")
        submit(form)
        check(citizen.find_elements(By.ID, "appeal-case") != [], "the appeal's case is shown on the status page")
    finally:
        citizen.quit()

#!/usr/bin/env python3
"""Two CityNet nodes behind nginx on one PostgreSQL database: the city-deployment test of `.ci/run`.

Migrates the database once (`citynet migrate`), creates an API key and an operator, starts two `citynet serve` nodes
(CITYNET_AUTO_MIGRATE=false, CITYNET_ESCALATION_SECONDS=1) and nginx in front of them (Tests/Cluster/nginx.conf), all
on loopback, then shows:
  (a) Open311 requests and hotline calls posted through node A, node B and nginx are all stored;
  (b) overdue cases are escalated exactly once each although both nodes run the escalation loop (one holds the lease);
  (c) a console stream (SSE, /console/events) on node A, and one through nginx, sees a case posted through node B
      within 2 s;
  (d) with posts streaming through nginx, the node holding the background leases is killed with SIGKILL: every report
      answered 201 is in the database, the other node keeps serving, and it takes the escalation lease over.
Prints the figures and exits 1 on any failure. Uses `requests`, the standard library, `psql` and `nginx`.

Usage: two_nodes.py --bin .build/debug/citynet --database-url postgres://postgres@127.0.0.1:54329/citynet_cluster \
           [--ports 8421,8422,8423] [--work DIR]
The database must be empty or already migrated by CityNet; the ports are nginx, node A, node B.
"""
import argparse
import base64
import json
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
# Places in Shanghai (WGS84) and what is wrong there: each request is located and dispatched like a citizen's.
PLACES = [
    (31.2304, 121.4737, "黄浦区人民大道200号"),
    (31.2397, 121.4998, "浦东新区陆家嘴环路1000号"),
    (31.1955, 121.4365, "徐汇区漕溪北路"),
    (31.2235, 121.4455, "静安区南京西路1686号"),
]
SERVICES = [("road.ponding", "路面积水约20厘米"), ("noise.construction", "工地夜间施工噪音"),
            ("parking.fire_lane", "消防通道被车辆堵塞")]
CALLS = [
    "北蔡镇莲溪路一小区楼上装修，每天早上七点就开始电钻声",
    "南京东路街道福州路上的窨井盖缺失，行人很危险",
    "徐家汇街道漕溪北路路口红绿灯坏了，车辆乱穿",
    "陆家嘴街道东昌路有餐馆油烟直排，气味很大",
]

# The nodes' shared identity key (CITYNET_IDENTITY_KEY) unless the environment names one.
IDENTITY_KEY = base64.b64encode(secrets.token_bytes(32)).decode()
# The nodes' shared licence signing key (CITYNET_LICENCE_KEYS, lines 'KEY_ID BASE64') unless the environment names
# one: PostgreSQL refuses to start without it, and a licence signed on one node must verify on the other.
LICENCE_KEYS = "cluster1 " + base64.b64encode(secrets.token_bytes(32)).decode()
# The same for personal status codes (issue #16).
STATUS_CODE_KEYS = "clustercode1 " + base64.b64encode(secrets.token_bytes(32)).decode()


class Failure(Exception):
    pass


class Cluster:
    def __init__(self, args):
        self.args = args
        self.url = args.database_url
        self.nginx_port, self.port_a, self.port_b = args.ports
        self.work = args.work or tempfile.mkdtemp(prefix="citynet-cluster.")
        os.makedirs(self.work, exist_ok=True)
        os.chmod(self.work, 0o755)  # nginx's workers (user nobody when started as root) look inside
        self.nodes = {}  # name -> Popen
        self.nginx = None
        self.run_id = secrets.token_hex(3)
        self.figures = []
        self.failures = []

    # -- processes --------------------------------------------------------------------------------------------------

    def env(self, **extra):
        # One identity key and one licence key ring on every node: PostgreSQL refuses to start without them.
        env = dict(os.environ, DATABASE_URL=self.url, CITYNET_AUTO_MIGRATE="false",
                   CITYNET_IDENTITY_KEY=os.environ.get("CITYNET_IDENTITY_KEY", IDENTITY_KEY),
                   CITYNET_LICENCE_KEYS=os.environ.get("CITYNET_LICENCE_KEYS", LICENCE_KEYS),
                   CITYNET_STATUS_CODE_KEYS=os.environ.get("CITYNET_STATUS_CODE_KEYS", STATUS_CODE_KEYS))
        env.update(extra)
        return env

    def citynet(self, *arguments, env=None):
        result = subprocess.run([self.args.bin, *arguments], env=env or self.env(), capture_output=True, text=True,
                                timeout=180)
        if result.returncode != 0:
            raise Failure(f"citynet {' '.join(arguments[:2])} failed: {result.stderr[-2000:]}")
        return result.stdout

    def psql(self, sql):
        result = subprocess.run(["psql", self.url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True,
                                text=True, timeout=60)
        if result.returncode != 0:
            raise Failure(f"psql failed: {result.stderr.strip()} in {sql[:200]}")
        return [line.split("|") for line in result.stdout.splitlines() if line]

    def start_node(self, name, port):
        log = open(os.path.join(self.work, f"node-{name}.log"), "w")
        process = subprocess.Popen(
            [self.args.bin, "serve", "--hostname", "127.0.0.1", "--port", str(port)], stdout=log,
            stderr=subprocess.STDOUT, env=self.env(CITYNET_ESCALATION_SECONDS="1"), start_new_session=True)
        with open(os.path.join(self.work, f"node-{name}.pid"), "w") as pid_file:
            pid_file.write(str(process.pid))
        self.nodes[name] = process
        return process

    def start_nginx(self):
        with open(self.args.nginx_conf, encoding="utf-8") as template:
            text = string.Template(template.read()).safe_substitute(
                prefix=self.work, listen=self.nginx_port, node_a=self.port_a, node_b=self.port_b)
        if "${" in text:
            raise Failure(f"nginx.conf has a field two_nodes.py does not fill: {re.findall(r'[$][{][^}]*[}]', text)}")
        conf = os.path.join(self.work, "nginx.conf")
        with open(conf, "w", encoding="utf-8") as out:
            out.write(text)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.nginx = subprocess.Popen(
            [nginx, "-p", self.work, "-c", conf, "-e", os.path.join(self.work, "nginx-error.log")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work, "nginx-stderr.log"), "w"),
            start_new_session=True)

    def wait_healthy(self, base, seconds=120, process=None):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if process is not None and process.poll() is not None:
                raise Failure(f"{base} exited with status {process.returncode} before it was healthy")
            try:
                if requests.get(f"{base}/health", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise Failure(f"{base}/health did not answer 200 within {seconds} s")

    def stop(self):
        processes = [p for p in [self.nginx, *self.nodes.values()] if p is not None and p.poll() is None]
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for name in self.nodes:  # .ci/run's clean-up kills what these still name
            pid_file = os.path.join(self.work, f"node-{name}.pid")
            if os.path.exists(pid_file):
                os.remove(pid_file)

    # -- traffic ----------------------------------------------------------------------------------------------------

    def base(self, port):
        return f"http://127.0.0.1:{port}"

    def post_open311(self, session, port, number, marker=None):
        lat, lon, address = PLACES[number % len(PLACES)]
        code, words = SERVICES[number % len(SERVICES)]
        marker = marker or f"cl{self.run_id}-{number}"
        response = session.post(f"{self.base(port)}/open311/v2/requests.json", timeout=15, data={
            "api_key": self.key, "service_code": code, "lat": f"{lat}", "long": f"{lon}",
            "address_string": address, "description": f"{marker} {words}"})
        return response.status_code, (int(response.json()[0]["service_request_id"]) if response.status_code == 201
                                      else None)

    def post_call(self, session, port, number):
        response = session.post(f"{self.base(port)}/api/v1/hotline/reports", timeout=15, headers={
            "X-API-Key": self.key}, json={"text": f"{CALLS[number % len(CALLS)]}（{self.run_id}-{number}）",
                                          "channel": "phone"})
        return response.status_code, (response.json()["id"] if response.status_code == 201 else None)

    def stored(self, ids):
        if not ids:
            return 0
        return int(self.psql(f"SELECT count(*) FROM reports WHERE id IN ({','.join(map(str, set(ids)))})")[0][0])

    def check(self, condition, message):
        if not condition:
            self.failures.append(message)
            print(f"FAIL {message}", flush=True)

    def figure(self, text):
        self.figures.append(text)
        print(f"  {text}", flush=True)

    # -- the checks -------------------------------------------------------------------------------------------------

    def setup(self):
        print("cluster: migrate once, API key, operator", flush=True)
        self.citynet("migrate", "--yes", env=self.env())
        self.key = self.citynet("apikey", "create", "--name", f"cluster {self.run_id}", "--scope",
                                "open311,hotline").strip().splitlines()[-1]
        self.username, self.password = f"cluster.{self.run_id}", f"cluster pass {self.run_id}"
        self.citynet("operator", "create", "--username", self.username, "--unit", "310000.operations_centre",
                     "--role", "city_operator", "--password", self.password)
        print("cluster: two nodes and nginx", flush=True)
        self.start_node("a", self.port_a)
        self.start_node("b", self.port_b)
        self.wait_healthy(self.base(self.port_a), process=self.nodes["a"])
        self.wait_healthy(self.base(self.port_b), process=self.nodes["b"])
        self.start_nginx()
        self.wait_healthy(self.base(self.nginx_port), seconds=20, process=self.nginx)

    def reports_through_either_node(self):
        print("(a) reports posted through node A, node B and nginx", flush=True)
        session = requests.Session()
        acknowledged, by_route, number = [], Counter(), 0
        for route, port in [("node A", self.port_a), ("node B", self.port_b), ("nginx", self.nginx_port)]:
            for _ in range(10):
                for post in (self.post_open311, self.post_call):
                    status, report = post(session, port, number)
                    number += 1
                    self.check(status == 201, f"{route}: {post.__name__} answered {status}")
                    if report is not None:
                        acknowledged.append(report)
                        by_route[route] += 1
        found = self.stored(acknowledged)
        upstreams = Counter(re.findall(r"upstream=127\.0\.0\.1:(\d+)",
                                       open(os.path.join(self.work, "nginx-access.log")).read()))
        self.figure(f"reports acknowledged {len(acknowledged)} (node A {by_route['node A']}, node B "
                    f"{by_route['node B']}, nginx {by_route['nginx']}: to A {upstreams.get(str(self.port_a), 0)}, "
                    f"to B {upstreams.get(str(self.port_b), 0)}), found in the database {found}")
        self.check(found == len(set(acknowledged)) == 60, f"(a) {found} of {len(acknowledged)} reports found")
        self.check(upstreams.get(str(self.port_a), 0) > 0 and upstreams.get(str(self.port_b), 0) > 0,
                   "(a) nginx did not use both nodes")
        self.open311_reports = acknowledged[0::2]

    def case_ids(self, report_ids):
        rows = self.psql(f"SELECT DISTINCT case_id FROM reports WHERE case_id IS NOT NULL AND id IN "
                         f"({','.join(map(str, report_ids))})")
        return [int(row[0]) for row in rows]

    def make_overdue(self, cases):
        self.psql(f"UPDATE cases SET escalate_at = now() - interval '1 minute' WHERE id IN "
                  f"({','.join(map(str, cases))}) AND state <> 'closed' AND suspended_since IS NULL")

    def escalations(self, cases):
        rows = self.psql(f"SELECT case_id, count(*) FROM case_events WHERE action = 'escalate' AND case_id IN "
                         f"({','.join(map(str, cases))}) GROUP BY case_id")
        return {int(case): int(count) for case, count in rows}

    def log(self, name):
        with open(os.path.join(self.work, f"node-{name}.log"), encoding="utf-8", errors="replace") as log:
            return log.read()

    def escalated_in_log(self, name):
        return self.log(name).count("case escalated")

    def one_escalation_per_overdue_case(self):
        print("(b) overdue cases, escalation loop every 1 s on both nodes", flush=True)
        cases = self.case_ids(self.open311_reports)
        before = {name: self.escalated_in_log(name) for name in self.nodes}
        self.make_overdue(cases)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(self.escalations(cases)) < len(cases):
            time.sleep(0.5)
        time.sleep(4)  # several more passes on each node: none may escalate a case again
        counts = self.escalations(cases)
        by_node = {name: self.escalated_in_log(name) - before[name] for name in self.nodes}
        duplicates = sum(1 for count in counts.values() if count > 1)
        self.figure(f"overdue cases {len(cases)}, escalated {len(counts)}, escalate events {sum(counts.values())}, "
                    f"cases escalated more than once {duplicates}; escalations logged by node A {by_node['a']}, "
                    f"node B {by_node['b']}")
        self.check(len(cases) >= 10 and len(counts) == len(cases), f"(b) {len(counts)} of {len(cases)} escalated")
        self.check(duplicates == 0, f"(b) {duplicates} cases escalated more than once")
        self.check(min(by_node.values()) == 0, "(b) both nodes escalated cases (the lease did not hold)")
        takers = [name for name in self.nodes if "lease taken: this node runs escalation sweep" in self.log(name)]
        self.figure(f"escalation lease taken by node(s) {', '.join(takers).upper() or 'none'}")
        self.check(len(takers) == 1, f"(b) the escalation lease was taken by {takers}, not by exactly one node")

    def console_session(self, port):
        session = requests.Session()
        page = session.get(f"{self.base(port)}/console/login", timeout=10)
        token = session.cookies.get("citynet_login_csrf")
        if page.status_code != 200 or not token:
            raise Failure(f"console login page: {page.status_code}, no CSRF cookie")
        response = session.post(f"{self.base(port)}/console/login", allow_redirects=False, timeout=20, data={
            "username": self.username, "password": self.password, "_csrf": token, "next": "/console"})
        if response.status_code not in (302, 303) or not session.cookies.get("citynet_session"):
            raise Failure(f"console sign-in answered {response.status_code} without a session cookie")
        return session

    def stream(self, session, port, seen, ready):
        """Reads /console/events into `seen` (description -> arrival time) until the response is closed."""
        response = session.get(f"{self.base(port)}/console/events", stream=True, timeout=(5, 60))
        if response.status_code != 200:
            ready.set()
            return response
        event = None
        def read():
            nonlocal event
            try:
                for line in response.iter_lines(chunk_size=1, decode_unicode=True):
                    if line.startswith("event: "):
                        event = line[7:]
                        if event == "session":
                            ready.set()
                    elif line.startswith("data: ") and event == "case":
                        marker = json.loads(line[6:]).get("description", "").split(" ", 1)[0]
                        seen.setdefault(marker, time.monotonic())
            except Exception:  # closed by the test
                pass
        threading.Thread(target=read, daemon=True).start()
        return response

    def stream_sees_the_other_node(self):
        print("(c) console streams on node A and through nginx; cases posted through node B", flush=True)
        session = self.console_session(self.port_a)
        streams = {}
        for route, port in [("node A", self.port_a), ("nginx", self.nginx_port)]:
            seen, ready = {}, threading.Event()
            response = self.stream(session, port, seen, ready)
            self.check(response.status_code == 200, f"(c) stream on {route} answered {response.status_code}")
            self.check(ready.wait(10), f"(c) stream on {route} sent no session event")
            streams[route] = (response, seen)
        time.sleep(1.5)  # the feed starts from the newest event at its first read
        latencies = {route: [] for route in streams}
        poster = requests.Session()
        for number in range(5):
            marker = f"sse{self.run_id}{number}"
            start = time.monotonic()
            status, _ = self.post_open311(poster, self.port_b, 1000 + number, marker=marker)
            self.check(status == 201, f"(c) post through node B answered {status}")
            deadline = start + 5
            while time.monotonic() < deadline and not all(marker in s for _, s in streams.values()):
                time.sleep(0.02)
            for route, (_, seen) in streams.items():
                latencies[route].append(seen[marker] - start if marker in seen else None)
            time.sleep(0.3)
        for route, values in latencies.items():
            missing = sum(1 for value in values if value is None)
            worst = max((value for value in values if value is not None), default=float("nan"))
            self.figure(f"stream on {route}: {len(values) - missing} of {len(values)} cases posted through node B "
                        f"seen, slowest after {worst:.2f} s")
            self.check(missing == 0 and worst <= 2.0, f"(c) stream on {route}: {missing} missed, slowest {worst:.2f} s")
        for response, _ in streams.values():
            response.close()

    def lease_holders(self):
        rows = self.psql("SELECT a.application_name, count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                         "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() "
                         "AND a.application_name LIKE 'citynet lease pid %' GROUP BY 1")
        pids = {str(process.pid): name for name, process in self.nodes.items()}
        return {pids.get(name.rsplit(" ", 1)[-1], name): int(count) for name, count in rows}

    def failover(self):
        print("(d) SIGKILL of the lease holder while posts stream through nginx", flush=True)
        holders = self.lease_holders()
        self.figure(f"leases held before the kill: {holders}")
        self.check(len(holders) >= 1 and set(holders) <= set(self.nodes), f"(d) unexpected lease holders {holders}")
        victim = max(holders, key=holders.get) if holders else "a"
        survivor = "b" if victim == "a" else "a"
        results, lock = [], threading.Lock()
        stop = threading.Event()
        def worker(index):
            session, number = requests.Session(), 0
            while not stop.is_set():
                post = self.post_open311 if number % 2 == 0 else self.post_call
                try:
                    status, report = post(session, self.nginx_port, 20000 + index * 10000 + number)
                except (requests.RequestException, ValueError) as error:
                    status, report = type(error).__name__, None
                with lock:
                    results.append((time.monotonic(), post.__name__, status, report, 20000 + index * 10000 + number))
                number += 1
        threads = [threading.Thread(target=worker, args=(index,), daemon=True) for index in range(4)]
        start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(3)
        os.kill(self.nodes[victim].pid, signal.SIGKILL)
        killed_at = time.monotonic()
        self.nodes[victim].wait(timeout=10)
        while time.monotonic() - killed_at < 5 and len(results) < 2000:
            time.sleep(0.1)
        stop.set()
        for thread in threads:
            thread.join(timeout=20)
        acknowledged = [report for _, _, status, report, _ in results if status == 201]
        errors = Counter(str(status) for _, _, status, _, _ in results if status != 201)
        late_errors = [r for r in results if r[2] != 201 and r[0] > killed_at + 1]
        after = sum(1 for at, _, status, _, _ in results if status == 201 and at > killed_at)
        found = self.stored(acknowledged)
        # A report stored just before the node died may have had no answer: stored, but not acknowledged.
        unanswered = [number for _, _, status, _, number in results if status != 201]
        stored_anyway = sum(int(self.psql(
            f"SELECT count(*) FROM reports WHERE description LIKE 'cl{self.run_id}-{number} %' "
            f"OR description LIKE '%（{self.run_id}-{number}）'")[0][0]) for number in unanswered)
        self.figure(f"node {victim.upper()} killed after {killed_at - start:.1f} s; posts {len(results)}, "
                    f"acknowledged {len(acknowledged)} ({after} after the kill), found in the database {found}, "
                    f"failover errors {sum(errors.values())} {dict(errors)} (of which stored anyway {stored_anyway}), "
                    f"errors later than 1 s after the kill {len(late_errors)}")
        self.check(found == len(set(acknowledged)) == len(acknowledged), f"(d) {found} of {len(acknowledged)} found")
        self.check(after >= 20, f"(d) only {after} reports acknowledged after the kill")
        self.check(not late_errors, f"(d) {len(late_errors)} errors later than 1 s after the kill")
        for _ in range(10):
            status, _ = self.post_call(requests.Session(), self.nginx_port, 9000)
            self.check(status == 201, f"(d) post through nginx after the kill answered {status}")
        self.check(requests.get(f"{self.base(self.nginx_port)}/health", timeout=5).status_code == 200,
                   "(d) /health through nginx after the kill")

        # The survivor takes the escalation lease over: an overdue case is escalated by it.
        cases = self.case_ids([report for _, name, status, report, _ in results
                               if status == 201 and name == "post_open311"][-5:])
        before = self.escalated_in_log(survivor)
        self.make_overdue(cases)
        begin = time.monotonic()
        while time.monotonic() - begin < 20 and len(self.escalations(cases)) < len(cases):
            time.sleep(0.2)
        taken = time.monotonic() - begin
        counts = self.escalations(cases)
        log = self.log(survivor)
        self.figure(f"after the kill: {len(counts)} of {len(cases)} newly overdue cases escalated by node "
                    f"{survivor.upper()} ({self.escalated_in_log(survivor) - before} logged there) within {taken:.1f} s; "
                    f"leases now {self.lease_holders()}")
        self.check(len(counts) == len(cases) and all(count == 1 for count in counts.values()),
                   f"(d) escalations after the kill: {counts} for {cases}")
        self.check(victim == survivor or "lease taken: this node runs escalation sweep" in log,
                   f"(d) node {survivor} did not take the escalation lease")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the citynet executable")
    parser.add_argument("--database-url", required=True, help="postgres://… on loopback")
    parser.add_argument("--ports", default="8421,8422,8423",
                        type=lambda text: [int(port) for port in text.split(",")], help="nginx,node A,node B")
    parser.add_argument("--nginx-conf", default=os.path.join(HERE, "nginx.conf"))
    parser.add_argument("--work", help="directory for logs, pid files and nginx's files (default: a new temp dir)")
    args = parser.parse_args()
    host = re.match(r"postgres(?:ql)?://(?:[^@/]*@)?([^:/?]+)", args.database_url)
    if not host or host.group(1) not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("two_nodes.py: --database-url must name a loopback server")
    cluster = Cluster(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    def overtime(*_):
        raise Failure("the run took longer than 10 minutes")
    signal.signal(signal.SIGALRM, overtime)
    signal.alarm(600)  # the whole run normally takes under two minutes
    started = time.monotonic()
    try:
        cluster.setup()
        cluster.reports_through_either_node()
        cluster.one_escalation_per_overdue_case()
        cluster.stream_sees_the_other_node()
        cluster.failover()
    except Failure as failure:
        cluster.failures.append(str(failure))
        print(f"FAIL {failure}", flush=True)
    finally:
        cluster.stop()
    if cluster.failures:
        for name in cluster.nodes:
            print(f"--- last lines of node {name.upper()}'s log", flush=True)
            print("\n".join(cluster.log(name).splitlines()[-15:]), flush=True)
    print(f"cluster: {len(cluster.figures)} figures in {time.monotonic() - started:.0f} s, "
          f"{len(cluster.failures)} failures; logs in {cluster.work}", flush=True)
    sys.exit(1 if cluster.failures else 0)


if __name__ == "__main__":
    main()

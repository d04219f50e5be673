#!/usr/bin/env python3
"""Open311 interoperability check against a live CityNet server.

Uses the PyPI client `georeport` (GET side) and a plain form POST with `requests`, and validates every JSON response
against the GeoReport v2 JSON Schemas (Tests/Open311Tests/Fixtures/validate_schemas.py).

Usage: open311_interop.py --base http://127.0.0.1:8391/open311/v2 --api-key KEY --schemas DIR
Prints one line per check and a closing "interop: N passed, N failed"; exits 1 if any check fails.
"""
import argparse
import json
import subprocess
import sys

import requests
from georeport import GeoReport

CHECKS = []


def check(name):
    def register(function):
        CHECKS.append((name, function))
        return function
    return register


def validate(schemas, kind, payload):
    result = subprocess.run(
        [sys.executable, f"{schemas}/validate_schemas.py", kind, "-"],
        input=json.dumps(payload, ensure_ascii=False).encode("utf-8"), capture_output=True)
    assert result.returncode == 0, f"{kind} schema: {result.stdout.decode()} {result.stderr.decode()}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--api-key", required=True)
    parser.add_argument("--schemas", required=True)
    args = parser.parse_args()
    state = {}

    @check("plain form POST creates a dispatched request (201)")
    def post():
        response = requests.post(f"{args.base}/requests.json", data={
            "api_key": args.api_key, "service_code": "road.ponding", "lat": "31.2304", "long": "121.4737",
            "address_string": "黄浦区人民大道200号", "description": "人民广场地铁口路面积水约20厘米",
        })
        assert response.status_code == 201, response.text
        body = response.json()
        validate(args.schemas, "request-created", body)
        state["id"] = body[0]["service_request_id"]

    @check("georeport: service list (json) lists dispatchable categories")
    def services_json():
        services = GeoReport(args.base).get_service_list()
        codes = {service["service_code"] for service in services}
        assert "road.ponding" in codes and "noise.construction" in codes, codes
        assert "noise" not in codes
        validate(args.schemas, "services", services)

    @check("georeport: service list (xml) parses")
    def services_xml():
        services = GeoReport(args.base, output_format="xml").get_service_list()
        assert any(service["service_code"] == "parking.fire_lane" for service in services)

    @check("georeport: service definition (json, jurisdiction 310000)")
    def definition():
        definition = GeoReport(args.base, jurisdiction="310000").get_service_definition("parking.fire_lane")
        assert definition["service_code"] == "parking.fire_lane", definition
        validate(args.schemas, "service-definition", definition)

    @check("georeport: requests (json) include the new one, open, with the dispatched agency")
    def requests_json():
        found = GeoReport(args.base).get_service_requests(service_code="road.ponding", status="open")
        validate(args.schemas, "requests", found)
        mine = [request for request in found if request["service_request_id"] == state["id"]]
        assert mine and mine[0]["status"] == "open", found
        assert mine[0]["agency_responsible"] == "黄浦区水务局", mine[0]

    @check("requests with extensions=true carry the detailed case state")
    def extensions():
        response = requests.get(f"{args.base}/requests/{state['id']}.json", params={"extensions": "true"})
        assert response.status_code == 200, response.text
        body = response.json()
        validate(args.schemas, "requests-citynet", body)
        assert body[0]["extended_attributes"]["detailed_status"] == "dispatched", body

    @check("georeport: one request (xml) round-trips Chinese text")
    def request_xml():
        one = GeoReport(args.base, output_format="xml").get_service_request(state["id"])
        assert one["description"] == "人民广场地铁口路面积水约20厘米", one

    @check("georeport: unknown request is an HTTP 404")
    def missing():
        try:
            GeoReport(args.base).get_service_request("999999")
        except requests.HTTPError as error:
            assert error.response.status_code == 404
            validate(args.schemas, "errors", error.response.json())
            return
        raise AssertionError("expected 404")

    @check("servicerequestupdates (json) show the dispatch step")
    def updates():
        response = requests.get(f"{args.base}/servicerequestupdates.json")
        assert response.status_code == 200, response.text
        body = response.json()
        validate(args.schemas, "request-updates", body)
        assert any(update["service_request_id"] == state["id"] for update in body)

    @check("bad api_key is a 403 in the errors format")
    def forbidden():
        response = requests.post(f"{args.base}/requests.json", data={
            "api_key": "wrong", "service_code": "road.ponding", "lat": "31.23", "long": "121.47"})
        assert response.status_code == 403, response.text
        validate(args.schemas, "errors", response.json())

    @check("discovery (json)")
    def discovery():
        response = requests.get(f"{args.base}/discovery.json")
        assert response.status_code == 200
        validate(args.schemas, "discovery", response.json())

    passed = failed = 0
    for name, function in CHECKS:
        try:
            function()
            passed += 1
            print(f"ok   {name}")
        except Exception as error:  # noqa: BLE001 - report every failure, then exit 1
            failed += 1
            print(f"FAIL {name}: {error}")
    print(f"interop: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Validate Open311 JSON responses against the GeoReport v2 JSON Schemas in ./schemas.

Usage:
  python3 validate_schemas.py                 # every file in ./samples, by its name
  python3 validate_schemas.py KIND FILE...    # files (or - for stdin), e.g. a live server's output
  python3 validate_schemas.py --kinds         # list the KINDs
  python3 validate_schemas.py --self-test     # prove the schemas reject broken copies of the samples

KIND is a schema name without .json: services, service-definition, requests (upstream) or requests-citynet,
request-created, token, request-updates, discovery, errors (CityNet-authored; see PROVENANCE.md).
Sample files are matched to a KIND by the part of their name before the first dot ("requests.json",
"requests.empty.json" -> requests-citynet; see SAMPLE_KINDS).

Prints one line per file and a closing "N passed, N failed"; exits 1 if any file fails, 2 on a usage error.
Needs jsonschema >= 4.18 (uses the `referencing` library); date-time formats are checked when rfc3339-validator is
installed, uri formats when rfc3987 is.
"""
import json
import pathlib
import sys

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

HERE = pathlib.Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"
SAMPLES = HERE / "samples"

# Which schema a sample file is checked against. Upstream schemas are used wherever one exists; the CityNet
# "-citynet" variant adds checks of our extension block on top of upstream's.
SAMPLE_KINDS = {
    "services": ["services"],
    "service-definition": ["service-definition"],
    "requests": ["requests", "requests-citynet"],
    "request-created": ["request-created"],
    "token": ["token"],
    "request-updates": ["request-updates"],
    "discovery": ["discovery"],
    "errors": ["errors"],
}


def load_registry():
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((path.name, Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


def validator_for(kind, registry):
    path = SCHEMAS / f"{kind}.json"
    if not path.exists():
        raise SystemExit(f"unknown KIND {kind!r}; known: {', '.join(kinds())}")
    schema = json.loads(path.read_text(encoding="utf-8"))
    # Root schemas have no $id; resolve their relative $refs ("request.json") against the file's own name.
    schema = {"$id": path.name, **schema}
    return jsonschema.Draft4Validator(
        schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def kinds():
    return sorted(p.stem for p in SCHEMAS.glob("*.json"))


def check(label, text, kind_list, registry):
    """Returns True when the document is valid against every schema in kind_list."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        print(f"FAIL {label}: not JSON: {error}")
        return False
    ok = True
    for kind in kind_list:
        errors = sorted(validator_for(kind, registry).iter_errors(document), key=lambda e: list(e.absolute_path))
        for error in errors:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"FAIL {label} [{kind}] at {where}: {error.message}")
        ok = ok and not errors
    if ok:
        print(f"ok   {label} [{', '.join(kind_list)}]")
    return ok


# Broken copies of samples that must be rejected: (sample, kind, description, mutation).
def _mutations():
    def first(doc):
        return doc[0]

    def set_(key, value):
        def mutate(doc):
            target = first(doc) if isinstance(doc, list) else doc
            target[key] = value
        return mutate

    def delete(key):
        def mutate(doc):
            target = first(doc) if isinstance(doc, list) else doc
            del target[key]
        return mutate

    def ext(key, value):
        def mutate(doc):
            first(doc)["extended_attributes"][key] = value
        return mutate

    return [
        ("requests.json", "requests", "lat as a string", set_("lat", "31.2397")),
        ("requests.json", "requests", "status outside open/closed", set_("status", "handling")),
        ("requests.json", "requests", "missing service_code (proves the $ref to request.json resolves)",
         delete("service_code")),
        ("requests.json", "requests", "description of 4,001 characters", set_("description", "堵" * 4001)),
        ("requests.json", "requests", "requested_datetime without offset", set_("requested_datetime", "2026-11-29T19:14:06")),
        ("requests.json", "requests-citynet", "extended_attributes without detailed_status",
         lambda d: first(d)["extended_attributes"].pop("detailed_status")),
        ("requests.json", "requests-citynet", "unknown extended attribute", ext("colour", "red")),
        ("services.json", "services", "metadata as a string", set_("metadata", "true")),
        ("services.json", "services", "type outside realtime/batch/blackbox", set_("type", "instant")),
        ("service-definition.json", "service-definition", "attribute datatype unknown",
         lambda d: d["attributes"][0].__setitem__("datatype", "boolean")),
        ("request-created.json", "request-created", "both id and token", set_("token", "T-1")),
        ("errors.json", "errors", "code as a string", set_("code", "400")),
        ("discovery.json", "discovery", "missing key_service", delete("key_service")),
        ("request-updates.json", "request-updates", "status outside open/closed", set_("status", "fixed")),
    ]


def self_test(registry):
    import copy
    import io
    import contextlib

    results = []
    for sample, kind, what, mutate in _mutations():
        document = json.loads((SAMPLES / sample).read_text(encoding="utf-8"))
        broken = copy.deepcopy(document)
        mutate(broken)
        with contextlib.redirect_stdout(io.StringIO()):
            accepted = check(sample, json.dumps(broken, ensure_ascii=False), [kind], registry)
        print(f"{'FAIL' if accepted else 'ok  '} {sample} [{kind}] rejects {what}")
        results.append(not accepted)
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


def main(argv):
    if argv[:1] == ["--self-test"]:
        return self_test(load_registry())
    if argv[:1] == ["--kinds"]:
        print("\n".join(kinds()))
        return 0
    registry = load_registry()
    results = []
    if not argv:
        files = sorted(SAMPLES.glob("*.json"))
        if not files:
            print(f"no samples in {SAMPLES}")
            return 2
        for path in files:
            stem = path.name.split(".")[0]
            if stem not in SAMPLE_KINDS:
                print(f"FAIL {path.name}: no KIND for this sample name; add it to SAMPLE_KINDS")
                results.append(False)
                continue
            results.append(check(path.name, path.read_text(encoding="utf-8"), SAMPLE_KINDS[stem], registry))
    else:
        if len(argv) < 2:
            print(__doc__)
            return 2
        kind, files = argv[0], argv[1:]
        for name in files:
            text = sys.stdin.read() if name == "-" else pathlib.Path(name).read_text(encoding="utf-8")
            results.append(check(name, text, [kind], registry))
    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

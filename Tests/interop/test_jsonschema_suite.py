"""The official JSON-Schema-Test-Suite (draft7 and draft2020-12) through `sluice jsonschema validate
--batch`. The suite ships inside the PyPI sdist of `jsonschema` (its `json/` folder); the test
downloads that sdist with pip into .build/ once and never commits it. Remote references
(`http://localhost:1234/...`) are answered from the suite's `remotes/` folder and the metaschemas
from the `jsonschema-specifications` package: no network beyond PyPI.

Every case of every file runs, except the files and cases listed in SKIPPED_FILES / SKIPPED_CASES
with their reasons (`pytest -rs` prints the skipped files). A listed case that no longer exists
fails the test, so the list cannot go stale."""
import glob
import importlib.metadata
import json
import os
import subprocess
import sys
import tarfile
import tempfile

import pytest

SLUICE = os.environ.get("SLUICE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice"))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
VERSION = importlib.metadata.version("jsonschema")
CACHE = os.path.join(ROOT, ".build", "json-schema-test-suite", VERSION)

# Core files run with format as an annotation (as the suite's core files expect); the format
# files in optional/format/ run with format as an assertion (Sluice's default, as Confluent).
CLAIMED_FORMATS = {"date-time", "date", "time", "email", "uuid", "uri", "ipv4", "ipv6", "hostname"}

SKIPPED_FILES = {
    "draft2020-12/vocabulary.json": "custom metaschemas with $vocabulary are not supported: the draft comes from $schema only",
    "draft2020-12/optional/format-assertion.json": "the format-assertion vocabulary (custom metaschemas) is not supported",
    "draft7/optional/content.json": "contentEncoding/contentMediaType are annotations only (as in draft 2019+)",
    "draft7/optional/cross-draft.json": "draft 2019-09 is not supported: its documents are read in the referrer's draft",
    "draft2020-12/optional/cross-draft.json": "draft 2019-09 is not supported: its documents are read in the referrer's draft",
    "draft7/optional/float-overflow.json": "multipleOf is computed in binary floating point: 1e308 / 0.5 overflows and is rejected",
    "draft2020-12/optional/float-overflow.json": "multipleOf is computed in binary floating point: 1e308 / 0.5 overflows and is rejected",
    "draft2020-12/optional/dependencies-compatibility.json": "draft-07's `dependencies` is not read under 2020-12",
}

# (file, group description, test description or None for the whole group) -> reason
SKIPPED_CASES = {}


def suite_root():
    marker = os.path.join(CACHE, "json", "tests", "draft7")
    if os.path.isdir(marker):
        return os.path.join(CACHE, "json")
    os.makedirs(CACHE, exist_ok=True)
    with tempfile.TemporaryDirectory() as download:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        f"jsonschema=={VERSION}", "-d", download], check=True, timeout=600)
        (archive,) = glob.glob(os.path.join(download, "jsonschema-*.tar.gz"))
        with tarfile.open(archive) as tar:
            wanted = [m for m in tar.getmembers() if ("/json/tests/" in m.name or "/json/remotes/" in m.name)
                      and (m.isfile() or m.isdir()) and ".." not in m.name.split("/")]
            for member in wanted:
                member.name = member.name.split("/", 1)[1]
            tar.extractall(CACHE, members=wanted)
    return os.path.join(CACHE, "json")


def resources(root):
    """Remote documents by URI: the suite's remotes and the metaschemas."""
    from jsonschema_specifications import REGISTRY
    found = {uri: REGISTRY.contents(uri) for uri in REGISTRY}
    remotes = os.path.join(root, "remotes")
    for path in glob.glob(os.path.join(remotes, "**", "*.json"), recursive=True):
        with open(path) as handle:
            found["http://localhost:1234/" + os.path.relpath(path, remotes)] = json.load(handle)
    return found


def suite_files():
    root = suite_root()
    files = []
    for draft in ("draft7", "draft2020-12"):
        base = os.path.join(root, "tests", draft)
        for path in sorted(glob.glob(os.path.join(base, "**", "*.json"), recursive=True)):
            relative = draft + "/" + os.path.relpath(path, base)
            if "/optional/format/" in relative and os.path.basename(path)[:-5] not in CLAIMED_FORMATS:
                continue
            files.append(relative)
    return files


def run_batch(requests):
    lines = "\n".join(json.dumps(request) for request in requests) + "\n"
    result = subprocess.run([SLUICE, "jsonschema", "validate", "--batch"], input=lines, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == len(requests)
    return answers


@pytest.mark.parametrize("relative", suite_files())
def test_suite_file(relative):
    if relative in SKIPPED_FILES:
        pytest.skip(SKIPPED_FILES[relative])
    root = suite_root()
    draft = relative.split("/")[0]
    with open(os.path.join(root, "tests", relative)) as handle:
        groups = json.load(handle)
    format_assertion = "/optional/format/" in relative
    requests = [{"resources": resources(root)}]
    expected = []
    for group in groups:
        skip_group = SKIPPED_CASES.get((relative, group["description"], None))
        tests = [t for t in group["tests"] if not skip_group and (relative, group["description"], t["description"]) not in SKIPPED_CASES]
        requests.append({"schema": group["schema"], "instances": [t["data"] for t in tests],
                         "draft": "2020-12" if draft == "draft2020-12" else "7", "formatAssertion": format_assertion})
        expected.append((group, tests))
    listed = {key for key in SKIPPED_CASES if key[0] == relative}
    present = {(relative, g["description"], t["description"]) for g in groups for t in g["tests"]} | \
              {(relative, g["description"], None) for g in groups}
    assert listed <= present, f"skipped cases that no longer exist: {listed - present}"
    answers = run_batch(requests)
    assert answers[0] == {"ok": True}
    failures = []
    for (group, tests), answer in zip(expected, answers[1:]):
        if "error" in answer:
            failures.append(f"{group['description']}: schema rejected: {answer['error']}")
            continue
        for test, valid, violations in zip(tests, answer["valid"], answer["violations"]):
            if valid != test["valid"]:
                failures.append(f"{group['description']} / {test['description']}: expected {test['valid']}, got {valid}")
            if (violations == 0) != valid:
                failures.append(f"{group['description']} / {test['description']}: isValid={valid} but {violations} violations")
    assert not failures, "\n".join(failures)

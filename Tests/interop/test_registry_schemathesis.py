"""schemathesis (PyPI) drives the real registry from registry/openapi.yaml: no 5xx, every status,
content type, header and body as the contract says, 405 with Allow for undeclared methods.

The positive/negative data-acceptance checks are left out on purpose: whether a schema string is
valid Avro cannot be said in OpenAPI (so a 422 for a well-formed request is right), and unknown
or malformed query values are ignored by design, as Confluent's clients require."""
import os
import subprocess
import sys

SPEC = os.path.join(os.path.dirname(__file__), "../../registry/openapi.yaml")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance," \
         "response_schema_conformance,response_headers_conformance,unsupported_method"


def test_schemathesis_finds_nothing(node):
    schemathesis = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    result = subprocess.run(
        [schemathesis, "run", SPEC, "--url", node.registry_url, "--checks", CHECKS,
         "--max-examples", "25", "--seed", "1", "--no-color"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert node.process.poll() is None, "the node died under schemathesis"

"""The registry's REST surface in raw HTTP against the real binary: every endpoint, the error
codes of Confluent Schema Registry, and the tolerance rules clients rely on (the registry REST
notes, §1-§4)."""
import json
import signal

import httpx
import pytest

from conftest import SluiceNode

V1 = "application/vnd.schemaregistry.v1+json"


def avro_record(name, *fields):
    return json.dumps({"type": "record", "name": name, "fields": [dict(f) for f in fields]})


USER_V1 = avro_record("User", {"name": "id", "type": "long"})
USER_V2 = avro_record("User", {"name": "id", "type": "long"}, {"name": "email", "type": ["null", "string"], "default": None})
USER_BAD = avro_record("User", {"name": "id", "type": "long"}, {"name": "age", "type": "int"})


@pytest.fixture
def sr(node):
    with httpx.Client(base_url=node.registry_url, headers={"Content-Type": V1}, timeout=10) as client:
        yield client


def register(sr, subject, schema, **extra):
    return sr.post(f"/subjects/{subject}/versions", json={"schema": schema, **extra})


def error(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    assert body["message"]
    return body["message"]


def test_root_types_contexts_metadata(sr):
    assert sr.get("/").json() == {}
    assert sorted(sr.get("/schemas/types").json()) == ["AVRO", "JSON"]
    assert sr.get("/contexts").json() == ["."]
    assert "schema-registry-cluster" in sr.get("/v1/metadata/id").json()["scope"]["clusters"]
    assert sr.get("/").headers["content-type"] == V1


def test_register_is_idempotent_and_ids_are_global(sr):
    first = register(sr, "a-value", USER_V1).json()
    assert first["id"] == 1 and first["version"] == 1 and len(first["guid"]) == 36
    # Same schema, other formatting: same version and id.
    pretty = json.dumps(json.loads(USER_V1), indent=4)
    assert register(sr, "a-value", pretty).json()["id"] == 1
    assert sr.get("/subjects/a-value/versions").json() == [1]
    # The same schema under another subject keeps its id.
    assert register(sr, "b-value", USER_V1).json() == {**first}
    # A new schema gets the next id.
    assert register(sr, "a-value", USER_V2).json()["id"] == 2


def test_get_by_version_id_guid(sr):
    guid = register(sr, "t-value", USER_V1).json()["guid"]
    register(sr, "t-value", USER_V2)
    v1 = sr.get("/subjects/t-value/versions/1").json()
    assert v1["subject"] == "t-value" and v1["version"] == 1 and v1["id"] == 1
    assert json.loads(v1["schema"]) == json.loads(USER_V1)
    assert "schemaType" not in v1
    assert sr.get("/subjects/t-value/versions/latest").json()["version"] == 2
    assert sr.get("/subjects/t-value/versions/-1").json()["version"] == 2
    assert json.loads(sr.get("/subjects/t-value/versions/2/schema").text) == json.loads(USER_V2)
    assert json.loads(sr.get("/schemas/ids/1").json()["schema"]) == json.loads(USER_V1)
    assert json.loads(sr.get("/schemas/ids/2/schema").text) == json.loads(USER_V2)
    assert sr.get("/schemas/ids/1/subjects").json() == ["t-value"]
    assert sr.get("/schemas/ids/1/versions").json() == [{"subject": "t-value", "version": 1}]
    assert json.loads(sr.get(f"/schemas/guids/{guid}").json()["schema"]) == json.loads(USER_V1)
    assert sr.get(f"/schemas/guids/{guid}/ids").json() == [{"context": ".", "id": 1}]
    assert [s["version"] for s in sr.get("/schemas").json()] == [1, 2]
    assert [s["version"] for s in sr.get("/schemas", params={"latestOnly": "true"}).json()] == [2]
    assert sr.get("/schemas/ids/1", params={"fetchMaxId": "true"}).json()["maxId"] == 2


def test_invalid_schemas_get_42201_with_the_reason(sr):
    message = error(register(sr, "x", '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"no"}]}'), 422, 42201)
    assert "/fields/0/default" in message and "a" in message
    assert "line 1" in error(register(sr, "x", '{"type":'), 422, 42201)
    error(register(sr, "x", '{"type":"enum","name":"E","symbols":["A"],"default":"B"}'), 422, 42201)
    error(register(sr, "x", "syntax = \"proto3\";", schemaType="PROTOBUF"), 422, 42201)
    error(sr.post("/subjects/x/versions", json={"schemaType": "AVRO"}), 422, 42201)
    error(register(sr, "x", '"int"', references=[{"name": "Missing", "subject": "none", "version": 1}]), 422, 42201)


def test_incompatible_schema_409_lists_every_problem(sr):
    register(sr, "c-value", USER_V1)
    message = error(register(sr, "c-value", USER_BAD), 409, 409)
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in message and "'/fields/1'" in message and "age" in message
    assert "oldSchemaVersion: 1" in message and "compatibility: 'BACKWARD'" in message
    # force=true skips the check.
    assert sr.post("/subjects/c-value/versions", params={"force": "true"}, json={"schema": USER_BAD}).status_code == 200


def test_compatibility_endpoints(sr):
    register(sr, "k-value", USER_V1)
    ok = sr.post("/compatibility/subjects/k-value/versions/latest", json={"schema": USER_V2})
    assert ok.json() == {"is_compatible": True}
    bad = sr.post("/compatibility/subjects/k-value/versions/1", params={"verbose": "True"}, json={"schema": USER_BAD}).json()
    assert bad["is_compatible"] is False
    assert any("READER_FIELD_MISSING_DEFAULT_VALUE" in m for m in bad["messages"])
    assert "messages" not in sr.post("/compatibility/subjects/k-value/versions/1", json={"schema": USER_BAD}).json()
    # Trailing slash, as the Java client sends it.
    assert sr.post("/compatibility/subjects/k-value/versions/", json={"schema": USER_BAD}).json() == {"is_compatible": False}
    error(sr.post("/compatibility/subjects/k-value/versions/9", json={"schema": USER_V2}), 404, 40402)
    assert sr.post("/compatibility/subjects/unknown/versions/latest", json={"schema": USER_V2}).json() == {"is_compatible": True}
    unparseable = sr.post("/compatibility/subjects/k-value/versions/1", params={"verbose": "true"}, json={"schema": "{"}).json()
    assert unparseable["is_compatible"] is False and unparseable["messages"]


def test_transitive_levels_check_every_live_version(sr):
    s1 = avro_record("R", {"name": "a", "type": "int"})
    s2 = avro_record("R", {"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 0})
    s3 = avro_record("R", {"name": "b", "type": "int", "default": 0}, {"name": "c", "type": "int"})
    assert sr.put("/config/tr", json={"compatibility": "FORWARD_TRANSITIVE"}).json() == {"compatibility": "FORWARD_TRANSITIVE"}
    register(sr, "tr", s1)
    register(sr, "tr", s2)
    # FORWARD: the old schemas must read s3's data; s1 needs "a", which s3 dropped without default.
    error(register(sr, "tr", s3), 409, 409)
    sr.put("/config/tr", json={"compatibility": "NONE"})
    assert register(sr, "tr", s3).status_code == 200


def test_lookup(sr):
    register(sr, "l-value", USER_V1)
    found = sr.post("/subjects/l-value", json={"schema": json.dumps(json.loads(USER_V1), indent=2)}).json()
    assert found["version"] == 1 and found["id"] == 1 and found["subject"] == "l-value"
    error(sr.post("/subjects/l-value", json={"schema": USER_V2}), 404, 40403)
    error(sr.post("/subjects/nobody", json={"schema": USER_V1}), 404, 40401)


def test_references_resolve_and_block_deletes(sr):
    address = json.dumps({"type": "record", "name": "Address", "namespace": "shop", "fields": [{"name": "city", "type": "string"}]})
    order = json.dumps({"type": "record", "name": "Order", "namespace": "shop", "fields": [{"name": "to", "type": "Address"}]})
    address_id = register(sr, "address", address).json()["id"]
    refs = [{"name": "shop.Address", "subject": "address", "version": 1}]
    error(register(sr, "order", order), 422, 42201)
    order_id = register(sr, "order", order, references=refs).json()["id"]
    assert sr.get("/subjects/order/versions/1").json()["references"] == refs
    assert sr.get(f"/schemas/ids/{order_id}").json()["references"] == refs
    assert sr.get("/subjects/address/versions/1/referencedby").json() == [order_id]
    error(sr.delete("/subjects/address/versions/1"), 422, 42206)
    error(sr.delete("/subjects/address"), 422, 42206)
    assert address_id != order_id


def test_config_and_mode(sr):
    assert sr.get("/config").json() == {"compatibilityLevel": "BACKWARD"}
    assert sr.put("/config/", json={"compatibility": "full"}).json() == {"compatibility": "FULL"}
    assert sr.get("/config").json() == {"compatibilityLevel": "FULL"}
    error(sr.put("/config", json={"compatibility": "SIDEWAYS"}), 422, 42203)
    error(sr.get("/config/s"), 404, 40408)
    assert sr.get("/config/s", params={"defaultToGlobal": "true"}).json() == {"compatibilityLevel": "FULL"}
    sr.put("/config/s", json={"compatibility": "NONE"})
    assert sr.get("/config/s").json() == {"compatibilityLevel": "NONE"}
    assert sr.delete("/config/s").json() == {"compatibilityLevel": "NONE"}
    error(sr.delete("/config/s"), 404, 40401)
    assert sr.delete("/config").json() == {"compatibilityLevel": "FULL"}
    assert sr.get("/config").json() == {"compatibilityLevel": "BACKWARD"}

    assert sr.get("/mode").json() == {"mode": "READWRITE"}
    error(sr.put("/mode", json={"mode": "SOMETIMES"}), 422, 42204)
    error(sr.put("/mode/s", json={"mode": "FORWARD"}), 422, 42204)
    assert sr.put("/mode/ro", json={"mode": "READONLY"}).json() == {"mode": "READONLY"}
    error(register(sr, "ro", USER_V1), 422, 42205)
    assert sr.delete("/mode/ro").json() == {"mode": "READONLY"}
    assert register(sr, "ro", USER_V1).status_code == 200
    # IMPORT needs force while subjects exist; then ids and versions come from the request.
    error(sr.put("/mode", json={"mode": "IMPORT"}), 422, 42205)
    assert sr.put("/mode", params={"force": "true"}, json={"mode": "IMPORT"}).json() == {"mode": "IMPORT"}
    imported = register(sr, "imp", USER_V2, id=100, version=5).json()
    assert imported["id"] == 100 and imported["version"] == 5
    error(register(sr, "imp2", avro_record("Other", {"name": "x", "type": "int"}), id=100), 422, 42207)
    sr.put("/mode", json={"mode": "READWRITE"})
    error(register(sr, "x-value", USER_V1, id=5), 422, 42205)
    assert register(sr, "next", avro_record("N", {"name": "n", "type": "int"})).json()["id"] == 101


def test_tolerance_rules(sr):
    # Most tolerance cases are in registry/conformance/tolerance.json; these need raw headers.
    body = {"schema": USER_V1}
    r = sr.post("/subjects/tol/versions", json=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == V1
    not_allowed = sr.request("PATCH", "/subjects/tol/versions")
    error(not_allowed, 405, 405)
    assert set(not_allowed.headers["allow"].split(", ")) == {"GET", "POST"}
    error(sr.post("/subjects/big/versions", content=b"x" * (10 << 20)), 413, 413)


def test_json_schema_registration_and_compatibility(sr):
    v1 = json.dumps({"type": "object", "properties": {"id": {"type": "integer"}}, "additionalProperties": False})
    v2 = json.dumps({"type": "object", "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}, "additionalProperties": False})
    v3 = json.dumps({"type": "object", "properties": {"id": {"type": "string"}}, "additionalProperties": False})
    first = register(sr, "j-value", v1, schemaType="JSON").json()
    assert sr.get(f"/schemas/ids/{first['id']}").json()["schemaType"] == "JSON"
    assert register(sr, "j-value", v2, schemaType="JSON").status_code == 200
    message = error(register(sr, "j-value", v3, schemaType="JSON"), 409, 409)
    assert "TYPE" in message and "/properties/id" in message
    error(register(sr, "j2", "[1,2]", schemaType="JSON"), 422, 42201)


def test_registrations_survive_restart_and_kill_9(data_dir):
    node = SluiceNode(data_dir).start()
    node.wait_healthy()
    with httpx.Client(base_url=node.registry_url, timeout=10) as sr:
        ids = [register(sr, f"s{i}", avro_record(f"R{i}", {"name": "a", "type": "int"})).json()["id"] for i in range(20)]
        sr.put("/config/s1", json={"compatibility": "NONE"})
        sr.put("/mode/s2", json={"mode": "READONLY"})
        sr.delete("/subjects/s3")
    assert node.stop(signal.SIGKILL) == -signal.SIGKILL
    node = SluiceNode(data_dir).start()
    try:
        node.wait_healthy()
        with httpx.Client(base_url=node.registry_url, timeout=10) as sr:
            assert [sr.get(f"/subjects/s{i}/versions/1", params={"deleted": "true"}).json()["id"] for i in range(20)] == ids
            assert sr.get("/config/s1").json() == {"compatibilityLevel": "NONE"}
            assert sr.get("/mode/s2").json() == {"mode": "READONLY"}
            assert "s3" not in sr.get("/subjects").json()
            assert register(sr, "new", avro_record("New", {"name": "a", "type": "int"})).json()["id"] == max(ids) + 1
    finally:
        assert node.stop() == 0


def test_kill_9_during_registrations_loses_no_acknowledged_one(data_dir):
    """Writers register continuously; the node is killed at a random moment, three times over.
    Every registration acknowledged before a kill is there afterwards with its id and version."""
    import random
    import threading
    import time

    acknowledged = {}
    rng = random.Random(7)
    counter = [0]
    for round_ in range(3):
        node = SluiceNode(data_dir).start()
        node.wait_healthy()
        stop = threading.Event()

        def writer(worker):
            with httpx.Client(base_url=node.registry_url, timeout=5) as client:
                while not stop.is_set():
                    counter[0] += 1
                    subject = f"k{worker}-{counter[0]}"
                    try:
                        r = register(client, subject, avro_record(f"K{worker}x{counter[0]}", {"name": "a", "type": "int"}))
                    except httpx.HTTPError:
                        return
                    if r.status_code == 200:
                        acknowledged[subject] = (r.json()["id"], r.json()["version"])

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.5))
        node.stop(signal.SIGKILL)
        stop.set()
        for t in threads:
            t.join()
    assert len(acknowledged) > 50
    node = SluiceNode(data_dir).start()
    try:
        node.wait_healthy()
        with httpx.Client(base_url=node.registry_url, timeout=10) as sr:
            for subject, (schema_id, version) in acknowledged.items():
                got = sr.get(f"/subjects/{subject}/versions/latest")
                assert got.status_code == 200, (subject, got.text)
                assert (got.json()["id"], got.json()["version"]) == (schema_id, version)
            ids = [schema_id for schema_id, _ in acknowledged.values()]
            assert len(set(ids)) == len(ids)
    finally:
        assert node.stop() == 0


def test_json_schema_references(sr):
    address = json.dumps({"type": "object", "properties": {"zip": {"type": "integer"}}})
    order = json.dumps({"type": "object", "properties": {"to": {"$ref": "address.json"}}})
    register(sr, "address-json", address, schemaType="JSON")
    message = error(register(sr, "order-json", order, schemaType="JSON"), 422, 42201)
    assert "address.json" in message
    refs = [{"name": "address.json", "subject": "address-json", "version": 1}]
    assert register(sr, "order-json", order, schemaType="JSON", references=refs).status_code == 200
    # A new address version that narrows zip makes the same order text incompatible through the reference.
    sr.put("/config/address-json", json={"compatibility": "NONE"})
    register(sr, "address-json", json.dumps({"type": "object", "properties": {"zip": {"type": "string"}}}), schemaType="JSON")
    refs_v2 = [{"name": "address.json", "subject": "address-json", "version": 2}]
    verdict = sr.post("/compatibility/subjects/order-json/versions/1", params={"verbose": "true"},
                      json={"schema": order, "schemaType": "JSON", "references": refs_v2}).json()
    assert verdict["is_compatible"] is False and any("/properties/to/properties/zip" in m for m in verdict["messages"])


def test_an_existing_confluent_schemas_topic_replays(data_dir):
    """Records as Confluent Schema Registry writes them, produced into _schemas by a Kafka
    client, are served after a restart: the migration path from Confluent."""
    from confluent_kafka import Producer

    node = SluiceNode(data_dir).start()
    node.wait_healthy()
    producer = Producer({"bootstrap.servers": node.bootstrap})
    schema = json.dumps({"type": "record", "name": "Legacy", "fields": [{"name": "a", "type": "int"}]})
    records = [
        ({"keytype": "SCHEMA", "subject": "legacy-value", "version": 1, "magic": 1},
         {"subject": "legacy-value", "version": 1, "id": 41, "schema": schema, "deleted": False}),
        ({"keytype": "SCHEMA", "subject": "legacy-value", "version": 2, "magic": 1},
         {"subject": "legacy-value", "version": 2, "id": 42, "schemaType": "AVRO",
          "schema": json.dumps({"type": "record", "name": "Legacy", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 0}]}),
          "deleted": False, "metadata": None, "ruleSet": None}),
        ({"keytype": "CONFIG", "subject": "legacy-value", "magic": 0}, {"compatibilityLevel": "FULL"}),
        ({"keytype": "NOOP", "magic": 0}, None),
    ]
    for key, value in records:
        producer.produce("_schemas", key=json.dumps(key, separators=(",", ":")),
                         value=None if value is None else json.dumps(value, separators=(",", ":")))
    assert producer.flush(30) == 0
    assert node.stop() == 0
    node = SluiceNode(data_dir).start()
    try:
        node.wait_healthy()
        with httpx.Client(base_url=node.registry_url, timeout=10) as sr:
            assert sr.get("/subjects/legacy-value/versions").json() == [1, 2]
            assert sr.get("/schemas/ids/41").status_code == 200
            assert sr.get("/config/legacy-value").json() == {"compatibilityLevel": "FULL"}
            # New ids continue after the imported ones.
            assert register(sr, "fresh", '"string"').json()["id"] == 43
    finally:
        assert node.stop() == 0


def test_metadata_and_rule_set_round_trip(sr):
    metadata = {"properties": {"owner": "team-a", "pii": "false"}}
    rule_set = {"domainRules": [{"name": "checkId", "kind": "CONDITION", "type": "CEL", "mode": "WRITE", "expr": "message.id > 0"}]}
    first = register(sr, "contract", USER_V1, metadata=metadata, ruleSet=rule_set).json()
    got = sr.get("/subjects/contract/versions/1").json()
    assert got["metadata"] == metadata and got["ruleSet"] == rule_set
    assert sr.get(f"/schemas/ids/{first['id']}").json()["metadata"] == metadata
    # The same schema and contract is the same version; another contract is a new one.
    assert register(sr, "contract", USER_V1, metadata=metadata, ruleSet=rule_set).json() == first
    second = register(sr, "contract", USER_V1, metadata={"properties": {"owner": "team-b"}}).json()
    assert second["version"] == 2 and second["id"] != first["id"]
    # A registration without a ruleSet inherits the latest version's, as Confluent does.
    assert sr.get("/subjects/contract/versions/2").json()["ruleSet"] == rule_set

"""`sluice avro fromjson|tojson|getschema|getmeta` against fastavro and avro (PyPI): container
files written by Sluice are read by both, files written by fastavro are read by Sluice, with
every codec each side has (Python's avro has no snappy without python-snappy)."""
import datetime
import io
import json
import os
import subprocess
import uuid

import avro.datafile
import avro.io
import avro.schema
import fastavro
from fastavro.utils import generate_many

from avro_evolution import SchemaGenerator
from test_avro_differential import fastavro_plain, json_lines, plain, same

SLUICE = os.environ.get("SLUICE_BIN", os.path.join(os.path.dirname(__file__), "../../.build/debug/sluice"))
SCHEMAS = 60
DATUMS = 25


def run(*args, stdin=None, ok=True):
    result = subprocess.run([SLUICE, "avro", *args], input=stdin, capture_output=True, text=True, timeout=60)
    if ok:
        assert result.returncode == 0, (args, result.stderr[-2000:])
    return result


def avro_python_records(path):
    with open(path, "rb") as handle:
        reader = avro.datafile.DataFileReader(handle, avro.io.DatumReader())
        records = list(reader)
        reader.close()
    return records


def test_files_written_by_sluice_are_read_by_fastavro_and_avro(tmp_path):
    generator = SchemaGenerator(seed=23)
    for index in range(SCHEMAS):
        schema = generator.record()
        parsed = fastavro.parse_schema(schema)
        records = list(generate_many(parsed, DATUMS))
        source = tmp_path / f"in{index}.json"
        source.write_text(json_lines(parsed, records))
        codec = ["null", "deflate", "snappy"][index % 3]
        target = tmp_path / f"out{index}.avro"
        run("fromjson", "--schema", json.dumps(schema), "--codec", codec, "--block-size", "300", str(source), str(target))

        with open(target, "rb") as handle:
            reader = fastavro.reader(handle)
            assert reader.codec == codec
            theirs = list(reader)
        assert same(fastavro_plain(theirs), fastavro_plain(records)), (json.dumps(schema), codec)
        if codec != "snappy":
            assert same(fastavro_plain(avro_python_records(target)), fastavro_plain(records)), (json.dumps(schema), codec)

        # And back through Sluice: tojson prints the same values.
        ours = [plain(json.loads(line)) for line in run("tojson", str(target)).stdout.split("\n")[:-1]]
        assert same(ours, fastavro_plain(records)), json.dumps(schema)


def test_files_written_by_fastavro_are_read_by_sluice(tmp_path):
    generator = SchemaGenerator(seed=29)
    for index in range(SCHEMAS):
        schema = generator.record()
        parsed = fastavro.parse_schema(schema)
        records = list(generate_many(parsed, DATUMS))
        codec = ["null", "deflate", "snappy"][index % 3]
        path = tmp_path / f"fast{index}.avro"
        with open(path, "wb") as handle:
            fastavro.writer(handle, parsed, records, codec=codec, sync_interval=200, metadata={"origin": "fastavro"})
        ours = [plain(json.loads(line)) for line in run("tojson", str(path)).stdout.split("\n")[:-1]]
        assert same(ours, fastavro_plain(records)), (json.dumps(schema), codec)
        meta = dict(line.split("\t", 1) for line in run("getmeta", str(path)).stdout.split("\n")[:-1])
        assert meta["origin"] == "fastavro" and meta["avro.codec"] == codec
        assert fastavro.parse_schema(json.loads(run("getschema", str(path)).stdout)) == parsed


def test_files_written_by_avro_python_are_read_by_sluice(tmp_path):
    schema = {"type": "record", "name": "U", "fields": [
        {"name": "id", "type": "long"}, {"name": "name", "type": ["null", "string"]},
        {"name": "scores", "type": {"type": "map", "values": "double"}}]}
    records = [{"id": i, "name": None if i % 2 else f"n{i}", "scores": {"a": i / 3}} for i in range(300)]
    for codec in ["null", "deflate"]:
        path = tmp_path / f"avro-{codec}.avro"
        with open(path, "wb") as handle:
            writer = avro.datafile.DataFileWriter(handle, avro.io.DatumWriter(), avro.schema.parse(json.dumps(schema)), codec=codec)
            for record in records:
                writer.append(record)
            writer.close()
        ours = [plain(json.loads(line)) for line in run("tojson", str(path)).stdout.split("\n")[:-1]]
        assert same(ours, records), codec


def test_logical_types_and_properties_survive_a_sluice_file(tmp_path):
    schema = {"type": "record", "name": "L", "doc": "kept", "fields": [
        {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}, "default": 0}]}
    when = datetime.datetime(2024, 5, 6, 7, 8, 9, 123000, tzinfo=datetime.timezone.utc)
    ident = uuid.UUID("0e3a4f5c-1b2d-4e6f-8a9b-0c1d2e3f4a5b")
    source = tmp_path / "l.json"
    # -12345 at scale 2 is -123.45: two's complement CF C7, as code points in Avro's JSON encoding.
    source.write_text(json.dumps({"at": int(when.timestamp() * 1000), "id": str(ident), "price": "\u00cf\u00c7", "day": 19850}) + "\n")
    target = tmp_path / "l.avro"
    run("fromjson", "--schema", json.dumps(schema), "--codec", "deflate", str(source), str(target))
    stored = json.loads(run("getschema", str(target)).stdout)
    assert stored["fields"][0]["type"]["logicalType"] == "timestamp-millis" and stored["doc"] == "kept"
    assert stored["fields"][3]["default"] == 0
    with open(target, "rb") as handle:
        (record,) = list(fastavro.reader(handle))
    assert record["at"] == when and record["id"] == ident and str(record["price"]) == "-123.45"
    assert record["day"] == datetime.date(1970, 1, 1) + datetime.timedelta(days=19850)


def test_bad_input_fails_with_the_reason(tmp_path):
    not_avro = tmp_path / "x.avro"
    not_avro.write_bytes(b"PAR1 not avro")
    result = run("tojson", str(not_avro), ok=False)
    assert result.returncode == 1 and "Obj" in result.stderr, result.stderr
    schema = json.dumps({"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]})
    source = tmp_path / "bad.json"
    source.write_text('{"a": 1}\n{"a": "one"}\n')
    result = run("fromjson", "--schema", schema, str(source), str(tmp_path / "o.avro"), ok=False)
    assert result.returncode == 1 and "line 2" in result.stderr and "/a" in result.stderr, result.stderr
    result = run("fromjson", "--schema", schema, "--codec", "lzo", str(source), str(tmp_path / "o.avro"), ok=False)
    assert result.returncode == 2 and "lzo" in result.stderr, result.stderr
    # A truncated file: the reason names the block.
    good = tmp_path / "good.avro"
    source.write_text('{"a": 1}\n')
    run("fromjson", "--schema", schema, str(source), str(good))
    truncated = tmp_path / "cut.avro"
    truncated.write_bytes(good.read_bytes()[:-5])
    result = run("tojson", str(truncated), ok=False)
    assert result.returncode == 1 and "block 0" in result.stderr, result.stderr

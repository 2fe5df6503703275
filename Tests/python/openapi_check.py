"""Checks Spool's OpenAPI document with openapi-spec-validator, an implementation independent of Spool's.

Usage: openapi_check.py BASE_URL      (such as http://127.0.0.1:8080)

1. Fetches BASE_URL/openapi.json and validates it against the OpenAPI 3.1 specification: the document's
   structure, every schema against JSON Schema 2020-12, and every $ref resolved.
2. Validates request bodies against the document's own SubmitRequest schema with jsonschema (2020-12): every
   example of POST /v1/jobs must pass, and bodies that pair a model with another model's input, or carry an
   unknown field, must fail.

Prints one line per check; on the first failure prints the problem and exits 1.
"""

import json
import sys
import urllib.request

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:spool:openapi"


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        content_type = response.headers.get("Content-Type", "")
        if not content_type.startswith("application/json"):
            fail(f"{url} answered Content-Type {content_type!r}, not application/json")
        return json.load(response)


def schema_validator(document, name):
    registry = Registry().with_resource(BASE, Resource(contents=document, specification=DRAFT202012))
    return Draft202012Validator({"$ref": f"{BASE}#/components/schemas/{name}"}, registry=registry)


def problems(validator, instance):
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in validator.iter_errors(instance)]


def main():
    if len(sys.argv) != 2:
        fail("usage: openapi_check.py BASE_URL")
    document = fetch(sys.argv[1].rstrip("/") + "/openapi.json")

    try:
        validate(document)
    except Exception as error:  # the validator raises one of several exception types
        fail(f"openapi-spec-validator: {error}")
    print(f"ok: OpenAPI {document['openapi']} document valid ({len(document['paths'])} paths, "
          f"{len(document['components']['schemas'])} schemas)")

    submit = schema_validator(document, "SubmitRequest")
    examples = document["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    if not examples:
        fail("POST /v1/jobs has no request examples")
    for name, example in examples.items():
        found = problems(submit, example["value"])
        if found:
            fail(f"example {name} does not match SubmitRequest: {found}")
    print(f"ok: {len(examples)} submit examples match SubmitRequest")

    models = sorted({example["value"]["model"] for example in examples.values()})
    by_model = {example["value"]["model"]: example["value"]["input"] for example in examples.values()}
    reference = next((m for m in models if "reference-to-video" in m), None)
    text_only = next((m for m in models if "text-to-video" in m), None)
    if reference and text_only:
        crossed = {"model": text_only, "input": by_model[reference]}
        if not problems(submit, crossed):
            fail(f"{text_only} with {reference}'s input (input_image) was accepted by SubmitRequest")
        print("ok: a model paired with another model's input is refused")
    unknown = {"model": models[0], "input": by_model[models[0]], "colour": "blue"}
    if not problems(submit, unknown):
        fail("a submit body with an unknown member was accepted")
    print("ok: an unknown member is refused")


if __name__ == "__main__":
    main()

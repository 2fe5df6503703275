"""Reads Spool's /metrics with prometheus_client's own text parser and prints the samples as JSON lines:
{"name": …, "labels": {…}, "value": …}. Exits non-zero when the exposition does not parse."""

import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

text = urllib.request.urlopen(sys.argv[1]).read().decode()
for family in text_string_to_metric_families(text):
    for sample in family.samples:
        print(json.dumps({"name": sample.name, "labels": sample.labels, "value": sample.value}))

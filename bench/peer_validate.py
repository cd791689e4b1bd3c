"""The peer for whole-process validation: what a Python tool does to check a config's
structure (PyYAML safe_load + jsonschema against the same schema file). It does strictly less
than `ml-provisioner -act validate-config` (no spans, no cross-field rules, no names)."""
import json
import os
import sys

import jsonschema
import yaml

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "core", "schema", "ml-provisioner-config.schema.json")) as f:
    schema = json.load(f)
with open(sys.argv[1]) as f:
    config = yaml.safe_load(f)
errors = list(jsonschema.Draft7Validator(schema).iter_errors(config))
for error in errors:
    print(f"{sys.argv[1]}: {error.json_path}: {error.message}")
sys.exit(1 if errors else 0)

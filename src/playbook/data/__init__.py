"""The playbook's one data layer: every file under `data/`, read once, validated, typed.

- `base`: `Frozen` (the base model of every record), `DataError`, `Located`;
- `errors`: `validation_error`, the one formatter of pydantic errors (file, line, field, fix);
- `files`: `read_yaml` (through `playbook.yamlfile`: line numbers, no aliases, size limits);
- `stats`: statistics, glossary and charts (`load_catalog`);
- `store`: `store_for(data_dir)`, one cached `Store` per data folder and process, used by the
  plugin, the macros, the brief and the commands. The domain schemas (role cards, meeting plan,
  law, case, reading path) stay in their own modules, built on `Frozen` and `validation_error`.
"""

from playbook.data.base import DataError, Frozen, Located
from playbook.data.errors import field_message, validation_error
from playbook.data.files import display_path, read_yaml, require
from playbook.data.stats import (
    EXPECTED,
    QUOTE_FROM_YEAR,
    QUOTE_MAX_WORDS,
    RE_BRIEF_ID,
    RE_KEBAB,
    RE_TAG,
    RE_URL,
    SEED_FILES,
    Catalog,
    Chart,
    GlossaryTerm,
    Source,
    Stat,
    Verification,
    catalog_files,
    load_catalog,
    load_list,
    load_stats,
    unknown_id_message,
    value_in_quote,
)
from playbook.data.store import Store, config_store, project_store, store_for

__all__ = [
    "EXPECTED",
    "QUOTE_FROM_YEAR",
    "QUOTE_MAX_WORDS",
    "RE_BRIEF_ID",
    "RE_KEBAB",
    "RE_TAG",
    "RE_URL",
    "SEED_FILES",
    "Catalog",
    "Chart",
    "DataError",
    "Frozen",
    "GlossaryTerm",
    "Located",
    "Source",
    "Stat",
    "Store",
    "Verification",
    "catalog_files",
    "config_store",
    "display_path",
    "field_message",
    "load_catalog",
    "load_list",
    "load_stats",
    "project_store",
    "read_yaml",
    "require",
    "store_for",
    "unknown_id_message",
    "validation_error",
    "value_in_quote",
]

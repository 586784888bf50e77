"""Reading files: evidence files (YAML/JSON) with line numbers, study-level CSV."""

"""Reading policy sources: files with locations (source), validation (validate), versions (policy, revision)."""

"""Our annotations of a review: records, their YAML files, validation, anchoring, saving, export."""

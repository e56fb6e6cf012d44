"""Our annotations of a review: claims anchored in its text, and notes on its references.

``model`` (the records) · ``yaml_io`` (round-trip YAML) · ``schema`` (shape and types) ·
``loading`` (file → records) · ``validation`` (vocabulary, ids, quotes against the page) ·
``anchoring`` (where a quote sits) · ``coverage`` (sentences no claim quotes) · ``store``
(locked, validated, atomic edits) · ``web_annotation`` (W3C JSON-LD export) · ``vocabulary``
(cell types, steps, roles) · ``tables`` (pandas frames).
"""

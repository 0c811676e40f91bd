#!/usr/bin/env python3
"""Regenerates core/clip/htmlentities.inc from Python's html.entities.html5 (WHATWG table)."""
import html.entities, os
HERE = os.path.dirname(os.path.abspath(__file__))
lines = ["// Generated from the WHATWG HTML5 named character reference table (as shipped in Python's",
         "// html.entities.html5); data only. Format: {name (with or without the trailing ;), UTF-8 value}.",
         "// Used by htmlunescape.cpp. Regenerate with scripts/gen-html-entities.py."]
for name in sorted(html.entities.html5):
    value = "".join("\\x%02x" % b for b in html.entities.html5[name].encode("utf-8"))
    lines.append('{"%s", "%s"},' % (name, value))
with open(os.path.join(HERE, "..", "core", "clip", "htmlentities.inc"), "w") as f:
    f.write("\n".join(lines) + "\n")

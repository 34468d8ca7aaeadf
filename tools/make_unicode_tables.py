#!/usr/bin/python3
"""Writes src/Rerank.Onnx/Tokenization/CanonicalDecompositions.txt: the full canonical (NFD) decomposition of every
code point that has one, Hangul syllables excepted (they decompose algorithmically in code).

The BERT normaliser's strip_accents needs NFD, and .NET's string.Normalize does nothing under invariant
globalization (the cause of dotnet/machinelearning#7728), so the library carries its own table.
Format: one line per code point, hex scalars separated by spaces: "00E9 0065 0301".

Run: /usr/bin/python3 tools/make_unicode_tables.py
"""
import os
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "Rerank.Onnx", "Tokenization", "CanonicalDecompositions.txt")

lines = [f"# Unicode {unicodedata.unidata_version} canonical decompositions, from tools/make_unicode_tables.py"]
for cp in range(0x110000):
    if 0xAC00 <= cp <= 0xD7A3 or 0xD800 <= cp <= 0xDFFF:
        continue
    nfd = unicodedata.normalize("NFD", chr(cp))
    if nfd != chr(cp):
        lines.append(" ".join(f"{ord(c):04X}" for c in [chr(cp)] + list(nfd)))
with open(OUT, "w", encoding="ascii", newline="\n") as f:
    f.write("\n".join(lines) + "\n")
print(f"{OUT}: {len(lines) - 1} entries")

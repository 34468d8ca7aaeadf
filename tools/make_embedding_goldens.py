#!/usr/bin/python3
"""Writes Fixtures/goldens/<model>.json for the two embedding fixtures from transformers.js (see tools/README.md).

Each golden has `name`, `prompt_name` (or null), `text` (the caller's text, without prompt), `input_ids` and
`embedding`, for the fixture's own pooling and normalisation (`goldens`), plus, for tiny-bert-embedding, the other
pooling modes (`pooling_goldens`: mean without Normalize, cls, last_token from transformers.js; max and
mean_sqrt_len_tokens computed here from transformers.js' token embeddings with sentence-transformers' formulas), and,
for tiny-xlmr-embedding, the int8 model (`quantized_goldens`).

transformers.js reads neither sentence_bert_config.json nor prompts: the script prepends the prompt to the text itself,
as sentence-transformers' encode(prompt_name=...) does, and truncates texts longer than max_seq_length as Hugging Face
tokenizers does (see tools/embedding_reference.cjs for why transformers.js' own truncation is not used).

Run: TJS_DIR=/tmp/tjs /usr/bin/python3 tools/make_embedding_goldens.py
"""

import json
import math
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_cases import TEXTS, words  # noqa: E402
from make_goldens import isolate_astral_cjk, sentencepiece_ids  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "Rerank.Onnx.Tests", "Fixtures")
NODE_SCRIPT = os.path.join(ROOT, "tools", "embedding_reference.cjs")


MAX_SEQ_LENGTH = {"tiny-bert-embedding": 24, "tiny-xlmr-embedding": 40}


def reference(models_dir, model, dtype, pooling, normalize, texts):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.json")
        with open(src, "w", encoding="utf-8") as f:
            json.dump(texts, f)
        subprocess.run(["node", NODE_SCRIPT, models_dir, model, dtype, pooling, "1" if normalize else "0",
                        str(MAX_SEQ_LENGTH[model]), src, dst], check=True)
        with open(dst, encoding="utf-8") as f:
            return json.load(f)


def texts_for(family):
    texts = [(f"{category}-{i}", text) for i, (category, text) in enumerate(TEXTS)]
    # Longer than every max_seq_length: truncation at the end.
    texts += [(f"long-{n}", words(n, seed=n)) for n in (23, 40, 120, 600)]
    if family == "bert":
        return [(name, isolate_astral_cjk(text)) for name, text in texts]
    return texts


def max_pool(tokens):
    return [max(t[i] for t in tokens) for i in range(len(tokens[0]))]


def mean_sqrt_len(tokens):
    return [sum(t[i] for t in tokens) / math.sqrt(len(tokens)) for i in range(len(tokens[0]))]


def write(model, payload):
    path = os.path.join(FIXTURES, "goldens", model + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{path}: {os.path.getsize(path) / 1e3:.0f} kB")


def main():
    # tiny-bert-embedding: no prompts; mean + Normalize, and the other pooling modes on a subset.
    cases = texts_for("bert")
    texts = [t for _, t in cases]
    out = reference(FIXTURES, "tiny-bert-embedding", "fp32", "mean", True, texts)
    goldens = [{"name": n, "prompt_name": None, "text": t, "input_ids": o["input_ids"], "embedding": o["embedding"]}
               for (n, t), o in zip(cases, out)]
    subset = [c for c in cases if c[0].startswith(("plain", "accents", "cjk", "long"))]
    sub_texts = [t for _, t in subset]
    pooled = {mode: reference(FIXTURES, "tiny-bert-embedding", "fp32", mode, False, sub_texts) for mode in ("mean", "cls", "last_token", "none")}
    pooling_goldens = []
    for i, (name, text) in enumerate(subset):
        tokens = pooled["none"][i]["embedding"]
        pooling_goldens.append({"name": name, "text": text, "embeddings": {
            "mean": pooled["mean"][i]["embedding"], "cls": pooled["cls"][i]["embedding"],
            "lasttoken": pooled["last_token"][i]["embedding"], "max": max_pool(tokens),
            "mean_sqrt_len_tokens": mean_sqrt_len(tokens)}})
    write("tiny-bert-embedding", {"reference": "transformers.js feature-extraction (mean, normalize)",
                                  "goldens": goldens, "pooling_goldens": pooling_goldens})

    # tiny-xlmr-embedding: prompts; keep the texts whose transformers.js ids match sentencepiece's own encoder
    # (its Precompiled normaliser only approximates the charsmap, see tools/README.md).
    cases = texts_for("xlmr")
    prompted = [(n, ("query" if i % 2 == 0 else "passage"), t) for i, (n, t) in enumerate(cases)]
    full = [("query: " if p == "query" else "passage: ") + t for _, p, t in prompted]
    out = reference(FIXTURES, "tiny-xlmr-embedding", "fp32", "cls", True, full)
    spm_ids = sentencepiece_ids(os.path.join(FIXTURES, "tiny-xlmr-embedding", "sentencepiece.bpe.model"), full)
    keep = [i for i, o in enumerate(out) if o["input_ids"][1:-1] == spm_ids[i][:len(o["input_ids"]) - 2]]
    print(f"tiny-xlmr-embedding: {len(keep)} of {len(out)} texts tokenised alike by transformers.js and sentencepiece")
    goldens = [{"name": prompted[i][0], "prompt_name": prompted[i][1], "text": prompted[i][2],
                "input_ids": out[i]["input_ids"], "embedding": out[i]["embedding"]} for i in keep]
    quantized = reference(FIXTURES, "tiny-xlmr-embedding", "q8", "cls", True, [full[i] for i in keep])
    quantized_goldens = [{**g, "embedding": q["embedding"]} for g, q in zip(goldens, quantized)]
    write("tiny-xlmr-embedding", {"reference": "transformers.js feature-extraction (cls, normalize)",
                                  "goldens": goldens, "quantized_goldens": quantized_goldens})


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes tests/Rerank.Onnx.Tests/Fixtures/goldens/{tiny-bert-cross-encoder,tiny-xlmr-cross-encoder}.json.

The references are independent of the C# code under test:
* BERT ids: transformers.js (@huggingface/transformers, npm) reading the fixture's tokenizer.json, offline;
* XLM-R ids: sentencepiece's own encoder (python3-sentencepiece) on sentencepiece.bpe.model, mapped to the fairseq
  ids as transformers' XLMRobertaTokenizer does (<s>=0 <pad>=1 </s>=2 <unk>=3, other pieces +1);
* truncation: tokenizers' longest_first rule (tokenizers/src/utils/truncation.rs), applied here because
  transformers.js truncates pairs differently;
* logits: onnxruntime-node on the fixture's ONNX file, one pair per run (batch size 1, no padding);
* score: the activation sentence-transformers' CrossEncoder applies (config.json's
  sentence_transformers.activation_fn, else sigmoid for one label).

As a cross-check, the XLM-R ids are also computed with transformers.js from tokenizer.json and every disagreement
with sentencepiece is printed (the goldens keep sentencepiece's ids), except for texts that contain a special token
written out (<s>, <mask>, ...): sentencepiece alone does not split those off, so they take transformers.js's ids.

Run: /usr/bin/python3 tools/make_goldens.py   (TJS_DIR = folder with node_modules/@huggingface/transformers).
"""

import json
import math
import os
import subprocess
import sys
import tempfile

import sentencepiece as spm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_cases import cases  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "Rerank.Onnx.Tests", "Fixtures")
NODE_SCRIPT = os.path.join(ROOT, "tools", "golden_reference.cjs")
XLMR_SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")


def node(*args):
    subprocess.run(["node", NODE_SCRIPT, *args], check=True)


def via_node(command, payload, *args):
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.json")
        with open(src, "w", encoding="utf-8") as f:
            json.dump(payload, f)
        node(command, *args, src, dst)
        with open(dst, encoding="utf-8") as f:
            return json.load(f)


def longest_first(n_query, n_document, budget):
    """tokenizers' TruncationStrategy::LongestFirst for a pair; returns the kept lengths (query, document)."""
    if n_query + n_document <= budget:
        return n_query, n_document
    if budget == 0:
        return 0, 0
    n1, n2, swap = n_query, n_document, False
    if n1 > n2:
        n1, n2, swap = n2, n1, True
    n2 = n1 if n1 > budget else max(n1, budget - n1)
    if n1 + n2 > budget:
        n1 = budget // 2
        n2 = n1 + budget % 2
    if swap:
        n1, n2 = n2, n1
    return min(n1, n_query), min(n2, n_document)


def isolate_astral_cjk(text):
    """Works around a transformers.js bug: its BertNormalizer tests `char.charCodeAt(0)`, the high surrogate, so CJK
    ideographs outside the BMP (U+20000..) are not isolated as tokenizers' Rust code isolates them. Surrounding them
    with spaces is what handle_chinese_chars does anyway, and the pre-tokenizer drops the spaces, so the ids are
    those of the Rust implementation."""
    ranges = ((0x20000, 0x2A6DF), (0x2A700, 0x2B73F), (0x2B740, 0x2B81F), (0x2B920, 0x2CEAF), (0x2F800, 0x2FA1F))
    return "".join(f" {c} " if any(lo <= ord(c) <= hi for lo, hi in ranges) else c for c in text)


def sentencepiece_ids(model_file, texts):
    sp = spm.SentencePieceProcessor(model_file=model_file)

    def fairseq(i):
        return {0: 3, 1: 0, 2: 2}.get(i, i + 1)

    return [[fairseq(i) for i in sp.encode(text)] for text in texts]


def build(model, family, ids_of, activation):
    specials = 3 if family == "bert" else 4
    pairs = []
    for name, query, document, budget in cases():
        max_length = 512 if budget is None else min(512, budget + specials)
        q, d = ids_of[query], ids_of[document]
        keep_q, keep_d = longest_first(len(q), len(d), max_length - specials)
        q, d = q[:keep_q], d[:keep_d]
        if family == "bert":
            input_ids = [101] + q + [102] + d + [102]
            token_type_ids = [0] * (len(q) + 2) + [1] * (len(d) + 1)
        else:
            input_ids = [0] + q + [2, 2] + d + [2]
            token_type_ids = [0] * len(input_ids)
        pairs.append({"name": name, "query": query, "document": document, "max_length": max_length,
                      "input_ids": input_ids, "token_type_ids": token_type_ids,
                      "query_tokens_dropped": len(ids_of[query]) - keep_q,
                      "document_tokens_dropped": len(ids_of[document]) - keep_d})
    model_file = os.path.join(FIXTURES, model, "onnx", "model.onnx")
    if not os.path.exists(model_file):
        model_file = os.path.join(FIXTURES, model, "model.onnx")
    logits = via_node("logits", [{k: p[k] for k in ("input_ids", "token_type_ids")} for p in pairs], model_file)
    for pair, row in zip(pairs, logits):
        pair["logits"] = row
        pair["score"] = activation(row[0])
    return pairs


def write(model, reference, activation_name, pairs):
    os.makedirs(os.path.join(FIXTURES, "goldens"), exist_ok=True)
    path = os.path.join(FIXTURES, "goldens", model + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"model": model, "reference": reference, "activation": activation_name, "pairs": pairs}, f,
                  ensure_ascii=True, separators=(",", ":"))
        f.write("\n")
    print(f"{path}: {len(pairs)} pairs")


def main():
    texts = sorted({t for _, q, d, _ in cases() for t in (q, d)})

    bert_ids = dict(zip(texts, via_node("tokenize", [isolate_astral_cjk(t) for t in texts], FIXTURES,
                                        "tiny-bert-cross-encoder")))
    write("tiny-bert-cross-encoder",
          "ids: transformers.js tokenizer.json (no special tokens) + longest_first; logits: onnxruntime-node, batch 1",
          "sigmoid", build("tiny-bert-cross-encoder", "bert", bert_ids, lambda x: 1.0 / (1.0 + math.exp(-x))))

    sp_model = os.path.join(FIXTURES, "tiny-xlmr-cross-encoder", "sentencepiece.bpe.model")
    xlmr_ids = dict(zip(texts, sentencepiece_ids(sp_model, texts)))
    cross = dict(zip(texts, via_node("tokenize", texts, FIXTURES, "tiny-xlmr-cross-encoder")))
    # sentencepiece knows nothing of the added tokens that the Hugging Face tokenizers (slow and fast) split off before
    # the model runs, so texts that contain one take transformers.js's ids.
    for t in texts:
        if any(special in t for special in XLMR_SPECIALS):
            xlmr_ids[t] = cross[t]
    disagreements = [t for t in texts if cross[t] != xlmr_ids[t]]
    for t in disagreements:
        print(f"note: transformers.js differs from sentencepiece on {t[:60]!r}: {cross[t][:12]} vs {xlmr_ids[t][:12]}")
    write("tiny-xlmr-cross-encoder",
          "ids: sentencepiece (fairseq ids) + longest_first; logits: onnxruntime-node, batch 1",
          "identity", build("tiny-xlmr-cross-encoder", "xlmr", xlmr_ids, lambda x: x))


if __name__ == "__main__":
    main()

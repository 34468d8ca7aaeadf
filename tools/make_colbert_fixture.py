#!/usr/bin/python3
"""Builds the tiny ColBERT (late interaction) fixture and its goldens under tests/Rerank.Onnx.Tests/Fixtures/.

* tiny-bert-colbert/: a PyLate-layout checkpoint with RANDOM weights and the real architecture: a BERT encoder
  (hidden 12, 2 layers, the 30,522-entry bert-base-uncased vocabulary plus PyLate's added "[Q] " and "[D] " marker
  tokens), exported to onnx/model.onnx (output last_hidden_state), a separate projection 1_Dense (12 -> 8, no bias,
  safetensors) named in modules.json, and config_sentence_transformers.json with PyLate's settings. A second export,
  onnx/model_projected.onnx, has the same encoder with the projection inside the graph.
* goldens/tiny-bert-colbert.json: the reference, built from the published algorithm (PyLate's ColBERT.tokenize /
  ColBERT.encode / colbert_scores_pairwise, which follow colbert-ai) over ids from transformers.js and hidden
  states from onnxruntime-node (tools/golden_reference.cjs): query and document ids and masks, the document
  skiplist mask, the normalised document token embeddings, and the MaxSim score of every (query, document).

Run (see tools/README.md for the packages):
    /usr/bin/python3 tools/make_colbert_fixture.py                 # the model folder (deterministic)
    TJS_DIR=/tmp/tjs /usr/bin/python3 tools/make_colbert_fixture.py --goldens
"""

import argparse
import json
import math
import os
import shutil
import string
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "Rerank.Onnx.Tests", "Fixtures")
NAME = "tiny-bert-colbert"
HIDDEN = 12
DIM = 8
QUERY_LENGTH = 16
DOCUMENT_LENGTH = 24

QUERIES = [
    "what is late interaction?",
    "ColBERT MaxSim scoring",
    "",
    "a query that is much longer than the sixteen tokens of the query length, so PyLate truncates it before the markers",
    "naïve café résumé",
    "[MASK] in the query text",
]

DOCUMENTS = [
    "Late interaction encodes every token of the query and of the document.",
    "MaxSim sums, over the query tokens, the best matching document token.",
    "",
    "!!! ??? ... ,,, ;;; ::: --- ((( ))) [[[ ]]] {{{ }}} @@@ ### $$$ %%% ^^^ &&& *** +++ === ~~~ ``` ''' \"\"\" <<< >>> ||| ///",
    "   \t\n  ",
    "A document longer than the document length of the fixture: it goes on and on with words, commas, and full stops. "
    "It is truncated to twenty-four tokens, markers included, before the encoder sees it.",
    "Punctuation, inside; a (normal) sentence! Does the skiplist drop it? Yes: only on the document side.",
    "naïve café résumé, 東京 and emoji 🙂 and code: x = y + 1;",
    "The [D] marker and [Q] written in the text are added tokens.",
    "short",
]


def safetensors_bytes(tensors):
    """safetensors layout: u64 little-endian header length, the JSON header, then the raw little-endian data."""
    header, offset, payload = {}, 0, b""
    for name, (shape, values) in tensors.items():
        data = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        payload += data
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + payload


def make_model(out):
    import torch
    from torch import nn

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import make_fixtures as mf

    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "onnx"))
    os.makedirs(os.path.join(out, "1_Dense"))
    with open(mf.BERT_VOCAB, encoding="utf-8") as f:
        vocab = [line.rstrip("\n") for line in f]
    assert len(vocab) == 30522, len(vocab)

    # PyLate's ColBERT.__init__ adds its default prefixes as tokens and resizes the embeddings: ids 30522, 30523.
    markers = {"[Q] ": 30522, "[D] ": 30523}
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": 30524, "hidden_size": HIDDEN, "num_hidden_layers": 2, "num_attention_heads": 2,
        "intermediate_size": 24, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 512, "type_vocab_size": 2,
        "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }

    class Encoder(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.bert = mf.BertModel(c)

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert.encoder(self.bert.embeddings(input_ids, token_type_ids), attention_mask)

    class Projected(nn.Module):
        def __init__(self, encoder, linear):
            super().__init__()
            self.encoder, self.linear = encoder, linear

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.linear(self.encoder(input_ids, attention_mask, token_type_ids))

    encoder = Encoder(config)
    mf.randomise(encoder, seed=20261201)
    linear = nn.Linear(HIDDEN, DIM, bias=False)
    with torch.no_grad():
        linear.weight.copy_(torch.randn((DIM, HIDDEN), generator=torch.Generator().manual_seed(7)) * 0.5)
    encoder.eval()

    ids = torch.tensor([[101, 30522, 7592, 102, 103], [101, 30523, 2023, 102, 0]])
    mask = (ids > 103).long() | (ids == 101).long() | (ids == 102).long()
    types = torch.zeros_like(ids)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    for model, path, output in ((encoder, os.path.join(out, "onnx", "model.onnx"), "last_hidden_state"),
                                (Projected(encoder, linear), os.path.join(out, "onnx", "model_projected.onnx"), "token_embeddings")):
        axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names + [output]}
        with torch.no_grad():
            torch.onnx.export(model, (ids, mask, types), path, input_names=names, output_names=[output],
                              dynamic_axes=axes, opset_version=14, do_constant_folding=True)
        import onnx
        onnx.checker.check_model(onnx.load(path))

    weight = [float(v) for v in linear.weight.detach().reshape(-1).tolist()]
    with open(os.path.join(out, "1_Dense", "model.safetensors"), "wb") as f:
        f.write(safetensors_bytes({"linear.weight": ([DIM, HIDDEN], weight)}))
    mf.write_json(os.path.join(out, "1_Dense", "config.json"), {
        "in_features": HIDDEN, "out_features": DIM, "bias": False,
        "activation_function": "torch.nn.modules.linear.Identity", "use_residual": False})
    mf.write_json(os.path.join(out, "modules.json"), [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Dense", "type": "pylate.models.Dense.Dense"}])
    mf.write_json(os.path.join(out, "sentence_bert_config.json"), {"max_seq_length": DOCUMENT_LENGTH - 1, "do_lower_case": False})
    mf.write_json(os.path.join(out, "config_sentence_transformers.json"), {
        "__version__": {"sentence_transformers": "5.1.0", "pylate": "1.3.0"},
        "prompts": {}, "default_prompt_name": None, "similarity_fn_name": "MaxSim",
        "query_prefix": "[Q] ", "document_prefix": "[D] ", "query_length": QUERY_LENGTH,
        "document_length": DOCUMENT_LENGTH, "attend_to_expansion_tokens": False,
        "skiplist_words": list(string.punctuation), "do_query_expansion": True})
    mf.write_json(os.path.join(out, "config.json"), config)

    specials = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103}
    mf.write_json(os.path.join(out, "tokenizer_config.json"), {
        "do_lower_case": True, "strip_accents": None, "tokenize_chinese_chars": True, "do_basic_tokenize": True,
        "never_split": None, "model_max_length": 512, "tokenizer_class": "BertTokenizer",
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[MASK]", "unk_token": "[UNK]",
        "mask_token": "[MASK]", "clean_up_tokenization_spaces": True,
    })
    mf.write_json(os.path.join(out, "special_tokens_map.json"), {
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[MASK]", "unk_token": "[UNK]",
        "mask_token": "[MASK]"})
    # tokenizer.add_tokens(...) registers non-special, normalised added tokens, after the special ones.
    markers_added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": True, "special": False} for t, i in markers.items()]
    mf.write_json(os.path.join(out, "tokenizer.json"), mf.bert_tokenizer_json(vocab, specials, markers_added))
    with open(mf.BERT_VOCAB_README, encoding="utf-8") as f:
        attribution = f.read()
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("# tiny-bert-colbert (test fixture)\n\n"
                "A PyLate-layout ColBERT checkpoint (BERT hidden 12, 2 layers, projection 12 -> 8 in `1_Dense`) with\n"
                "RANDOM weights, made by `tools/make_colbert_fixture.py`. Its scores mean nothing; it exists to prove\n"
                "that markers, query expansion, truncation, the skiplist, the projection, normalisation and MaxSim\n"
                "reproduce the reference in `../goldens/tiny-bert-colbert.json`. `onnx/model_projected.onnx` is the\n"
                "same network with the projection inside the graph.\n\n"
                "## Vocabulary attribution\n\n" + attribution)


# ----------------------------------------------------------------------------------------------------------------
# The reference: PyLate's algorithm over transformers.js ids and onnxruntime-node hidden states
# ----------------------------------------------------------------------------------------------------------------

def node(*args):
    subprocess.run(["node", os.path.join(ROOT, "tools", "golden_reference.cjs"), *args], check=True)


def layout(ids, length, prefix_id, cls_id, sep_id, mask_id, expand, attend):
    """PyLate ColBERT.tokenize: the tokenizer truncates to length - 1 ([CLS] x [SEP]), pads queries with [MASK] to
    length - 1 (the pad token is the mask token), then the marker is inserted after [CLS] with attention 1."""
    body = ids[: max(0, length - 1 - 2)]
    input_ids = [cls_id] + body + [sep_id]
    mask = [1] * len(input_ids)
    if expand:
        pad = (length - 1) - len(input_ids)
        input_ids += [mask_id] * pad
        mask += [0] * pad
    input_ids = input_ids[:1] + [prefix_id] + input_ids[1:]
    mask = mask[:1] + [1] + mask[1:]
    if attend:
        mask = [1] * len(mask)
    return input_ids, mask, len(ids) - len(body)


def normalize(rows):
    out = []
    for row in rows:
        norm = math.sqrt(sum(v * v for v in row))
        out.append([v / max(norm, 1e-12) for v in row])  # torch.nn.functional.normalize, eps 1e-12
    return out


def project(rows, weight):
    return [[sum(w * v for w, v in zip(weight_row, row)) for weight_row in weight] for row in rows]


def maxsim(query, document):
    """colbert_scores_pairwise: sum over query tokens of the best dot product with a document token."""
    return sum(max(sum(a * b for a, b in zip(q, d)) for d in document) for q in query)


def make_goldens(out_dir, goldens_path):
    with open(os.path.join(out_dir, "tokenizer.json"), encoding="utf-8") as f:
        tokenizer = json.load(f)
    vocab = dict(tokenizer["model"]["vocab"])
    for added in tokenizer["added_tokens"]:
        vocab[added["content"]] = added["id"]
    with open(os.path.join(out_dir, "config_sentence_transformers.json"), encoding="utf-8") as f:
        settings = json.load(f)
    unk = vocab["[UNK]"]
    # convert_tokens_to_ids: a word missing from the vocabulary maps to the unknown token's id.
    skiplist = sorted({vocab.get(word, unk) for word in settings["skiplist_words"]})
    cls_id, sep_id, mask_id = vocab["[CLS]"], vocab["[SEP]"], vocab["[MASK]"]
    q_id, d_id = vocab[settings["query_prefix"]], vocab[settings["document_prefix"]]

    with open(os.path.join(out_dir, "1_Dense", "model.safetensors"), "rb") as f:
        raw = f.read()
    (header_length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + header_length])
    entry = header["linear.weight"]
    start, end = entry["data_offsets"]
    flat = struct.unpack("<%df" % ((end - start) // 4), raw[8 + header_length + start: 8 + header_length + end])
    rows, cols = entry["shape"]
    weight = [list(flat[r * cols:(r + 1) * cols]) for r in range(rows)]

    with tempfile.TemporaryDirectory() as tmp:
        texts_path, ids_path = os.path.join(tmp, "texts.json"), os.path.join(tmp, "ids.json")
        # sentence-transformers' Transformer.tokenize strips each text before tokenising.
        texts = [t.strip() for t in QUERIES + DOCUMENTS]
        with open(texts_path, "w", encoding="utf-8") as f:
            json.dump(texts, f, ensure_ascii=False)
        node("tokenize", os.path.dirname(out_dir), os.path.basename(out_dir), texts_path, ids_path)
        with open(ids_path, encoding="utf-8") as f:
            token_ids = json.load(f)
        query_ids, document_ids = token_ids[: len(QUERIES)], token_ids[len(QUERIES):]

        sequences = []
        cases = {}
        for attend in (False, True):
            cases[attend] = [layout(ids, QUERY_LENGTH, q_id, cls_id, sep_id, mask_id, True, attend) for ids in query_ids]
            sequences += [{"input_ids": c[0], "attention_mask": c[1]} for c in cases[attend]]
        documents = [layout(ids, DOCUMENT_LENGTH, d_id, cls_id, sep_id, mask_id, False, False) for ids in document_ids]
        sequences += [{"input_ids": c[0], "attention_mask": c[1]} for c in documents]
        seq_path, hidden_path, projected_path = (os.path.join(tmp, n) for n in ("seq.json", "hidden.json", "proj.json"))
        with open(seq_path, "w", encoding="utf-8") as f:
            json.dump(sequences, f)
        node("hidden", os.path.join(out_dir, "onnx", "model.onnx"), seq_path, hidden_path)
        node("hidden", os.path.join(out_dir, "onnx", "model_projected.onnx"), seq_path, projected_path)
        with open(hidden_path, encoding="utf-8") as f:
            hidden = json.load(f)
        with open(projected_path, encoding="utf-8") as f:
            in_graph = json.load(f)

    projected = [project(h, weight) for h in hidden]
    worst = max(abs(a - b) for p, g in zip(projected, in_graph) for pr, gr in zip(p, g) for a, b in zip(pr, gr))
    assert worst < 1e-4, f"the in-graph projection disagrees with 1_Dense by {worst}"
    n = len(QUERIES)
    query_embeddings = {False: [normalize(p) for p in projected[:n]], True: [normalize(p) for p in projected[n:2 * n]]}
    document_embeddings, keep_masks = [], []
    for (ids, mask, _), rows in zip(documents, projected[2 * n:]):
        keep = [1 if m and i not in skiplist else 0 for i, m in zip(ids, mask)]
        keep_masks.append(keep)
        document_embeddings.append(normalize([r for r, k in zip(rows, keep) if k]))

    golden = {
        "model": NAME, "query_length": QUERY_LENGTH, "document_length": DOCUMENT_LENGTH, "dimension": DIM,
        "skiplist": skiplist, "query_prefix_id": q_id, "document_prefix_id": d_id,
        "queries": [{"text": text, "input_ids": cases[False][i][0], "attention_mask": cases[False][i][1],
                     "attention_mask_attending": cases[True][i][1], "tokens_dropped": cases[False][i][2]}
                    for i, text in enumerate(QUERIES)],
        "documents": [{"text": text, "input_ids": documents[i][0], "attention_mask": documents[i][1],
                       "skiplist_mask": keep_masks[i], "tokens_dropped": documents[i][2],
                       "embeddings": document_embeddings[i]} for i, text in enumerate(DOCUMENTS)],
        "scores": [[maxsim(q, d) for d in document_embeddings] for q in query_embeddings[False]],
        "scores_attending": [[maxsim(q, d) for d in document_embeddings] for q in query_embeddings[True]],
    }
    os.makedirs(os.path.dirname(goldens_path), exist_ok=True)
    with open(goldens_path, "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {goldens_path}; in-graph projection agrees to {worst:.2e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=FIXTURES)
    parser.add_argument("--goldens", action="store_true", help="write the goldens (needs node and TJS_DIR) instead of the model")
    args = parser.parse_args()
    folder = os.path.join(args.out, NAME)
    if args.goldens:
        make_goldens(folder, os.path.join(args.out, "goldens", NAME + ".json"))
    else:
        make_model(folder)
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)
        print(f"{NAME}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

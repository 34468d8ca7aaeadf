#!/usr/bin/python3
"""Generates the late-interaction benchmark model on demand: a ColBERT checkpoint in PyLate's layout with the
encoder of the cross-encoder benchmark (BERT, 6 layers, hidden 384, 12 heads, intermediate 1536, the real
30,522-entry uncased vocabulary plus PyLate's [Q] / [D] markers), a 384 -> 128 projection in 1_Dense, and PyLate's
default lengths (query 32, document 180), with RANDOM weights (HF's initialisation):
    <out>/config.json, modules.json, config_sentence_transformers.json, tokenizer files
    <out>/onnx/model.onnx                 float32 last_hidden_state, exported by torch.onnx (opset 14), ~91 MB
    <out>/1_Dense/config.json, model.safetensors
Random weights make the scores meaningless but leave the cost of inference exactly that of the real model.
Written under the ignored .bench/ folder, never committed.
    /usr/bin/python3 tools/make_bench_colbert.py [--out .bench/minilm-l6-h384-colbert]
"""

import argparse
import os
import shutil
import string
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_colbert_fixture  # noqa: E402
import make_fixtures  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, ".bench", "minilm-l6-h384-colbert"))
    args = parser.parse_args()
    out = args.out
    model_path = os.path.join(out, "onnx", "model.onnx")
    if os.path.exists(model_path):
        print(f"{out} already exists")
        return
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    os.makedirs(os.path.join(out, "1_Dense"), exist_ok=True)
    fixture = os.path.join(make_fixtures.FIXTURES, make_colbert_fixture.NAME)
    for name in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(fixture, name), os.path.join(out, name))

    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "vocab_size": 30524, "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
        "intermediate_size": 1536, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 512, "type_vocab_size": 2,
        "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }

    class Encoder(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.bert = make_fixtures.BertModel(c)

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert.encoder(self.bert.embeddings(input_ids, token_type_ids), attention_mask)

    torch.manual_seed(14)
    encoder = Encoder(config)
    linear = nn.Linear(384, 128, bias=False)
    with torch.no_grad():
        for name, p in list(encoder.named_parameters()) + [("linear.weight", linear.weight)]:
            if "LayerNorm.weight" in name:
                p.fill_(1.0)
            elif name.endswith(".bias"):
                p.zero_()
            else:
                p.normal_(0.0, 0.02)
    encoder.eval()
    ids = torch.tensor([[101, 30522, 7592, 102, 103], [101, 30523, 2023, 102, 103]])
    mask = torch.tensor([[1, 1, 1, 1, 0], [1, 1, 1, 1, 0]])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names + ["last_hidden_state"]}
    with torch.no_grad():
        torch.onnx.export(encoder, (ids, mask, torch.zeros_like(ids)), model_path, input_names=names,
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=14, do_constant_folding=True)

    weight = [float(v) for v in linear.weight.detach().reshape(-1).tolist()]
    with open(os.path.join(out, "1_Dense", "model.safetensors"), "wb") as f:
        f.write(make_colbert_fixture.safetensors_bytes({"linear.weight": ([128, 384], weight)}))
    make_fixtures.write_json(os.path.join(out, "1_Dense", "config.json"), {
        "in_features": 384, "out_features": 128, "bias": False,
        "activation_function": "torch.nn.modules.linear.Identity", "use_residual": False})
    make_fixtures.write_json(os.path.join(out, "modules.json"), [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Dense", "type": "pylate.models.Dense.Dense"}])
    make_fixtures.write_json(os.path.join(out, "config_sentence_transformers.json"), {
        "query_prefix": "[Q] ", "document_prefix": "[D] ", "query_length": 32, "document_length": 180,
        "attend_to_expansion_tokens": False, "skiplist_words": list(string.punctuation), "do_query_expansion": True,
        "similarity_fn_name": "MaxSim"})
    make_fixtures.write_json(os.path.join(out, "config.json"), config)
    print(f"wrote {out}: model.onnx ({os.path.getsize(model_path) / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()

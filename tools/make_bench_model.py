#!/usr/bin/python3
"""Generates the benchmark model on demand: a full-size cross-encoder with the architecture of
cross-encoder/ms-marco-MiniLM-L-6-v2 (BERT, 6 layers, hidden 384, 12 heads, intermediate 1536, the real 30,522-entry
uncased vocabulary, one label) and RANDOM weights, in a Hugging Face folder layout:

    <out>/config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json, vocab.txt
    <out>/onnx/model.onnx             float32, exported by torch.onnx (opset 14), ~91 MB
    <out>/onnx/model_quantized.onnx   int8 MatMuls, by tools/quantize_onnx_int8.py

Random weights make the scores meaningless but leave the cost of inference exactly that of the real model.
The files are large, so they are written under the ignored .bench/ folder, never committed.

    /usr/bin/python3 tools/make_bench_model.py [--out .bench/minilm-l6-h384-cross-encoder]

Needs Debian's python3-torch and python3-onnx. The modelling code and the tokenizer files are those of the test
fixtures (tools/make_fixtures.py), scaled up.
"""
import argparse
import os
import shutil
import sys

import onnx
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures  # noqa: E402
import quantize_onnx_int8  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(ROOT, ".bench", "minilm-l6-h384-cross-encoder"))
    args = parser.parse_args()
    out = args.out
    model_path = os.path.join(out, "onnx", "model.onnx")
    quantized_path = os.path.join(out, "onnx", "model_quantized.onnx")
    if os.path.exists(model_path) and os.path.exists(quantized_path):
        print(f"{out} already exists")
        return

    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    fixture = os.path.join(make_fixtures.FIXTURES, "tiny-bert-cross-encoder")
    for name in TOKENIZER_FILES:
        shutil.copyfile(os.path.join(fixture, name), os.path.join(out, name))

    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "vocab_size": 30522, "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
        "intermediate_size": 1536, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 512, "type_vocab_size": 2,
        "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "position_embedding_type": "absolute", "classifier_dropout": None,
        "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}, "torch_dtype": "float32",
    }
    torch.manual_seed(6)
    model = make_fixtures.BertForSequenceClassification(config)
    with torch.no_grad():
        # Hugging Face's initialisation: N(0, 0.02) weights, zero biases, unit LayerNorm.
        for name, p in model.named_parameters():
            if "LayerNorm.weight" in name:
                p.fill_(1.0)
            elif name.endswith(".bias"):
                p.zero_()
            else:
                p.normal_(0.0, 0.02)
    ids = torch.tensor([[101, 7592, 102, 2088, 102], [101, 2023, 102, 0, 0]])
    mask = (ids != 0).long()
    types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]])
    make_fixtures.export(model, (ids, mask, types), ["input_ids", "attention_mask", "token_type_ids"], model_path)
    make_fixtures.write_json(os.path.join(out, "config.json"), config)

    quantized = onnx.load(model_path)
    count = quantize_onnx_int8.rewrite(quantized, "matmulinteger")
    onnx.save(quantized, quantized_path)
    print(f"wrote {out}: model.onnx ({os.path.getsize(model_path) / 1e6:.1f} MB), "
          f"model_quantized.onnx ({os.path.getsize(quantized_path) / 1e6:.1f} MB, {count} MatMuls int8)")


if __name__ == "__main__":
    main()

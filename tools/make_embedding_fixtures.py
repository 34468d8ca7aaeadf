#!/usr/bin/python3
"""Builds the two tiny sentence-transformers (bi-encoder) fixture folders under tests/Rerank.Onnx.Tests/Fixtures/.

* tiny-bert-embedding: a BertModel encoder (hidden 12, 2 layers) with random weights, the tokenizer files of
  tiny-bert-cross-encoder (the real 30,522-entry uncased vocabulary), onnx/model.onnx with inputs input_ids,
  attention_mask, token_type_ids and output last_hidden_state. modules.json lists Transformer, Pooling (mean) and Normalize, as all-MiniLM-L6-v2's
  does; sentence_bert_config.json caps texts at 24 tokens (tokenizer_config.json says 512), so truncation is exercised.
* tiny-xlmr-embedding: an XLM-R encoder (hidden 16, 2 layers) with random weights and tiny-xlmr-cross-encoder's
  sentencepiece tokenizer; CLS pooling, Normalize, the e5-style prompts "query: " / "passage: ", and an int8
  onnx/model_quantized.onnx made by tools/quantize_onnx_int8.py.

Run after tools/make_fixtures.py (it copies that script's tokenizer files):
    /usr/bin/python3 tools/make_embedding_fixtures.py
"""

import json
import os
import shutil
import subprocess
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_fixtures import BertModel, FIXTURES, randomise, write_json  # noqa: E402

TOOLS = os.path.dirname(os.path.abspath(__file__))


class Encoder(nn.Module):
    """The bare encoder (AutoModel): token embeddings out, as optimum's feature-extraction export."""

    def __init__(self, c, roberta):
        super().__init__()
        self.roberta = roberta
        self.model = BertModel(c, roberta=roberta)

    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if token_type_ids is None:
            token_type_ids = torch.zeros_like(input_ids)
        return self.model.encoder(self.model.embeddings(input_ids, token_type_ids), attention_mask)


def export(model, inputs, names, path):
    model.eval()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names}
    axes["last_hidden_state"] = {0: "batch_size", 1: "sequence_length"}
    with torch.no_grad():
        torch.onnx.export(model, inputs, path, input_names=names, output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=14, do_constant_folding=True)


def sentence_transformers_files(out, pooling, normalize, max_seq_length, prompts=None):
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
    if normalize:
        modules.append({"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"})
        os.makedirs(os.path.join(out, "2_Normalize"), exist_ok=True)
        # sentence-transformers writes an empty folder; git keeps no empty folder, so leave a note in it.
        with open(os.path.join(out, "2_Normalize", "README.md"), "w") as f:
            f.write("The Normalize module has no configuration; modules.json listing it is what matters.\n")
    write_json(os.path.join(out, "modules.json"), modules)
    os.makedirs(os.path.join(out, "1_Pooling"), exist_ok=True)
    write_json(os.path.join(out, "1_Pooling", "config.json"), {
        "word_embedding_dimension": None, "pooling_mode_cls_token": pooling == "cls",
        "pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False, "include_prompt": True})
    write_json(os.path.join(out, "sentence_bert_config.json"), {"max_seq_length": max_seq_length, "do_lower_case": False})
    write_json(os.path.join(out, "config_sentence_transformers.json"), {
        "__version__": {"sentence_transformers": "3.0.1"}, "prompts": prompts or {}, "default_prompt_name": None,
        "similarity_fn_name": "cosine"})


def copy_tokenizer(source, out, names):
    for name in names:
        shutil.copyfile(os.path.join(FIXTURES, source, name), os.path.join(out, name))


def make_bert(out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "onnx"))
    copy_tokenizer("tiny-bert-cross-encoder", out, ["vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"])
    config = {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": 30522, "hidden_size": 12,
        "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 24, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 512,
        "type_vocab_size": 2, "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    model = Encoder(config, roberta=False)
    randomise(model, seed=20240601)
    ids = torch.tensor([[101, 7592, 102, 0], [101, 2023, 2088, 102]])
    export(model, (ids, (ids != 0).long(), torch.zeros_like(ids)), ["input_ids", "attention_mask", "token_type_ids"],
           os.path.join(out, "onnx", "model.onnx"))
    write_json(os.path.join(out, "config.json"), config)
    sentence_transformers_files(out, "mean", normalize=True, max_seq_length=24)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("# tiny-bert-embedding (test fixture)\n\n"
                "A BERT encoder (hidden 12, 2 layers, 2 heads) with RANDOM weights laid out as a sentence-transformers\n"
                "model (mean pooling, Normalize, max_seq_length 24), made by `tools/make_embedding_fixtures.py`, with\n"
                "tiny-bert-cross-encoder's tokenizer files (see its README for the vocabulary's attribution).\n"
                "Its embeddings mean nothing; they prove tokenisation, truncation, batching, padding, pooling and\n"
                "normalisation.\n")


def make_xlmr(out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "onnx"))
    copy_tokenizer("tiny-xlmr-cross-encoder", out, ["sentencepiece.bpe.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"])
    with open(os.path.join(out, "tokenizer.json"), encoding="utf-8") as f:
        vocab_size = len(json.load(f)["model"]["vocab"])
    config = {
        "architectures": ["XLMRobertaModel"], "model_type": "xlm-roberta", "vocab_size": vocab_size, "hidden_size": 16,
        "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 32, "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 514,
        "type_vocab_size": 1, "initializer_range": 0.02, "layer_norm_eps": 1e-05, "pad_token_id": 1,
        "bos_token_id": 0, "eos_token_id": 2, "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    model = Encoder(config, roberta=True)
    randomise(model, seed=20240602)
    ids = torch.tensor([[0, 100, 200, 2], [0, 300, 2, 1]])
    export(model, (ids, (ids != 1).long()), ["input_ids", "attention_mask"], os.path.join(out, "onnx", "model.onnx"))
    subprocess.run([sys.executable, os.path.join(TOOLS, "quantize_onnx_int8.py"), os.path.join(out, "onnx", "model.onnx"),
                    os.path.join(out, "onnx", "model_quantized.onnx")], check=True)
    write_json(os.path.join(out, "config.json"), config)
    sentence_transformers_files(out, "cls", normalize=True, max_seq_length=40,
                                prompts={"query": "query: ", "passage": "passage: "})
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("# tiny-xlmr-embedding (test fixture)\n\n"
                "An XLM-R encoder (hidden 16, 2 layers, 2 heads) with RANDOM weights laid out as a sentence-transformers\n"
                "model (CLS pooling, Normalize, max_seq_length 40, prompts `query: ` / `passage: ` as e5 has them), made\n"
                "by `tools/make_embedding_fixtures.py` with tiny-xlmr-cross-encoder's sentencepiece tokenizer.\n"
                "`onnx/model_quantized.onnx` is the int8 export made by `tools/quantize_onnx_int8.py`.\n")


def main():
    torch.manual_seed(0)
    for name, make in (("tiny-bert-embedding", make_bert), ("tiny-xlmr-embedding", make_xlmr)):
        folder = os.path.join(FIXTURES, name)
        make(folder)
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)
        print(f"{name}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

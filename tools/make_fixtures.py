#!/usr/bin/python3
"""Builds the two tiny cross-encoder fixture folders under tests/Rerank.Onnx.Tests/Fixtures/.

* tiny-bert-cross-encoder: BertForSequenceClassification (num_labels=1) with random weights and the real
  30,522-entry bert-base-uncased vocabulary; onnx/model.onnx with inputs input_ids, attention_mask, token_type_ids.
* tiny-xlmr-cross-encoder: XLMRobertaForSequenceClassification (num_labels=1) with random weights and a
  sentencepiece unigram model trained here on tools/xlmr_corpus.txt; model.onnx with inputs input_ids,
  attention_mask (no token_type_ids, as in real XLM-R exports).

Python `transformers` is not installable on these machines, so the torch modules below mirror Hugging Face's
modelling code (same parameter names, same arithmetic: post-LayerNorm encoder, erf GELU, additive attention mask
with finfo.min, BERT pooler + classifier, RoBERTa classification head and padding-aware position ids).

Run: /usr/bin/python3 tools/make_fixtures.py   (needs Debian's python3-torch, python3-onnx, python3-sentencepiece).
The output is deterministic for a given torch/sentencepiece version (fixed seeds, one training thread).
"""

import argparse
import base64
import json
import math
import os
import shutil
import tempfile

import onnx
import sentencepiece as spm
import torch
from sentencepiece import sentencepiece_model_pb2
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "Rerank.Onnx.Tests", "Fixtures")
BERT_VOCAB = os.environ.get("BERT_VOCAB", "/work/shared/data/bert-base-uncased/vocab.txt")
BERT_VOCAB_README = os.path.join(os.path.dirname(BERT_VOCAB), "README.md")
CORPUS = os.path.join(ROOT, "tools", "xlmr_corpus.txt")


# ----------------------------------------------------------------------------------------------------------------
# Hugging Face architectures (parameter names as in transformers' modeling_bert.py / modeling_xlm_roberta.py)
# ----------------------------------------------------------------------------------------------------------------

class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.num_heads = c["num_attention_heads"]
        self.head_dim = c["hidden_size"] // self.num_heads
        self.query = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.key = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.value = nn.Linear(c["hidden_size"], c["hidden_size"])

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden, extended_mask):
        q, k, v = self.split(self.query(hidden)), self.split(self.key(hidden)), self.split(self.value(hidden))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + extended_mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v)
        b, _, t, _ = context.shape
        return context.transpose(1, 2).reshape(b, t, self.num_heads * self.head_dim)


class SelfOutput(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dense(hidden) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = SelfOutput(c)

    def forward(self, hidden, extended_mask):
        return self.output(self.self(hidden, extended_mask), hidden)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, hidden):
        return nn.functional.gelu(self.dense(hidden))  # "gelu" = exact erf GELU, as HF's ACT2FN["gelu"]


class Output(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["intermediate_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, hidden, residual):
        return self.LayerNorm(self.dense(hidden) + residual)


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = Output(c)

    def forward(self, hidden, extended_mask):
        attention = self.attention(hidden, extended_mask)
        return self.output(self.intermediate(attention), attention)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, hidden, attention_mask):
        extended = attention_mask[:, None, None, :].to(hidden.dtype)
        extended = (1.0 - extended) * torch.finfo(hidden.dtype).min
        for layer in self.layer:
            hidden = layer(hidden, extended)
        return hidden


class Embeddings(nn.Module):
    def __init__(self, c, roberta):
        super().__init__()
        self.roberta = roberta
        self.padding_idx = c["pad_token_id"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=c["pad_token_id"])
        self.position_embeddings = nn.Embedding(
            c["max_position_embeddings"], c["hidden_size"], padding_idx=c["pad_token_id"] if roberta else None)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, input_ids, token_type_ids):
        if self.roberta:
            # create_position_ids_from_input_ids: padding keeps padding_idx, real tokens count from padding_idx + 1
            mask = input_ids.ne(self.padding_idx).int()
            position_ids = (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + self.padding_idx
        else:
            position_ids = torch.arange(input_ids.shape[1], dtype=torch.long).unsqueeze(0)
        embeddings = (self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
                      + self.position_embeddings(position_ids))
        return self.LayerNorm(embeddings)


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, hidden):
        return torch.tanh(self.dense(hidden[:, 0]))


class BertModel(nn.Module):
    def __init__(self, c, roberta=False):
        super().__init__()
        self.embeddings = Embeddings(c, roberta)
        self.encoder = Encoder(c)
        if not roberta:
            self.pooler = Pooler(c)


class BertForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = BertModel(c)
        self.classifier = nn.Linear(c["hidden_size"], 1)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert.encoder(self.bert.embeddings(input_ids, token_type_ids), attention_mask)
        return self.classifier(self.bert.pooler(hidden))


class RobertaClassificationHead(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])
        self.out_proj = nn.Linear(c["hidden_size"], 1)

    def forward(self, hidden):
        return self.out_proj(torch.tanh(self.dense(hidden[:, 0, :])))


class XLMRobertaForSequenceClassification(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.roberta = BertModel(c, roberta=True)
        self.classifier = RobertaClassificationHead(c)

    def forward(self, input_ids, attention_mask):
        token_type_ids = torch.zeros_like(input_ids)
        hidden = self.roberta.encoder(self.roberta.embeddings(input_ids, token_type_ids), attention_mask)
        return self.classifier(hidden)


def randomise(model, seed):
    """Random weights, larger than HF's 0.02 init so that different inputs give clearly different logits."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            if "LayerNorm.weight" in name:
                p.copy_(1.0 + 0.1 * noise)
            elif "LayerNorm.bias" in name or name.endswith(".bias"):
                p.copy_(0.05 * noise)
            else:
                p.copy_(0.2 * noise)


def export(model, inputs, names, path):
    model.eval()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names}
    axes["logits"] = {0: "batch_size"}
    with torch.no_grad():
        torch.onnx.export(model, inputs, path, input_names=names, output_names=["logits"], dynamic_axes=axes,
                          opset_version=14, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=2)
        f.write("\n")


def bert_tokenizer_json(vocab, specials, extra_added_tokens=()):
    """The tokenizer.json Hugging Face writes for a lower-casing BERT WordPiece tokenizer: the special tokens (then any
    extra added tokens) as added tokens, BertNormalizer, BertPreTokenizer, [CLS] A [SEP] (B [SEP]), WordPiece over vocab."""
    cls_sep = {t: {"id": t, "ids": [specials[t]], "tokens": [t]} for t in ("[CLS]", "[SEP]")}
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added_token(i, t) for t, i in sorted(specials.items(), key=lambda kv: kv[1])] + list(extra_added_tokens),
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": cls_sep},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {token: i for i, token in enumerate(vocab)}},
    }


def added_token(token_id, content, lstrip=False):
    return {"id": token_id, "content": content, "single_word": False, "lstrip": lstrip, "rstrip": False,
            "normalized": False, "special": True}


# ----------------------------------------------------------------------------------------------------------------
# tiny-bert-cross-encoder
# ----------------------------------------------------------------------------------------------------------------

def make_bert(out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(out, "onnx"))
    with open(BERT_VOCAB, encoding="utf-8") as f:
        vocab = [line.rstrip("\n") for line in f]
    assert len(vocab) == 30522, len(vocab)
    shutil.copyfile(BERT_VOCAB, os.path.join(out, "vocab.txt"))

    # hidden 24 keeps model.onnx (dominated by the 30,522 x hidden fp32 embedding) under 4 MB.
    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "vocab_size": 30522, "hidden_size": 24, "num_hidden_layers": 2, "num_attention_heads": 2,
        "intermediate_size": 48, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 512, "type_vocab_size": 2,
        "initializer_range": 0.02, "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "position_embedding_type": "absolute", "classifier_dropout": None,
        "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}, "torch_dtype": "float32",
    }
    model = BertForSequenceClassification(config)
    randomise(model, seed=20240501)
    ids = torch.tensor([[101, 7592, 102, 2088, 102], [101, 2023, 102, 0, 0]])
    mask = (ids != 0).long()
    types = torch.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]])
    export(model, (ids, mask, types), ["input_ids", "attention_mask", "token_type_ids"],
           os.path.join(out, "onnx", "model.onnx"))
    write_json(os.path.join(out, "config.json"), config)

    specials = {"[PAD]": 0, "[UNK]": 100, "[CLS]": 101, "[SEP]": 102, "[MASK]": 103}
    for token, token_id in specials.items():
        assert vocab[token_id] == token, (token, vocab[token_id])
    write_json(os.path.join(out, "tokenizer_config.json"), {
        "do_lower_case": True, "strip_accents": None, "tokenize_chinese_chars": True, "do_basic_tokenize": True,
        "never_split": None, "model_max_length": 512, "tokenizer_class": "BertTokenizer",
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
        "mask_token": "[MASK]", "clean_up_tokenization_spaces": True,
    })
    write_json(os.path.join(out, "special_tokens_map.json"), {
        "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
        "mask_token": "[MASK]"})
    write_json(os.path.join(out, "tokenizer.json"), bert_tokenizer_json(vocab, specials))
    with open(BERT_VOCAB_README, encoding="utf-8") as f:
        attribution = f.read()
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("# tiny-bert-cross-encoder (test fixture)\n\n"
                "A BertForSequenceClassification (hidden 24, 2 layers, 2 heads, 1 label) with RANDOM weights, made by\n"
                "`tools/make_fixtures.py`. Its scores mean nothing; it exists to prove that tokenisation, truncation,\n"
                "batching, padding and activation reproduce the reference outputs in `../goldens/`.\n\n"
                "## Vocabulary attribution\n\n" + attribution)


# ----------------------------------------------------------------------------------------------------------------
# tiny-xlmr-cross-encoder
# ----------------------------------------------------------------------------------------------------------------

def make_xlmr(out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "sp")
        spm.SentencePieceTrainer.train(
            input=CORPUS, model_prefix=prefix, model_type="unigram", vocab_size=1000, hard_vocab_limit=False,
            character_coverage=1.0, normalization_rule_name="nmt_nfkc", num_threads=1, minloglevel=2,
            unk_id=0, bos_id=1, eos_id=2, pad_id=-1)
        proto = sentencepiece_model_pb2.ModelProto()
        with open(prefix + ".model", "rb") as f:
            proto.ParseFromString(f.read())
    # The trainer records its temporary paths; fixed values keep the file byte-for-byte reproducible.
    proto.trainer_spec.model_prefix = "sentencepiece"
    del proto.trainer_spec.input[:]
    proto.trainer_spec.input.append("tools/xlmr_corpus.txt")
    with open(os.path.join(out, "sentencepiece.bpe.model"), "wb") as f:
        f.write(proto.SerializeToString())
    assert [p.piece for p in proto.pieces[:3]] == ["<unk>", "<s>", "</s>"]

    # fairseq layout, as transformers' XLMRobertaConverter: <s> <pad> </s> <unk>, sentencepiece pieces 3.. shifted
    # by one, <mask> last.
    vocab = [["<s>", 0.0], ["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0]]
    vocab += [[p.piece, p.score] for p in proto.pieces[3:]]
    vocab.append(["<mask>", 0.0])
    mask_id = len(vocab) - 1

    config = {
        "architectures": ["XLMRobertaForSequenceClassification"], "model_type": "xlm-roberta",
        "vocab_size": len(vocab), "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
        "intermediate_size": 64, "hidden_act": "gelu", "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 514, "type_vocab_size": 1,
        "initializer_range": 0.02, "layer_norm_eps": 1e-05, "pad_token_id": 1, "bos_token_id": 0,
        "eos_token_id": 2, "position_embedding_type": "absolute", "classifier_dropout": None,
        "id2label": {"0": "LABEL_0"}, "label2id": {"LABEL_0": 0}, "torch_dtype": "float32",
        # sentence-transformers >= 4 writes the CrossEncoder's activation here. Identity (raw logits) differs from
        # the one-label default (sigmoid), so a runtime that ignores this entry fails the goldens.
        "sentence_transformers": {"activation_fn": "torch.nn.modules.linear.Identity", "version": "4.1.0"},
    }
    model = XLMRobertaForSequenceClassification(config)
    randomise(model, seed=20240502)
    ids = torch.tensor([[0, 100, 2, 2, 200, 2], [0, 300, 2, 2, 400, 2]])
    export(model, (ids, torch.ones_like(ids)), ["input_ids", "attention_mask"], os.path.join(out, "model.onnx"))
    write_json(os.path.join(out, "config.json"), config)

    mask_token = {"content": "<mask>", "single_word": False, "lstrip": True, "rstrip": False, "normalized": False,
                  "special": True, "__type": "AddedToken"}
    write_json(os.path.join(out, "tokenizer_config.json"), {
        "model_max_length": 512, "tokenizer_class": "XLMRobertaTokenizer", "bos_token": "<s>",
        "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "mask_token": mask_token, "clean_up_tokenization_spaces": True,
    })
    write_json(os.path.join(out, "special_tokens_map.json"), {
        "bos_token": "<s>", "eos_token": "</s>", "sep_token": "</s>", "cls_token": "<s>", "unk_token": "<unk>",
        "pad_token": "<pad>", "mask_token": {k: v for k, v in mask_token.items() if k != "__type"}})
    charsmap = base64.b64encode(proto.normalizer_spec.precompiled_charsmap).decode("ascii")
    specials = {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]},
                "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}
    seq = lambda s: {"Sequence": {"id": s, "type_id": 0}}  # noqa: E731
    tok = lambda t: {"SpecialToken": {"id": t, "type_id": 0}}  # noqa: E731
    # Normalizer and pre-tokenizer exactly as transformers' SpmConverter writes them today.
    write_json(os.path.join(out, "tokenizer.json"), {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added_token(0, "<s>"), added_token(1, "<pad>"), added_token(2, "</s>"),
                         added_token(3, "<unk>"), added_token(mask_id, "<mask>", lstrip=True)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Precompiled", "precompiled_charsmap": charsmap},
            {"type": "Strip", "strip_left": False, "strip_right": True},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "\u2581"}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "post_processor": {"type": "TemplateProcessing",
                           "single": [tok("<s>"), seq("A"), tok("</s>")],
                           "pair": [tok("<s>"), seq("A"), tok("</s>"), tok("</s>"), seq("B"), tok("</s>")],
                           "special_tokens": specials},
        "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
        "model": {"type": "Unigram", "unk_id": 3, "vocab": vocab, "byte_fallback": False},
    })
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write("# tiny-xlmr-cross-encoder (test fixture)\n\n"
                "An XLMRobertaForSequenceClassification (hidden 32, 2 layers, 2 heads, 1 label) with RANDOM weights,\n"
                "made by `tools/make_fixtures.py`. `sentencepiece.bpe.model` is a unigram model trained with\n"
                "sentencepiece on `tools/xlmr_corpus.txt` (text written for this project). `config.json` names the\n"
                "Identity activation, so the expected scores are the raw logits.\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=FIXTURES)
    args = parser.parse_args()
    torch.manual_seed(0)
    make_bert(os.path.join(args.out, "tiny-bert-cross-encoder"))
    make_xlmr(os.path.join(args.out, "tiny-xlmr-cross-encoder"))
    for name in ("tiny-bert-cross-encoder", "tiny-xlmr-cross-encoder"):
        folder = os.path.join(args.out, name)
        total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)
        print(f"{name}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the toy cross-encoder graphs the ONNX runtime tests use for configuration branches.

They are not transformers: input_ids (and token_type_ids) are embedded, averaged over the attention mask, and sent
through a tanh layer to the logits. That keeps each file a few kilobytes while still exercising what the runtime must
get right: the graph's inputs (with and without token_type_ids, int64 or int32), padding that only the attention
mask hides, one or two labels, and constant-weight MatMuls for the int8 rewrite (tools/quantize_onnx_int8.py).
The golden tests run on the real-architecture fixtures instead.

    /usr/bin/python3 tools/make_toy_cross_encoders.py tests/Rerank.Onnx.Tests/Fixtures/toy
"""
import json
import os
import sys

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quantize_onnx_int8  # noqa: E402  (the int8 variants are made by the same rewrite the benchmarks use)
from onnx import TensorProto, helper, numpy_helper

VOCAB = 1000
HIDDEN = 32


def graph(name, num_labels, with_token_types, input_type, seed):
    rng = np.random.default_rng(seed)
    inits = [
        numpy_helper.from_array(rng.normal(0, 1, (VOCAB, HIDDEN)).astype(np.float32), "word_embeddings"),
        numpy_helper.from_array(rng.normal(0, 0.5, (HIDDEN, HIDDEN)).astype(np.float32), "dense.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (HIDDEN,)).astype(np.float32), "dense.bias"),
        numpy_helper.from_array(rng.normal(0, 1, (HIDDEN, num_labels)).astype(np.float32), "classifier.weight"),
        numpy_helper.from_array(rng.normal(0, 0.1, (num_labels,)).astype(np.float32), "classifier.bias"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis2"),
    ]
    inputs = [
        helper.make_tensor_value_info("input_ids", input_type, ["batch", "sequence"]),
        helper.make_tensor_value_info("attention_mask", input_type, ["batch", "sequence"]),
    ]
    nodes = [helper.make_node("Gather", ["word_embeddings", "input_ids"], ["words"])]
    embedded = "words"
    if with_token_types:
        inputs.append(helper.make_tensor_value_info("token_type_ids", input_type, ["batch", "sequence"]))
        inits.append(numpy_helper.from_array(rng.normal(0, 1, (2, HIDDEN)).astype(np.float32), "token_type_embeddings"))
        nodes += [
            helper.make_node("Gather", ["token_type_embeddings", "token_type_ids"], ["types"]),
            helper.make_node("Add", ["words", "types"], ["embedded"]),
        ]
        embedded = "embedded"
    nodes += [
        helper.make_node("Cast", ["attention_mask"], ["mask_float"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_float", "axis2"], ["mask3"]),
        helper.make_node("Mul", [embedded, "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis1"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask3", "axis1"], ["counted"], keepdims=0),
        helper.make_node("Div", ["summed", "counted"], ["pooled"]),
        helper.make_node("MatMul", ["pooled", "dense.weight"], ["dense_out"]),
        helper.make_node("Add", ["dense_out", "dense.bias"], ["dense_biased"]),
        helper.make_node("Tanh", ["dense_biased"], ["hidden"]),
        helper.make_node("MatMul", ["hidden", "classifier.weight"], ["classified"]),
        helper.make_node("Add", ["classified", "classifier.bias"], ["logits"]),
    ]
    outputs = [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", num_labels])]
    model = helper.make_model(helper.make_graph(nodes, name, inputs, outputs, inits), opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write(folder, model_path, model, config, tokenizer_config):
    os.makedirs(os.path.dirname(os.path.join(folder, model_path)), exist_ok=True)
    onnx.save(model, os.path.join(folder, model_path))
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(tokenizer_config, f, indent=2)


def quantize(source, target, fmt):
    model = onnx.load(source)
    quantize_onnx_int8.rewrite(model, fmt)
    onnx.save(model, target)


def main(root):
    write(os.path.join(root, "bert-one-label"), "onnx/model.onnx",
          graph("toy_bert", 1, True, TensorProto.INT64, 1),
          {"architectures": ["BertForSequenceClassification"], "model_type": "bert", "id2label": {"0": "LABEL_0"},
           "label2id": {"LABEL_0": 0}, "max_position_embeddings": 64, "pad_token_id": 0, "vocab_size": VOCAB},
          {"model_max_length": 48, "do_lower_case": True})
    write(os.path.join(root, "xlmr-two-labels"), "model.onnx",
          graph("toy_xlmr", 2, False, TensorProto.INT64, 2),
          {"architectures": ["XLMRobertaForSequenceClassification"], "model_type": "xlm-roberta",
           "id2label": {"0": "not_relevant", "1": "relevant"}, "max_position_embeddings": 66, "pad_token_id": 1,
           "vocab_size": VOCAB},
          {"model_max_length": 1000000000000000019884624838656})
    write(os.path.join(root, "int32-identity"), "model.onnx",
          graph("toy_int32", 1, True, TensorProto.INT32, 3),
          {"model_type": "bert", "num_labels": 1, "max_position_embeddings": 512,
           "sentence_transformers": {"activation_fn": "torch.nn.modules.linear.Identity"}},
          {"model_max_length": 512})
    quantize(os.path.join(root, "bert-one-label", "onnx", "model.onnx"),
             os.path.join(root, "bert-one-label", "onnx", "model_quantized.onnx"), "matmulinteger")
    quantize(os.path.join(root, "xlmr-two-labels", "model.onnx"),
             os.path.join(root, "xlmr-two-labels", "model_qint8_avx512.onnx"), "dynamicquantizematmul")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/Rerank.Onnx.Tests/Fixtures/toy")

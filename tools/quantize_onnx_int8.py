#!/usr/bin/env python3
"""Rewrites an ONNX model's constant-weight MatMuls into 8-bit integer ones, as onnxruntime's quantize_dynamic does.

ONNX Runtime's quantization tool cannot be installed here, so this is the part of it that matters for transformer
encoders, on python3-onnx and numpy alone: every MatMul whose second input is a float32 2-D initializer gets its
weights quantized to int8, symmetric and per tensor (scale = max|w| / 127, zero point 0: quantize_dynamic's defaults
for QInt8 weights), and its activations quantized at run time to uint8 by DynamicQuantizeLinear.

  --format matmulinteger (the default) emits what quantize_dynamic emits:
      DynamicQuantizeLinear(A) -> MatMulInteger(A_q, W_q, A_zp, W_zp) -> Cast(float) -> Mul(A_scale * W_scale)
  with one DynamicQuantizeLinear per activation tensor, shared by the MatMuls that read it (query, key and value)
  --format dynamicquantizematmul emits the com.microsoft fused operator that ONNX Runtime turns the above into:
      DynamicQuantizeMatMul(A, W_q, W_scale, W_zp)

Everything else (Gemm heads, embeddings, LayerNorm, Softmax) stays float32, as with quantize_dynamic's MatMul-only
op types. Usage:

    /usr/bin/python3 tools/quantize_onnx_int8.py model.onnx model_quantized.onnx [--format dynamicquantizematmul]
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_weight(w):
    absmax = float(np.max(np.abs(w))) if w.size else 0.0
    scale = absmax / 127.0 if absmax > 0 else 1.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return q, np.float32(scale)


def rewrite(model, fmt):
    graph = model.graph
    inits = {init.name: init for init in graph.initializer}
    uses = {}
    for node in graph.node:
        for name in node.input:
            uses[name] = uses.get(name, 0) + 1

    new_nodes, new_inits, dropped = [], [], set()
    quantized_inputs = {}  # as quantize_dynamic's quantized_value_map: one DynamicQuantizeLinear per activation tensor
    count = 0
    for node in graph.node:
        weight = inits.get(node.input[1]) if node.op_type == "MatMul" and len(node.input) == 2 else None
        if weight is None or weight.data_type != TensorProto.FLOAT or len(weight.dims) != 2:
            new_nodes.append(node)
            continue

        count += 1
        a, out, base = node.input[0], node.output[0], (node.name or f"MatMul_{count}")
        wq, wscale = quantize_weight(numpy_helper.to_array(weight))
        wq_name, ws_name, wzp_name = weight.name + "_quantized", weight.name + "_scale", weight.name + "_zero_point"
        if wq_name not in {i.name for i in new_inits}:
            new_inits += [
                numpy_helper.from_array(wq, wq_name),
                numpy_helper.from_array(np.array(wscale, dtype=np.float32), ws_name),
                numpy_helper.from_array(np.array(0, dtype=np.int8), wzp_name),
            ]
        uses[weight.name] -= 1
        if uses[weight.name] == 0:
            dropped.add(weight.name)

        if fmt == "dynamicquantizematmul":
            new_nodes.append(helper.make_node("DynamicQuantizeMatMul", [a, wq_name, ws_name, wzp_name], [out],
                                              name=base + "_quant", domain="com.microsoft"))
        else:
            if a not in quantized_inputs:
                quantized_inputs[a] = (a + "_quantized", a + "_scale", a + "_zero_point")
                new_nodes.append(helper.make_node("DynamicQuantizeLinear", [a], list(quantized_inputs[a]), name=a + "_QuantizeLinear"))
            aq, ascale, azp = quantized_inputs[a]
            new_nodes += [
                helper.make_node("MatMulInteger", [aq, wq_name, azp, wzp_name], [base + "_int32"], name=base + "_quant"),
                helper.make_node("Cast", [base + "_int32"], [base + "_float"], name=base + "_cast", to=TensorProto.FLOAT),
                helper.make_node("Mul", [ascale, ws_name], [base + "_scales"], name=base + "_scales_mul"),
                helper.make_node("Mul", [base + "_float", base + "_scales"], [out], name=base + "_output_mul"),
            ]

    kept = [init for init in graph.initializer if init.name not in dropped]
    del graph.initializer[:]
    graph.initializer.extend(kept + new_inits)
    del graph.node[:]
    graph.node.extend(new_nodes)
    if fmt == "dynamicquantizematmul" and not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--format", choices=["matmulinteger", "dynamicquantizematmul"], default="matmulinteger")
    args = parser.parse_args()
    model = onnx.load(args.input)
    count = rewrite(model, args.format)
    if count == 0:
        sys.exit(f"{args.input} has no MatMul with a constant float32 2-D weight to quantize")
    if args.format == "matmulinteger":
        onnx.checker.check_model(model)
    onnx.save(model, args.output)
    print(f"quantized {count} MatMul weights to int8 ({args.format}): {args.output}")


if __name__ == "__main__":
    main()

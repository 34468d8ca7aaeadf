// Independent reference for the golden files, run by tools/make_goldens.py (see tools/README.md).
//
//   node tools/golden_reference.cjs tokenize <fixturesDir> <modelName> <in.json> <out.json>
//       in: ["text", ...] -> out: [[id, ...], ...]: transformers.js (@huggingface/transformers) ids for each text,
//       without special tokens and without truncation, from the model folder's tokenizer.json, offline.
//   node tools/golden_reference.cjs logits <model.onnx> <in.json> <out.json>
//       in: [{"input_ids": [...], "token_type_ids": [...]}, ...] -> out: [[logit, ...], ...]: onnxruntime-node,
//       one pair per run (batch size 1, no padding), feeding only the inputs the graph declares.
//   node tools/golden_reference.cjs hidden <model.onnx> <in.json> <out.json>
//       in: [{"input_ids": [...], "attention_mask": [...]}, ...] -> out: [[[value, ...], ...], ...]: the graph's
//       first output (token embeddings, [1, tokens, dim]) per sequence, one sequence per run, token_type_ids all 0.
//
// The packages live outside the repository: set TJS_DIR to the folder where
// `npm install --ignore-scripts @huggingface/transformers` was run (default /work/wt/tjs).
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const tjsDir = process.env.TJS_DIR || "/work/wt/tjs";
const requireFromTjs = createRequire(path.join(tjsDir, "package.json"));

async function tokenize(fixturesDir, modelName, inPath, outPath) {
  const { AutoTokenizer, env } = requireFromTjs("@huggingface/transformers");
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.resolve(fixturesDir) + path.sep;
  const tokenizer = await AutoTokenizer.from_pretrained(modelName);
  const texts = JSON.parse(fs.readFileSync(inPath, "utf8"));
  const ids = texts.map((text) => Array.from(tokenizer.encode(text, { add_special_tokens: false }), Number));
  fs.writeFileSync(outPath, JSON.stringify(ids));
}

async function logits(modelPath, inPath, outPath) {
  const ort = requireFromTjs("onnxruntime-node");
  const session = await ort.InferenceSession.create(path.resolve(modelPath), {
    graphOptimizationLevel: "all",
    intraOpNumThreads: 1,
  });
  const pairs = JSON.parse(fs.readFileSync(inPath, "utf8"));
  const out = [];
  for (const pair of pairs) {
    const n = pair.input_ids.length;
    const tensor = (values) => new ort.Tensor("int64", BigInt64Array.from(values.map((v) => BigInt(v))), [1, n]);
    const feeds = {};
    for (const name of session.inputNames) {
      if (name === "input_ids") feeds[name] = tensor(pair.input_ids);
      else if (name === "attention_mask") feeds[name] = tensor(pair.input_ids.map(() => 1));
      else if (name === "token_type_ids") feeds[name] = tensor(pair.token_type_ids);
      else throw new Error(`unexpected graph input ${name}`);
    }
    const result = await session.run(feeds);
    out.push(Array.from(result.logits.data, Number));
  }
  fs.writeFileSync(outPath, JSON.stringify(out));
}

async function hidden(modelPath, inPath, outPath) {
  const ort = requireFromTjs("onnxruntime-node");
  const session = await ort.InferenceSession.create(path.resolve(modelPath), {
    graphOptimizationLevel: "all",
    intraOpNumThreads: 1,
  });
  const sequences = JSON.parse(fs.readFileSync(inPath, "utf8"));
  const out = [];
  for (const sequence of sequences) {
    const n = sequence.input_ids.length;
    const tensor = (values) => new ort.Tensor("int64", BigInt64Array.from(values.map((v) => BigInt(v))), [1, n]);
    const feeds = {};
    for (const name of session.inputNames) {
      if (name === "input_ids") feeds[name] = tensor(sequence.input_ids);
      else if (name === "attention_mask") feeds[name] = tensor(sequence.attention_mask);
      else if (name === "token_type_ids") feeds[name] = tensor(sequence.input_ids.map(() => 0));
      else throw new Error(`unexpected graph input ${name}`);
    }
    const result = await session.run(feeds);
    const output = result[session.outputNames[0]];
    const dim = output.dims[2];
    const data = Array.from(output.data, Number);
    const rows = [];
    for (let t = 0; t < n; t++) rows.push(data.slice(t * dim, (t + 1) * dim));
    out.push(rows);
  }
  fs.writeFileSync(outPath, JSON.stringify(out));
}

const [command, ...args] = process.argv.slice(2);
const commands = { tokenize, logits, hidden };
if (!commands[command]) {
  console.error("usage: golden_reference.cjs tokenize|logits|hidden ...");
  process.exit(2);
}
commands[command](...args).catch((error) => {
  console.error(error);
  process.exit(1);
});

// Independent reference for the embedding goldens, run by tools/make_embedding_goldens.py (see tools/README.md).
//
//   node tools/embedding_reference.cjs <modelsDir> <modelName> <dtype> <pooling> <normalize> <maxLength> <in.json> <out.json>
//       in: ["text", ...] -> out: [{"input_ids": [...], "embedding": [...]}, ...]: transformers.js'
//       feature-extraction pipeline (@huggingface/transformers), offline, one text per call (no padding), with
//       pooling "mean" | "cls" | "last_token" | "none" (token embeddings, [tokens][hidden]) and normalize 0 | 1;
//       dtype "fp32" loads onnx/model.onnx, "q8" onnx/model_quantized.onnx.
//
// Texts longer than maxLength tokens: transformers.js 4.3.1 truncates a single BERT sequence after adding the special
// tokens and so drops the final [SEP], which Hugging Face tokenizers (and so sentence-transformers) keep. For those
// texts the ids are truncated as tokenizers does (the first maxLength - 1 ids, then the final special token) and fed to
// the pipeline's own model, with the pipeline's own pooling and normalisation.
//
// The packages live outside the repository: set TJS_DIR to the folder where
// `npm install --ignore-scripts @huggingface/transformers` was run (default /work/wt/tjs).
"use strict";

const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

const tjsDir = process.env.TJS_DIR || "/work/wt/tjs";
const requireFromTjs = createRequire(path.join(tjsDir, "package.json"));

async function main(modelsDir, modelName, dtype, pooling, normalize, maxLength, inPath, outPath) {
  const { pipeline, env, mean_pooling, Tensor } = requireFromTjs("@huggingface/transformers");
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.resolve(modelsDir) + path.sep;
  const extractor = await pipeline("feature-extraction", modelName, { dtype, session_options: { intraOpNumThreads: 1 } });
  const texts = JSON.parse(fs.readFileSync(inPath, "utf8"));
  const out = [];
  const limit = Number(maxLength);
  for (const text of texts) {
    const inputs = extractor.tokenizer(text, { truncation: false });
    const ids = Array.from(inputs.input_ids.data, Number);
    if (ids.length <= limit) {
      const output = await extractor(text, { pooling, normalize: normalize === "1" });
      out.push({ input_ids: ids, embedding: output.tolist()[0] });
      continue;
    }

    const kept = [...ids.slice(0, limit - 1), ids[ids.length - 1]];
    const tensor = (values) => new Tensor("int64", BigInt64Array.from(values.map((v) => BigInt(v))), [1, values.length]);
    const feeds = { input_ids: tensor(kept), attention_mask: tensor(kept.map(() => 1)) };
    if (inputs.token_type_ids) feeds.token_type_ids = tensor(kept.map(() => 0));
    let result = (await extractor.model(feeds)).last_hidden_state;
    // The pooling switch of FeatureExtractionPipeline._call, verbatim in effect.
    if (pooling === "mean") result = mean_pooling(result, feeds.attention_mask);
    else if (pooling === "cls") result = result.slice(null, 0);
    else if (pooling === "last_token") result = result.slice(null, -1);
    if (normalize === "1") result = result.normalize(2, -1);
    out.push({ input_ids: kept, embedding: result.tolist()[0] });
  }
  fs.writeFileSync(outPath, JSON.stringify(out));
}

main(...process.argv.slice(2)).catch((error) => {
  console.error(error);
  process.exit(1);
});

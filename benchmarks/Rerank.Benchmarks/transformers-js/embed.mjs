// The transformers.js side of `Rerank.Benchmarks bench-embeddings`: the feature-extraction pipeline used as its
// documentation shows (`pipeline('feature-extraction', model, { dtype: 'fp32' })`, then `extractor(batch, { pooling:
// 'mean', normalize: true })`) over the whole corpus in batches of job.batchSize, in input order (no length sorting), the
// pipeline's own padding and truncation (to the tokenizer's model_max_length, which the bench sets in the scratch model
// folder). A worker: it loads the model named by the job file, prints "ready", then for each "run" line on stdin embeds
// the corpus once and prints one JSON line {"ms": ..., "sum": ..., "vectors": [...]}: the first job.checkCount vectors on
// the first run only (for the fidelity check; 1,400 x 384 floats every round would cost more to print than to compute),
// and on every run the sum of all values, which shows every round did the same work. The bench command copies this file
// next to node_modules under .bench/node.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { env, pipeline } from '@huggingface/transformers';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = dirname(job.modelDir) + '/';
// The documented call plus session_options, the one departure from it: onnxruntime-node would otherwise choose its own
// intra-op thread count, while the .NET runners get --threads, and a throughput ratio between runners on different
// thread counts measures the thread count. One inter-op thread: in ONNX Runtime's default sequential execution mode
// (the .NET sessions' mode too) inter-op threads go unused, so this only keeps a pool from being created.
const extractor = await pipeline('feature-extraction', basename(job.modelDir), {
  dtype: 'fp32',
  device: 'cpu',
  session_options: { intraOpNumThreads: job.threads, interOpNumThreads: 1 },
});

async function embedAll() {
  const vectors = [];
  for (let start = 0; start < job.texts.length; start += job.batchSize) {
    const out = await extractor(job.texts.slice(start, start + job.batchSize), { pooling: 'mean', normalize: true });
    const [rows, width] = out.dims;
    for (let r = 0; r < rows; r++) vectors.push(out.data.subarray(r * width, (r + 1) * width));
  }
  return vectors;
}

console.log('ready');
let first = true;
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'run') break;
  const start = process.hrtime.bigint();
  const vectors = await embedAll();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let sum = 0;
  for (const vector of vectors) for (const value of vector) sum += value;
  const check = first ? vectors.slice(0, job.checkCount).map((v) => Array.from(v)) : [];
  first = false;
  console.log(JSON.stringify({ ms, count: vectors.length, sum, vectors: check }));
}
process.exit(0);

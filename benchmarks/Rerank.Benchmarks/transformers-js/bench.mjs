// The transformers.js side of `Rerank.Benchmarks bench`: the same model folder, query and passages, run as a
// transformers.js user would (AutoTokenizer + AutoModelForSequenceClassification over onnxruntime-node, batches of 16,
// padding: true, truncation to max_length). Reads a job file, prints one JSON line: {"times_ms": [...], "scores": [...]}.
// The bench command copies this file next to node_modules under .bench/node and runs it there.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { AutoModelForSequenceClassification, AutoTokenizer, env } from '@huggingface/transformers';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = dirname(job.modelDir) + '/';
const name = basename(job.modelDir);
const tokenizer = await AutoTokenizer.from_pretrained(name);
const model = await AutoModelForSequenceClassification.from_pretrained(name, { dtype: job.dtype, device: 'cpu' });

async function rerank() {
  const scores = [];
  for (let start = 0; start < job.passages.length; start += job.batchSize) {
    const docs = job.passages.slice(start, start + job.batchSize);
    const inputs = tokenizer(new Array(docs.length).fill(job.query), {
      text_pair: docs, padding: true, truncation: true, max_length: job.maxLength,
    });
    const { logits } = await model(inputs);
    for (const logit of logits.data) scores.push(1 / (1 + Math.exp(-logit)));
  }
  return scores;
}

let scores = [];
for (let i = 0; i < job.warmup; i++) scores = await rerank();
const times = [];
for (let i = 0; i < job.iterations; i++) {
  const start = process.hrtime.bigint();
  scores = await rerank();
  times.push(Number(process.hrtime.bigint() - start) / 1e6);
}
console.log(JSON.stringify({ times_ms: times, scores }));

// The transformers.js side of `Rerank.Benchmarks bench`: the same model folder, query and passages, run as a
// transformers.js user would (AutoTokenizer + AutoModelForSequenceClassification over onnxruntime-node, batches of 16,
// padding: true, truncation to max_length). A worker: it loads the model named by the job file, prints "ready", then
// for each "run" line on stdin reranks once and prints one JSON line {"ms": ..., "scores": [...]}, so the bench can
// interleave it with the .NET runners. The bench command copies this file next to node_modules under .bench/node.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
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

console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== 'run') break;
  const start = process.hrtime.bigint();
  const scores = await rerank();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(JSON.stringify({ ms, scores }));
}
process.exit(0);

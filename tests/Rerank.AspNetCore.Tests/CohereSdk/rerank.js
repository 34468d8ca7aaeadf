// Calls the official Cohere TypeScript SDK's CohereClientV2.rerank() against the server named in the request read from
// stdin ({environment, token, model, query, documents, topN}) and prints the SDK's parsed response as JSON on stdout.
// Driven by CohereSdkTests.cs; needs `npm ci --ignore-scripts` in this folder first.
"use strict";
const { CohereClientV2 } = require("cohere-ai");

async function main() {
  let input = "";
  for await (const chunk of process.stdin) {
    input += chunk;
  }

  const request = JSON.parse(input);
  const client = new CohereClientV2({ token: request.token, environment: request.environment });
  const response = await client.rerank(
    { model: request.model, query: request.query, documents: request.documents, topN: request.topN ?? undefined },
    { maxRetries: 0, timeoutInSeconds: 60 });
  process.stdout.write(JSON.stringify(response));
}

main().catch((error) => {
  // The SDK's error carries the status and body the server sent; print them for the test's failure message.
  console.error(error && error.statusCode ? `HTTP ${error.statusCode}: ${JSON.stringify(error.body)}` : String(error && error.stack || error));
  process.exit(1);
});

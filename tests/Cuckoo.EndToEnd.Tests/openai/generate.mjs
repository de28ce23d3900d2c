// OpenAI's own Node SDK against the gateway's POST /v1/images/generations, as an app would call it: proof that the
// endpoint speaks the SDK's dialect (request, response, errors), not just ours.
//
//   CUCKOO_BASE_URL=http://127.0.0.1:8080/v1 CUCKOO_API_KEY=ck_... node generate.mjs \
//     --model cuckoo-cppn --prompt "a cuckoo" [--n 1] [--response-format b64_json|url] [--size 256x256] --out DIR
//
// Prints one JSON line: {"created", "count", "files": [...], "revised_prompts": [...]}; on an API error
// {"error": {"status", "message"}} and exit 1; wrong arguments exit 2.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import OpenAI from "openai";

function fail(code, status, message) {
  console.log(JSON.stringify({ error: { status, message } }));
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      model: { type: "string" },
      prompt: { type: "string" },
      n: { type: "string", default: "1" },
      "response-format": { type: "string", default: "b64_json" },
      size: { type: "string" },
      out: { type: "string" },
      // The SDK retries 429s and 5xxs by default; the tests want the gateway's first answer.
      "max-retries": { type: "string", default: "0" },
    },
    strict: true,
  }));
} catch (e) {
  fail(2, null, e.message);
}

const baseURL = process.env.CUCKOO_BASE_URL;
const apiKey = process.env.CUCKOO_API_KEY;
const n = Number(values.n);
const maxRetries = Number(values["max-retries"]);
const format = values["response-format"];
if (!baseURL) fail(2, null, "CUCKOO_BASE_URL is not set (e.g. http://127.0.0.1:8080/v1)");
if (!apiKey) fail(2, null, "CUCKOO_API_KEY is not set");
if (!values.prompt) fail(2, null, "--prompt is required");
if (!values.out) fail(2, null, "--out DIR is required");
if (!Number.isInteger(n)) fail(2, null, `--n ${values.n} is not an integer`);
if (!Number.isInteger(maxRetries) || maxRetries < 0) fail(2, null, `--max-retries ${values["max-retries"]} is not a count`);
// Not checked here on purpose beyond the type: a bad n, size or format is for the gateway to refuse.

const client = new OpenAI({ baseURL, apiKey, maxRetries });
const request = { prompt: values.prompt, n, response_format: format };
if (values.model) request.model = values.model;
if (values.size) request.size = values.size;

let response;
try {
  response = await client.images.generate(request);
} catch (e) {
  // APIConnectionError is an APIError without a status: the gateway is not there.
  fail(1, e instanceof OpenAI.APIError ? (e.status ?? null) : null, e?.error?.message ?? e?.message ?? String(e));
}

await mkdir(values.out, { recursive: true });
const files = [];
const revised = [];
for (const [i, image] of (response.data ?? []).entries()) {
  let bytes;
  if (image.b64_json) {
    bytes = Buffer.from(image.b64_json, "base64");
  } else if (image.url) {
    // The gateway's result URLs are its task results, which need the app's key like every other call.
    const fetched = await fetch(image.url, { headers: { Authorization: `Bearer ${apiKey}` } });
    if (!fetched.ok) fail(1, fetched.status, `GET ${image.url} answered ${fetched.status}: ${await fetched.text()}`);
    bytes = Buffer.from(await fetched.arrayBuffer());
  } else {
    fail(1, null, `image ${i + 1} has neither b64_json nor url`);
  }
  const file = path.resolve(values.out, `image-${i + 1}.png`);
  await writeFile(file, bytes);
  files.push(file);
  revised.push(image.revised_prompt ?? null);
}
console.log(JSON.stringify({ created: response.created, count: files.length, files, revised_prompts: revised }));

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the server does with one request. */
export type Behaviour =
  /** 200 with this content (objects are serialised; strings sent as they are, e.g. malformed JSON). */
  | { type: "ok"; content: unknown; finishReason?: "stop" | "length" }
  /** 200 with a refusal instead of content. */
  | { type: "refusal"; message: string }
  | { type: "rate_limited"; retryAfterSeconds?: number }
  | { type: "server_error"; status?: number }
  /** Never answers; the client's timeout must end it. */
  | { type: "hang" };

export const ok = (content: unknown): Behaviour => ({ type: "ok", content });
export const truncated = (content: string): Behaviour => ({ type: "ok", content, finishReason: "length" });
export const refusal = (message: string): Behaviour => ({ type: "refusal", message });
export const rateLimited = (retryAfterSeconds = 0): Behaviour => ({ type: "rate_limited", retryAfterSeconds });
export const serverError = (status = 500): Behaviour => ({ type: "server_error", status });
export const hang = (): Behaviour => ({ type: "hang" });

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: { model?: string; messages?: Array<{ role: string; content: string }>; [key: string]: unknown };
}

/** The view a request carried to the model: the JSON of its last message. */
export const viewOf = <V>(request: ReceivedRequest): V => JSON.parse(request.body.messages!.at(-1)!.content) as V;

export interface FakeOpenAi {
  /** Base URL for the SDK, ending in `/v1`. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: ReceivedRequest[];
  /** Queues behaviours, one per coming request. */
  enqueue(...behaviours: Behaviour[]): void;
  /** How to answer once the queue is empty (by default: 500 "nothing scripted"). */
  otherwise(answer: (request: ReceivedRequest) => Behaviour): void;
  close(): Promise<void>;
}

/** Token counts the way a real API reports them, roughly four characters a token. */
const tokens = (text: string) => Math.ceil(text.length / 4);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

const apiError = (message: string, type: string) => ({ error: { message, type, param: null, code: null } });

/** An OpenAI-compatible chat-completions server on 127.0.0.1 and a random port, answering as scripted. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: Behaviour[] = [];
  const requests: ReceivedRequest[] = [];
  let fallback: (request: ReceivedRequest) => Behaviour = () => ({ type: "server_error", status: 500 });
  let counter = 0;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      return send(res, 404, apiError(`no route ${req.method} ${path}`, "invalid_request_error"));
    }
    if (!req.headers.authorization?.startsWith("Bearer ")) {
      return send(res, 401, apiError("missing API key", "invalid_request_error"));
    }
    let body: ReceivedRequest["body"];
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, apiError("request body is not JSON", "invalid_request_error"));
    }
    const request: ReceivedRequest = { method: req.method, path, headers: req.headers, body };
    requests.push(request);
    if (!body.model || !Array.isArray(body.messages)) {
      return send(res, 400, apiError("model and messages are required", "invalid_request_error"));
    }

    const behaviour = queue.shift() ?? fallback(request);
    switch (behaviour.type) {
      case "hang":
        return; // the socket stays open until the client gives up or the server closes
      case "rate_limited":
        return send(res, 429, apiError("Rate limit reached", "requests"), {
          "retry-after": String(behaviour.retryAfterSeconds ?? 0),
        });
      case "server_error":
        return send(res, behaviour.status ?? 500, apiError("The server had an error", "server_error"));
      case "ok":
      case "refusal": {
        const content =
          behaviour.type === "refusal"
            ? null
            : typeof behaviour.content === "string"
              ? behaviour.content
              : JSON.stringify(behaviour.content);
        const promptTokens = body.messages.reduce((n, m) => n + 4 + tokens(String(m.content ?? "")), 0);
        const completionTokens = tokens(content ?? (behaviour.type === "refusal" ? behaviour.message : ""));
        return send(res, 200, {
          id: `chatcmpl-fake-${++counter}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: "assistant",
                content,
                refusal: behaviour.type === "refusal" ? behaviour.message : null,
              },
              finish_reason: behaviour.type === "ok" ? (behaviour.finishReason ?? "stop") : "stop",
              logprobs: null,
            },
          ],
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
          },
        });
      }
    }
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (...behaviours) => void queue.push(...behaviours),
    otherwise: (answer) => void (fallback = answer),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

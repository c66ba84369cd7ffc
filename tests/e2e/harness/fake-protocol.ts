/** The control protocol of the fake model process (fake-model.ts), shared with the tests' client. */

/** One turn of one agent. Without `text`, `skip`, `error` or `hang` the turn answers with an empty message. */
export interface AgentReply {
  /** Reasoning text streamed before the response. */
  thinking?: string;
  /** Response text, streamed in pieces of `chunkSize` characters (default 8), `delayMs` apart (default 40). */
  text?: string;
  chunkSize?: number;
  delayMs?: number;
  /** The agent passes (calls the `skip` tool). */
  skip?: boolean;
  /** `transient`: HTTP 503 (retried by the provider); `fatal`: HTTP 400. */
  error?: 'transient' | 'fatal';
  /** Streams the text so far and then never finishes, until the turn is interrupted. */
  hang?: boolean;
}

export interface ScriptBody {
  match: string;
  agents: Record<string, AgentReply[]>;
}

/** A turn the fake received: which agent it voiced, when, and the last message of the request. */
export interface FakeRecord {
  match: string;
  agent: string;
  at: number;
  text: string;
}

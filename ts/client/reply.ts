/**
 * A reply as the client sees it, RESP2 and RESP3 alike. Text is kept as
 * "binary strings" (latin1: one char per byte) so any value survives the
 * round trip to stdout byte for byte, as redis-cli's sds strings do.
 */
export type Reply =
  | { type: 'status'; text: string }
  | { type: 'error'; text: string }
  | { type: 'integer'; text: string }
  | { type: 'bulk'; text: string }
  | { type: 'nil' }
  | { type: 'double'; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'bignum'; text: string }
  /** RESP3 verbatim string: `format` is the 3-letter type (txt, mkd), `text` the content after it. */
  | { type: 'verbatim'; format: string; text: string }
  | { type: 'array' | 'set' | 'push'; items: Reply[] }
  /** Keys and values alternate in `items`, as hiredis stores a map. */
  | { type: 'map'; items: Reply[] };

export type AggregateReply = Extract<Reply, { items: Reply[] }>;

export function isAggregate(r: Reply): r is AggregateReply {
  return 'items' in r;
}

/** The reply's text for simple types (what a caller compares, e.g. "OK"). */
export function replyText(r: Reply): string | undefined {
  return 'text' in r ? r.text : undefined;
}

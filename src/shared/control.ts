/**
 * The stop channel from the CLI to a running k6, for a drain: arrival-rate executors cannot be paused, and a
 * plain SIGINT cancels the requests in flight (the target got them, k6 never records them). So the CLI serves
 * one loopback URL that k6 reads through its documented `url` secret source (plain Go HTTP, outside k6's
 * metrics), and each VU asks at most once a second whether to stop starting work. Once every VU has seen
 * "stop" and the requests in flight have answered, the CLI stops k6.
 */

/** The secret source's name (k6 `--secret-source=url=name=...`). */
export const CONTROL_SOURCE = 'offerload_control';
/** What the control URL answers: keep going, or start no new work. Unlike any word, so k6's redaction of secret values in logs hides nothing else. */
export const CONTROL_GO = 'offerload-control-continue';
export const CONTROL_STOP = 'offerload-control-stop';

/**
 * The key a VU asks for in a given second. k6 caches secrets by key for the whole run, so a key per second
 * makes one fetch a second serve every VU in that second.
 */
export const controlKey = (nowMs: number): string => `t${Math.floor(nowMs / 1000)}`;

/** k6's --secret-source value for a control URL (loopback, no secret in it): no retries, a short timeout, and no rate limit that could hold an iteration back. */
export function controlSecretSource(baseUrl: string): string {
  return `url=name=${CONTROL_SOURCE},urlTemplate=${baseUrl}/{key},timeout=2s,maxRetries=0,requestsPerMinuteLimit=6000000,requestsBurst=100000`;
}

/**
 * The stop channel from the CLI to a running k6, for a drain: arrival-rate executors cannot be paused, and a
 * plain SIGINT cancels the requests in flight (the target got them, k6 never records them). So the CLI serves
 * one loopback URL that k6 reads through its documented `url` secret source (plain Go HTTP, outside k6's
 * metrics), and each VU asks at most once a second whether to stop starting work. Once every VU has seen
 * "stop" and the requests in flight have answered, the CLI stops k6.
 */

/** The secret source's name (k6 `--secret-source=url=name=...`). */
export const CONTROL_SOURCE = 'offerload_control';
/**
 * What the control URL answers: keep going, or start no new work. k6 adds every secret value it fetches to its
 * log redaction list and rebuilds the redactor each time (secretsource/hook.go), except blank ones: "keep
 * going", asked every second of a run of hours, is therefore a single space. "Stop" is unlike any word, so its
 * redaction hides nothing else, and is asked only in a run's last seconds.
 */
export const CONTROL_GO = ' ';
export const CONTROL_STOP = 'offerload-control-stop';

/**
 * The key a VU asks for in a given second. k6 caches secrets by key for the whole run, so a key per second
 * makes one fetch a second serve every VU in that second.
 */
export const controlKey = (nowMs: number): string => `t${Math.floor(nowMs / 1000)}`;

/**
 * k6's --secret-source value for a control URL (loopback, no secret in it): no retries, a short timeout (a VU
 * waits for its ask; a CLI too busy to answer in time is simply asked again the next second), and no rate limit
 * that could hold an iteration back.
 */
export function controlSecretSource(baseUrl: string): string {
  return `url=name=${CONTROL_SOURCE},urlTemplate=${baseUrl}/{key},timeout=250ms,maxRetries=0,requestsPerMinuteLimit=6000000,requestsBurst=100000`;
}

/**
 * What the classifier needs of the message catalogue, and no more: the messages without values by their text,
 * the templates with values as their literal parts, each outcome's class and the three templates it names.
 * Node derives it from CATALOGUE here. The k6 bundles get it as a literal instead (src/node/build/bundle.ts
 * puts this module's value in its place), so no VU builds the catalogue or derives this from it: that cost
 * 0.13 MB of allocation in every VU's init, a third of offer-burst's (bench/vu-memory.ts, GOGC=off), against
 * 0.03 MB for the literal.
 */
import { CATALOGUE, type MessageCode, type OutcomeClass } from './messages.js';

export interface MessageTable {
  /** messages without placeholders, by their exact text */
  readonly exact: Readonly<Record<string, MessageCode>>;
  /** templates with placeholders as their literal parts (templateParts), with their codes */
  readonly withValues: readonly (readonly [readonly string[], MessageCode])[];
  /** every catalogue outcome's class, in the catalogue's order */
  readonly classes: Readonly<Record<MessageCode, OutcomeClass>>;
  /** Offer Work's success message, the consult end's, and the quota cancel's */
  readonly success: string;
  readonly consultEnded: string;
  readonly cancelled: string;
}

/**
 * A template as its literal parts: the text between `{placeholder}`s, in order. Cut with indexOf, not a
 * regular expression: k6 compiles a regex literal each time it is evaluated, in every VU.
 */
export function templateParts(template: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const open = template.indexOf('{', from);
    const close = open < 0 ? -1 : template.indexOf('}', open);
    if (close < 0) break;
    parts.push(template.slice(from, open));
    from = close + 1;
  }
  parts.push(template.slice(from));
  return parts;
}

/** The table, derived from the catalogue (an outcome without a message, session_busy, is decided by its status). */
export function messageTable(): MessageTable {
  const exact: Record<string, MessageCode> = {};
  const withValues: [string[], MessageCode][] = [];
  const classes = {} as Record<MessageCode, OutcomeClass>;
  for (const [code, entry] of Object.entries(CATALOGUE) as [MessageCode, (typeof CATALOGUE)[MessageCode]][]) {
    classes[code] = entry.outcomeClass;
    if (entry.template === '') continue;
    const parts = templateParts(entry.template);
    if (parts.length === 1) exact[parts[0]!] = code;
    else withValues.push([parts, code]);
  }
  return {
    exact,
    withValues,
    classes,
    success: CATALOGUE.success.template,
    consultEnded: CATALOGUE.consult_ended.template,
    cancelled: CATALOGUE.transaction_cancelled.template,
  };
}

export const MESSAGE_TABLE: MessageTable = messageTable();

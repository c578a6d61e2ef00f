/**
 * Paging of Table API lists: `sysparm_limit` and `sysparm_offset`, and the headers that describe the page,
 * `X-Total-Count` (unless `sysparm_no_count=true`) and `Link` (unless `sysparm_suppress_pagination_header=true`).
 */

export const DEFAULT_LIMIT = 10_000;

export interface Page {
  readonly offset: number;
  readonly limit: number;
}

const whole = (text: string | null, min: number): number | undefined => {
  const n = text === null || text.trim() === '' ? NaN : Number(text);
  return Number.isInteger(n) && n >= min ? n : undefined;
};

/** The page a request asks for; a missing or unusable value takes the default (limit 10000, offset 0). */
export function pageOf(query: URLSearchParams): Page {
  return {
    limit: whole(query.get('sysparm_limit'), 1) ?? DEFAULT_LIMIT,
    offset: whole(query.get('sysparm_offset'), 0) ?? 0,
  };
}

/** `Link` for a page of `total` matches: first, prev (past the first row), next (when rows follow), last. */
export function linkHeader(url: string, query: URLSearchParams, page: Page, total: number): string {
  const { offset, limit } = page;
  const at = (o: number): string => {
    const q = new URLSearchParams(query);
    q.set('sysparm_limit', String(limit));
    q.set('sysparm_offset', String(o));
    return `<${url}?${q.toString()}>`;
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: [string, number | undefined][] = [
    ['first', 0],
    ['prev', offset > 0 ? Math.max(0, offset - limit) : undefined],
    ['next', offset + limit < total ? offset + limit : undefined],
    ['last', last],
  ];
  return links.flatMap(([rel, o]) => (o === undefined ? [] : [`${at(o)};rel="${rel}"`])).join(',');
}

/** The headers of a list answer. */
export function pageHeaders(url: string, query: URLSearchParams, page: Page, total: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (query.get('sysparm_no_count') !== 'true') headers['X-Total-Count'] = String(total);
  if (query.get('sysparm_suppress_pagination_header') !== 'true') headers.Link = linkHeader(url, query, page, total);
  return headers;
}

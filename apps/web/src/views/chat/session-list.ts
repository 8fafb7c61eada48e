import { DEFAULT_SESSION_TITLE, type ExportFormat, type Session } from '@modelyard/contracts';

/** What a conversation's menu in the sidebar can do. */
export type SessionAction =
  'rename' | 'pin' | 'unpin' | 'archive' | 'unarchive' | 'clear' | 'delete' | `export-${ExportFormat}`;

/** The server's order: pinned first, then the most recent activity. */
export function compareSessions(a: Session, b: Session): number {
  if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
  return Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
}

/** The list with `session` put (or moved) where the server would list it. */
export function placeSession(list: readonly Session[], session: Session): Session[] {
  const rest = list.filter((s) => s.id !== session.id);
  const index = rest.findIndex((s) => compareSessions(session, s) < 0);
  return index < 0 ? [...rest, session] : [...rest.slice(0, index), session, ...rest.slice(index)];
}

/** A page fetched later may repeat sessions that moved up meanwhile (offset paging): keep the first copy. */
export function appendPage(list: readonly Session[], page: readonly Session[]): Session[] {
  const known = new Set(list.map((s) => s.id));
  return [...list, ...page.filter((s) => !known.has(s.id))];
}

/** True while the server has not given the session a title of its own yet. */
export const hasDefaultTitle = (session: Pick<Session, 'title'>) => session.title === DEFAULT_SESSION_TITLE;

export interface TextPart {
  text: string;
  match: boolean;
}

/** `text` cut into the parts that match `query` (case-insensitively) and the rest, for highlighting as text. */
export function highlightParts(text: string, query: string): TextPart[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [{ text, match: false }];
  const haystack = text.toLowerCase();
  const parts: TextPart[] = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + needle.length), match: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), match: false });
  return parts;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "5 minutes ago", "yesterday", or a date for anything older than a week, in the UI language. */
export function relativeTime(iso: string, now: number, locale: string): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const elapsed = Math.max(0, now - then);
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  if (elapsed < MINUTE) return relative.format(0, 'second');
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  if (elapsed < DAY) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  if (elapsed < 7 * DAY) return relative.format(-Math.floor(elapsed / DAY), 'day');
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(then);
}

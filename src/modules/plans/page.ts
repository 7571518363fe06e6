// What every public page render returns: the layout wraps `body` with the title and breadcrumbs.
import type { Child } from 'hono/jsx';

export interface Page {
  title: string;
  crumbs?: { href?: string; label: string }[];
  body: Child;
}

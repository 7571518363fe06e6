// What every public page render returns: the layout wraps `body` with the title and breadcrumbs.
import type { Child } from 'hono/jsx';
import type { Crumb } from '../../web/layout.tsx';

export interface Page {
  title: string;
  crumbs?: Crumb[];
  body: Child;
}

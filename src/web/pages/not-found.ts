import type { WebContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';

export function renderNotFound(ctx: WebContext, what: string): string {
  const body = html`<div class="card notice">
<h1>Not found</h1>
<p>${what}</p>
<p><a class="btn" href="/">Back to Explore</a></p>
</div>`;
  return layout(ctx.assets, { title: 'Not found', body }).toString();
}

export function renderError(ctx: WebContext, status: number, title: string, message: string): string {
  const body = html`<div class="card notice">
<h1>${title}</h1>
<p>${message}</p>
<p><a class="btn" href="/">Back to Explore</a></p>
</div>`;
  return layout(ctx.assets, { title: `${status} ${title}`, body }).toString();
}

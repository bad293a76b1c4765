import { expiryState } from '../cert-facts.js';
import { html, type SafeHtml } from '../html.js';
import { relative, when } from '../layout.js';

/** "2026-01-01T00:00:00Z (in 40 d)" with a badge when expired or within the threshold. */
export function expiryCell(notAfter: Date, now: Date, thresholdDays = 45): SafeHtml {
  const state = expiryState(notAfter, now, thresholdDays);
  const badge = state === 'expired' ? html` <span class="badge off">expired</span>` : state === 'soon' ? html` <span class="badge warn">expiring</span>` : '';
  return html`${when(notAfter)} <span class="muted">(${relative(notAfter, now)})</span>${badge}`;
}

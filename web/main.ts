// The web app's entry: until the dashboard pages land, a status page with what is loaded.
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

interface Health {
  status: string;
  version: string;
  dataVersion: string;
  counts: Record<string, number>;
}

@customElement('aida-app')
export class AidaApp extends LitElement {
  static override styles = css`
    :host { display: block; font: 15px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; }
    h1 { font-size: 1.6rem; margin: 0 0 0.25rem; }
    table { border-collapse: collapse; margin-top: 1rem; }
    td, th { padding: 0.3rem 1rem 0.3rem 0; text-align: left; }
    td.n { text-align: right; font-variant-numeric: tabular-nums; }
  `;

  @state() private health?: Health;
  @state() private error?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    fetch('/api/health')
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
      .then((h: Health) => (this.health = h))
      .catch((e: Error) => (this.error = e.message));
  }

  override render() {
    return html`<h1>aida</h1>
      <p>Marketing-funnel analytics on DuckDB: Attention → Interest → Desire → Action.</p>
      ${this.error ? html`<p role="alert">Cannot reach the API: ${this.error}</p>` : ''}
      ${this.health
        ? html`<table aria-label="Loaded data">
            <tr><th>table</th><th>rows</th></tr>
            ${Object.entries(this.health.counts).map(([k, v]) => html`<tr><td>${k}</td><td class="n">${v.toLocaleString()}</td></tr>`)}
          </table>
          <p>data version ${this.health.dataVersion} · aida ${this.health.version}</p>`
        : html`<p>Loading…</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-app': AidaApp;
  }
}

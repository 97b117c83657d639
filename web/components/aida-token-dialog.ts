// <aida-token-dialog>: asks for an API token when the server answers 401 (SPEC §6), keeps it for this
// tab (sessionStorage) and makes the pages load again.
import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { authRequiredEvent, setToken, token } from '../auth.ts';
import { translator, type Locale } from '../i18n/index.ts';
import { shared, tokens } from '../styles/tokens.ts';

@customElement('aida-token-dialog')
export class AidaTokenDialog extends LitElement {
  static override styles = [
    tokens,
    shared,
    css`
      dialog { border: 1px solid var(--line); border-radius: var(--radius); padding: 1.25rem; max-width: 26rem; }
      dialog::backdrop { background: rgb(29 36 51 / 0.35); }
      form { display: flex; flex-direction: column; gap: 0.75rem; }
      .actions { display: flex; gap: 0.5rem; justify-content: flex-end; }
      input { width: 100%; }
    `,
  ];

  @property() locale: Locale = 'en';
  @state() private rejected = false;
  @query('dialog') private dialog!: HTMLDialogElement;
  private readonly onRequired = () => this.open();

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(authRequiredEvent, this.onRequired);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(authRequiredEvent, this.onRequired);
  }

  open(): void {
    // a 401 while a token is set means that token was refused
    this.rejected = token() !== null;
    if (!this.dialog.open) this.dialog.showModal();
  }

  override render() {
    const t = translator(this.locale);
    return html`<dialog aria-labelledby="token-title">
      <form method="dialog" @submit=${this.save}>
        <h2 id="token-title">${t('auth.title')}</h2>
        <p>${t('auth.explain')}</p>
        ${this.rejected ? html`<p class="error" role="alert">${t('auth.invalid')}</p>` : ''}
        <label class="field">${t('auth.token')}<input name="token" type="password" autocomplete="off" required /></label>
        <div class="actions">
          <button type="button" @click=${() => this.dialog.close()}>${t('auth.cancel')}</button>
          <button type="submit" class="primary">${t('auth.save')}</button>
        </div>
      </form>
    </dialog>`;
  }

  private save(e: SubmitEvent): void {
    const input = (e.target as HTMLFormElement).elements.namedItem('token') as HTMLInputElement;
    const value = input.value.trim();
    if (!value) {
      e.preventDefault();
      return;
    }
    input.value = '';
    setToken(value);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'aida-token-dialog': AidaTokenDialog;
  }
}

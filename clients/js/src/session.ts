import { HearthError } from './errors.js';
import type { Transport } from './transport.js';
import type { StoredSession, TokenStorage } from './storage.js';
import type { CompleteSsoRequestJson, LogInRequestJson, SessionJson, SignUpRequestJson } from './gen/hearth/auth/v1/auth_pb.js';

const AUTH = 'hearth.auth.v1.AuthService';

/** Called with each new access token, and with `undefined` when the session ends. */
export type TokenListener = (accessToken: string | undefined) => void;

/**
 * A signed-in user's tokens. The access token (15 minutes by default) is renewed
 * `renewBeforeSeconds` before it expires, and on demand when a call finds it expired or refused;
 * the refresh token rotates on every renewal and is kept in the {@link TokenStorage}. Renewals
 * are single-flight: a refresh token is spent by its first use, so two at once would end the
 * session on the node.
 */
export class Session {
  private access: string | undefined;
  private expiresAt = 0;
  private user: string | undefined;
  private inFlight: Promise<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<TokenListener>();

  constructor(
    private readonly transport: Transport,
    private readonly storage: TokenStorage,
    private readonly renewBeforeSeconds = 60,
    /** An API token (`hth_…`): used as is, never renewed. */
    private readonly apiToken?: string,
  ) {
    this.user = storage.load()?.userId;
  }

  /** The signed-in user's id, if any. */
  get userId(): string | undefined {
    return this.user;
  }

  /** Whether there is a session to use or renew (an access token, an API token or a stored refresh token). */
  get signedIn(): boolean {
    return this.apiToken !== undefined || this.access !== undefined || this.storage.load() !== undefined;
  }

  /** Creates an account and signs it in. */
  async signUp(request: SignUpRequestJson): Promise<SessionJson> {
    return this.start(await this.transport.rpc(AUTH, 'SignUp', request, undefined) as SessionJson);
  }

  /**
   * Signs in. An account with TOTP on refuses a log-in without `totpCode` with a
   * {@link HearthError} whose `totpRequired` is true: ask for the code and call again with it.
   */
  async logIn(request: LogInRequestJson): Promise<SessionJson> {
    return this.start(await this.transport.rpc(AUTH, 'LogIn', request, undefined) as SessionJson);
  }

  /**
   * Ends a single sign-on (StartSso, the provider, then the node's redirect back with `?sso=<flowId>`)
   * and keeps its session like {@link logIn}'s. An existing account with the same email answers a
   * {@link HearthError} with `details.linkRequired`: call again with its `password` to link it.
   */
  async completeSso(request: CompleteSsoRequestJson): Promise<SessionJson> {
    return this.start(await this.transport.rpc(AUTH, 'CompleteSso', request, undefined) as SessionJson);
  }

  /** Signs in again from the stored refresh token (a page reload); false when there is none or it no longer works. */
  async restore(): Promise<boolean> {
    if (!this.storage.load()) return false;
    try {
      await this.refresh();
      return true;
    } catch (e) {
      if (e instanceof HearthError && e.code === 'UNAUTHENTICATED') return false;
      throw e;
    }
  }

  /**
   * Trades the refresh token for new tokens and returns the new access token. A refused refresh
   * (spent, expired, session ended) signs out and rethrows.
   */
  refresh(): Promise<string> {
    if (this.apiToken) return Promise.resolve(this.apiToken);
    this.inFlight ??= this.doRefresh().finally(() => { this.inFlight = undefined; });
    return this.inFlight;
  }

  /** A usable access token, renewed first when it is (nearly) expired; undefined when signed out. */
  async accessToken(): Promise<string | undefined> {
    if (this.apiToken) return this.apiToken;
    if (this.access && Date.now() < this.expiresAt - 5_000) return this.access;
    if (!this.access && !this.storage.load()) return undefined;
    return this.refresh();
  }

  /** Ends the session on the node (its tokens stop working) and here; here first, whatever the node answers. */
  async logOut(): Promise<void> {
    const token = this.access && Date.now() < this.expiresAt ? this.access : undefined;
    this.end();
    try {
      if (token) await this.transport.rpc(AUTH, 'LogOut', {}, token);
    } catch (e) {
      // Already ended there (revoked, expired meanwhile): signed out all the same.
      if (!(e instanceof HearthError) || e.code !== 'UNAUTHENTICATED') throw e;
    }
  }

  /** Listens for new access tokens (the realtime client re-authenticates with each); returns the remover. */
  onToken(listener: TokenListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the renewal timer (Node scripts: lets the process exit). Tokens stay usable until they expire. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async doRefresh(): Promise<string> {
    const stored = this.storage.load();
    if (!stored) throw new HearthError('UNAUTHENTICATED', 'not signed in', 401);
    try {
      const s = await this.transport.rpc(AUTH, 'Refresh', { refreshToken: stored.refreshToken }, undefined) as SessionJson;
      this.start(s);
      return this.access!;
    } catch (e) {
      if (e instanceof HearthError && e.code === 'UNAUTHENTICATED') this.end();
      throw e;
    }
  }

  private start(s: SessionJson): SessionJson {
    const ttl = Number(s.expiresIn ?? 0);
    this.access = s.accessToken;
    this.expiresAt = Date.now() + ttl * 1000;
    this.user = s.userId;
    const stored: StoredSession = { refreshToken: s.refreshToken ?? '', userId: s.userId ?? '' };
    this.storage.save(stored);
    this.schedule(ttl);
    this.emit(this.access);
    return s;
  }

  private schedule(ttlSeconds: number): void {
    this.close();
    // A short-lived token (tests, strict nodes) is renewed at half its life instead.
    const lead = Math.min(this.renewBeforeSeconds, ttlSeconds / 2);
    const t = setTimeout(() => {
      this.refresh().catch(() => { /* signed out: listeners heard it; the next call reports it */ });
    }, Math.max(1, ttlSeconds - lead) * 1000);
    (t as { unref?: () => void }).unref?.(); // Node: a pending renewal does not keep the process alive
    this.timer = t;
  }

  private end(): void {
    this.close();
    const had = this.access !== undefined || this.storage.load() !== undefined;
    this.access = undefined;
    this.expiresAt = 0;
    this.user = undefined;
    this.storage.clear();
    if (had) this.emit(undefined);
  }

  private emit(token: string | undefined): void {
    for (const l of [...this.listeners]) l(token);
  }
}

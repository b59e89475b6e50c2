// What Hearth.VideoTiles (video-tiles.ts) runs while its page is open: the camera, the room's
// WebRTC connections and their tiles. Media elements cannot be cards, so this is a host element any
// page may place. Showing it joins the room; closing the page (or the tab) leaves. In mesh mode each
// pair of participants has one RTCPeerConnection; the newer participant makes the offer, which
// avoids glare without perfect negotiation. Signals go through the node (Signal RPC out, the
// ephemeral `signal` events of video/signal/<room>/<me> in), so only the room's participants can
// reach each other. docs/video.md describes the protocol.
import { el } from '../dom';
import { Peer } from './video-peer';
import type { SignalKind } from './video-peer';
/**
 * An offer unanswered this long is made again (a fresh connection), at most OFFER_TRIES times: the
 * other side may have joined a moment before us and not been listening yet, and an ephemeral signal
 * sent before that is never delivered.
 */
const OFFER_RETRY_MS = 4000;
const OFFER_TRIES = 4;

interface Participant {
  userId: string;
  displayName: string;
  joinedAtMicros: string;
  audio: boolean;
  video: boolean;
  screen: boolean;
  deafened: boolean;
}

interface Joined {
  participant: Participant;
  others: Participant[];
  mode: 'MESH' | 'SFU';
  iceServers: Array<{ urls: string[]; username: string; credential: string }>;
  signalTopic: string;
}

/** What the room needs from the page (through the host services). */
export interface VideoHost {
  /** The video service, `package.Service` (its JoinRoom, LeaveRoom, GetRoom, SetMediaState and Signal are called). */
  service: string;
  roomId: string;
  /** The room's topic: participant.joined/updated/left and room.closed. */
  topic: string;
  user: string;
  /** Calls a method in the page's project. */
  rpc<T = any>(method: string, request: object): Promise<T>;
  /** Follows these topics besides the page's. */
  follow(topics: string[]): void;
  /** Resolves once a followed topic is live. */
  whenLive(topic: string): Promise<void>;
  /** Text in the user's language. */
  text(key: string): string;
  /** An error as the shell shows it. */
  describe(e: unknown): string;
}

/** What the others see: the profile's display name, else the part of the email before the @. */
async function displayName(host: VideoHost): Promise<string> {
  const me = await host.rpc<{ profile?: { displayName?: string }; email?: string }>('hearth.auth.v1.AuthService/Me', {})
    .catch(() => undefined);
  return (me?.profile?.displayName || me?.email?.split('@')[0] || '').slice(0, 64);
}

export class VideoRoom {
  readonly element = el('section', { class: 'video-tiles hearth-video-tiles', 'data-state': 'joining' });
  private readonly peers = new Map<string, Peer>();
  private readonly names = new Map<string, string>();
  private local?: MediaStream;
  private iceServers: RTCIceServer[] = [];
  private signalTopic = '';
  private joined = false;
  private closed = false;
  private deafened = false;
  /** When this tab joined: a join of the same user with another time is another tab taking over. */
  private joinedAt?: string;
  /** The shared screen's track while sharing. */
  private screen?: MediaStreamTrack;

  constructor(private readonly host: VideoHost) {
    this.element.setAttribute('aria-label', host.text('shell.video.tiles'));
  }

  private method(name: string): string {
    return `${this.host.service}/${name}`;
  }

  /** Takes the camera and microphone (when there are any), joins, and offers to everyone already in. */
  async start(): Promise<void> {
    performance.mark('hearth:video-open');
    this.local = await navigator.mediaDevices?.getUserMedia({ audio: true, video: true }).catch(() => undefined);
    if (this.closed) return this.stopLocal();
    if (this.local) {
      const self = el('video', { autoplay: true, playsinline: true }) as HTMLVideoElement;
      self.muted = true; // never hear oneself
      self.srcObject = this.local;
      this.element.append(el('figure', { class: 'video-tile self', 'data-user': this.host.user }, self,
        el('figcaption', {}, this.host.text('shell.video.you'))));
    }
    await this.join();
  }

  /** Joins (again, after a long disconnect) and offers to everyone already in. */
  private async join(): Promise<void> {
    let answer: Joined;
    try {
      answer = await this.host.rpc<Joined>(this.method('JoinRoom'), {
        roomId: this.host.roomId, displayName: await displayName(this.host), audio: !!this.local?.getAudioTracks().length, video: !!this.local?.getVideoTracks().length,
      });
    } catch (e) {
      this.end(this.host.describe(e)); // e.g. PERMISSION_DENIED, or RESOURCE_EXHAUSTED when the room is full
      return;
    }
    this.joined = true;
    this.joinedAt = answer.participant.joinedAtMicros;
    if (this.closed) return void this.leave();
    if (answer.mode !== 'MESH') {
      this.note(this.host.text('shell.video.sfu'));
      return;
    }
    this.iceServers = answer.iceServers.map((s) => (s.username ? s : { urls: s.urls }));
    answer.others.forEach((p) => this.names.set(p.userId, p.displayName));
    this.signalTopic = answer.signalTopic;
    this.host.follow([this.signalTopic]);
    await this.host.whenLive(this.signalTopic); // the answers to our offers must not be missed
    this.element.dataset.state = 'joined';
    performance.mark('hearth:video-joined');
    for (const other of answer.others) this.offerTo(other.userId, 1);
  }

  /**
   * After the realtime connection came back: if the node took us out of the room meanwhile (we were
   * away longer than its grace), what we missed cannot be replayed, so join again: as the newest
   * participant we offer to everyone, and they replace their old connections to us.
   */
  async resync(): Promise<void> {
    if (this.closed || !this.joined) return;
    const view = await this.host.rpc<{ joined: boolean; me?: Participant }>(this.method('GetRoom'), { roomId: this.host.roomId })
      .catch(() => undefined);
    if (!view || (view.joined && view.me?.joinedAtMicros === this.joinedAt)) return;
    this.peers.forEach((p) => p.close());
    this.peers.clear();
    this.joined = false;
    await this.join();
  }

  /** Whether events of `topic` are the room's own (signals), not something the card shows. */
  owns(topic: string): boolean {
    return topic === this.signalTopic && topic !== '';
  }

  /** A realtime event on the room's topic or the signal topic. */
  event(topic: string, type: string, data: Record<string, any>): void {
    if (this.closed) return;
    if (this.owns(topic) && type === 'signal') return this.signal(String(data.from), String(data.kind), String(data.payload));
    if (topic !== this.host.topic) return;
    const userId = String(data.userId ?? '');
    if (type === 'participant.joined' || type === 'participant.updated') {
      this.names.set(userId, String(data.displayName));
      if (userId === this.host.user && this.joinedAt && data.joinedAtMicros !== this.joinedAt) {
        this.joined = false; // the same user joined from another tab: that one is in the room now
        this.end(this.host.text('shell.video.elsewhere'));
      } else if (userId === this.host.user) this.applyOwn(data as Participant);
      else {
        this.peers.get(userId)?.rename(String(data.displayName));
        this.peers.get(userId)?.show(data, this.deafened);
      }
    } else if (type === 'participant.left') {
      if (userId === this.host.user) {
        this.joined = false;
        this.end(this.host.text(data.by === this.host.user ? 'shell.video.left' : 'shell.video.removed'));
      } else {
        this.peers.get(userId)?.close();
        this.peers.delete(userId);
      }
    } else if (type === 'room.closed') {
      this.joined = false;
      this.end(this.host.text('shell.video.closed'));
    }
  }

  /** The page is left: hang up and leave the room. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.hangUp();
    this.host.follow([]);
    if (this.joined) this.leave();
  }

  private signal(from: string, kind: string, payload: string): void {
    let peer = this.peers.get(from);
    if (kind === 'OFFER') {
      peer?.close(); // they joined again (a reload): start over
      peer = this.connect(from);
    }
    peer?.receive(kind, payload).catch((e) => console.warn(`signal ${kind} from ${from} failed`, e));
  }

  /** This side is newer: it offers, and offers again on a fresh connection while unanswered, or when ICE failed. */
  private offerTo(userId: string, attempt: number): void {
    const peer = this.connect(userId, () => {
      if (this.peers.get(userId) === peer && attempt < OFFER_TRIES) this.retry(userId, peer, attempt);
    });
    peer.offer().catch((e) => console.warn('offer failed', e));
    window.setTimeout(() => {
      if (!this.closed && this.peers.get(userId) === peer && !peer.answered() && attempt < OFFER_TRIES) this.retry(userId, peer, attempt);
    }, OFFER_RETRY_MS);
  }

  private retry(userId: string, peer: Peer, attempt: number): void {
    peer.close();
    this.peers.delete(userId);
    this.offerTo(userId, attempt + 1);
  }

  private connect(userId: string, onFailed?: () => void): Peer {
    const send = (kind: SignalKind, payload: string) =>
      this.host.rpc(this.method('Signal'), { roomId: this.host.roomId, toUserId: userId, kind, payload });
    const peer = new Peer(userId, this.names.get(userId) ?? userId, this.iceServers, this.local, send, (_p, state) => {
      if (state === 'connected' || state === 'completed') performance.mark(`hearth:video-connected:${userId}`);
      if (state === 'failed') onFailed?.();
    });
    peer.show({}, this.deafened);
    if (this.screen) void peer.sendVideo(this.screen);
    this.peers.set(userId, peer);
    this.element.append(peer.tile);
    return peer;
  }

  /** The moderator's mute, or one's own toggles on the card, reach the tracks this tab sends. */
  private applyOwn(p: Participant): void {
    this.local?.getAudioTracks().forEach((t) => { t.enabled = p.audio; });
    this.local?.getVideoTracks().forEach((t) => { t.enabled = p.video; });
    this.deafened = p.deafened;
    this.peers.forEach((peer) => peer.show({}, this.deafened));
    if (p.screen && !this.screen) void this.shareScreen();
    if (!p.screen && this.screen) this.stopScreen();
  }

  /**
   * Screen sharing: the card's button sets `screen` on the node; when that comes back here the
   * screen is captured and sent in place of the camera. Ending it in the browser's own UI, or a
   * refusal, turns `screen` off again on the node.
   */
  private async shareScreen(): Promise<void> {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true }).catch(() => undefined);
    const track = stream?.getVideoTracks()[0];
    if (!track || this.closed) {
      track?.stop();
      return this.setScreen(false);
    }
    this.screen = track;
    track.onended = () => this.setScreen(false);
    this.peers.forEach((peer) => void peer.sendVideo(track));
    this.element.dataset.screen = 'true';
  }

  private stopScreen(): void {
    this.screen?.stop();
    this.screen = undefined;
    const camera = this.local?.getVideoTracks()[0] ?? null;
    this.peers.forEach((peer) => void peer.sendVideo(camera));
    delete this.element.dataset.screen;
  }

  private setScreen(on: boolean): void {
    this.host.rpc(this.method('SetMediaState'), { roomId: this.host.roomId, screen: on }).catch(() => undefined);
  }

  private leave(): void {
    this.joined = false;
    this.host.rpc(this.method('LeaveRoom'), { roomId: this.host.roomId }).catch(() => undefined);
  }

  private end(message: string): void {
    this.hangUp();
    this.element.dataset.state = 'ended';
    this.note(message);
  }

  private hangUp(): void {
    this.screen?.stop();
    this.screen = undefined;
    this.peers.forEach((p) => p.close());
    this.peers.clear();
    this.stopLocal();
    this.element.querySelector('.self')?.remove();
  }

  private stopLocal(): void {
    this.local?.getTracks().forEach((t) => t.stop());
    this.local = undefined;
  }

  private note(text: string): void {
    this.element.querySelector('.video-note')?.remove();
    this.element.append(el('p', { class: 'video-note', role: 'status' }, text));
  }
}

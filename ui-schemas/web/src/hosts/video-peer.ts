// One WebRTC connection to one other participant of a video room, and its tile. Signals (offer,
// answer, ICE candidates) go out through `send` (the node's Signal RPC) one at a time, in order,
// and come in through `receive`. Candidates that arrive before the remote description are held
// until it is set: the relay keeps order per sender, but the offer's answer and the first
// candidates race through separate HTTP requests.
import { el } from '../dom';

export type SignalKind = 'OFFER' | 'ANSWER' | 'CANDIDATE';

export class Peer {
  readonly tile: HTMLElement;
  private readonly video: HTMLVideoElement;
  private readonly caption: HTMLElement;
  private readonly pc: RTCPeerConnection;
  private pending: RTCIceCandidateInit[] = [];
  private outbox: Promise<unknown> = Promise.resolve();
  private videoSender?: RTCRtpSender;

  constructor(
    readonly userId: string,
    name: string,
    iceServers: RTCIceServer[],
    local: MediaStream | undefined,
    private readonly send: (kind: SignalKind, payload: string) => Promise<unknown>,
    private readonly onIce: (peer: Peer, state: RTCIceConnectionState) => void,
  ) {
    this.video = el('video', { autoplay: true, playsinline: true }) as HTMLVideoElement;
    this.caption = el('figcaption', {}, name);
    this.tile = el('figure', { class: 'video-tile', 'data-user': userId, 'data-ice': 'new' }, this.video, this.caption);
    this.pc = new RTCPeerConnection({ iceServers });
    if (local) {
      for (const t of local.getTracks()) {
        const sender = this.pc.addTrack(t, local);
        if (t.kind === 'video') this.videoSender = sender;
      }
    } else {
      // Without a camera or microphone this side still receives the other's media.
      this.pc.addTransceiver('audio', { direction: 'recvonly' });
      this.pc.addTransceiver('video', { direction: 'recvonly' });
    }
    this.pc.onicecandidate = (e) => { if (e.candidate) this.queue('CANDIDATE', JSON.stringify(e.candidate.toJSON())); };
    this.pc.ontrack = (e) => { this.video.srcObject = e.streams[0] ?? new MediaStream([e.track]); };
    this.pc.oniceconnectionstatechange = () => {
      this.tile.dataset.ice = this.pc.iceConnectionState;
      this.onIce(this, this.pc.iceConnectionState);
    };
  }

  /** This side is the newer participant: it makes the offer (so two sides never offer at once). */
  async offer(): Promise<void> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.queue('OFFER', JSON.stringify(this.pc.localDescription));
  }

  /** Whether the other side's description arrived (for the offerer: the answer). */
  answered(): boolean {
    return this.pc.remoteDescription !== null;
  }

  async receive(kind: string, payload: string): Promise<void> {
    const body = JSON.parse(payload);
    if (kind === 'CANDIDATE') {
      if (this.pc.remoteDescription) await this.pc.addIceCandidate(body);
      else this.pending.push(body);
      return;
    }
    await this.pc.setRemoteDescription(body);
    for (const c of this.pending.splice(0)) await this.pc.addIceCandidate(c);
    if (kind === 'OFFER') {
      await this.pc.setLocalDescription(await this.pc.createAnswer());
      this.queue('ANSWER', JSON.stringify(this.pc.localDescription));
    }
  }

  /**
   * Sends `track` instead of the camera (screen sharing), or the camera again. No renegotiation:
   * the video sender stays, only its source changes. Without a camera there is no video sender,
   * so nothing changes (sharing then needs a renegotiation this code does not do).
   */
  async sendVideo(track: MediaStreamTrack | null): Promise<void> {
    await this.videoSender?.replaceTrack(track);
  }

  rename(name: string): void {
    this.caption.textContent = name;
  }

  /** Shows the other's state on the tile (muted, camera off) and silences them when deafened. */
  show(state: { audio?: boolean; video?: boolean }, deafened: boolean): void {
    if (state.audio !== undefined) this.tile.dataset.audio = String(state.audio);
    if (state.video !== undefined) this.tile.dataset.video = String(state.video);
    this.video.muted = deafened;
  }

  close(): void {
    this.pc.close();
    this.tile.remove();
  }

  private queue(kind: SignalKind, payload: string): void {
    this.outbox = this.outbox.then(() => this.send(kind, payload)).catch((e) => console.warn(`signal ${kind} failed`, e));
  }
}

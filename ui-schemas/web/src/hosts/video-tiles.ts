// Hearth.VideoTiles: a video room's tiles — one's own camera (muted, mirrored) and one tile per other
// participant — which a card cannot show (media elements are not cards). While the page is open the
// element is in the room: it takes the camera and microphone, joins, connects to the others through
// the service's Signal RPC (mesh mode), applies one's own media state (the card's mute, camera and
// share-screen toggles) to the tracks it sends, and leaves when the page closes. The room's code
// (video-room.ts, video-peer.ts) loads only when a page shows the element.
import { CardElement, StringProperty, Versions } from 'adaptivecards';
import { hostServices, keep, onLive, onPageClose } from './services';
import type { HostServices } from './services';
import type { VideoRoom } from './video-room';

export class HearthVideoTiles extends CardElement {
  static readonly JsonTypeName = 'Hearth.VideoTiles';
  static readonly requiredProperties = ['roomId', 'topic'];

  /** The room to be in while the page is open. */
  static readonly roomIdProperty = new StringProperty(Versions.v1_0, 'roomId', true);
  /** The room's topic (one of the page's): participant.joined/updated/left and room.closed. */
  static readonly topicProperty = new StringProperty(Versions.v1_0, 'topic', true);
  /** The service speaking hearth.video.v1.VideoService's JoinRoom, LeaveRoom, GetRoom, SetMediaState and Signal. */
  static readonly serviceProperty = new StringProperty(Versions.v1_0, 'service', true, undefined, 'hearth.video.v1.VideoService');

  getJsonTypeName(): string {
    return HearthVideoTiles.JsonTypeName;
  }

  protected internalRender(): HTMLElement | undefined {
    const roomId = this.getValue(HearthVideoTiles.roomIdProperty) ?? '';
    const topic = this.getValue(HearthVideoTiles.topicProperty) ?? '';
    const service = this.getValue(HearthVideoTiles.serviceProperty) || 'hearth.video.v1.VideoService';
    const services = hostServices();
    const element = document.createElement('div');
    element.className = 'hearth-video-tiles';
    // Without the page's services (a preview in the designer) or a room, nothing joins anything.
    if (!services || !roomId) return element;
    // The same element (and connections) across re-renders of the card: media keep playing.
    return keep(`videotiles\n${service}\n${roomId}`, () => tiles(services, service, roomId, topic, element));
  }
}

function tiles(services: HostServices, service: string, roomId: string, topic: string, element: HTMLElement): HTMLElement {
  let room: VideoRoom | undefined;
  let closed = false;
  onPageClose(() => {
    closed = true;
    room?.close();
  });
  // Events arrive as soon as the page follows its topics; until the room's code is loaded there is
  // no connection they could concern.
  onLive((t, event, data) => {
    if (event === 'realtime.resumed') void room?.resync();
    if (!room) return false;
    room.event(t, event, data as Record<string, any>);
    return room.owns(t); // signals are the element's own; the room's other events also change the card
  });
  void import('./video-room').then(({ VideoRoom: Room }) => {
    if (closed) return;
    room = new Room({
      service, roomId, topic, user: services.user, rpc: services.rpc, text: services.t, describe: services.describe,
      follow: (topics) => services.follow?.(topics), whenLive: (t) => services.whenLive?.(t) ?? Promise.resolve(),
    });
    element.append(room.element);
    room.start().catch((e) => console.warn('video room failed', e));
  });
  return element;
}

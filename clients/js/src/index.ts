// @hearth/client: the typed client of a Hearth node (docs/clients.md).
export { HearthClient, realtimeUrl } from './client.js';
export type { ClientOptions, RequestOf, ResponseOf, Services, ServiceClient, UnaryCall } from './client.js';
export { HearthError } from './errors.js';
export { FileTransfers } from './files.js';
export type { DownloadRequest, UploadRequest } from './files.js';
export type { ErrorBody, ErrorCode } from './errors.js';
export { Realtime } from './realtime.js';
export type {
  EventListener, RealtimeEvent, RealtimeOptions, RealtimeState, RealtimeStats, Subscription,
  WebSocketConstructor, WebSocketLike,
} from './realtime.js';
export { Session } from './session.js';
export type { TokenListener } from './session.js';
export { memoryStorage, webStorage } from './storage.js';
export type { StoredSession, TokenStorage } from './storage.js';
export { Transport } from './transport.js';
export type { CallOptions, TransportOptions } from './transport.js';
export { serviceNames } from './gen/services.js';

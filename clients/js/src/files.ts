import type { EntryJson } from './gen/hearth/files/v1/files_pb.js';
import type { CallOptions } from './transport.js';

/** What an upload sends; the content goes as the request body, streamed by fetch. */
export interface UploadRequest {
  projectId: string;
  /** 1–255 characters, unique in its folder. */
  name: string;
  content: Blob | ArrayBuffer | Uint8Array;
  /** The declared type; a Blob's own type, else `application/octet-stream`. */
  contentType?: string;
  /** Empty or absent: the project's root. */
  folderId?: string;
}

/** What a download asks for: a whole file, or a byte range of it. */
export interface DownloadRequest {
  projectId: string;
  fileId: string;
  /** `[first, last]` byte offsets, inclusive (an HTTP Range): the answer is 206 with those bytes. */
  range?: [number, number];
}

/**
 * `hearth.files.v1.FileTransferService` over its REST routes (the gRPC methods are streams, so not
 * at /v1/rpc): `POST /v1/projects/{p}/files` and `GET /v1/projects/{p}/files/{id}/content`
 * (docs/files.md). The rest of files (list, folders, move, quota) is `client.file`.
 */
export class FileTransfers {
  constructor(private readonly send: (method: string, path: string, body: BodyInit | undefined,
    headers: Record<string, string>, options?: CallOptions) => Promise<Response>) {}

  /** Uploads a file and returns its entry. Name, type, size and quota are checked before the content is stored. */
  async upload(request: UploadRequest, options?: CallOptions): Promise<EntryJson> {
    const query = new URLSearchParams({ name: request.name });
    if (request.folderId) query.set('folderId', request.folderId);
    // The declared size lets the node refuse an upload over the limits or the quota before any byte is stored.
    const content = request.content;
    const size = typeof Blob !== 'undefined' && content instanceof Blob ? content.size : (content as ArrayBuffer | Uint8Array).byteLength;
    query.set('size', String(size));
    const type = request.contentType
      || (typeof Blob !== 'undefined' && request.content instanceof Blob ? request.content.type : '')
      || 'application/octet-stream';
    const response = await this.send('POST', `/v1/projects/${encodeURIComponent(request.projectId)}/files?${query}`,
      request.content as BodyInit, { 'content-type': type, accept: 'application/json' }, options);
    return await response.json() as EntryJson;
  }

  /** The file's content as a Response (stream it, or take `.blob()`); `Content-Type` is the declared type. */
  download(request: DownloadRequest, options?: CallOptions): Promise<Response> {
    const headers: Record<string, string> = {};
    if (request.range) headers.range = `bytes=${request.range[0]}-${request.range[1]}`;
    return this.send('GET', `/v1/projects/${encodeURIComponent(request.projectId)}/files/${encodeURIComponent(request.fileId)}/content`,
      undefined, headers, options);
  }
}

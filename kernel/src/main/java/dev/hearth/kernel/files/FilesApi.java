package dev.hearth.kernel.files;

import dev.hearth.files.v1.CreateFolderRequest;
import dev.hearth.files.v1.DeleteRequest;
import dev.hearth.files.v1.DeleteResponse;
import dev.hearth.files.v1.Entry;
import dev.hearth.files.v1.FilesProto;
import dev.hearth.files.v1.GetQuotaRequest;
import dev.hearth.files.v1.GetRequest;
import dev.hearth.files.v1.Kind;
import dev.hearth.files.v1.ListRequest;
import dev.hearth.files.v1.ListResponse;
import dev.hearth.files.v1.MoveRequest;
import dev.hearth.files.v1.Quota;
import dev.hearth.files.v1.RenameRequest;
import dev.hearth.files.v1.SetQuotaRequest;
import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.kernel.files.proto.EntryRecord;
import dev.hearth.kernel.files.proto.UsageRecord;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.ServiceBinding;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.regex.Pattern;

/** {@code hearth.files.v1.FileService}: the metadata calls; every one is scoped to its project by the guard. */
final class FilesApi {

  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 500;
  /** Page tokens are the last entry id of the previous page. */
  private static final Pattern PAGE_TOKEN = Pattern.compile("[0-9a-f-]{36}");

  private final FileCatalog catalog;
  private final Blobs blobs;
  private final FilesOptions options;
  private final Transfers transfers;
  private final WorkerExecutor worker;

  FilesApi(FileCatalog catalog, Blobs blobs, FilesOptions options, Transfers transfers, WorkerExecutor worker) {
    this.catalog = catalog;
    this.blobs = blobs;
    this.options = options;
    this.transfers = transfers;
    this.worker = worker;
  }

  ServiceBinding binding() {
    return ServiceBinding.of(FilesProto.getDescriptor().findServiceByName("FileService"))
        .unary("CreateFolder", CreateFolderRequest.getDefaultInstance(), (c, r) -> catalog.createFolder(c.userId(),
            transfers.orgOf(r.getProjectId()), r.getProjectId(), r.getParentId(), r.getName()).map(FilesApi::toApi))
        .unary("List", ListRequest.getDefaultInstance(), (c, r) -> Future.succeededFuture(list(r)))
        .unary("Get", GetRequest.getDefaultInstance(), (c, r) ->
            Future.succeededFuture(toApi(catalog.get(r.getProjectId(), r.getId()))))
        .unary("Move", MoveRequest.getDefaultInstance(), (c, r) ->
            catalog.move(c.userId(), r.getProjectId(), r.getId(), r.getParentId()).map(FilesApi::toApi))
        .unary("Rename", RenameRequest.getDefaultInstance(), (c, r) ->
            catalog.rename(c.userId(), r.getProjectId(), r.getId(), r.getName()).map(FilesApi::toApi))
        .unary("Delete", DeleteRequest.getDefaultInstance(), (c, r) ->
            catalog.delete(c.userId(), r.getProjectId(), r.getId()).compose(d -> d.freedBlobId() == null
                ? Future.succeededFuture(DeleteResponse.getDefaultInstance())
                : worker.executeBlocking(() -> {
                  blobs.delete(d.orgId(), d.freedBlobId()); // after the write: a crash leaves an orphan, never a dangling file
                  return DeleteResponse.getDefaultInstance();
                }, false)))
        .unary("GetQuota", GetQuotaRequest.getDefaultInstance(), (c, r) -> {
          transfers.orgOf(r.getProjectId());
          return Future.succeededFuture(quota(r.getProjectId(), catalog.usage(r.getProjectId())));
        })
        .unary("SetQuota", SetQuotaRequest.getDefaultInstance(), (c, r) -> {
          if (r.getQuotaBytes() < 0) throw ModuleException.badField("quota_bytes", "must not be negative");
          transfers.orgOf(r.getProjectId());
          return catalog.setQuota(c.userId(), r.getProjectId(), r.getQuotaBytes()).map(u -> quota(r.getProjectId(), u));
        })
        .build();
  }

  private ListResponse list(ListRequest r) {
    int size = r.getPageSize() == 0 ? DEFAULT_PAGE : r.getPageSize();
    if (size < 1 || size > MAX_PAGE) throw ModuleException.badField("page_size", "must be between 1 and " + MAX_PAGE);
    if (!r.getPageToken().isEmpty() && !PAGE_TOKEN.matcher(r.getPageToken()).matches()) {
      throw ModuleException.badField("page_token", "is not a token this node gave (the next_page_token of a page)");
    }
    if (!r.getParentId().isEmpty()) {
      EntryRecord parent = catalog.get(r.getProjectId(), r.getParentId());
      if (!parent.getFolder()) throw ModuleException.badField("parent_id", r.getParentId() + " is a file, not a folder");
    }
    List<EntryRecord> page = catalog.list(r.getProjectId(), r.getParentId(), r.getPageToken(), size + 1);
    ListResponse.Builder out = ListResponse.newBuilder();
    page.stream().limit(size).forEach(e -> out.addEntries(toApi(e)));
    if (page.size() > size) out.setNextPageToken(page.get(size - 1).getId());
    return out.build();
  }

  private Quota quota(String projectId, UsageRecord u) {
    return Quota.newBuilder().setProjectId(projectId).setQuotaBytes(Quotas.quotaOf(u, options))
        .setUsedBytes(u.getUsedBytes()).setMaxFileBytes(options.maxFileBytes()).setCustom(u.getQuotaBytes() > 0).build();
  }

  static Entry toApi(EntryRecord e) {
    return Entry.newBuilder().setId(e.getId()).setProjectId(e.getProjectId()).setParentId(e.getParentId())
        .setName(e.getName()).setKind(e.getFolder() ? Kind.FOLDER : Kind.FILE).setSize(e.getSize())
        .setContentType(e.getContentType()).setSha256(e.getSha256()).setCreatedBy(e.getCreatedBy())
        .setCreatedAtMicros(e.getCreatedAtMicros()).setUpdatedAtMicros(e.getUpdatedAtMicros()).build();
  }
}

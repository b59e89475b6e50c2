package dev.hearth.kernel.files;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.hearth.kernel.files.proto.CommitUploadRequest;
import dev.hearth.kernel.files.proto.FileOwnerProto;
import dev.hearth.kernel.files.proto.OpenFileRequest;
import dev.hearth.kernel.files.proto.OpenedFile;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.auth.Caller;
import io.vertx.core.Future;

/**
 * What the owner of the {@code files} store does for a cluster's fronts (docs/cluster.md#files):
 * record an upload whose content a front stored in the shared blob store, and say where a file's
 * content is. No transport serves it ({@code ApiServer.addInternal}): only a front's forwarded
 * call, whose caller the owner has admitted again by its own data, reaches it; a linked node's
 * user never does.
 */
final class FileOwner {

  static final ServiceDescriptor SERVICE = FileOwnerProto.getDescriptor().findServiceByName("FileOwnerService");
  static final String COMMIT = SERVICE.getFullName() + "/CommitUpload";
  static final String OPEN = SERVICE.getFullName() + "/OpenFile";

  private final Transfers transfers;

  FileOwner(Transfers transfers) {
    this.transfers = transfers;
  }

  ServiceBinding binding() {
    return ServiceBinding.of(SERVICE)
        .unary("CommitUpload", CommitUploadRequest.getDefaultInstance(), (c, r) -> {
          fromCluster(c);
          return transfers.commitForFront(c.userId(), r).map(FilesApi::toApi);
        })
        .unary("OpenFile", OpenFileRequest.getDefaultInstance(), (c, r) -> {
          fromCluster(c);
          Transfers.Opened o = transfers.open(r.getProjectId(), r.getId());
          return Future.succeededFuture(OpenedFile.newBuilder().setEntry(o.entry()).setBlobId(o.blobId()).build());
        })
        .build();
  }

  /** A linked node's user could reach these through federation's calls; they are the cluster's alone. */
  private static void fromCluster(Call c) {
    if (c.caller().via() == Caller.Via.FEDERATED) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED, "not allowed: " + c.method()
          + " is for the processes of this node's cluster");
    }
  }
}

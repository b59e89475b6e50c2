package dev.hearth.kernel.backup;

import dev.hearth.admin.v1.AdminProto;
import dev.hearth.admin.v1.Backup;
import dev.hearth.admin.v1.CreateBackupRequest;
import dev.hearth.admin.v1.ListBackupsRequest;
import dev.hearth.admin.v1.ListBackupsResponse;
import dev.hearth.admin.v1.VerifyBackupRequest;
import dev.hearth.admin.v1.VerifyBackupResponse;
import dev.hearth.kernel.config.BackupOptions;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import dev.hearth.kernel.store.HearthStore;
import dev.hearth.kernel.store.Stores;
import dev.hearth.module.ModuleException;
import dev.hearth.module.api.Call;
import dev.hearth.module.api.ServiceBinding;
import dev.hearth.module.store.Tx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth.admin.v1.BackupService}: sys-admins take, list and verify backups in the target of
 * the node's config ({@code backup.target}) from the API (the web console), as {@code hearth backup}
 * does from the node's machine. One backup runs at a time, shared with the schedule and the local
 * admin endpoint.
 */
public final class BackupsApi {

  /** Records an admin action in the audit log, in the transaction {@code tx}. */
  public interface Audit {
    void record(Tx tx, String actorId, String action, String target, String detail);
  }

  private static final Logger LOG = LoggerFactory.getLogger(BackupsApi.class);

  private final Vertx vertx;
  private final Stores stores;
  private final BackupOptions options;
  private final AtomicBoolean running;
  private final HearthStore kernel;
  private final Audit audit;

  public BackupsApi(Vertx vertx, Stores stores, BackupOptions options, AtomicBoolean running, Audit audit) {
    this.vertx = vertx;
    this.stores = stores;
    this.options = options;
    this.running = running;
    this.kernel = stores.store("kernel");
    this.audit = audit;
  }

  public ServiceBinding binding() {
    return ServiceBinding.of(AdminProto.getDescriptor().findServiceByName("BackupService"))
        .unary("ListBackups", ListBackupsRequest.getDefaultInstance(), this::list)
        .unary("CreateBackup", CreateBackupRequest.getDefaultInstance(), this::create)
        .unary("VerifyBackup", VerifyBackupRequest.getDefaultInstance(), this::verify)
        .build();
  }

  private Future<ListBackupsResponse> list(Call call, ListBackupsRequest req) {
    String target = target();
    return vertx.executeBlocking(() -> {
      try (BackupTarget t = BackupTargets.open(target)) {
        List<Backup> backups = new ArrayList<>();
        for (String id : t.ids()) backups.add(view(t.manifest(id)));
        Collections.reverse(backups);
        return ListBackupsResponse.newBuilder().addAllBackups(backups).setTarget(t.describe()).build();
      }
    }, false);
  }

  private Future<Backup> create(Call call, CreateBackupRequest req) {
    String target = target();
    if (!running.compareAndSet(false, true)) {
      throw ModuleException.failedPrecondition("a backup is already running on this node");
    }
    return vertx.executeBlocking(() -> {
          try (BackupTarget t = BackupTargets.open(target)) {
            Manifest m = BackupWriter.of(stores, step -> LOG.info("backup: {}", step))
                .take(t, req.getFull());
            List<String> removed = Chain.retain(t, options.keep());
            return new Object[] {view(m), removed};
          } finally {
            running.set(false);
          }
        }, false)
        .compose(done -> {
          Backup b = (Backup) done[0];
          return kernel.write(call.userId(), "", tx -> {
            audit.record(tx, call.userId(), call.method(), "backup " + b.getId(),
                b.getKind() + ", " + b.getBytes() + " bytes, removed " + done[1]);
            return b;
          });
        });
  }

  private Future<VerifyBackupResponse> verify(Call call, VerifyBackupRequest req) {
    String target = target();
    if (req.getBackupId().isBlank()) throw ModuleException.badField("backup_id", "is required");
    return vertx.executeBlocking(() -> {
      try (BackupTarget t = BackupTargets.open(target)) {
        if (!t.ids().contains(req.getBackupId())) throw ModuleException.notFound("backup " + req.getBackupId());
        JsonObject out = new Verifier(t, stores.masterKey(), step -> LOG.info("verify: {}", step)).verify(req.getBackupId());
        VerifyBackupResponse.Builder b = VerifyBackupResponse.newBuilder().setBackupId(out.getString("backup"))
            .setOk(out.getBoolean("ok")).setEvents(out.getLong("events", 0L));
        out.getJsonArray("chain").forEach(id -> b.addChain(String.valueOf(id)));
        out.getJsonArray("problems").forEach(p -> b.addProblems(String.valueOf(p)));
        return b.build();
      }
    }, false);
  }

  private String target() {
    if (options.target() == null || options.target().isBlank()) {
      throw ModuleException.failedPrecondition("this node has no backup target: set backup.target in its config file");
    }
    return options.target();
  }

  private static Backup view(Manifest m) {
    return Backup.newBuilder().setId(m.id()).setKind(m.kind().json()).setParent(m.parent() == null ? "" : m.parent())
        .setCreatedAt(m.createdAt() == null ? "" : m.createdAt()).setBytes(m.bytes()).setStores(m.stores().size()).build();
  }
}

package dev.hearth.cli;

import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.cli.base.NodeNotRunningException;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.backup.BackupTargets;
import dev.hearth.kernel.backup.DataDirLock;
import dev.hearth.kernel.backup.ExistingMasterKey;
import dev.hearth.kernel.backup.RestorePlan;
import dev.hearth.kernel.backup.Restorer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hearth restore}: a whole node into an empty data directory, or one module's store. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup (and the chain it continues) and print what was restored (JSON).",
      "Whole node: into an empty --data directory, with no node running. One store (--store NAME, a module's",
      "id): into an existing data directory; when a node runs there it stops that module, restores its store and",
      "starts it again while everything else keeps serving. The store's current files are kept under",
      "<data>/replaced/. Point in time: --to-sequence N (with --store) or --to-time (every store).",
      "Each restored store rebuilds its state from its change log when it is next opened."
    })
public final class RestoreCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;
  @Mixin NodeLocation location;

  @Option(names = "--from", required = true, paramLabel = "TARGET", description = "Folder or nats://host:port/bucket.")
  String target;

  @Option(names = "--backup", paramLabel = "ID", description = "The backup to restore (default: the newest).")
  String id;

  @Option(names = "--store", paramLabel = "NAME", description = "Restore only this store (a module's id).")
  String store;

  @Option(names = "--to-sequence", paramLabel = "N", description = "Stop after this sequence of --store.")
  long toSequence;

  @Option(names = "--to-time", paramLabel = "INSTANT",
      description = "Stop after the last change at or before this time (ISO-8601, e.g. 2026-11-21T10:15:30Z).")
  String toTime;

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "Master key file, needed for a point in time (env HEARTH_MASTER_KEY_FILE; or HEARTH_MASTER_PASSPHRASE).")
  Path masterKeyFile;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Instant time = null;
    if (toTime != null) {
      try {
        time = Instant.parse(toTime);
      } catch (DateTimeParseException e) {
        throw new CommandFailedException("--to-time must be an ISO-8601 instant such as 2026-11-21T10:15:30Z");
      }
    }
    RestorePlan plan = new RestorePlan(id, store, toSequence, time);
    Path data = location.dataDir(parent.env()).toAbsolutePath().normalize();
    String where = BackupCommand.absolute(target);
    NodeClient node = null;
    if (store != null) {
      try {
        node = NodeClient.connect(data);
      } catch (NodeNotRunningException e) {
        node = null;
      }
    }
    JsonObject out;
    if (node != null) {
      err.println("the node on " + data + " is restoring store " + store + " from " + where + " ...");
      JsonObject body = new JsonObject().put("target", where).put("store", store).put("toSequence", toSequence);
      if (id != null) body.put("backup", id);
      if (toTime != null) body.put("toTime", toTime);
      out = new JsonObject(node.send("POST", "/admin/v1/restore", body, Duration.ofHours(6)));
    } else {
      NodeOptions options = BackupCommand.options(parent.env(), masterKeyFile);
      try (DataDirLock lock = DataDirLock.take(data); BackupTarget t = BackupTargets.open(where)) {
        out = new Restorer(t, data, () -> ExistingMasterKey.load(options, data.resolve("keys")), step -> err.println("  " + step))
            .restore(plan);
      }
    }
    err.println("restored backup " + out.getString("backup") + " into " + data);
    spec.commandLine().getOut().println(out.encodePrettily());
    return ExitCodes.OK;
  }
}

package dev.hearth.cli;

import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.cli.base.NodeNotRunningException;
import dev.hearth.kernel.backup.BackupList;
import dev.hearth.kernel.backup.BackupTargets;
import dev.hearth.kernel.backup.BackupWriter;
import dev.hearth.kernel.backup.Chain;
import dev.hearth.kernel.backup.DataDirLock;
import dev.hearth.kernel.backup.ExistingMasterKey;
import dev.hearth.kernel.backup.FolderTarget;
import dev.hearth.kernel.backup.Verifier;
import dev.hearth.kernel.config.NodeOptions;
import dev.hearth.kernel.crypto.MasterKey;
import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hearth backup}: take, list and verify backups. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Back a node up: every store's change log, the wrapped keysets and the file blobs (docs/backups.md).",
      "A backup is useless without the master key (file or passphrase): keep that separately."
    },
    subcommands = {BackupCommand.Create.class, BackupCommand.ListBackups.class, BackupCommand.Verify.class})
public final class BackupCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  Map<String, String> env() {
    return parent.env();
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Take a backup into TARGET (a folder, or nats://host:port/bucket) and print its manifest (JSON).",
        "Incremental on the newest backup there (the change-log frames and blobs since), full with --full or when",
        "there is none. A running node on --data takes it while it keeps serving; with no node running the files",
        "are read directly."
      })
  static final class Create implements Callable<Integer> {
    @ParentCommand BackupCommand backup;
    @Spec CommandSpec spec;
    @Mixin NodeLocation location;

    @Option(names = "--to", required = true, paramLabel = "TARGET", description = "Folder or nats://host:port/bucket.")
    String target;

    @Option(names = "--full", description = "A full backup even when an incremental one is possible.")
    boolean full;

    @Option(names = "--keep", paramLabel = "N",
        description = "Afterwards keep only the newest N full backups (and their incrementals) in TARGET.")
    Integer keep;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      if (keep != null && keep < 1) throw new CommandFailedException("--keep must be at least 1");
      Path data = location.dataDir(backup.env());
      String where = absolute(target);
      NodeClient node;
      try {
        node = NodeClient.connect(data);
      } catch (NodeNotRunningException e) {
        node = null;
      }
      JsonObject out;
      if (node != null) {
        err.println("the node on " + data + " is taking a " + (full ? "full " : "") + "backup to " + where + " ...");
        JsonObject body = new JsonObject().put("target", where).put("full", full);
        if (keep != null) body.put("keep", keep);
        out = new JsonObject(node.send("POST", "/admin/v1/backups", body, Duration.ofHours(6)));
      } else {
        err.println("no node runs on " + data + ": reading its files directly");
        try (DataDirLock lock = DataDirLock.take(data); BackupTarget t = BackupTargets.open(where)) {
          Manifest m = new BackupWriter(data, s -> -1, step -> err.println("  " + step)).take(t, full);
          out = m.toJson();
          if (keep != null) out.put("removed", new JsonArray(Chain.retain(t, keep)));
        }
      }
      err.println("backup " + out.getString("id") + " (" + out.getString("kind") + ", " + out.getLong("bytes") + " bytes) done");
      spec.commandLine().getOut().println(out.encodePrettily());
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List the backups in TARGET, oldest first (JSON): id, kind, parent, time, size, each store's last sequence.")
  static final class ListBackups implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "TARGET", description = "Folder or nats://host:port/bucket.")
    String target;

    @Override
    public Integer call() throws IOException {
      spec.commandLine().getOut().println(BackupList.of(BackupTargets.open(absolute(target))).encodePrettily());
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check a backup and the chain it continues without restoring it (JSON report; exit 1 when a problem is found):",
        "every file against its SHA-256, every change-log frame's checksum and sequence, each incremental against its",
        "parent. With --decrypt also decrypt every frame with the backup's keysets and the master key."
      })
  static final class Verify implements Callable<Integer> {
    @ParentCommand BackupCommand backup;
    @Spec CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "TARGET", description = "Folder or nats://host:port/bucket.")
    String target;

    @Option(names = "--backup", paramLabel = "ID", description = "The backup to check (default: the newest).")
    String id;

    @Option(names = "--decrypt", description = "Also decrypt every frame (needs the master key).")
    boolean decrypt;

    @Option(names = "--master-key-file", paramLabel = "FILE",
        description = "Master key file (env HEARTH_MASTER_KEY_FILE; or HEARTH_MASTER_PASSPHRASE).")
    Path masterKeyFile;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      JsonObject report;
      try (BackupTarget t = BackupTargets.open(absolute(target))) {
        var master = decrypt ? masterKey(t) : null;
        report = new Verifier(t, master, step -> err.println("  " + step)).verify(id);
      }
      spec.commandLine().getOut().println(report.encodePrettily());
      if (!report.getBoolean("ok")) {
        err.println("backup " + report.getString("backup") + " has " + report.getJsonArray("problems").size() + " problem(s)");
        return ExitCodes.FAILURE;
      }
      err.println("backup " + report.getString("backup") + " is sound");
      return ExitCodes.OK;
    }

    /** With a passphrase, its salt travels in the backup's keys: fetched to a temporary folder for the derivation. */
    private MasterKey masterKey(BackupTarget t) throws IOException {
      List<Manifest> chain = Chain.of(t, id); // NOT_FOUND when there is no such backup
      Manifest last = chain.get(chain.size() - 1);
      Path dir = Files.createTempDirectory("hearth-keys-");
      try {
        for (Manifest.FileEntry f : last.keys()) {
          if (f.path().endsWith("master.salt")) t.download(last.id(), f.path(), dir.resolve("master.salt"));
        }
        return ExistingMasterKey.load(options(backup.env(), masterKeyFile), dir);
      } finally {
        FolderTarget.deleteTree(dir);
      }
    }
  }

  static NodeOptions options(Map<String, String> env, Path masterKeyFile) {
    return NodeOptions.resolve(env, new NodeOptions.Flags(null, null, null, masterKeyFile, null));
  }

  /** A folder given relative to where the command runs, made absolute before a node is told it. */
  static String absolute(String target) {
    return target.matches("[a-z][a-z0-9+.-]*:.*") ? target : Path.of(target).toAbsolutePath().normalize().toString();
  }
}

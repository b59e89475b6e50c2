package dev.hearth.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hearth keys}: the data keysets of the running node's stores. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = {
      "Show and rotate the data keys of the running node's stores.",
      "Talks to the node on this machine through <data>/run/; exits 3 when no node runs there."
    },
    subcommands = {KeysCommand.Status.class, KeysCommand.Rotate.class})
public final class KeysCommand implements Callable<Integer> {

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
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Print, per open store, the primary key id and how many records each key still protects (JSON).")
  static final class Status implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;
    @Mixin NodeLocation location;

    @Override
    public Integer call() {
      String body = NodeClient.connect(location.dataDir(keys.env())).send("GET", "/admin/v1/keys/status");
      spec.commandLine().getOut().println(pretty(body));
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "rotate",
      mixinStandardHelpOptions = true,
      description = {
        "Add a new primary key to every open store (or one, with --store) and print the new status (JSON).",
        "New writes use the new key at once; older records are re-encrypted in the background."
      })
  static final class Rotate implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;
    @Mixin NodeLocation location;

    @Option(names = "--store", paramLabel = "NAME", description = "Rotate only this store.")
    String store;

    @Override
    public Integer call() {
      String path = "/admin/v1/keys/rotate" + (store == null ? "" : "?store=" + URLEncoder.encode(store, UTF_8));
      NodeClient node = NodeClient.connect(location.dataDir(keys.env()));
      String which = store == null ? "every open store" : "store " + store;
      spec.commandLine().getErr().println("rotating the keys of " + which);
      String body = node.send("POST", path);
      spec.commandLine().getOut().println(pretty(body));
      return ExitCodes.OK;
    }
  }

  static String pretty(String json) {
    String trimmed = json.trim();
    return trimmed.startsWith("[") ? new JsonArray(trimmed).encodePrettily() : new JsonObject(trimmed).encodePrettily();
  }
}

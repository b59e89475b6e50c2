package dev.hearth.cli;

import dev.hearth.kernel.config.NodeOptions;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options of commands that talk to a running node: they find it through its data directory, resolved
 * exactly as {@code serve} resolves it (flag, then HEARTH_DATA, then the config file, then ./data).
 */
public final class NodeLocation {

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory of the node (env HEARTH_DATA; default ./data).")
  Path dataDir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "JSON config file that may name the data directory (env HEARTH_CONFIG).")
  Path config;

  Path dataDir(Map<String, String> env) {
    return NodeOptions.resolve(env, new NodeOptions.Flags(null, null, dataDir, null, config)).getDataDir();
  }
}

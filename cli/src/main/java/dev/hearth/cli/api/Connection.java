package dev.hearth.cli.api;

import dev.hearth.kernel.spi.InvalidOptionException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Where API commands send their calls and as whom: {@code --profile} (env HEARTH_PROFILE, default
 * "default"), {@code --url} (env HEARTH_URL, else the profile's), {@code --ca-file} (env HEARTH_CA_FILE,
 * else the profile's: extra CAs for an https node) and {@code --token} (env HEARTH_TOKEN, else the
 * profile's access token). A picocli mixin for the annotated commands; the generated ones get
 * the same options from {@link #optionSpecs()} and their values from {@link #scan}, because the
 * profile must be known before those commands can be built.
 */
public final class Connection {

  static final List<String> NAMES = List.of("--profile", "--url", "--ca-file", "--token");
  static final String CA_FILE_HELP = "PEM file of CA certificates to trust for an https node, besides the system's "
      + "(env HEARTH_CA_FILE; default: the profile's).";

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Profile to use (env HEARTH_PROFILE; default \"default\").")
  String profile;

  @Option(names = "--url", paramLabel = "URL",
      description = "Node to call, http(s)://host:port (env HEARTH_URL; default: the profile's).")
  String url;

  @Option(names = "--ca-file", paramLabel = "PATH", description = CA_FILE_HELP)
  String caFile;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Bearer token, e.g. an API token, instead of the profile's session; prefer env HEARTH_TOKEN, "
          + "which other users cannot see in the process list.")
  String token;

  /** The values of these options anywhere in {@code args} ({@code --url X} or {@code --url=X}). */
  static Connection scan(String[] args) {
    Connection c = new Connection();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) break;
      for (String name : NAMES) {
        String value = null;
        if (args[i].equals(name) && i + 1 < args.length) value = args[i + 1];
        else if (args[i].startsWith(name + "=")) value = args[i].substring(name.length() + 1);
        if (value == null) continue;
        switch (name) {
          case "--profile" -> c.profile = value;
          case "--url" -> c.url = value;
          case "--ca-file" -> c.caFile = value;
          default -> c.token = value;
        }
      }
    }
    return c;
  }

  /** The same three options for a command built at run time; their values are read by {@link #scan}. */
  static List<OptionSpec> optionSpecs() {
    return List.of(
        OptionSpec.builder("--profile").paramLabel("NAME").type(String.class)
            .description("Profile to use (env HEARTH_PROFILE; default \"default\").").build(),
        OptionSpec.builder("--url").paramLabel("URL").type(String.class)
            .description("Node to call, http(s)://host:port (env HEARTH_URL; default: the profile's).").build(),
        OptionSpec.builder("--ca-file").paramLabel("PATH").type(String.class).description(CA_FILE_HELP).build(),
        OptionSpec.builder("--token").paramLabel("TOKEN").type(String.class)
            .description("Bearer token instead of the profile's session (prefer env HEARTH_TOKEN).").build());
  }

  String profileName(Map<String, String> env) {
    return Profiles.selectedName(profile, env);
  }

  /** The URL to call: flag, env, profile; null when none is known. */
  String url(Map<String, String> env, Profile p) {
    if (url != null) return url;
    String fromEnv = env.get("HEARTH_URL");
    if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
    return p.url();
  }

  /** Which setting the URL came from, for error messages. */
  String urlSource(Map<String, String> env) {
    if (url != null) return "--url";
    String fromEnv = env.get("HEARTH_URL");
    return fromEnv != null && !fromEnv.isBlank() ? "HEARTH_URL" : "profile";
  }

  /** The CA file to trust besides the system's: flag, env, profile; null when none. */
  String caFile(Map<String, String> env, Profile p) {
    if (caFile != null) return caFile;
    String fromEnv = env.get("HEARTH_CA_FILE");
    if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
    return p.caFile();
  }

  /** Which setting the CA file came from, for error messages. */
  String caFileSource(Map<String, String> env) {
    if (caFile != null) return "--ca-file";
    String fromEnv = env.get("HEARTH_CA_FILE");
    return fromEnv != null && !fromEnv.isBlank() ? "HEARTH_CA_FILE" : "profile's caFile";
  }

  /** An explicit bearer (flag, then env) that replaces the profile's session; null when none. */
  String explicitToken(Map<String, String> env) {
    if (token != null) {
      if (token.isBlank()) throw new InvalidOptionException("--token", "is empty");
      return token;
    }
    String fromEnv = env.get("HEARTH_TOKEN");
    return fromEnv == null || fromEnv.isBlank() ? null : fromEnv;
  }
}

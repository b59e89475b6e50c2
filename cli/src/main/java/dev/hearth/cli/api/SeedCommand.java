package dev.hearth.cli.api;

import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.cli.base.RpcException;
import dev.hearth.kernel.seed.SeedProfile;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code hearth seed}: reproducible demo and test data, through the public API, as named sets. */
@Command(
    name = "seed",
    mixinStandardHelpOptions = true,
    description = {
      "Fill the node with reproducible semi-random data through its public API (every rule applies): users,",
      "orgs, projects, memberships, then for each module the node serves: chat channels and messages, surveys",
      "and answers, user-module records. The same --seed and --profile give the same content on any empty node.",
      "The data is one named set, which 'hearth seed list' shows and 'hearth seed remove NAME' takes away.",
      "Needs a sys-admin (--token, HEARTH_TOKEN or 'hearth login'). Prints the set (JSON); progress on stderr.",
      "Seeded users share one password: --password, else a random one printed once in the output."
    },
    subcommands = {SeedCommand.ListSets.class, SeedCommand.Remove.class, SeedCommand.Digest.class})
public final class SeedCommand implements Callable<Integer> {

  static final String SEED = "hearth.seed.v1.SeedService";

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;

  // Not the Connection mixin: its --profile names a login profile, and here --profile is the data's
  // size (the name the design gives it). The login profile comes from HEARTH_PROFILE.
  @Option(names = "--url", paramLabel = "URL", description = "Node to call (env HEARTH_URL; default: the login profile's).")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "A sys-admin's bearer token; prefer env HEARTH_TOKEN, which the process list does not show.")
  String token;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default 42).")
  long seed;

  @Option(names = "--profile", paramLabel = "NAME", defaultValue = "small",
      description = "small, demo or load (default small).")
  String profile;

  @Option(names = "--name", paramLabel = "NAME", description = "Name of the set (default seed-<seed>-<profile>).")
  String name;

  @Option(names = "--password", paramLabel = "PASSWORD",
      description = "Password of every seeded user (env HEARTH_SEED_PASSWORD; default: random, printed once).")
  String password;

  Map<String, String> env() {
    return parent.env();
  }

  @Override
  public Integer call() {
    SeedProfile p;
    try {
      p = SeedProfile.named(profile);
    } catch (ModuleException e) {
      throw new InvalidOptionException("--profile", e.getMessage()); // a usage error: exit 2
    }
    String set = name != null ? name : "seed-" + seed + "-" + p.name();
    String pw = password != null ? password : env().get("HEARTH_SEED_PASSWORD");
    boolean generated = pw == null || pw.isBlank();
    if (generated) {
      byte[] b = new byte[12];
      new SecureRandom().nextBytes(b);
      pw = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
    PrintWriter err = spec.commandLine().getErr();
    Connection connection = new Connection();
    connection.url = url;
    connection.token = token;
    try (ApiSession session = ApiSession.open(connection, env())) {
      SeedApi api = new SeedApi(session, err);
      requireNew(api, set);
      err.println("seeding set " + set + " (seed " + seed + ", profile " + p.name() + ") into " + session.client().url());
      Seeder seeder = new Seeder(api, err, set, seed, p, pw);
      Map<String, Integer> counts;
      try {
        counts = seeder.run();
      } catch (RuntimeException e) {
        // Whatever was made is recorded, so 'hearth seed remove' can take it away.
        api.call(SEED, "PutSet", ledger(set, p, seeder, ""), api.bearer());
        err.println("seeding stopped; what was made is recorded as set " + set + " (hearth seed remove " + set + ")");
        throw e;
      }
      err.println("reading the content back for its digest");
      JsonObject ledger = ledger(set, p, seeder, "");
      String sha = SeedReader.sha256(new SeedReader(api).content(ledger));
      JsonObject stored = api.call(SEED, "PutSet", ledger.put("contentSha256", sha), api.bearer());
      JsonObject out = stored.put("counts", JsonObject.mapFrom(counts));
      if (generated) out.put("password", pw);
      spec.commandLine().getOut().println(out.encodePrettily());
      err.println("seeded " + counts);
    }
    return ExitCodes.OK;
  }

  private static JsonObject ledger(String set, SeedProfile p, Seeder seeder, String sha) {
    JsonArray users = new JsonArray();
    seeder.users.forEach(u -> users.add(u.id()));
    return new JsonObject().put("name", set).put("seed", seeder.seed).put("profile", p.name())
        .put("userIds", users).put("orgIds", new JsonArray(seeder.orgIds)).put("contentSha256", sha);
  }

  private static void requireNew(SeedApi api, String set) {
    try {
      api.call(SEED, "GetSet", new JsonObject().put("name", set), api.bearer());
    } catch (RpcException e) {
      if (e.status() == GrpcStatus.NOT_FOUND) return;
      if (e.status() == GrpcStatus.PERMISSION_DENIED || e.status() == GrpcStatus.UNAUTHENTICATED) {
        throw new RpcException(e.status(), "seeding needs a sys-admin: " + e.statusMessage(), null);
      }
      throw e;
    }
    throw new RpcException(GrpcStatus.ALREADY_EXISTS, "a seed set named '" + set + "' exists; remove it first "
        + "(hearth seed remove " + set + ") or pick another --name", null);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the seed sets on the node (JSON).")
  static final class ListSets implements Callable<Integer> {
    @ParentCommand SeedCommand seed;
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @Override
    public Integer call() {
      try (ApiSession session = ApiSession.open(connection, seed.env())) {
        SeedApi api = new SeedApi(session, spec.commandLine().getErr());
        JsonObject r = api.call(SEED, "ListSets", new JsonObject(), api.bearer());
        spec.commandLine().getOut().println(r.getJsonArray("sets", new JsonArray()).encodePrettily());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Delete what seed set NAME created (its orgs with their projects, its users), then the set (JSON).")
  static final class Remove implements Callable<Integer> {
    @ParentCommand SeedCommand seed;
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @Parameters(paramLabel = "NAME", description = "The set's name.")
    String name;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try (ApiSession session = ApiSession.open(connection, seed.env())) {
        SeedApi api = new SeedApi(session, err);
        JsonObject set = api.call(SEED, "GetSet", new JsonObject().put("name", name), api.bearer());
        int orgs = 0;
        int users = 0;
        for (Object org : set.getJsonArray("orgIds", new JsonArray())) {
          gone(() -> api.call(Seeder.TENANCY, "DeleteOrg", new JsonObject().put("orgId", org), api.bearer()));
          orgs++;
        }
        err.println("  " + orgs + " orgs deleted");
        for (Object user : set.getJsonArray("userIds", new JsonArray())) {
          gone(() -> api.call("hearth.admin.v1.AdminService", "DeleteUser", new JsonObject().put("userId", user), api.bearer()));
          if (++users % 50 == 0) err.println("  " + users + " users deleted");
        }
        api.call(SEED, "DeleteSet", new JsonObject().put("name", name), api.bearer());
        spec.commandLine().getOut().println(new JsonObject().put("removed", name).put("orgs", orgs).put("users", users)
            .encodePrettily());
        err.println("removed seed set " + name);
      }
      return ExitCodes.OK;
    }

    /** Something already deleted by hand is fine: the set is being removed anyway. */
    private static void gone(Runnable call) {
      try {
        call.run();
      } catch (RpcException e) {
        if (e.status() != GrpcStatus.NOT_FOUND) throw e;
      }
    }
  }

  @Command(name = "digest", mixinStandardHelpOptions = true,
      description = {"Read seed set NAME back through the API and print the SHA-256 of its canonical content (JSON),",
          "with whether it still matches the digest taken when it was made; --content prints the content too."})
  static final class Digest implements Callable<Integer> {
    @ParentCommand SeedCommand seed;
    @Spec CommandSpec spec;
    @Mixin Connection connection;

    @Parameters(paramLabel = "NAME", description = "The set's name.")
    String name;

    @Option(names = "--content", description = "Also print the canonical content.")
    boolean content;

    @Override
    public Integer call() {
      try (ApiSession session = ApiSession.open(connection, seed.env())) {
        SeedApi api = new SeedApi(session, spec.commandLine().getErr());
        JsonObject set = api.call(SEED, "GetSet", new JsonObject().put("name", name), api.bearer());
        JsonObject c = new SeedReader(api).content(set);
        String sha = SeedReader.sha256(c);
        JsonObject out = new JsonObject().put("name", name).put("contentSha256", sha)
            .put("recordedSha256", set.getString("contentSha256", "")).put("unchanged", sha.equals(set.getString("contentSha256")));
        if (content) out.put("content", c);
        spec.commandLine().getOut().println(out.encodePrettily());
      }
      return ExitCodes.OK;
    }
  }
}

package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.PasswordInput;
import dev.hearth.cli.base.ExitCodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hearth login}: starts a session through {@code hearth.auth.v1.AuthService/LogIn}, found by
 * name through server reflection, and keeps its tokens in the profile. Prints
 * {@code {"profile","url","user","userId"}}; the tokens themselves are never printed.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Log in to a node and keep the session in a profile ($HEARTH_CONFIG_DIR/profiles.json, owner-only).",
      "The password comes from stdin (--password-stdin), else env HEARTH_PASSWORD, else the terminal.",
      "With --sso PROVIDER, sign in through the browser instead (the node's single sign-on, docs/identity.md)."
    })
public final class LoginCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL",
      description = "Node to log in to, http(s)://host:port (env HEARTH_URL; default: the profile's).")
  String url;

  @Option(names = "--ca-file", paramLabel = "PATH", description = "PEM file of CA certificates to trust for an "
      + "https node, besides the system's; kept in the profile (env HEARTH_CA_FILE; default: the profile's).")
  String caFile;

  @Option(names = "--user", paramLabel = "EMAIL", description = "Email of the account (default: the profile's).")
  String user;

  @Option(names = "--password-stdin", description = "Read the password from stdin (its first line).")
  boolean passwordStdin;

  @Option(names = "--totp", paramLabel = "CODE", description = "Current TOTP code, for accounts with TOTP on.")
  String totp;

  @Option(names = "--sso", paramLabel = "PROVIDER", description = "Sign in with the node's single sign-on provider "
      + "PROVIDER in the browser ($BROWSER, else xdg-open; the address is printed too). A password (--password-stdin or "
      + "HEARTH_PASSWORD) is only needed to link an existing password account of the same email, once.")
  String sso;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Profile to keep the session in (env HEARTH_PROFILE; default \"default\").")
  String profile;

  @Override
  public Integer call() {
    Map<String, String> env = parent.env();
    String name = Profiles.selectedName(profile, env);
    Profile known = Profiles.load(env).get(name).orElse(Profile.EMPTY);
    String node = url != null ? url : env.getOrDefault("HEARTH_URL", known.url());
    if (node == null || node.isBlank()) throw new InvalidOptionException("--url", "which node? e.g. --url http://localhost:8080");
    String email = user != null ? user : known.user();
    if (sso == null && (email == null || email.isBlank())) {
      throw new InvalidOptionException("--user", "whose account? e.g. --user ada@example.org");
    }
    String password = sso == null ? PasswordInput.read(passwordStdin, env, email)
        : passwordStdin || env.containsKey("HEARTH_PASSWORD") ? PasswordInput.read(passwordStdin, env, "the account to link") : null;

    DynamicMessage session;
    String source = url != null ? "--url" : env.containsKey("HEARTH_URL") ? "HEARTH_URL" : "profile " + name;
    String ca = caFile != null ? caFile : env.getOrDefault("HEARTH_CA_FILE", known.caFile());
    String caSource = caFile != null ? "--ca-file" : env.containsKey("HEARTH_CA_FILE") ? "HEARTH_CA_FILE" : "profile " + name;
    // Kept absolute: later commands may run from another directory.
    String keptCa = ca == null || ca.isBlank() ? null : Path.of(ca).toAbsolutePath().toString();
    try (ApiClient client = ApiClient.open(node, source, ca, caSource)) {
      ApiSchema schema = ApiClient.await(ReflectionClient.fetch(client, null));
      if (sso != null) {
        session = SsoLogin.run(client, schema, sso, password, env, spec.commandLine().getErr());
        MethodDescriptor me = schema.method(ApiSession.AUTH, "Me").orElseThrow(() ->
            new CommandFailedException("the node at " + node + " offers no " + ApiSession.AUTH + "/Me"));
        email = (String) Messages.get(ApiClient.await(client.call(me, Messages.build(me.getInputType(), Map.of()),
            (String) Messages.get(session, "access_token"))), "email");
      } else {
        MethodDescriptor logIn = schema.method(ApiSession.AUTH, "LogIn").orElseThrow(() ->
            new CommandFailedException("the node at " + node + " offers no " + ApiSession.AUTH + "/LogIn"));
        Map<String, Object> fields = new HashMap<>(Map.of("email", email, "password", password));
        if (totp != null) fields.put("totp_code", totp);
        session = ApiClient.await(client.call(logIn, Messages.build(logIn.getInputType(), fields), null));
      }
    }
    String who = email;
    Profiles.update(env, name, p -> Messages.withSession(p.withLogin(node, who, keptCa), session));
    spec.commandLine().getErr().println("logged in to " + node + " as " + email + " (profile " + name + ")");
    spec.commandLine().getOut().println(new JsonObject().put("profile", name).put("url", node).put("user", email)
        .put("userId", Messages.get(session, "user_id")).encodePrettily());
    return ExitCodes.OK;
  }
}

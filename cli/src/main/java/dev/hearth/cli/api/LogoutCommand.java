package dev.hearth.cli.api;

import com.google.protobuf.DynamicMessage;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.cli.base.RpcException;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hearth logout}: ends the profile's session on the node ({@code AuthService/LogOut}) and forgets
 * its tokens. The tokens are forgotten even when the node cannot be told; the command then says so
 * and fails, since the session stays valid on the node until it expires.
 */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "End the profile's session on the node and forget its tokens (the URL and user are kept).")
public final class LogoutCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;

  @Option(names = "--profile", paramLabel = "NAME", description = "Profile to log out (env HEARTH_PROFILE; default \"default\").")
  String profile;

  @Override
  public Integer call() {
    Map<String, String> env = parent.env();
    String name = Profiles.selectedName(profile, env);
    Profile known = Profiles.load(env).get(name).orElse(Profile.EMPTY);
    JsonObject result = new JsonObject().put("profile", name).put("url", known.url());
    if (!known.hasTokens()) {
      spec.commandLine().getErr().println("profile " + name + " is not logged in");
      spec.commandLine().getOut().println(result.put("loggedOut", false).encodePrettily());
      return ExitCodes.OK;
    }
    Connection connection = new Connection();
    connection.profile = name;
    Map<String, String> profileOnly = new HashMap<>(env); // the profile's own node and session, not HEARTH_URL/TOKEN
    profileOnly.keySet().removeAll(Set.of("HEARTH_URL", "HEARTH_TOKEN"));
    try (ApiSession session = ApiSession.open(connection, profileOnly)) {
      var logOut = session.schema().method(ApiSession.AUTH, "LogOut").orElseThrow();
      session.call(logOut, DynamicMessage.getDefaultInstance(logOut.getInputType()));
    } catch (RuntimeException e) {
      // the session is already over when the node no longer knows the token; anything else is worth reporting
      boolean over = e instanceof RpcException r && r.status() == GrpcStatus.UNAUTHENTICATED;
      if (!over) {
        Profiles.update(env, name, Profile::withoutTokens);
        spec.commandLine().getErr().println("forgot the tokens of profile " + name
            + ", but the node was not told: the session stays valid there until it expires");
        throw e;
      }
    }
    Profiles.update(env, name, Profile::withoutTokens);
    spec.commandLine().getErr().println("logged out of " + known.url() + " (profile " + name + ")");
    spec.commandLine().getOut().println(result.put("loggedOut", true).encodePrettily());
    return ExitCodes.OK;
  }
}

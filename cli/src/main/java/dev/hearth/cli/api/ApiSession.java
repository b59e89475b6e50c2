package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import dev.hearth.cli.base.RpcException;
import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.cli.base.CommandFailedException;
import io.vertx.grpc.common.GrpcStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One API command's link to a node: the selected profile, the client and the node's schema (fetched
 * once, lazily). Calls carry the explicit token if one was given, else the profile's access token;
 * when such a call fails with UNAUTHENTICATED and the profile has a refresh token, the session is
 * refreshed once through {@code AuthService/Refresh}, saved, and the call retried once.
 */
public final class ApiSession implements AutoCloseable {

  static final String AUTH = "hearth.auth.v1.AuthService";

  private final Map<String, String> env;
  private final String profileName;
  private final String explicitToken;
  private final ApiClient client;
  private Profile profile;
  private ApiSchema schema;

  private ApiSession(Map<String, String> env, String profileName, Profile profile, String explicitToken, ApiClient client) {
    this.env = env;
    this.profileName = profileName;
    this.profile = profile;
    this.explicitToken = explicitToken;
    this.client = client;
  }

  /** Whether flag, environment or profile name a node to call. */
  static boolean knowsNode(Connection c, Map<String, String> env) {
    return c.url(env, Profiles.load(env).get(c.profileName(env)).orElse(Profile.EMPTY)) != null;
  }

  /** @throws InvalidOptionException when no URL is known from flag, environment or profile */
  static ApiSession open(Connection c, Map<String, String> env) {
    String name = c.profileName(env);
    Profile p = Profiles.load(env).get(name).orElse(Profile.EMPTY);
    String url = c.url(env, p);
    if (url == null) {
      throw new InvalidOptionException("--url", "no node to call: pass --url, set HEARTH_URL or log in first with "
          + "'hearth login --url URL --user EMAIL" + (name.equals(Profiles.DEFAULT) ? "" : " --profile " + name) + "'");
    }
    return new ApiSession(env, name, p, c.explicitToken(env), ApiClient.open(url, c.urlSource(env),
        c.caFile(env, p), c.caFileSource(env)));
  }

  ApiClient client() {
    return client;
  }

  String bearer() {
    return explicitToken != null ? explicitToken : profile.accessToken();
  }

  /** The node's schema. A stale bearer must not hide a public reflection service, hence the anonymous retry. */
  ApiSchema schema() {
    if (schema == null) {
      try {
        schema = ApiClient.await(ReflectionClient.fetch(client, bearer()));
      } catch (RpcException e) {
        if (e.status() != GrpcStatus.UNAUTHENTICATED || bearer() == null) throw e;
        schema = ApiClient.await(ReflectionClient.fetch(client, null));
      }
    }
    return schema;
  }

  /**
   * Calls {@code method} and prints the answer: pretty JSON, or one JSON line per message of a stream.
   *
   * @return whether the answer is a failed check ({@link Verdicts#failed}), which the command exits 1 on
   */
  boolean invoke(MethodDescriptor method, DynamicMessage request, PrintWriter out) {
    if (method.isClientStreaming()) {
      throw new InvalidOptionException(method.getFullName(),
          "streams requests; the CLI calls unary and server-streaming methods only");
    }
    if (method.isServerStreaming()) {
      stream(method, request, m -> Messages.print(out, m, schema().types(), true));
      return false;
    }
    DynamicMessage answer = call(method, request);
    Messages.print(out, answer, schema().types(), false);
    return Verdicts.failed(answer);
  }

  /** A unary call with the session's bearer, refreshed once if the node says it expired. */
  DynamicMessage call(MethodDescriptor method, DynamicMessage request) {
    return withRefresh(bearer -> ApiClient.await(client.call(method, request, bearer)), () -> true);
  }

  /** A server-streaming call; retried after a refresh only if nothing was received yet. */
  void stream(MethodDescriptor method, DynamicMessage request, Consumer<DynamicMessage> each) {
    AtomicBoolean received = new AtomicBoolean();
    withRefresh(bearer -> ApiClient.await(client.serverStream(method, request, bearer, m -> {
      received.set(true);
      each.accept(m);
    })), () -> !received.get());
  }

  private <T> T withRefresh(Function<String, T> call, BooleanSupplier mayRetry) {
    String used = bearer();
    try {
      return call.apply(used);
    } catch (RpcException e) {
      boolean refreshable = e.status() == GrpcStatus.UNAUTHENTICATED && explicitToken == null
          && profile.refreshToken() != null && mayRetry.getAsBoolean();
      if (!refreshable) throw e.status() == GrpcStatus.UNAUTHENTICATED && explicitToken == null ? loginHint(e) : e;
      refresh(used, e);
      return call.apply(bearer());
    }
  }

  /**
   * Trades the refresh token for a new pair under the profiles lock. If another command refreshed
   * meanwhile, its tokens are taken instead: a spent refresh token used again ends the whole session.
   */
  @SuppressWarnings("try") // the lock is held for the body, never read
  private void refresh(String usedBearer, RpcException original) {
    try (Profiles.Lock lock = Profiles.lock(env)) {
      Profiles all = Profiles.load(env);
      Profile current = all.get(profileName).orElse(Profile.EMPTY);
      if (current.accessToken() != null && !current.accessToken().equals(usedBearer)) {
        profile = current;
        return;
      }
      if (current.refreshToken() == null) throw loginHint(original);
      MethodDescriptor method = schema().method(AUTH, "Refresh").orElseThrow(() -> loginHint(original));
      DynamicMessage answer;
      try {
        answer = ApiClient.await(client.call(method,
            Messages.build(method.getInputType(), Map.of("refresh_token", current.refreshToken())), null));
      } catch (RpcException e) {
        if (e.status() != GrpcStatus.UNAUTHENTICATED) throw e;
        all.put(profileName, current.withoutTokens()); // the refresh token is spent or revoked: useless now
        all.save();
        throw loginHint(new RpcException(e.status(), "the session has ended (" + e.statusMessage() + ")", null));
      }
      profile = Messages.withSession(current, answer);
      all.put(profileName, profile);
      all.save();
    } catch (IOException e) {
      throw new CommandFailedException("cannot lock the profiles in " + Profiles.configDir(env) + ": " + e.getMessage(), e);
    }
  }

  private RpcException loginHint(RpcException e) {
    String again = "log in with 'hearth login" + (profileName.equals(Profiles.DEFAULT) ? "" : " --profile " + profileName) + "'";
    return new RpcException(e.status(), e.statusMessage() + " (" + again + ")", e.retryAfterSeconds());
  }

  @Override
  public void close() {
    client.close();
  }
}

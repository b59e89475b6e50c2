package dev.hearth.kernel.webhooks;

import dev.hearth.module.ModuleException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls a slash command's endpoint (docs/bots.md) the way webhooks are delivered: the same address
 * rules (nothing internal unless {@code webhooks.allowPrivateAddresses}), the same
 * {@code Hearth-Signature} header, no redirects. Unlike a delivery there is no retry — a person is
 * waiting — and the answer's body is read, up to {@link #MAX_ANSWER_BYTES}, within one timeout for
 * the whole exchange.
 */
public final class CommandCaller {

  /** A person is waiting: Slack and Mattermost give a command endpoint 3 s too. */
  public static final long TIMEOUT_MILLIS = 3_000;
  public static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final HttpClient client;
  private final AddressPolicy policy;
  private final long timeoutMillis;
  private final Path shellHooksDir;

  /**
   * @param shellHooksDir the node's {@code webhooks.shellHooks.dir}: where a sys-admin's command may
   *     name an executable to answer it; {@code null} (the default) turns that off
   */
  public CommandCaller(Vertx vertx, boolean allowPrivateAddresses, long timeoutMillis, Path shellHooksDir) {
    this.vertx = vertx;
    this.shellHooksDir = shellHooksDir;
    this.policy = new AddressPolicy(allowPrivateAddresses);
    this.timeoutMillis = timeoutMillis;
    this.client = vertx.createHttpClient(new HttpClientOptions().setTrustAll(false).setVerifyHost(true)
        .setKeepAlive(true).setMaxRedirects(0));
  }

  /** A new signing secret, as webhooks get. */
  public static String newSecret() {
    return Signatures.newSecret();
  }

  /**
   * Checks a URL being registered: https (http too where internal addresses are allowed, as on a
   * test node), a host, no user info or fragment, no internal address written literally.
   *
   * @return the URL, stripped
   */
  public String checkUrl(String field, String text) {
    return policy.checkUrl(field, text, policy.allowsPrivate());
  }


  /**
   * Checks a shell hook being registered as a command's backend: sys-admins only (it runs on the
   * node's machine), shell hooks on, and {@code file} an executable directly in their directory.
   *
   * @return the file name
   */
  public String checkShellHook(String field, String file, boolean sysAdmin) {
    if (!sysAdmin) {
      throw new ModuleException(ModuleException.Code.PERMISSION_DENIED,
          "a shell hook (" + field + ") runs on the node's machine and needs a sys-admin");
    }
    if (shellHooksDir == null) {
      throw ModuleException.failedPrecondition("shell hooks are off on this node; set webhooks.shellHooks.dir in its config");
    }
    try {
      CommandTarget.resolve(shellHooksDir, file);
    } catch (IOException e) {
      throw ModuleException.badField(field, e.getMessage() == null ? "cannot be run" : e.getMessage());
    }
    return file;
  }

  /**
   * Runs the shell hook {@code file} with {@code body} (JSON) on stdin, signed as an HTTP call is
   * ({@code HEARTH_SIGNATURE}); its stdout when it exits 0 within the timeout. Fails as {@link #call} does.
   */
  public Future<Buffer> runShellHook(String command, String file, String secret, byte[] body) {
    String signature = Signatures.header(secret, System.currentTimeMillis() / 1000, body);
    return vertx.executeBlocking(() -> Buffer.buffer(ShellCommands.run(shellHooksDir, file, command, signature, body, timeoutMillis)), false)
        .recover(err -> Future.failedFuture(err instanceof ModuleException e ? e : new ModuleException(ModuleException.Code.UNAVAILABLE,
            "/" + command + " could not run; nothing was posted")));
  }

  /**
   * POSTs {@code body} (JSON) to {@code url}, signed with {@code secret}; the answer's body when the
   * status is 2xx. Fails with UNAVAILABLE when the whole exchange takes longer than the timeout,
   * when the endpoint cannot be reached or when it answers another status, and
   * RESOURCE_EXHAUSTED when the answer is too large; each message names the command.
   */
  public Future<Buffer> call(String command, String url, String secret, byte[] body) {
    URI u = URI.create(url);
    boolean tls = u.getScheme().equalsIgnoreCase("https");
    int port = u.getPort() > 0 ? u.getPort() : tls ? 443 : 80;
    String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
    String uri = u.getRawQuery() == null ? path : path + "?" + u.getRawQuery();
    String signature = Signatures.header(secret, System.currentTimeMillis() / 1000, body);
    AtomicBoolean late = new AtomicBoolean();
    return vertx.<InetAddress>executeBlocking(() -> policy.resolve(u.getHost()), false)
        .compose(address -> client.request(new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
            .setHost(u.getHost()).setPort(port).setSsl(tls).setURI(uri)
            .setFollowRedirects(false)
            // The exchange's own timer (below) is the limit; the client's idle timeout only backs it up.
            .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis + 1_000)
            .putHeader("content-type", "application/json")
            .putHeader("accept", "application/json")
            .putHeader("user-agent", "Hearth-Commands/1")
            .putHeader("hearth-signature", signature)))
        .compose(req -> {
          long timer = vertx.setTimer(timeoutMillis, t -> {
            late.set(true);
            req.reset();
          });
          return req.send(Buffer.buffer(body))
              .compose(resp -> answer(command, resp))
              .onComplete(x -> vertx.cancelTimer(timer));
        })
        .recover(err -> Future.failedFuture(refusal(command, err, late.get())));
  }

  private Future<Buffer> answer(String command, HttpClientResponse resp) {
    if (resp.statusCode() < 200 || resp.statusCode() > 299) {
      resp.end();
      return Future.failedFuture(new ModuleException(ModuleException.Code.UNAVAILABLE,
          "/" + command + " answered HTTP " + resp.statusCode() + "; nothing was posted"));
    }
    String length = resp.getHeader("content-length");
    if (length != null && length.matches("\\d{1,18}") && Long.parseLong(length) > MAX_ANSWER_BYTES) {
      resp.request().reset();
      return Future.failedFuture(tooLarge(command));
    }
    Buffer into = Buffer.buffer();
    Promise<Buffer> done = Promise.promise();
    resp.handler(chunk -> {
      if (into.length() + chunk.length() > MAX_ANSWER_BYTES) {
        resp.request().reset();
        done.tryFail(tooLarge(command));
      } else {
        into.appendBuffer(chunk);
      }
    });
    resp.exceptionHandler(done::tryFail);
    resp.endHandler(v -> done.tryComplete(into));
    return done.future();
  }

  private static ModuleException tooLarge(String command) {
    return new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED,
        "/" + command + " answered more than " + MAX_ANSWER_BYTES / 1024 + " KiB; nothing was posted");
  }

  private ModuleException refusal(String command, Throwable err, boolean late) {
    if (err instanceof ModuleException e && e.code() != ModuleException.Code.FAILED_PRECONDITION) return e;
    if (late) {
      return new ModuleException(ModuleException.Code.UNAVAILABLE,
          "/" + command + " did not answer within " + timeoutMillis / 1000.0 + " s; nothing was posted");
    }
    String why = err instanceof ModuleException e ? e.getMessage()
        : err.getMessage() == null ? "the connection failed" : err.getMessage();
    if (why.length() > 200) why = why.substring(0, 200);
    return new ModuleException(ModuleException.Code.UNAVAILABLE,
        "/" + command + " could not be reached (" + why + "); nothing was posted");
  }
}

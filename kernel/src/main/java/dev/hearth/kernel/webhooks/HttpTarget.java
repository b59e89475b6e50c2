package dev.hearth.kernel.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POSTs a delivery to a URL. The host is resolved and checked against the {@link AddressPolicy}
 * before each attempt and the connection goes to that checked address (the Host header and TLS
 * name stay the URL's). Redirects are not followed: a 3xx is a failed attempt, so a receiver cannot
 * bounce deliveries to an internal address.
 */
final class HttpTarget implements Target {

  private final Vertx vertx;
  private final HttpClient client;
  private final AddressPolicy policy;
  private final long timeoutMillis;
  private final URI url;

  HttpTarget(Vertx vertx, HttpClient client, AddressPolicy policy, long timeoutMillis, String url) {
    this.vertx = vertx;
    this.client = client;
    this.policy = policy;
    this.timeoutMillis = timeoutMillis;
    this.url = URI.create(url);
  }

  @Override
  public Future<Attempt> send(String deliveryId, String topic, byte[] body, String signature) {
    boolean tls = url.getScheme().equalsIgnoreCase("https");
    int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
    String uri = path;
    return vertx.<InetAddress>executeBlocking(() -> policy.resolve(url.getHost()), false)
        .compose(address -> client.request(new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
            .setHost(url.getHost()).setPort(port).setSsl(tls).setURI(uri)
            .setFollowRedirects(false)
            .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis)
            .putHeader("content-type", "application/json")
            .putHeader("user-agent", "Hearth-Webhooks/1")
            .putHeader("hearth-signature", signature)
            .putHeader("hearth-delivery", deliveryId)
            .putHeader("hearth-topic", topic)))
        .compose(req -> {
          // The idle timeout does not stop a receiver that keeps trickling bytes: a whole attempt
          // gets the timeout once, from the request on.
          AtomicBoolean late = new AtomicBoolean();
          long timer = vertx.setTimer(timeoutMillis, t -> {
            late.set(true);
            req.reset();
          });
          return req.send(Buffer.buffer(body))
              .compose(resp -> resp.end().map(v -> resp.statusCode()))
              .onComplete(x -> vertx.cancelTimer(timer))
              .recover(err -> Future.failedFuture(late.get()
                  ? new TimeoutException("no complete answer within " + timeoutMillis + " ms") : err));
        })
        .map(status -> status >= 200 && status < 300 ? new Attempt(true, status, "")
            : new Attempt(false, status, "HTTP " + status))
        .otherwise(err -> Attempt.failed(message(err)));
  }

  private static String message(Throwable err) {
    String m = err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    return m.length() > 300 ? m.substring(0, 300) : m;
  }
}

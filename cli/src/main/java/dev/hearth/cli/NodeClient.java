package dev.hearth.cli;

import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.NodeNotRunningException;
import dev.hearth.kernel.config.RunFiles;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Calls the admin API of the node running on a data directory, found through its run files
 * ({@link RunFiles}). Plain {@link HttpClient}: a one-shot command needs no event loop.
 */
final class NodeClient {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String base;
  private final String token;
  /** HTTP/1.1: the JDK's default on plain http is the h2c upgrade, unreliable with Vert.x 5 (docs/api.md, "HTTP versions"). */
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  private NodeClient(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** @throws NodeNotRunningException when the run files are missing or name a dead process */
  static NodeClient connect(Path dataDir) {
    RunFiles files = new RunFiles(dataDir);
    Path where = dataDir.toAbsolutePath().normalize();
    try {
      RunFiles.Info info = files.read().orElseThrow(() -> new NodeNotRunningException(
          "no node is running on " + where + " (no run/node.json); start one with 'hearth serve --data "
              + dataDir + "'"));
      boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        throw new NodeNotRunningException("no node is running on " + where + ": run/node.json names process "
            + info.pid() + ", which is gone (the node did not shut down cleanly; start it again)");
      }
      return new NodeClient("http://" + hostForClient(info.host()) + ":" + info.port(), files.readToken());
    } catch (NoSuchFileException e) {
      throw new NodeNotRunningException("no node is running on " + where + " (" + e.getFile() + " is missing)");
    } catch (IOException e) {
      throw new CommandFailedException("cannot read the run files in " + where + "/run: " + e.getMessage(), e);
    }
  }

  /** A node bound to every interface is reached on loopback; the admin API is for local use. */
  private static String hostForClient(String host) {
    if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** Sends the request and returns the body of a 2xx answer; anything else fails the command. */
  String send(String method, String path) {
    return send(method, path, null);
  }

  /** As {@link #send(String, String)}, with a JSON body when {@code json} is not null. */
  String send(String method, String path, JsonObject json) {
    return send(method, path, json, TIMEOUT);
  }

  /** As {@link #send(String, String, JsonObject)}, waiting up to {@code timeout} (long work: backups). */
  String send(String method, String path, JsonObject json, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json.encode()))
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new NodeNotRunningException("the node at " + base + " does not answer (is it still starting or stopping?)");
    } catch (HttpTimeoutException e) {
      throw new CommandFailedException(
          "the node at " + base + " did not answer " + method + " " + path + " within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new CommandFailedException("calling " + base + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("interrupted");
    }
    if (response.statusCode() / 100 == 2) return response.body();
    throw new CommandFailedException("the node answered " + response.statusCode() + ": " + errorText(response.body()));
  }

  private static String errorText(String body) {
    try {
      JsonObject error = new JsonObject(body);
      return error.getString("code", "?") + ": " + error.getString("message", "");
    } catch (DecodeException | ClassCastException e) {
      return body.length() > 200 ? body.substring(0, 200) + "..." : body;
    }
  }
}

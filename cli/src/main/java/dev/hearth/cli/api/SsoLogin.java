package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.sun.net.httpserver.HttpServer;
import dev.hearth.cli.base.CommandFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code hearth login --sso PROVIDER}: single sign-on through the browser with the loopback flow
 * (RFC 8252): a one-request listener on 127.0.0.1, StartSso with it as {@code return_to}, the
 * browser opened at the provider (the command in {@code $BROWSER}, else xdg-open or open; the URL is
 * printed either way), and CompleteSso with the flow id the node sends the browser back with and the
 * handoff secret only this process holds. The provider's answer itself goes to the node, never here.
 */
final class SsoLogin {

  static final long WAIT_SECONDS = 300;

  private SsoLogin() {}

  /** The session; {@code password} (may be null) links an existing password account of the same email. */
  static DynamicMessage run(ApiClient client, ApiSchema schema, String provider, String password, Map<String, String> env,
      PrintWriter err) {
    MethodDescriptor start = method(schema, "StartSso");
    MethodDescriptor complete = method(schema, "CompleteSso");
    CompletableFuture<String> flow = new CompletableFuture<>();
    HttpServer listener;
    try {
      listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new CommandFailedException("cannot listen on the loopback address for the browser's return: " + e.getMessage(), e);
    }
    listener.createContext("/", exchange -> {
      String id = query(exchange.getRequestURI().getRawQuery()).get("sso");
      byte[] page = (id == null ? "No sign-in here." : "Signed in to Hearth: you can close this tab and go back to the terminal.")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(id == null ? 400 : 200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
      if (id != null) flow.complete(id);
    });
    listener.start();
    try {
      String returnTo = "http://127.0.0.1:" + listener.getAddress().getPort() + "/done";
      DynamicMessage started = ApiClient.await(client.call(start,
          Messages.build(start.getInputType(), Map.of("provider", provider, "return_to", returnTo)), null));
      String url = (String) Messages.get(started, "authorization_url");
      err.println("sign in with " + provider + " in your browser; if it does not open, go to:");
      err.println(url);
      err.flush();
      openBrowser(url, env, err);
      String flowId;
      try {
        flowId = flow.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new CommandFailedException("no sign-in came back from the browser in " + WAIT_SECONDS + " s; run the command again");
      } catch (Exception e) {
        throw new CommandFailedException("waiting for the browser failed: " + e.getMessage(), e);
      }
      Map<String, Object> fields = new HashMap<>(Map.of("flow_id", flowId, "handoff", (String) Messages.get(started, "handoff")));
      if (password != null) fields.put("password", password);
      return ApiClient.await(client.call(complete, Messages.build(complete.getInputType(), fields), null));
    } finally {
      listener.stop(0);
    }
  }

  private static MethodDescriptor method(ApiSchema schema, String name) {
    return schema.method(ApiSession.AUTH, name).orElseThrow(() ->
        new CommandFailedException("this node offers no single sign-on (" + ApiSession.AUTH + "/" + name + ")"));
  }

  private static void openBrowser(String url, Map<String, String> env, PrintWriter err) {
    String browser = env.get("BROWSER");
    String command = browser != null && !browser.isBlank() ? browser
        : Files.isExecutable(Path.of("/usr/bin/xdg-open")) ? "/usr/bin/xdg-open"
        : Files.isExecutable(Path.of("/usr/bin/open")) ? "/usr/bin/open" : null;
    if (command == null) return;
    try {
      new ProcessBuilder(command, URI.create(url).toString()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      err.println("could not start " + command + " (" + e.getMessage() + "); open the address above yourself");
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}

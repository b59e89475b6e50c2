package dev.hearth.cli.api;

import com.google.protobuf.Descriptors.MethodDescriptor;
import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.cli.base.EnvSource;
import dev.hearth.cli.base.ExitCodes;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code hearth files upload|download}: file contents streamed over REST with progress on stderr.
 * By hand beside the generated {@code hearth file ...} (FileService's metadata calls), because
 * reflection cannot drive a client stream and a download is bytes, not JSON lines. The first call
 * goes through the session (GetQuota), so an expired access token is refreshed before any byte moves.
 */
@Command(name = "files", mixinStandardHelpOptions = true,
    description = "Upload and download project files (metadata: 'hearth file --help').",
    subcommands = {FilesCommand.Upload.class, FilesCommand.Download.class})
public final class FilesCommand implements Callable<Integer> {

  @ParentCommand EnvSource parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Checks the session and the caller's access to the project through one unary call (refreshing the token if needed). */
  static String bearerFor(ApiSession session, String project) {
    MethodDescriptor quota = session.schema().method("hearth.files.v1.FileService", "GetQuota").orElseThrow(() ->
        new CommandFailedException("the node at " + session.client().url() + " serves no files"));
    session.call(quota, Messages.build(quota.getInputType(), Map.of("project_id", project)));
    return session.bearer();
  }

  static CommandFailedException failed(HttpResponse<?> r, String body) {
    String message = body;
    try {
      JsonObject e = new JsonObject(body);
      message = e.getString("code") + ": " + e.getString("message");
    } catch (RuntimeException notJson) {
      // keep the raw body
    }
    return new CommandFailedException("HTTP " + r.statusCode() + ": " + message);
  }

  @Command(name = "upload", mixinStandardHelpOptions = true,
      description = "Upload a file into a project (streamed; progress on stderr); prints the new entry as JSON.")
  static final class Upload implements Callable<Integer> {
    @ParentCommand FilesCommand files;
    @Spec CommandSpec spec;
    @Mixin Connection connection;
    @Parameters(index = "0", paramLabel = "PATH") Path path;
    @Option(names = "--project", required = true, paramLabel = "ID") String project;
    @Option(names = "--folder", paramLabel = "ID", description = "Folder id (default: the project's root).") String folder = "";
    @Option(names = "--name", description = "Name in the project (default: the file's name).") String name;
    @Option(names = "--type", paramLabel = "CONTENT-TYPE", description = "Default: guessed from the name.") String type;

    @Override
    public Integer call() throws Exception {
      if (!Files.isRegularFile(path)) throw new InvalidOptionException("PATH", path + " is not a readable file");
      long size = Files.size(path);
      String n = name != null ? name : path.getFileName().toString();
      String t = type != null ? type : Optional.ofNullable(Files.probeContentType(path)).orElse("application/octet-stream");
      PrintWriter err = spec.commandLine().getErr();
      try (ApiSession session = ApiSession.open(connection, files.parent.env())) {
        String bearer = bearerFor(session, project);
        URI uri = URI.create(session.client().url() + "/v1/projects/" + enc(project) + "/files?name=" + enc(n)
            + (folder.isEmpty() ? "" : "&folderId=" + enc(folder)));
        Progress progress = new Progress(err, "uploaded", size);
        HttpRequest request = HttpRequest.newBuilder(uri).header("authorization", "Bearer " + bearer)
            .header("content-type", t)
            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
              try {
                return progress.counting(Files.newInputStream(path));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }), size)).build();
        HttpResponse<String> r = session.client().http().send(request, HttpResponse.BodyHandlers.ofString());
        progress.done();
        if (r.statusCode() != 200) throw failed(r, r.body());
        spec.commandLine().getOut().println(new JsonObject(r.body()).encodePrettily());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "download", mixinStandardHelpOptions = true,
      description = "Download a file's content to a path (streamed, checked against its SHA-256; progress on stderr).")
  static final class Download implements Callable<Integer> {
    @ParentCommand FilesCommand files;
    @Spec CommandSpec spec;
    @Mixin Connection connection;
    @Parameters(index = "0", paramLabel = "FILE-ID") String id;
    @Option(names = "--project", required = true, paramLabel = "ID") String project;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH") Path output;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      try (ApiSession session = ApiSession.open(connection, files.parent.env())) {
        String bearer = bearerFor(session, project);
        URI uri = URI.create(session.client().url() + "/v1/projects/" + enc(project) + "/files/" + enc(id) + "/content");
        HttpResponse<InputStream> r = session.client().http().send(HttpRequest.newBuilder(uri).header("authorization", "Bearer " + bearer).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
          try (InputStream in = r.body()) {
            throw failed(r, new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
        long size = r.headers().firstValueAsLong("content-length").orElse(-1);
        String expected = r.headers().firstValue("etag").orElse("").replace("\"", "");
        Path part = output.resolveSibling(output.getFileName() + ".part");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Progress progress = new Progress(err, "downloaded", size);
        try (InputStream in = progress.counting(r.body()); OutputStream out = Files.newOutputStream(part)) {
          byte[] buf = new byte[1 << 16];
          for (int k; (k = in.read(buf)) > 0; ) {
            sha.update(buf, 0, k);
            out.write(buf, 0, k);
          }
        }
        progress.done();
        String got = HexFormat.of().formatHex(sha.digest());
        if (!expected.isEmpty() && !expected.equals(got)) {
          Files.deleteIfExists(part);
          throw new CommandFailedException("the download's SHA-256 " + got + " is not the file's " + expected);
        }
        Files.move(part, output, StandardCopyOption.REPLACE_EXISTING);
        spec.commandLine().getOut().println(new JsonObject().put("id", id).put("path", output.toAbsolutePath().toString())
            .put("size", Files.size(output)).put("sha256", got).encodePrettily());
      }
      return ExitCodes.OK;
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Bytes moved so far, told on stderr at most once a second, and once at the end. */
  static final class Progress {
    private final PrintWriter err;
    private final String verb;
    private final long total;
    private final long start = System.nanoTime();
    private volatile long moved;
    private long lastTold;

    Progress(PrintWriter err, String verb, long total) {
      this.err = err;
      this.verb = verb;
      this.total = total;
    }

    InputStream counting(InputStream in) {
      return new FilterInputStream(in) {
        @Override public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) add(n);
          return n;
        }
      };
    }

    private synchronized void add(long n) {
      moved += n;
      long now = System.nanoTime();
      if (now - lastTold > 1_000_000_000L) {
        lastTold = now;
        tell();
      }
    }

    synchronized void done() {
      tell();
    }

    private void tell() {
      double secs = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
      err.printf("%s %d%s bytes%s, %.1f MB/s%n", verb, moved, total >= 0 ? " of " + total : "",
          total > 0 ? String.format(" (%d%%)", moved * 100 / total) : "", moved / 1e6 / secs);
      err.flush();
    }
  }
}

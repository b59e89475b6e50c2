package dev.hearth.ops.bench.realtime;

import java.net.URI;
import java.net.URISyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code --url} checking shared by the realtime benches. */
final class Urls {

  private Urls() {}

  static URI parse(CommandLine cmd, String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new ParameterException(cmd, "--url '" + url + "' is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
      throw new ParameterException(cmd, "--url '" + url + "' must be http://HOST[:PORT] or https://HOST[:PORT]");
    }
    return uri;
  }
}

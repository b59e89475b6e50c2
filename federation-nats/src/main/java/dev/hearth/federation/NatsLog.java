package dev.hearth.federation;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jnats' errors into the node's log instead of its default stderr printer: a dropped connection is
 * expected (the server restarts, the leaf link is down) and is retried, so it is logged once at
 * INFO by the connection listener and here only at DEBUG; server errors are WARN.
 */
final class NatsLog implements ErrorListener {

  private static final Logger log = LoggerFactory.getLogger(NatsLog.class);

  /** Logs the connection's state changes once each, not every failed reconnect attempt. */
  static final class States implements ConnectionListener {
    private final String url;
    private volatile Events last;

    States(String url) {
      this.url = url;
    }

    @Override
    public void connectionEvent(Connection conn, Events event) {
      if (event == last) return;
      last = event;
      if (event == Events.DISCONNECTED || event == Events.CLOSED) log.warn("NATS {}: {}", url, event);
      else log.info("NATS {}: {}", url, event);
    }
  }

  @Override
  public void errorOccurred(Connection conn, String error) {
    log.warn("NATS server error: {}", error);
  }

  @Override
  public void exceptionOccurred(Connection conn, Exception exp) {
    log.debug("NATS connection: {}", exp.toString());
  }
}

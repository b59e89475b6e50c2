package dev.hearth.federation;

import dev.hearth.federation.cdc.CdcPublisher;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;

/**
 * The streams a node keeps on its own NATS server, and their subjects. Every stream holds only
 * what this node sends; linked nodes read it through durable consumers in this node's domain.
 *
 * <pre>
 * HEARTH_CDC_&lt;node&gt;   hearth.cdc.&lt;node&gt;.&lt;project&gt;.&lt;store&gt;  change events of shared projects (7 days)
 * HEARTH_CTL_&lt;node&gt;   hearth.ctl.&lt;node&gt;.&lt;peer&gt;             link control for one peer (30 days)
 * HEARTH_MUT_&lt;node&gt;   hearth.mut.&lt;node&gt;.&lt;owner&gt;            remote users' writes for an owner (request expiry)
 * HEARTH_SNAP_&lt;node&gt;  hearth.snap.&lt;node&gt;.&lt;peer&gt;.&lt;snap&gt;     snapshot chunks for one peer (1 hour)
 * (core NATS)         hearth.reply.&lt;node&gt;.&lt;request&gt;        owners' answers to this node's writes
 * </pre>
 */
final class Streams {

  private Streams() {}

  static String ctl(String node) {
    return "HEARTH_CTL_" + node;
  }

  static String mut(String node) {
    return "HEARTH_MUT_" + node;
  }

  static String snap(String node) {
    return "HEARTH_SNAP_" + node;
  }

  static String ctlSubject(String from, String to) {
    return "hearth.ctl." + from + "." + to;
  }

  static String mutSubject(String from, String owner) {
    return "hearth.mut." + from + "." + owner;
  }

  static String snapSubject(String owner, String peer, String snapId) {
    return "hearth.snap." + owner + "." + peer + "." + snapId;
  }

  static String replySubject(String node, String requestId) {
    return "hearth.reply." + node + "." + requestId;
  }

  /** Makes this node's streams or brings them to the configuration above. */
  static void ensure(JetStreamManagement jsm, String node, FederationOptions options) throws IOException, JetStreamApiException {
    CdcPublisher.ensureStream(jsm, node, options.cdcRetention(), options.cdcMaxMessages());
    Duration requestExpiry = options.requestExpiry();
    put(jsm, ctl(node), "hearth.ctl." + node + ".>", Duration.ofDays(30));
    put(jsm, mut(node), "hearth.mut." + node + ".>", requestExpiry);
    put(jsm, snap(node), "hearth.snap." + node + ".>", Duration.ofHours(1));
  }

  private static void put(JetStreamManagement jsm, String name, String subjects, Duration maxAge)
      throws IOException, JetStreamApiException {
    StreamConfiguration config = StreamConfiguration.builder().name(name).subjects(subjects)
        .storageType(StorageType.File).maxAge(maxAge).duplicateWindow(Duration.ofMinutes(5)).build();
    if (jsm.getStreamNames().contains(name)) jsm.updateStream(config);
    else jsm.addStream(config);
  }
}

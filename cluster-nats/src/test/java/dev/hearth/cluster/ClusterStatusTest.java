package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cluster.v1.StoreLease;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Status's processes table says who owns a store as the lease table does, not as a heartbeat a round old did. */
class ClusterStatusTest {

  @Test
  void aProcessOwnsWhatItsLeasesName_evenWhenItsLastHeartbeatSaidOtherwise() {
    // Right after chat moved from pa to pb: both entries are from before the move.
    JsonObject pa = entry("pa", "chat", "kernel");
    JsonObject pb = entry("pb");
    List<StoreLease> leases = List.of(lease("chat", "pb"), lease("kernel", "pa"));

    assertThat(ClusterApi.process(pa, leases).getOwnedList()).containsExactly("kernel");
    assertThat(ClusterApi.process(pb, leases).getOwnedList()).containsExactly("chat");
    assertThat(ClusterApi.process(pb, leases).getStores(0).getLastSequence()).as("the rest is the entry's").isEqualTo(42);
  }

  @Test
  void aStoreWithoutALeaseIsOwnedByNobody() {
    assertThat(ClusterApi.process(entry("pa", "chat"), List.of()).getOwnedList()).isEmpty();
  }

  private static JsonObject entry(String id, String... owned) {
    return new JsonObject().put("processId", id).put("front", true).put("owns", new JsonArray().add("*"))
        .put("owned", new JsonArray(List.of(owned))).put("heartbeatAt", 1L)
        .put("stores", new JsonObject().put("chat", 42L));
  }

  private static StoreLease lease(String store, String holder) {
    return StoreLease.newBuilder().setStore(store).setHolder(holder).setRevision(7).build();
  }
}

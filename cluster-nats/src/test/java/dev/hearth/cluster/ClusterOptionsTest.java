package dev.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {

  @Test
  void noSection_isASingleNode() {
    assertThat(ClusterOptions.from(new JsonObject()).enabled()).isFalse();
  }

  @Test
  void urlsAsACommaList_andDefaults() {
    ClusterOptions o = ClusterOptions.from(new JsonObject().put("natsUrls", "nats://a:4222, nats://b:4222")
        .put("owns", new JsonArray().add("chat")));
    assertThat(o.enabled()).isTrue();
    assertThat(o.natsUrls()).containsExactly("nats://a:4222", "nats://b:4222");
    assertThat(o.front()).isTrue();
    assertThat(o.leaseTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.renewEvery()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.margin()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.readyCatchUp()).as("the longest a start waits for its copies before it says ready").isEqualTo(Duration.ofSeconds(60));
    assertThat(ClusterOptions.from(base().put("readyCatchUpSeconds", 0)).readyCatchUp()).isZero();
    assertThat(o.mayOwn("chat")).isTrue();
    assertThat(o.mayOwn("survey")).isFalse();
    assertThat(ClusterOptions.from(new JsonObject().put("natsUrls", "nats://a:1").put("owns", "*")).mayOwn("survey")).isTrue();
  }

  @Test
  void badValues_nameTheKey() {
    assertRefused(new JsonObject().put("owns", "chat"), "cluster.natsUrls", "is required");
    assertRefused(new JsonObject().put("natsUrls", "http://a"), "cluster.natsUrls", "not a NATS URL");
    assertRefused(base().put("processId", "a.b"), "cluster.processId", "must match");
    assertRefused(base().put("owns", new JsonArray().add("Chat")), "cluster.owns", "'Chat' is neither a store name");
    assertRefused(base().put("front", "yes"), "cluster.front", "true or false");
    assertRefused(base().put("leaseTtlMillis", 100), "cluster.leaseTtlMillis", "from 500");
    assertRefused(base().put("leaseTtlMillis", 3000).put("renewMillis", 2000), "cluster.renewMillis", "at most half");
    assertRefused(base().put("leaseTTL", 3), "cluster", "unknown setting 'leaseTTL'");
    assertRefused(base().put("readyCatchUpSeconds", -1), "cluster.readyCatchUpSeconds", "from 0 to 3600");
    assertRefused(base().put("readyCatchUpSeconds", "60"), "cluster.readyCatchUpSeconds", "must be a whole number");
    assertRefused(base().put("durability", "fast"), "cluster.durability", "'fast' must be \"cluster\" or \"local\"");
    assertRefused(base().put("durability", new JsonObject().put("chat", "none")), "cluster.durability.chat", "must be");
    assertRefused(base().put("durability", new JsonObject().put("Chat", "local")), "cluster.durability", "'Chat' is neither");
    assertRefused(base().put("durability", 3), "cluster.durability", "or an object of them by store");
  }

  @Test
  void durability_isClusterUnlessSetLocal_perStoreOrForAll() {
    assertThat(ClusterOptions.from(base()).durability("chat")).isEqualTo("cluster");
    ClusterOptions some = ClusterOptions.from(base().put("durability", new JsonObject().put("survey", "local")));
    assertThat(some.durability("survey")).isEqualTo("local");
    assertThat(some.durability("chat")).isEqualTo("cluster");
    ClusterOptions all = ClusterOptions.from(base().put("durability", "local"));
    assertThat(all.durability("chat")).isEqualTo("local");
  }

  @Test
  void kernel_isSharedAndFollowedByEveryProcess_unlessSetLocal() {
    ClusterOptions front = ClusterOptions.from(base());
    assertThat(front.sharedKernel()).isTrue();
    assertThat(front.follows("kernel")).as("every process follows the shared kernel store").isTrue();
    assertThat(front.follows("chat")).as("a store it may not own").isFalse();
    ClusterOptions local = ClusterOptions.from(base().put("kernel", "local"));
    assertThat(local.sharedKernel()).isFalse();
    assertThat(local.follows("kernel")).isFalse();
    assertThat(ClusterOptions.from(base().put("kernel", "local").put("owns", "kernel")).follows("kernel")).isTrue();
    assertRefused(base().put("kernel", "mine"), "cluster.kernel", "must be \"shared\" or \"local\"");
  }

  private static JsonObject base() {
    return new JsonObject().put("natsUrls", new JsonArray().add("nats://127.0.0.1:4222"));
  }

  private static void assertRefused(JsonObject section, String option, String message) {
    assertThatThrownBy(() -> ClusterOptions.from(section)).isInstanceOf(InvalidOptionException.class)
        .satisfies(e -> assertThat(((InvalidOptionException) e).option()).isEqualTo(option))
        .hasMessageContaining(message).hasMessageNotContaining("Exception");
  }
}

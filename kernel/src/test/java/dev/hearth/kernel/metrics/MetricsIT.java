package dev.hearth.kernel.metrics;

import dev.hearth.testkit.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.auth.v1.AuthProto;
import dev.hearth.auth.v1.MeRequest;
import dev.hearth.auth.v1.MeResponse;
import dev.hearth.kernel.plugins.TestModules;
import dev.hearth.testkit.TestGrpc;
import dev.hearth.testkit.TestNode;
import dev.hearth.testkit.TestRealtime;
import dev.hearth.tenancy.v1.CreateOrgRequest;
import dev.hearth.tenancy.v1.CreateProjectRequest;
import dev.hearth.tenancy.v1.Org;
import dev.hearth.tenancy.v1.Project;
import dev.hearth.tenancy.v1.TenancyProto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} of a real node after REST, gRPC, WebSocket and module traffic. */
class MetricsIT {

  private static final String ME = "hearth.auth.v1.AuthService/Me";
  private static final String SIGN_UP = "hearth.auth.v1.AuthService/SignUp";
  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @TempDir Path tmp;
  private TestNode node;

  @BeforeEach
  void start() throws Exception {
    node = TestNode.start(tmp);
    node.installModule(TestModules.metered(tmp.resolve("meter")));
    node.installModule(TestModules.notes(tmp.resolve("notes")));
  }

  @AfterEach
  void stop() {
    node.close();
  }

  @Test
  void metrics_countCallsStoresRealtimeModulesAndJvm_withoutIdsInLabels() throws Exception {
    String token = node.signUp("metered@example.test", "metered-password-1"); // REST, OK; a kernel store commit
    assertThat(node.rest.get("/v1/me", null).status()).isEqualTo(401); // REST, UNAUTHENTICATED
    var auth = AuthProto.getDescriptor().findServiceByName("AuthService");
    var tenancy = TenancyProto.getDescriptor().findServiceByName("TenancyService");
    MeResponse me = node.grpc.call(auth.findMethodByName("Me"), MeRequest.getDefaultInstance(),
        MeResponse.getDefaultInstance(), token); // gRPC, OK
    assertThatThrownBy(() -> node.grpc.call(auth.findMethodByName("Me"), MeRequest.getDefaultInstance(),
        MeResponse.getDefaultInstance(), "not-a-token")).isInstanceOf(TestGrpc.Failure.class);
    Org org = node.grpc.call(tenancy.findMethodByName("CreateOrg"), CreateOrgRequest.newBuilder().setName("Metered")
        .build(), Org.getDefaultInstance(), token);
    Project project = node.grpc.call(tenancy.findMethodByName("CreateProject"), CreateProjectRequest.newBuilder()
        .setOrgId(org.getId()).setName("Ops").build(), Project.getDefaultInstance(), token);
    try (TestRealtime ws = TestRealtime.connect(node, token)) {
      ws.subscribe("notes/open/b1", null);

      String text = scrape();
      Exposition m = Exposition.parse(text);

      assertThat(m.value("hearth_rpc_requests_total", "method", SIGN_UP, "transport", "rest", "code", "OK")).isEqualTo(1);
      assertThat(m.value("hearth_rpc_requests_total", "method", ME, "transport", "rest", "code", "UNAUTHENTICATED"))
          .isEqualTo(1);
      assertThat(m.value("hearth_rpc_requests_total", "method", ME, "transport", "grpc", "code", "OK")).isEqualTo(1);
      assertThat(m.value("hearth_rpc_requests_total", "method", ME, "transport", "grpc", "code", "UNAUTHENTICATED"))
          .isEqualTo(1);
      assertThat(m.value("hearth_rpc_request_duration_seconds_count", "method", ME, "transport", "grpc")).isEqualTo(2);
      assertThat(m.value("hearth_rpc_request_duration_seconds_bucket", "method", SIGN_UP, "transport", "rest",
          "le", "+Inf")).isEqualTo(1);

      assertThat(m.value("hearth_store_commits_total", "store", "kernel")).isGreaterThanOrEqualTo(3);
      assertThat(m.value("hearth_store_events_total", "store", "kernel")).isGreaterThanOrEqualTo(3);
      assertThat(m.value("hearth_store_commit_duration_seconds_count", "store", "kernel")).isPositive();
      assertThat(m.value("hearth_store_last_sequence", "store", "kernel")).isPositive();
      assertThat(m.value("hearth_store_disk_bytes", "store", "kernel")).isPositive();
      assertThat(m.value("hearth_store_commits_total", "store", "meter")).isGreaterThanOrEqualTo(1);
      assertThat(m.value("hearth_store_view_lag_events", "store", "meter", "view", "tally")).isGreaterThanOrEqualTo(0);

      assertThat(m.value("hearth_websocket_connections")).isEqualTo(1);
      assertThat(m.value("hearth_websocket_frames_sent_total")).isGreaterThanOrEqualTo(2); // authenticated, subscribed
      assertThat(m.value("hearth_realtime_subscriptions")).isEqualTo(1);

      assertThat(m.value("hearth_module_up", "module", "meter", "kind", "plugin")).isEqualTo(1);
      assertThat(m.value("hearth_module_up", "module", "notes", "kind", "plugin")).isEqualTo(1);
      assertThat(m.value("hearth_module_meter_starts_total", "kind", "cold")).isEqualTo(1);
      assertThat(m.value("hearth_module_meter_answer")).isEqualTo(42);
      assertThat(m.value("hearth_module_meter_warmup_seconds_count")).isEqualTo(1);

      assertThat(m.has("jvm_memory_used_bytes")).isTrue();
      assertThat(m.has("jvm_gc_memory_allocated_bytes_total") || m.has("jvm_gc_pause_seconds_count")).isTrue();
      assertThat(m.has("jvm_threads_live_threads")).isTrue();
      assertThat(m.has("jvm_classes_loaded_classes")).isTrue();
      assertThat(m.has("system_cpu_count")).isTrue();
      assertThat(m.value("process_uptime_seconds")).isPositive();

      // Low cardinality, nothing personal: no id, no e-mail address anywhere in the text.
      assertThat(text).doesNotContain(me.getProfile().getUserId(), org.getId(), project.getId(), "metered@example.test");
      assertThat(UUID.matcher(text).find()).as("a UUID in /metrics").isFalse();
    }
    long deadline = System.nanoTime() + 5_000_000_000L; // the server hears the close a moment later
    while (Exposition.parse(scrape()).value("hearth_websocket_connections") != 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(Exposition.parse(scrape()).value("hearth_websocket_connections")).isZero();
  }

  @Test
  void moduleMeters_goAwayWhenTheModuleStops_andItsGaugeSaysDown() throws Exception {
    assertThat(Exposition.parse(scrape()).has("hearth_module_meter_answer")).isTrue();

    Await.await(node.modules().stop("meter"));

    Exposition m = Exposition.parse(scrape());
    assertThat(m.samples).noneMatch(s -> s.name().startsWith("hearth_module_meter_"));
    assertThat(m.value("hearth_module_up", "module", "meter", "kind", "plugin")).isZero();
    assertThat(m.has("hearth_store_last_sequence", "store", "meter")).as("its store is closed").isFalse();
  }

  private String scrape() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + node.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    return r.body();
  }
}

package dev.hearth.ops.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DashboardsTest {

  @Test
  void theJar_carriesExactlyTheDashboardsOfTheFolder() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("dashboards"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(Dashboards.BUILT_IN);
    }
    assertThat(Dashboards.builtIn()).extracting(Dashboards.Dashboard::uid)
        .containsExactly("hearth-node-overview", "hearth-modules", "hearth-federation");
  }

  @Test
  void everyPanel_queriesTheDatasourceVariable_andEveryDashboardHasQueries() {
    for (Dashboards.Dashboard d : Dashboards.builtIn()) {
      assertThat(d.queries()).as(d.file()).isNotEmpty();
      assertThat(d.json().getJsonArray("panels")).allSatisfy(p -> assertThat(((JsonObject) p)
          .getJsonObject("datasource").getString("uid")).isEqualTo("${datasource}"));
      assertThat(d.queries()).allSatisfy(q -> assertThat(PromQlNames.of(q.expr())).as(q.where()).isNotEmpty());
    }
  }
}

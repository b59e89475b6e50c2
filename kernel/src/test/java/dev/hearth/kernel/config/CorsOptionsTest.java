package dev.hearth.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CorsOptionsTest {

  static CorsOptions of(Object origins) {
    return CorsOptions.from(new JsonObject().put("allowedOrigins", origins));
  }

  @Test
  void noOriginByDefault() {
    assertThat(new NodeOptions().corsOptions().allowedOrigins()).isEmpty();
  }

  @Test
  void originsAsBrowsersSendThem_orAny() {
    assertThat(of(new JsonArray().add("https://app.example.com").add("http://localhost:5173").add("*")).allowedOrigins())
        .containsExactly("https://app.example.com", "http://localhost:5173", "*");
  }

  @Test
  void somethingThatIsNotAnOrigin_isRefusedByName() {
    for (String bad : new String[] {"https://app.example.com/", "https://app.example.com/path", "app.example.com",
        "ftp://x.example", "https://user@x.example", "*.example.com"}) {
      assertThatThrownBy(() -> of(new JsonArray().add(bad))).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cors.allowedOrigins").hasMessageContaining(bad);
    }
    assertThatThrownBy(() -> of("https://a.example")).hasMessageContaining("must be a list");
    assertThatThrownBy(() -> CorsOptions.from(new JsonObject().put("origins", new JsonArray())))
        .hasMessageContaining("unknown cors setting 'origins'");
  }
}

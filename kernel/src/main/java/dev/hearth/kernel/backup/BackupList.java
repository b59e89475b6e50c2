package dev.hearth.kernel.backup;

import dev.hearth.kernel.spi.BackupTarget;
import dev.hearth.kernel.spi.Manifest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/** The backups of a target as JSON, oldest first: what {@code hearth backup list} prints. */
public final class BackupList {

  private BackupList() {}

  public static JsonArray of(BackupTarget target) throws IOException {
    try (target) {
      JsonArray out = new JsonArray();
      for (String id : target.ids()) {
        Manifest m = target.manifest(id);
        JsonArray stores = new JsonArray();
        m.stores().forEach(s -> stores.add(new JsonObject().put("name", s.name()).put("lastSeq", s.lastSeq())));
        out.add(new JsonObject().put("id", m.id()).put("kind", m.kind().json()).put("parent", m.parent())
            .put("createdAt", m.createdAt()).put("bytes", m.bytes()).put("stores", stores));
      }
      return out;
    }
  }
}

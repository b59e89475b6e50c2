package dev.hearth.kernel.identity;

import dev.hearth.kernel.crypto.Files8;
import dev.hearth.module.ModuleException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * When each key of a signing keyset was made and when it stopped being primary, by Tink key id.
 * Tink keysets carry no timestamps, so these live in a side file beside the keyset; the file holds
 * no key material, only ids and instants. Immutable.
 */
final class KeyAges {

  /** The ages of one key; {@code demoted} is null while the key is (or was last seen as) primary. */
  record Age(Instant created, Instant demoted) {
    Age demotedAt(Instant when) {
      return new Age(created, when);
    }
  }

  private static final int VERSION = 1;

  private final Map<Integer, Age> ages;

  KeyAges(Map<Integer, Age> ages) {
    this.ages = Collections.unmodifiableMap(new HashMap<>(ages));
  }

  Age get(int keyId) {
    return ages.get(keyId);
  }

  /** A mutable copy, for building the next version. */
  Map<Integer, Age> copy() {
    return new HashMap<>(ages);
  }

  /** Reads {@code file}; a missing file means no key has known ages yet. */
  static KeyAges load(Path file) {
    if (!Files.exists(file)) {
      return new KeyAges(Map.of());
    }
    try {
      return fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "cannot read key ages file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // Only ages are lost with this file: deleting it makes every key count as new (keys live longer).
      throw new ModuleException(ModuleException.Code.FAILED_PRECONDITION,
          "key ages file " + file + " is damaged; delete it to start the key ages afresh");
    }
  }

  /** The ages as {@link #save} writes them; throws IllegalArgumentException (or another runtime exception) on a bad one. */
  static KeyAges fromJson(JsonObject root) {
    if (root.getInteger("version", 0) != VERSION) {
      throw new IllegalArgumentException("unknown version");
    }
    Map<Integer, Age> ages = new HashMap<>();
    JsonObject keys = root.getJsonObject("keys", new JsonObject());
    for (String id : keys.fieldNames()) {
      JsonObject k = keys.getJsonObject(id);
      String demoted = k.getString("demoted");
      ages.put(Integer.parseInt(id),
          new Age(Instant.parse(k.getString("created")), demoted == null ? null : Instant.parse(demoted)));
    }
    return new KeyAges(ages);
  }

  JsonObject toJson() {
    JsonObject keys = new JsonObject();
    ages.forEach((id, age) -> {
      JsonObject k = new JsonObject().put("created", age.created().toString());
      if (age.demoted() != null) {
        k.put("demoted", age.demoted().toString());
      }
      keys.put(Integer.toString(id), k);
    });
    return new JsonObject().put("version", VERSION).put("keys", keys);
  }

  /** Writes the ages to {@code file} atomically, owner-readable only. */
  void save(Path file) {
    JsonObject root = toJson();
    try {
      Files8.writeSecret(file, root.encodePrettily().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModuleException(ModuleException.Code.INTERNAL, "cannot save key ages file " + file, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyAges other && ages.equals(other.ages);
  }

  @Override
  public int hashCode() {
    return ages.hashCode();
  }
}

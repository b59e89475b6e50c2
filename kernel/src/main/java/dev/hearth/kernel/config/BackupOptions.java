package dev.hearth.kernel.config;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The {@code backup} section of the node config: scheduled backups. Empty: no schedule (backups on
 * demand still work).
 *
 * <pre>
 * "backup": {"target": "/var/backups/hearth", "full": "0 3 * * 0", "incremental": "0 * * * *", "keep": 4}
 * </pre>
 *
 * @param target folder or {@code nats://host:port/bucket}
 * @param full cron expression (Unix, five fields, UTC) for full backups; null for none
 * @param incremental cron expression for incremental backups; null for none
 * @param keep full backups kept (with their incrementals) after each scheduled backup
 */
public record BackupOptions(String target, Cron full, Cron incremental, int keep) {

  private static final Set<String> KEYS = Set.of("target", "full", "incremental", "keep");
  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  public boolean scheduled() {
    return target != null && (full != null || incremental != null);
  }

  /** @throws IllegalArgumentException naming the key at fault */
  public static BackupOptions from(JsonObject json) {
    for (String k : json.fieldNames()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown backup setting '" + k + "'; known: " + KEYS);
      }
    }
    String target = json.getValue("target") instanceof String t && !t.isBlank() ? t : null;
    Cron full = cron(json, "full");
    Cron incremental = cron(json, "incremental");
    if ((full != null || incremental != null) && target == null) {
      throw new IllegalArgumentException("backup 'target' is required with a schedule");
    }
    Object keep = json.getValue("keep", 7);
    if (!(keep instanceof Integer k) || k < 1) {
      throw new IllegalArgumentException("backup 'keep' must be a whole number of at least 1, was " + keep);
    }
    return new BackupOptions(target, full, incremental, (Integer) keep);
  }

  private static Cron cron(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) return null;
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("backup '" + key + "' must be a cron expression such as \"0 3 * * *\"");
    }
    try {
      return PARSER.parse(s).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("backup '" + key + "' is not a cron expression (minute hour day month weekday): "
          + e.getMessage());
    }
  }
}

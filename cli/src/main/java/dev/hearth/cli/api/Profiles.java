package dev.hearth.cli.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hearth.kernel.spi.InvalidOptionException;
import dev.hearth.cli.base.CommandFailedException;
import dev.hearth.kernel.crypto.Files8;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The CLI's named profiles: {@code $HEARTH_CONFIG_DIR/profiles.json} (default {@code ~/.config/hearth/}),
 * one entry per name with the node URL, the CA file for its TLS certificate, the user's email, the access and refresh tokens and the access
 * token's expiry. The file holds secrets: it is written atomically and readable by the owner only, and
 * tokens never appear in output or in {@link Profile#toString()}.
 */
public final class Profiles {

  public static final String DEFAULT = "default";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final Path dir;
  private final Map<String, Profile> profiles;

  private Profiles(Path dir, Map<String, Profile> profiles) {
    this.dir = dir;
    this.profiles = profiles;
  }

  /** The config directory: HEARTH_CONFIG_DIR, else ~/.config/hearth. */
  public static Path configDir(Map<String, String> env) {
    String set = env.get("HEARTH_CONFIG_DIR");
    if (set != null && !set.isBlank()) return Path.of(set);
    return Path.of(System.getProperty("user.home"), ".config", "hearth");
  }

  /** The profile to use: the flag, else HEARTH_PROFILE, else "default". */
  public static String selectedName(String flag, Map<String, String> env) {
    String name = flag != null ? flag : env.getOrDefault("HEARTH_PROFILE", DEFAULT);
    String source = flag != null ? "--profile" : "HEARTH_PROFILE";
    if (!NAME.matcher(name).matches()) {
      throw new InvalidOptionException(source, "'" + name + "' is not a profile name (letters, digits, '.', '_', '-')");
    }
    return name;
  }

  /** Reads the profiles file; a missing file is no profiles, an unreadable one fails the command. */
  public static Profiles load(Map<String, String> env) {
    Path dir = configDir(env);
    Path file = dir.resolve("profiles.json");
    Map<String, Profile> read = new TreeMap<>();
    try {
      JsonObject all = new JsonObject(Files.readString(file, UTF_8)).getJsonObject("profiles", new JsonObject());
      for (String name : all.fieldNames()) {
        JsonObject p = all.getJsonObject(name);
        read.put(name, new Profile(p.getString("url"), p.getString("user"), p.getString("accessToken"),
            p.getString("refreshToken"), p.getLong("accessExpiresAt", 0L), p.getString("caFile")));
      }
    } catch (NoSuchFileException e) {
      // first use: no profiles yet
    } catch (IOException | DecodeException | ClassCastException e) {
      throw new CommandFailedException("cannot read " + file + ": " + e.getMessage()
          + " (fix or delete it, then log in again)", e);
    }
    return new Profiles(dir, read);
  }

  public Optional<Profile> get(String name) {
    return Optional.ofNullable(profiles.get(name));
  }

  public void put(String name, Profile profile) {
    profiles.put(name, profile);
  }

  private Path file() {
    return dir.resolve("profiles.json");
  }

  /** Writes every profile, owner-only, atomically: a crash leaves the old file or the new one. */
  public void save() {
    JsonObject all = new JsonObject();
    profiles.forEach((name, p) -> all.put(name, new JsonObject().put("url", p.url()).put("user", p.user())
        .put("accessToken", p.accessToken()).put("refreshToken", p.refreshToken())
        .put("accessExpiresAt", p.accessExpiresAt()).put("caFile", p.caFile())));
    try {
      createPrivateDir();
      Files8.writeSecret(file(), new JsonObject().put("profiles", all).encodePrettily().getBytes(UTF_8));
    } catch (IOException e) {
      throw new CommandFailedException("cannot write " + file() + ": " + e.getMessage(), e);
    }
  }

  /** Changes one profile under the {@link #lock}, re-reading the file first so no other change is lost. */
  @SuppressWarnings("try") // the lock is held for the body, never read
  public static Profile update(Map<String, String> env, String name, UnaryOperator<Profile> change) {
    try (Lock lock = lock(env)) {
      Profiles all = load(env);
      Profile changed = change.apply(all.get(name).orElse(Profile.EMPTY));
      all.put(name, changed);
      all.save();
      return changed;
    } catch (IOException e) {
      throw new CommandFailedException("cannot lock the profiles in " + configDir(env) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Locks the profiles across processes until closed. Refresh tokens are single use: two commands
   * refreshing with the same one would make the node end the whole session, so refreshes take this lock.
   */
  public static Lock lock(Map<String, String> env) throws IOException {
    Path dir = configDir(env);
    new Profiles(dir, Map.of()).createPrivateDir();
    FileChannel ch = FileChannel.open(dir.resolve("profiles.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      return new Lock(ch, ch.lock());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A held {@link #lock}; closing releases it. */
  public static final class Lock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private Lock(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }

    @Override
    public void close() throws IOException {
      try {
        lock.release();
      } finally {
        channel.close();
      }
    }
  }

  private void createPrivateDir() throws IOException {
    if (Files.isDirectory(dir)) return;
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }
}

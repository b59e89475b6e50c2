package dev.hearth.cluster;

import static dev.hearth.cluster.ClusterClients.logIn;
import static dev.hearth.cluster.ClusterClients.signUp;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.mac.MacConfig;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.streamingaead.StreamingAeadConfig;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ByteString;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.UnknownFieldSet;
import dev.hearth.testkit.Waits;
import dev.hearth.testkit.nats.NatsServerProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayOutputStream;

/**
 * Keysets are distributed through NATS (docs/cluster.md "Keys"): {@code hearth serve} JVMs on one
 * nats-server, the kernel store shared. pa starts with a master key and makes every keyset; pb starts
 * with <b>only</b> pa's master key and an empty data directory: it takes the keysets from the bucket
 * {@code hearth-cluster-keys} (the same keys as pa's files), follows every store with lag 0, signs
 * alice in and lists the chat messages pa wrote (so it opens the kernel's and chat's frames). pc,
 * with a master key of its own, does not start: exit 1 and one line naming the cause, no stack
 * trace. The NATS server's storage holds no key in clear: not one of the raw keys of pa's keysets
 * (nor the master key's) is found in its files, raw, in base64 or in hex, while the wrapped keysets are.
 */
class KeysClusterIT {

  @TempDir Path dir;

  @Test
  void aProcessWithTheMasterKeyAndAnEmptyDataDirJoins_anotherMasterKeyFailsClearly_andNoKeyIsInClearInNats() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.builder(dir.resolve("nats"), "keys").start()) {
      JsonObject cluster = new JsonObject().put("natsUrls", nats.url()).put("kernel", "shared");
      ClusterProcess a = new ClusterProcess(dir.resolve("a"), "pa", cluster.copy().put("owns", new JsonArray().add("*")));
      List<ClusterProcess> all = new ArrayList<>(List.of(a));
      try {
        String alice = signUp(a, "alice@keys.test");
        String messages = ClusterClients.generalChannel(a, alice);
        for (int i = 0; i < 3; i++) a.rest.post(messages, alice, new JsonObject().put("text", "before pb " + i)).ok();
        String root = a.sysAdminToken();

        // pb: pa's master key, nothing else.
        Path b = dir.resolve("b");
        Files.createDirectories(b);
        Files.copy(dir.resolve("a/master.key"), b.resolve("master.key"));
        assertThat(b.resolve("data")).doesNotExist();
        ClusterProcess pb = new ClusterProcess(b, "pb", cluster.copy().put("owns", new JsonArray()));
        all.add(pb);
        Map<String, byte[]> keysA = keyFiles(dir.resolve("a/data/keys"));
        Map<String, byte[]> keysB = keyFiles(b.resolve("data/keys"));
        assertThat(keysB.keySet()).as("pb's keysets, all from the cluster").containsAll(keysA.keySet());
        // The same keys: a file a process saves again (the JWT keys it adopts from the kernel store) is
        // wrapped anew (another nonce), so the key ids are compared, from the clear part of each file.
        keysA.forEach((name, bytes) -> assertThat(KeyBucket.keyIds(keysB.get(name))).as("pb's %s", name)
            .isNotEmpty().isEqualTo(KeyBucket.keyIds(bytes)));

        String aliceB = logIn(pb, "alice@keys.test");
        // pb said ready only once its copy of chat had caught up (docs/cluster.md "Readiness"): no wait here.
        assertThat(pb.rest.get(messages, aliceB).ok().getJsonArray("messages")).as("pa's messages in pb's copy").hasSize(3);
        Waits.until("pb follows every store with lag 0", Duration.ofSeconds(30), () -> {
          for (Object o : pb.rest.get("/v1/cluster/status", root).ok().getJsonArray("processes", new JsonArray())) {
            JsonObject e = (JsonObject) o;
            if (!e.getString("processId").equals("pb")) continue;
            List<JsonObject> stores = e.getJsonArray("stores", new JsonArray()).stream().map(JsonObject.class::cast).toList();
            return stores.stream().map(s -> s.getString("name")).toList().containsAll(List.of("kernel", "chat", "files"))
                && stores.stream().allMatch(s -> "0".equals(String.valueOf(s.getValue("replicaLag"))));
          }
          return false;
        });
        System.out.printf("KeysClusterIT: pb took %d keysets from NATS: %s%n", keysB.size(), keysB.keySet());

        // pc: a master key of its own. It must not start, and must say why in one line.
        Path c = dir.resolve("c");
        Files.createDirectories(c);
        Files.writeString(c.resolve("hearth.json"), new JsonObject()
            .put("cluster", cluster.copy().put("processId", "pc").put("owns", new JsonArray())).encodePrettily());
        Process pc = new ProcessBuilder(ChildJvm.command(List.of("serve", "--port", "0", "--host", "127.0.0.1", "--data",
            c.resolve("data").toString(), "--master-key-file", c.resolve("master.key").toString(), "--config",
            c.resolve("hearth.json").toString()))).redirectErrorStream(true).redirectOutput(c.resolve("out.log").toFile()).start();
        assertThat(pc.waitFor(120, TimeUnit.SECONDS)).as("pc exits").isTrue();
        String out = Files.readString(c.resolve("out.log"));
        System.out.println("KeysClusterIT: pc exited " + pc.exitValue() + ":\n" + out.lines().filter(l -> l.contains("ERROR")
            || l.contains("hearth serve")).reduce("", (x, y) -> x + y + "\n"));
        assertThat(pc.exitValue()).as("pc's exit code").isEqualTo(1);
        assertThat(out).contains("cannot be opened with this master key").contains("another master key than the cluster's")
            .contains("hearth-cluster-keys").doesNotContain("\tat ");
        assertThat(keyFiles(dir.resolve("a/data/keys")).keySet()).as("pa's keysets, after pc").isEqualTo(keysA.keySet());

        // Nothing in clear under the NATS server's storage; the wrapped keysets are there.
        AeadConfig.register();
        MacConfig.register();
        PrfConfig.register();
        StreamingAeadConfig.register();
        Aead master = TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(dir.resolve("a/master.key")),
            InsecureSecretKeyAccess.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
        List<byte[]> secrets = new ArrayList<>(rawKeys(TinkJsonProtoKeysetFormat.parseKeyset(
            Files.readString(dir.resolve("a/master.key")), InsecureSecretKeyAccess.get())));
        for (Map.Entry<String, byte[]> e : keysA.entrySet()) {
          if (!e.getKey().endsWith(".json")) continue;
          String name = e.getKey().substring(0, e.getKey().length() - ".json".length());
          byte[] ad = ("hearth/keyset/" + name.replace('.', '/')).getBytes(StandardCharsets.UTF_8);
          secrets.addAll(rawKeys(TinkJsonProtoKeysetFormat.parseEncryptedKeyset(new String(e.getValue(), StandardCharsets.UTF_8),
              master, ad)));
        }
        assertThat(secrets).as("raw keys found in pa's keysets").hasSizeGreaterThan(keysA.size());
        byte[] storage = natsStorage(nats.storeDir());
        String wrapped = new JsonObject(new String(keysA.get("kernel.aead.json"), StandardCharsets.UTF_8)).getString("encryptedKeyset");
        assertThat(indexOf(storage, wrapped.getBytes(StandardCharsets.UTF_8))).as("the wrapped kernel.aead keyset in NATS's storage")
            .isNotNegative();
        for (byte[] s : secrets) {
          for (byte[] form : List.of(s, Base64.getEncoder().encode(s), Base64.getUrlEncoder().withoutPadding().encode(s),
              HexFormat.of().formatHex(s).getBytes(StandardCharsets.UTF_8))) {
            assertThat(indexOf(storage, form)).as("a raw key (%d bytes) in NATS's storage", s.length).isNegative();
          }
        }
        System.out.printf("KeysClusterIT: %d raw keys looked for in %d bytes of NATS storage: none found%n", secrets.size(),
            storage.length);
      } catch (AssertionError | Exception e) {
        for (ClusterProcess p : all) System.out.println("---- log of " + p.id + "\n" + p.log());
        throw e;
      } finally {
        all.forEach(ClusterProcess::close);
      }
    }
  }

  /** The shared files of a keys directory (keysets and a salt), by name. */
  private static Map<String, byte[]> keyFiles(Path keys) throws Exception {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(keys)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String n = f.getFileName().toString();
        if (n.equals("master.salt") || (n.endsWith(".json") && !n.endsWith(".meta.json"))) out.put(n, Files.readAllBytes(f));
      }
    }
    return out;
  }

  /** Every byte string of 16 bytes or more inside each key of {@code handle}: its raw key material. */
  private static List<byte[]> rawKeys(KeysetHandle handle) throws Exception {
    List<byte[]> out = new ArrayList<>();
    Keyset keyset = Keyset.parseFrom(TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get()),
        ExtensionRegistryLite.getEmptyRegistry());
    for (Keyset.Key k : keyset.getKeyList()) collect(k.getKeyData().getValue(), out);
    return out;
  }

  private static void collect(ByteString message, List<byte[]> out) {
    try {
      UnknownFieldSet fields = UnknownFieldSet.parseFrom(message);
      for (UnknownFieldSet.Field f : fields.asMap().values()) {
        for (ByteString bytes : f.getLengthDelimitedList()) {
          if (bytes.size() >= 16) out.add(bytes.toByteArray());
          collect(bytes, out); // a nested message (parameters), should it hold key bytes
        }
      }
    } catch (Exception notAMessage) {
      // raw bytes, already taken above
    }
  }

  private static byte[] natsStorage(Path storeDir) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (Stream<Path> files = Files.walk(storeDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) all.write(Files.readAllBytes(f));
    }
    return all.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }
}

package dev.hearth.kernel.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.kernel.spi.InvalidOptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeOptionsTest {

  @TempDir Path tmp;

  private static final NodeOptions.Flags NONE = NodeOptions.Flags.NONE;

  private Path config(String json) throws IOException {
    return Files.writeString(tmp.resolve("hearth.json"), json);
  }

  private static NodeOptions.Flags flags(Integer port, Path data, Path config) {
    return new NodeOptions.Flags(port, null, data, null, config);
  }

  @Test
  void configFile_identitySsoAndHookRate_areRead_notRefusedAsUnknown() throws IOException {
    // docs/identity.md (identity.sso) and docs/bots.md (incomingHookPostsPerMinute) set these in the file.
    Path file = config("{\"identity\": {\"incomingHookPostsPerMinute\": 120, \"sso\": {\"publicUrl\": "
        + "\"https://hearth.example.com\", \"providers\": []}}}");
    NodeOptions o = NodeOptions.resolve(Map.of(), flags(null, null, file));
    assertThat(o.identityOptions().incomingHookPostsPerMinute()).isEqualTo(120);
    assertThat(o.identityOptions().sso().publicUrl()).isEqualTo("https://hearth.example.com");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, config("{\"identity\": {\"colour\": 1}}"))))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("unknown identity tunable 'colour'");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, config("{\"identity\": {\"maxRequestBytes\": \"big\"}}"))))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("'maxRequestBytes' must be a number");
  }

  @Test
  void nothingGiven_usesEmbeddedDefaultsWithKeyOutsideData() {
    NodeOptions o = NodeOptions.resolve(Map.of(), NONE);
    assertThat(o.getPort()).isEqualTo(8080);
    assertThat(o.getHost()).isEqualTo("0.0.0.0");
    assertThat(o.getDataDir()).isEqualTo(Path.of("data"));
    assertThat(o.getMasterKeyFile()).isEqualTo(Path.of("hearth-master.key"));
    assertThat(o.getMasterKeyFile().startsWith(o.getDataDir())).isFalse();
    assertThat(o.hasPassphrase()).isFalse();
  }

  @Test
  void configFile_overridesDefaults() throws IOException {
    Path file = config("{\"port\": 9000, \"host\": \"127.0.0.1\", \"dataDir\": \"/srv/h\","
        + " \"masterKeyFile\": \"/etc/h.key\", \"store\": {\"maxBatchWrites\": 16}}");
    NodeOptions o = NodeOptions.resolve(Map.of(), flags(null, null, file));
    assertThat(o.getPort()).isEqualTo(9000);
    assertThat(o.getHost()).isEqualTo("127.0.0.1");
    assertThat(o.getDataDir()).isEqualTo(Path.of("/srv/h"));
    assertThat(o.getMasterKeyFile()).isEqualTo(Path.of("/etc/h.key"));
    assertThat(o.storeOptions().maxBatchWrites()).isEqualTo(16);
  }

  @Test
  void environment_overridesConfigFile_andFlagsOverrideEnvironment() throws IOException {
    Path file = config("{\"port\": 9000, \"dataDir\": \"/from-file\"}");
    Map<String, String> env = Map.of("HEARTH_PORT", "9001", "HEARTH_DATA", "/from-env", "HEARTH_HOST", "::1");
    NodeOptions fromEnv = NodeOptions.resolve(env, flags(null, null, file));
    assertThat(fromEnv.getPort()).isEqualTo(9001);
    assertThat(fromEnv.getDataDir()).isEqualTo(Path.of("/from-env"));
    assertThat(fromEnv.getHost()).isEqualTo("::1");

    NodeOptions fromFlags = NodeOptions.resolve(env, flags(9002, Path.of("/from-flag"), file));
    assertThat(fromFlags.getPort()).isEqualTo(9002);
    assertThat(fromFlags.getDataDir()).isEqualTo(Path.of("/from-flag"));
  }

  @Test
  void clusterSection_fromFile_withEnvironmentOverUrlsAndProcessId() throws IOException {
    assertThat(NodeOptions.resolve(Map.of(), NONE).getCluster().isEmpty()).as("no cluster: a single node").isTrue();
    Path file = config("{\"cluster\": {\"natsUrls\": [\"nats://file:4222\"], \"owns\": [\"chat\"]}}");
    Map<String, String> env = Map.of("HEARTH_CLUSTER_NATS_URLS", "nats://a:4222,nats://b:4222",
        "HEARTH_CLUSTER_PROCESS_ID", "owner-1");
    var cluster = NodeOptions.resolve(env, flags(null, null, file)).getCluster();
    assertThat(cluster.getString("natsUrls")).isEqualTo("nats://a:4222,nats://b:4222");
    assertThat(cluster.getString("processId")).isEqualTo("owner-1");
    assertThat(cluster.getJsonArray("owns").getList()).containsExactly("chat");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, config("{\"cluster\": true}"))))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("cluster: must be a JSON object");
  }

  @Test
  void configNamedByEnvironment_isRead_butConfigFlagWins() throws IOException {
    Path envFile = Files.writeString(tmp.resolve("env.json"), "{\"port\": 7001}");
    Path flagFile = Files.writeString(tmp.resolve("flag.json"), "{\"port\": 7002}");
    Map<String, String> env = Map.of("HEARTH_CONFIG", envFile.toString());
    assertThat(NodeOptions.resolve(env, NONE).getPort()).isEqualTo(7001);
    assertThat(NodeOptions.resolve(env, flags(null, null, flagFile)).getPort()).isEqualTo(7002);
  }

  @Test
  void emptyEnvironmentVariable_countsAsUnset() {
    assertThat(NodeOptions.resolve(Map.of("HEARTH_PORT", ""), NONE).getPort()).isEqualTo(8080);
  }

  @Test
  void portOutOfRange_errorNamesTheFlag() {
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(70000, null, null)))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("--port:")
        .hasMessageContaining("70000");
  }

  @Test
  void portThatIsNotANumber_errorNamesTheVariable() {
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of("HEARTH_PORT", "http"), NONE))
        .isInstanceOf(InvalidOptionException.class)
        .hasMessageStartingWith("HEARTH_PORT:")
        .hasMessageContaining("'http'");
  }

  @Test
  void badValueOverriddenByAHigherSource_isNotReported() {
    NodeOptions o = NodeOptions.resolve(Map.of("HEARTH_PORT", "99999"), flags(8081, null, null));
    assertThat(o.getPort()).isEqualTo(8081);
  }

  @Test
  void badPortInConfigFile_errorNamesFileAndKey() throws IOException {
    Path file = config("{\"port\": \"eighty\"}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, file)))
        .hasMessageContaining(file.toString())
        .hasMessageContaining("port")
        .hasMessageContaining("'eighty'");
  }

  @Test
  void misspelledConfigKey_isRejectedWithTheKnownKeys() throws IOException {
    Path file = config("{\"prot\": 9000}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, file)))
        .hasMessageContaining("unknown key 'prot'")
        .hasMessageContaining("dataDir");
  }

  @Test
  void missingOrMalformedConfigFile_errorNamesTheFile() throws IOException {
    Path missing = tmp.resolve("nope.json");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, missing)))
        .hasMessageStartingWith("--config:")
        .hasMessageContaining("does not exist");
    Path broken = config("{port: ");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of("HEARTH_CONFIG", broken.toString()), NONE))
        .hasMessageStartingWith("HEARTH_CONFIG:")
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void badStoreTunable_errorNamesTheTunable() throws IOException {
    Path file = config("{\"store\": {\"maxBatchWrites\": \"many\"}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, file)))
        .hasMessageContaining("maxBatchWrites")
        .hasMessageContaining("'many'");
    Path unknown = config("{\"store\": {\"batchSize\": 3}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, unknown)))
        .hasMessageContaining("unknown store tunable 'batchSize'");
  }

  @Test
  void modulesMaxArchiveBytes_defaultsTo64MiB_andABadValueNamesTheSection() throws IOException {
    assertThat(NodeOptions.resolve(Map.of(), NONE).modulesOptions().maxArchiveBytes()).isEqualTo(64L << 20);
    Path file = config("{\"modules\": {\"maxArchiveBytes\": 134217728}}");
    assertThat(NodeOptions.resolve(Map.of(), flags(null, null, file)).modulesOptions().maxArchiveBytes())
        .isEqualTo(128L << 20);
    Path tiny = config("{\"modules\": {\"maxArchiveBytes\": 10}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, tiny)))
        .hasMessageContaining("modules").hasMessageContaining("maxArchiveBytes");
    Path unknown = config("{\"modules\": {\"maxJarBytes\": 3}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, unknown)))
        .hasMessageContaining("unknown modules tunable 'maxJarBytes'");
  }

  @Test
  void filesSection_setsLimits_andUnknownKeysOrBadPatternsNameTheSection() throws IOException {
    var defaults = NodeOptions.resolve(Map.of(), NONE).filesOptions();
    assertThat(defaults.maxFileBytes()).isEqualTo(4L << 30);
    assertThat(defaults.defaultProjectQuotaBytes()).isEqualTo(10L << 30);
    Path file = config("{\"files\": {\"maxFileBytes\": 1000, \"allowedTypes\": [\"image/*\"]}}");
    var set = NodeOptions.resolve(Map.of(), flags(null, null, file)).filesOptions();
    assertThat(set.maxFileBytes()).isEqualTo(1000);
    assertThat(set.allowedTypes()).containsExactly("image/*");
    Path unknown = config("{\"files\": {\"maxBytes\": 3}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, unknown)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("unknown files tunable 'maxBytes'");
    Path pattern = config("{\"files\": {\"allowedTypes\": [\"images\"]}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, pattern)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("files").hasMessageContaining("images");
  }

  @Test
  void filesBlobs_defaultsToLocal_andABadTypeOrSettingIsNamed() throws IOException {
    assertThat(NodeOptions.resolve(Map.of(), NONE).filesOptions().blobsType()).isEqualTo("local");
    Path s3 = config("{\"files\": {\"blobs\": {\"type\": \"s3\", \"bucket\": \"b\", \"pathStyle\": true}}}");
    assertThat(NodeOptions.resolve(Map.of(), flags(null, null, s3)).filesOptions().blobsType()).isEqualTo("s3");
    Path type = config("{\"files\": {\"blobs\": {\"type\": \"ftp\"}}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, type)))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.type").hasMessageContaining("[local, nats, s3]");
    Path setting = config("{\"files\": {\"blobs\": {\"type\": \"nats\", \"endpoint\": \"http://x\"}}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, setting)))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs.endpoint")
        .hasMessageContaining("[natsUrls, bucket, replicas]");
    Path notObject = config("{\"files\": {\"blobs\": \"s3\"}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, notObject)))
        .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("files.blobs");
  }

  @Test
  void notificationsSection_fromFile_withTheSmtpPasswordNeverInJson_andBadValuesNameTheKey() throws IOException {
    assertThat(NodeOptions.resolve(Map.of(), NONE).notificationsOptions().emailEnabled()).isFalse();
    Path file = config("{\"notifications\": {\"email\": {\"digestMinutes\": 5, \"smtp\": {\"host\": \"mail.example.org\", "
        + "\"from\": \"hearth@example.org\", \"username\": \"h\", \"password\": \"pw-in-the-file\"}}}}");
    NodeOptions o = NodeOptions.resolve(Map.of(), flags(null, null, file));
    assertThat(o.notificationsOptions().digestMinutes()).isEqualTo(5);
    assertThat(o.notificationsOptions().smtp().host()).isEqualTo("mail.example.org");
    assertThat(o.toJson().encode()).doesNotContain("pw-in-the-file").contains("mail.example.org");
    NodeOptions fromEnv = NodeOptions.resolve(Map.of("HEARTH_SMTP_PASSWORD", "pw-in-the-env"), flags(null, null, file));
    assertThat(fromEnv.notificationsOptions().smtp().password()).isEqualTo("pw-in-the-env");
    assertThat(fromEnv.toJson().encode()).doesNotContain("pw-in-the-env");
    Path bad = config("{\"notifications\": {\"email\": {\"smtp\": {\"host\": \"mail.example.org\"}}}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, bad)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("notifications.email.smtp.from");
  }

  @Test
  void moduleConfig_reachesEachModule_isNeverShownInJson_andMustBeObjects() throws IOException {
    Path file = config("{\"moduleConfig\": {\"video\": {\"sfu\": {\"apiSecret\": \"s3cret-value\"}}}}");
    NodeOptions o = NodeOptions.resolve(Map.of(), flags(null, null, file));
    assertThat(o.moduleConfig("video").getJsonObject("sfu").getString("apiSecret")).isEqualTo("s3cret-value");
    assertThat(o.moduleConfig("chat").isEmpty()).isTrue();
    assertThat(o.toJson().encode()).doesNotContain("s3cret-value").contains("\"moduleConfig\":[\"video\"]");
    Path bad = config("{\"moduleConfig\": {\"video\": 3}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, bad)))
        .hasMessageContaining("moduleConfig.video").hasMessageContaining("JSON object");
  }

  @Test
  void dataDirThatIsAFile_isRejected() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of("HEARTH_DATA", file.toString()), NONE))
        .hasMessageStartingWith("HEARTH_DATA:")
        .hasMessageContaining("not a directory");
  }

  @Test
  void passphraseFromEnvironment_isUsed_butNeverShownInJson() {
    NodeOptions o = NodeOptions.resolve(Map.of("HEARTH_MASTER_PASSPHRASE", "correct horse"), NONE);
    assertThat(o.hasPassphrase()).isTrue();
    assertThat(new String(o.getPassphrase())).isEqualTo("correct horse");
    assertThat(o.toJson().encode()).doesNotContain("correct horse").contains("\"masterKey\":\"passphrase\"");
    assertThat(o.toString()).doesNotContain("correct horse");
  }

  @Test
  void emptyPassphrase_isRejectedRatherThanSilentlyIgnored() {
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of("HEARTH_MASTER_PASSPHRASE", ""), NONE))
        .hasMessageStartingWith("HEARTH_MASTER_PASSPHRASE:");
  }

  @Test
  void telemetry_isOffByDefault_andTheEndpointComesFromTheEnvironmentOverTheFile() throws IOException {
    assertThat(NodeOptions.resolve(Map.of(), NONE).telemetryOptions().enabled()).isFalse();
    Path file = config("{\"telemetry\": {\"otlpEndpoint\": \"http://file:4318\", \"serviceName\": \"hearth-a\"}}");
    NodeOptions o = NodeOptions.resolve(Map.of("HEARTH_OTLP_ENDPOINT", "http://env:4318"), flags(null, null, file));
    assertThat(o.telemetryOptions().otlpEndpoint()).isEqualTo("http://env:4318");
    assertThat(o.telemetryOptions().serviceName()).isEqualTo("hearth-a");
  }

  @Test
  void badTelemetryOrMetricsSettings_errorsNameTheSource() throws IOException {
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of("HEARTH_OTLP_ENDPOINT", "collector:4318"), NONE))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("HEARTH_OTLP_ENDPOINT");
    Path unknown = config("{\"telemetry\": {\"endpoint\": \"http://x\"}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, unknown)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("unknown telemetry setting 'endpoint'");
    Path metrics = config("{\"metrics\": {\"enabled\": \"no\"}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, metrics)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("true or false");
  }

  @Test
  void metrics_areOnUnlessTurnedOff() throws IOException {
    assertThat(NodeOptions.resolve(Map.of(), NONE).metricsEnabled()).isTrue();
    Path off = config("{\"metrics\": {\"enabled\": false}}");
    assertThat(NodeOptions.resolve(Map.of(), flags(null, null, off)).metricsEnabled()).isFalse();
  }

  @Test
  void httpLimits_haveDefaults_andABadValueNamesTheKey() throws IOException {
    HttpOptions defaults = NodeOptions.resolve(Map.of(), NONE).httpOptions();
    assertThat(defaults.idleTimeoutSeconds()).isEqualTo(30);
    assertThat(defaults.requestReadTimeoutSeconds()).isEqualTo(30);
    Path set = config("{\"http\": {\"idleTimeoutSeconds\": 5}}");
    assertThat(NodeOptions.resolve(Map.of(), flags(null, null, set)).httpOptions().idleTimeoutSeconds()).isEqualTo(5);
    Path zero = config("{\"http\": {\"requestReadTimeoutSeconds\": 0}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, zero)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("requestReadTimeoutSeconds");
    Path unknown = config("{\"http\": {\"keepAlive\": 5}}");
    assertThatThrownBy(() -> NodeOptions.resolve(Map.of(), flags(null, null, unknown)))
        .isInstanceOf(InvalidOptionException.class).hasMessageContaining("unknown http setting 'keepAlive'");
  }
}

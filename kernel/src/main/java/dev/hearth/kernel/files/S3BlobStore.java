package dev.hearth.kernel.files;

import dev.hearth.kernel.spi.BlobStore;
import dev.hearth.kernel.spi.InvalidOptionException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs in a bucket of an S3-compatible service ({@code files.blobs.type: s3}; AWS, MinIO, SeaweedFS,
 * Ceph...), through the AWS SDK for Java v2 with the JDK's HTTP client. Objects are named by the
 * blob's key ({@code <org id>/<blob id>}) and hold the ciphertext only; a range read is a ranged GET.
 *
 * <p>Credentials come from {@code HEARTH_FILES_S3_ACCESS_KEY_ID} / {@code HEARTH_FILES_S3_SECRET_ACCESS_KEY}
 * or the files {@code accessKeyIdFile} / {@code secretAccessKeyFile} name; they are never logged
 * nor put in an error.
 */
public final class S3BlobStore implements BlobStore {

  static final String ENV_ACCESS_KEY_ID = "HEARTH_FILES_S3_ACCESS_KEY_ID";
  static final String ENV_SECRET_ACCESS_KEY = "HEARTH_FILES_S3_SECRET_ACCESS_KEY";

  private final S3Client s3;
  private final String bucket;
  private final String describe;

  private S3BlobStore(S3Client s3, String bucket, String describe) {
    this.s3 = s3;
    this.bucket = bucket;
    this.describe = describe;
  }

  /**
   * Connects to the store {@code settings} ({@code files.blobs}) describe and checks the bucket is
   * there.
   *
   * @throws InvalidOptionException naming the {@code files.blobs.*} setting that is wrong
   */
  public static S3BlobStore open(JsonObject settings, Map<String, String> env) {
    String bucket = text(settings, "bucket", null);
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new InvalidOptionException("files.blobs.bucket", "'" + bucket + "' is not an S3 bucket name (3-63 of a-z, 0-9, . and -)");
    }
    String region = text(settings, "region", "us-east-1");
    String endpoint = text(settings, "endpoint", null);
    Object pathStyle = settings.getValue("pathStyle", Boolean.FALSE);
    if (!(pathStyle instanceof Boolean)) throw new InvalidOptionException("files.blobs.pathStyle", "must be true or false");
    S3ClientBuilder b = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .region(Region.of(region))
        .forcePathStyle((Boolean) pathStyle)
        // Checksums only where S3 requires them: S3-compatible servers differ in the trailing
        // checksums newer SDKs send by default; the content is authenticated by its AEAD anyway.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            secret(settings, env, "accessKeyIdFile", ENV_ACCESS_KEY_ID),
            secret(settings, env, "secretAccessKeyFile", ENV_SECRET_ACCESS_KEY))));
    if (endpoint != null) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new InvalidOptionException("files.blobs.endpoint", "'" + endpoint + "' is not a URL");
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new InvalidOptionException("files.blobs.endpoint", "'" + endpoint + "' is not an http(s) URL");
      }
      b.endpointOverride(uri);
    }
    String describe = "s3://" + bucket + (endpoint == null ? "" : " at " + endpoint);
    S3Client s3 = b.build();
    try {
      s3.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
    } catch (SdkException e) {
      s3.close();
      throw new IllegalStateException("cannot use the S3 bucket " + describe + " (files.blobs): " + e.getMessage(), e);
    }
    return new S3BlobStore(s3, bucket, describe);
  }

  private static String text(JsonObject settings, String key, String fallback) {
    Object v = settings.getValue(key);
    if (v == null) return fallback;
    if (!(v instanceof String s) || s.isBlank()) throw new InvalidOptionException("files.blobs." + key, "must be a non-empty string");
    return s.trim();
  }

  /** A credential from its file setting, else from the environment; the value never goes into a message. */
  private static String secret(JsonObject settings, Map<String, String> env, String fileKey, String envName) {
    String file = text(settings, fileKey, null);
    if (file != null) {
      try {
        String v = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
        if (v.isEmpty()) throw new InvalidOptionException("files.blobs." + fileKey, "file " + file + " is empty");
        return v;
      } catch (IOException e) {
        throw new InvalidOptionException("files.blobs." + fileKey, "cannot read " + file + ": " + e.getMessage());
      }
    }
    String v = env.get(envName);
    if (v == null || v.isBlank()) {
      throw new InvalidOptionException("files.blobs." + fileKey, "is not set and neither is " + envName
          + " (an S3 blob store needs an access key id and a secret access key)");
    }
    return v.trim();
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void put(String key, Path file) throws IOException {
    try {
      s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentLength(Files.size(file))
          .contentType("application/octet-stream").build(), RequestBody.fromFile(file));
    } catch (SdkException e) {
      throw new IOException("cannot put " + key + " into " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream get(String key, long offset) throws IOException {
    GetObjectRequest.Builder r = GetObjectRequest.builder().bucket(bucket).key(key);
    if (offset > 0) r.range("bytes=" + offset + "-");
    try {
      return s3.getObject(r.build());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) throw new NoSuchFileException(key);
      throw new IOException("cannot get " + key + " from " + describe + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("cannot get " + key + " from " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long size(String key) throws IOException {
    try {
      return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) return -1;
      throw new IOException("cannot look up " + key + " in " + describe + ": " + e.getMessage(), e);
    } catch (SdkException e) {
      throw new IOException("cannot look up " + key + " in " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
    } catch (SdkException e) {
      throw new IOException("cannot delete " + key + " from " + describe + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}

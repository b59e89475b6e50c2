package dev.hearth.module.files;

/**
 * A project file's metadata, as {@link FileRefs} finds it.
 *
 * @param id the file's id (a UUIDv7)
 * @param projectId the project it belongs to
 * @param name its name in its folder
 * @param size bytes
 * @param contentType the type declared at upload
 * @param sha256 hex SHA-256 of the content
 * @since 0.5
 */
public record FileRef(String id, String projectId, String name, long size, String contentType, String sha256) {}

package dev.hearth.kernel.identity;

import io.vertx.core.Future;

/**
 * The files behind profile pictures. A user's avatar is a file of a project that the user uploaded
 * (an image); once set, it belongs to the profile: replacing or removing the avatar deletes it, so
 * no old picture stays on disk. Implemented by the node's project files ({@code ProjectFiles}).
 */
public interface AvatarFiles {

  /**
   * Refuses, with INVALID_ARGUMENT naming {@code avatar_file_id}, a file that is not an image of
   * {@code projectId} uploaded by {@code userId}.
   */
  void check(String userId, String projectId, String fileId);

  /** The avatar was replaced or removed: its file goes (a file already deleted is no error). */
  Future<Void> release(String userId, String projectId, String fileId);
}

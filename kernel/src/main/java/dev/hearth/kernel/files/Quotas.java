package dev.hearth.kernel.files;

import dev.hearth.kernel.config.FilesOptions;
import dev.hearth.kernel.files.proto.UsageRecord;
import dev.hearth.module.ModuleException;

/** The size limits of uploads and the errors that name them. */
final class Quotas {

  private Quotas() {}

  static long quotaOf(UsageRecord usage, FilesOptions options) {
    return usage.getQuotaBytes() > 0 ? usage.getQuotaBytes() : options.defaultProjectQuotaBytes();
  }

  static ModuleException overQuota(String projectId, long quota, long used, long adding) {
    return new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "project quota exceeded: project " + projectId
        + " may store " + quota + " bytes, uses " + used + ", this file needs " + adding
        + " more (files quota, set by a project admin with SetQuota; node default files.defaultProjectQuotaBytes)")
        .detail("quota", "project").detail("quotaBytes", Long.toString(quota)).detail("usedBytes", Long.toString(used));
  }

  static ModuleException tooLarge(long maxFileBytes, long size) {
    return new ModuleException(ModuleException.Code.RESOURCE_EXHAUSTED, "file too large: " + size
        + " bytes or more, this node takes at most " + maxFileBytes + " bytes per file (files.maxFileBytes)")
        .detail("quota", "files.maxFileBytes").detail("maxFileBytes", Long.toString(maxFileBytes));
  }

  /** The limit an upload streams against: the smaller of the file size limit and what the quota leaves. */
  static BlobUpload.Limits forUpload(String projectId, FilesOptions options, UsageRecord usage) {
    long quota = quotaOf(usage, options);
    long left = Math.max(0, quota - usage.getUsedBytes());
    if (options.maxFileBytes() <= left) {
      return new BlobUpload.Limits(options.maxFileBytes(), size -> tooLarge(options.maxFileBytes(), size));
    }
    return new BlobUpload.Limits(left, size -> overQuota(projectId, quota, usage.getUsedBytes(), size));
  }
}

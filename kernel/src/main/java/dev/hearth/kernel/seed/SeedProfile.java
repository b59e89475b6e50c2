package dev.hearth.kernel.seed;

import dev.hearth.module.ModuleException;

/**
 * How much a seed run creates. Every count is per its parent (projects per org, messages per
 * channel...). Modules that are not installed are skipped.
 */
public record SeedProfile(
    String name, int users, int orgs, int projectsPerOrg, int membersPerProject, int channelsPerProject,
    int messagesPerChannel, int surveysPerProject, int answersPerSurvey, int recordsPerEntity, int filesPerProject) {

  public static SeedProfile named(String name) {
    return switch (name) {
      case "small" -> new SeedProfile("small", 6, 2, 2, 3, 2, 8, 1, 3, 3, 2);
      case "demo" -> new SeedProfile("demo", 24, 3, 3, 8, 3, 30, 2, 8, 10, 5);
      case "load" -> new SeedProfile("load", 200, 10, 5, 20, 5, 200, 2, 20, 50, 10);
      default -> throw ModuleException.invalidArgument("unknown profile '" + name + "': small, demo or load");
    };
  }
}

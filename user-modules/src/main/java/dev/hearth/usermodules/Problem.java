package dev.hearth.usermodules;

/**
 * One thing wrong with a user module definition.
 *
 * @param path JSON path of the offending value, e.g. {@code $.entities[0].fields[2].type}; {@code $}
 *     for the document itself
 * @param message what is wrong there, naming the bad value where there is one
 */
public record Problem(String path, String message) {

  @Override
  public String toString() {
    return path + ": " + message;
  }
}

package dev.hearth.cli.base;

import java.util.Map;

/** The environment commands read their options from; injectable so tests need not change the real one. */
public interface EnvSource {
  Map<String, String> env();
}

package dev.hearth.examples.hello;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.hearth.testkit.ArchRules;

@AnalyzeClasses(packages = "dev.hearth.examples.hello", importOptions = ImportOption.DoNotIncludeTests.class)
class SdkOnlyTest {

  private static final ArchRule SDK_ONLY = ArchRules.pluginNeverUsesTheKernel();

  @ArchTest
  void sdkOnly(JavaClasses classes) {
    SDK_ONLY.check(classes);
  }
}

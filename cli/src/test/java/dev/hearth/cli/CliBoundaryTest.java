package dev.hearth.cli;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.hearth.testkit.ArchRules;

/** {@code hearth serve} runs a node by its life cycle alone: the node's parts are not the command's API. */
@AnalyzeClasses(packages = "dev.hearth.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliBoundaryTest {

  @ArchTest
  void nodeThroughItsLifeCycle(JavaClasses classes) {
    ArchRules.nodeThroughItsLifeCycle().check(classes);
  }
}

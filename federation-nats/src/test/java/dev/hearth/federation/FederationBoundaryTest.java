package dev.hearth.federation;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Federation reaches the kernel through {@code dev.hearth.kernel.spi} alone (and the SDK). */
@AnalyzeClasses(packages = "dev.hearth.federation", importOptions = ImportOption.DoNotIncludeTests.class)
class FederationBoundaryTest {

  private static final ArchRule ONLY_THE_SPI = noClasses()
      .should().dependOnClassesThat(resideInAPackage("dev.hearth.kernel..")
          .and(not(resideInAPackage("dev.hearth.kernel.spi.."))))
      .because("the node's classes are not an API: an extension gets a NodeContext");

  @ArchTest
  void onlyTheSpi(JavaClasses classes) {
    ONLY_THE_SPI.check(classes);
  }
}

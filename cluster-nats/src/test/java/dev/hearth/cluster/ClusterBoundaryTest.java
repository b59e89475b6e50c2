package dev.hearth.cluster;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The cluster reaches the kernel through {@code dev.hearth.kernel.spi} alone (and the SDK), and not through federation. */
@AnalyzeClasses(packages = "dev.hearth.cluster", importOptions = ImportOption.DoNotIncludeTests.class)
class ClusterBoundaryTest {

  private static final ArchRule ONLY_THE_SPI = noClasses()
      .should().dependOnClassesThat(resideInAPackage("dev.hearth.kernel..")
          .and(not(resideInAPackage("dev.hearth.kernel.spi.."))))
      .because("the node's classes are not an API: an extension gets a NodeContext");

  private static final ArchRule NOT_FEDERATION = noClasses()
      .should().dependOnClassesThat(resideInAPackage("dev.hearth.federation.."))
      .because("the cluster and federation are separate extensions; either runs without the other");

  @ArchTest
  void onlyTheSpi(JavaClasses classes) {
    ONLY_THE_SPI.check(classes);
  }

  @ArchTest
  void notFederation(JavaClasses classes) {
    NOT_FEDERATION.check(classes);
  }
}
